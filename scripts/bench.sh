#!/usr/bin/env bash
# The README's main command: set up, then the quick four-way benchmark; prints the summary and the report path.
# Usage: bash scripts/bench.sh [--archs monolith,soa] [--out DIR]   (full run: .venv/bin/workshop bench)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-wrk.sh
exec .venv/bin/workshop bench --quick "$@"
