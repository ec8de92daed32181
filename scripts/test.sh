#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite: lint, types, unit, contract on every
# architecture (the microservices on processes, and with an engine on docker and on a Swarm stack), platform,
# harness and notebooks.
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
bash scripts/install-wrk.sh  # the bench tests compare Locust with it when present

# The docker backend of the microservices needs an engine: start one when we can (root), and stop it
# again at the end if we started it. Without one, the docker tests are skipped with a reason.
started_engine=""
if ! timeout 10 docker info >/dev/null 2>&1; then
  if bash scripts/docker-engine.sh; then started_engine=yes; fi
elif ! docker image inspect "${WORKSHOP_BASE_IMAGE:-workshop-base:bookworm}" >/dev/null 2>&1; then
  bash scripts/docker-engine.sh || true
fi
stop_engine() {
  .venv/bin/workshop down >/dev/null 2>&1 || true
  if [ -n "$started_engine" ] && [ -f /var/run/workshop-dockerd.pid ]; then
    kill "$(cat /var/run/workshop-dockerd.pid)" 2>/dev/null || true
  fi
}
trap stop_engine EXIT

archs="monolith,soa,microservices:process,serverless"
# With an engine: the docker backend, and the same images as a Swarm stack (the harness runs `docker swarm
# init` when the engine is in no swarm and leaves it again at `down`).
if timeout 10 docker info >/dev/null 2>&1; then archs="$archs,microservices:docker,microservices:swarm"; fi
export CONTRACT_ARCHS="$archs"
# As root the set-up installs Chromium: the browser tests must then run, not skip.
if [ "$(id -u)" = 0 ]; then export WORKSHOP_REQUIRE_BROWSER=1; fi
echo "contract suite on: $CONTRACT_ARCHS"

bash scripts/lint.sh
# The notebook tests keep each executed notebook here; the reference edition is built from those copies.
export WORKSHOP_EXECUTED_NOTEBOOKS="$PWD/results/notebooks-executed"
rm -rf "$WORKSHOP_EXECUTED_NOTEBOOKS"
.venv/bin/python -m pytest -p no:cacheprovider -rs "$@"
# The reference edition (make book) from the notebooks executed above, never executing them again (~1 min).
if compgen -G "$WORKSHOP_EXECUTED_NOTEBOOKS/*.ipynb" >/dev/null; then
  bash scripts/book.sh --no-run
fi
