#!/usr/bin/env bash
# The README's main command: set up, then the quick four-way benchmark; prints the summary and the report path.
# Usage: bash scripts/bench.sh [--archs monolith,soa] [--out DIR]   (full run: .venv/bin/workshop bench)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# wrk (Debian package) is the reference load generator that shows Locust is not the limit; optional.
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null 2>&1) \
    || echo "wrk could not be installed: the bench runs without the wrk reference" >&2
fi
exec .venv/bin/workshop bench --quick "$@"
