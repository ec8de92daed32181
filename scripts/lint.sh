#!/usr/bin/env bash
# The static checks, as `make lint` and the test command run them: style (ruff), the dependency rules
# between packages (import-linter, contracts in pyproject.toml) and types (mypy over every package).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache
.venv/bin/mypy
