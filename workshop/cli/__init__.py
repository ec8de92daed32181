"""The `workshop` command: one explicit list of subcommands."""
