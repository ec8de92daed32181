#!/usr/bin/env bash
# The reference edition of the notebooks: execute every notebook through the notebook tests (always in quick
# mode: their fixture sets WORKSHOP_QUICK=1), which keep each executed copy, then build the static site from
# those copies.
# Usage: bash scripts/book.sh            execute and build (what `make book` runs)
#        bash scripts/book.sh --no-run   build from the copies already executed (what CI runs after its tests)
# Prints the path of the site's index page last.
set -euo pipefail
cd "$(dirname "$0")/.."
export WORKSHOP_EXECUTED_NOTEBOOKS="${WORKSHOP_EXECUTED_NOTEBOOKS:-$PWD/results/notebooks-executed}"
if [ "${1:-}" != "--no-run" ]; then
  rm -rf "$WORKSHOP_EXECUTED_NOTEBOOKS"
  .venv/bin/python -m pytest -p no:cacheprovider -q tests/notebooks/test_notebooks.py -k executes_in_quick_mode >&2
fi
.venv/bin/python -m workshop.lab.book --executed "$WORKSHOP_EXECUTED_NOTEBOOKS" --out build/book
