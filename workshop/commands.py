"""Registry of extra `workshop` subcommands: each entry adds its parser to the subparsers."""

from __future__ import annotations

EXTENSIONS: list = []
