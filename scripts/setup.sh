#!/usr/bin/env bash
# Create .venv and install the project (editable) with its pinned dependencies.
# Usage: bash scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
  # Debian splits venv/ensurepip into python3-venv; install it when we can.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-venv
  else
    echo "python3 -m venv is unavailable: install python3-venv (Debian) and retry" >&2; exit 1
  fi
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extra=""
[ "${1:-}" = "--dev" ] && extra="[dev]"
stamp=".venv/.installed${extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extra}"
  touch "$stamp"
fi
if [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null; then
  # The browser tests (tests/contract/test_webui.py) drive Debian's Chromium: Playwright's own browser download is not used.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "note: the browser tests need chromium (apt-get install chromium); they are skipped without it" >&2
  fi
fi
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
echo "ready: .venv ($(.venv/bin/python --version))"
