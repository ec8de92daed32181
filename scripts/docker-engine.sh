#!/usr/bin/env bash
# Make a Docker engine reachable and the local base image present (idempotent, fast when done).
# Usage: sudo bash scripts/docker-engine.sh        (exit 0: engine up and base image built)
# Env: WORKSHOP_BASE_IMAGE (default workshop-base:bookworm), WORKSHOP_DEBIAN_MIRROR (default: from apt's
#      sources), WORKSHOP_DOCKERD_LOG (default /var/log/workshop-dockerd.log).
# No registry can be reached here, so nothing is pulled: the base image is made with debootstrap from the
# Debian mirror apt already uses. dockerd runs without a bridge: containers use --network host only.
set -euo pipefail

BASE_IMAGE=${WORKSHOP_BASE_IMAGE:-workshop-base:bookworm}
SUITE=bookworm
LOG=${WORKSHOP_DOCKERD_LOG:-/var/log/workshop-dockerd.log}
PIDFILE=/var/run/workshop-dockerd.pid

say() { echo "docker-engine: $*" >&2; }
die() { say "ERROR: $*"; say "the microservices fall back to the process backend"; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
engine_up() { timeout 10 docker info >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }

install_missing() {
  # Install only the Debian packages whose commands are absent (apt-get update is the slow part).
  local pkgs=()
  command -v dockerd >/dev/null || pkgs+=(docker.io)
  command -v debootstrap >/dev/null || pkgs+=(debootstrap)
  [ ${#pkgs[@]} -eq 0 ] && return 0
  is_root || die "not root: cannot install ${pkgs[*]}"
  local t; t=$(now)
  say "installing ${pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  say "installed ${pkgs[*]} in $(took "$t") s"
}

start_engine() {
  engine_up && { say "engine already reachable"; return 0; }
  is_root || die "no Docker engine reachable and not root: cannot start dockerd"
  install_missing
  # Some hosts start the daemon from the package's post-install script.
  engine_up && { say "engine reachable after install"; return 0; }
  local t pid; t=$(now)
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if alive_dockerd "$pid"; then
    say "dockerd pid $pid is running but not answering yet: waiting for it"
  else
    # A dockerd killed without cleanup (a session that ended) leaves its pid file, which blocks a new one.
    rm -f /var/run/docker.pid
    # setsid: dockerd outlives this script and is not killed with its process group.
    setsid dockerd --bridge=none --iptables=false --ip6tables=false >>"$LOG" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$PIDFILE"
  fi
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    engine_up && { say "dockerd pid $pid up in $(took "$t") s (log: $LOG)"; return 0; }
    alive_dockerd "$pid" || die "dockerd exited; see $LOG"
    sleep 0.5
  done
  die "dockerd did not answer within 60 s; see $LOG"
}

alive_dockerd() {
  # True when $1 is a running (not zombie) dockerd process.
  [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = dockerd ] \
    && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat" 2>/dev/null
}

debian_mirror() {
  # The first Debian mirror in apt's sources that serves $SUITE itself (not -security/-updates).
  if [ -n "${WORKSHOP_DEBIAN_MIRROR:-}" ]; then echo "$WORKSHOP_DEBIAN_MIRROR"; return; fi
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v s="$SUITE" '
      function flush() { if (uris != "" && (" " suites " ") ~ (" " s " ")) { split(uris, u, " "); print u[1]; found=1; exit } uris=""; suites="" }
      /^[ \t]*$/ { flush(); next }
      /^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris=$0 }
      /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites=$0 }
      END { if (!found) flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI suite components...
    sed -E 's/\[[^]]*\]//' "$f" | awk -v s="$SUITE" '$1 == "deb" && $3 == s { print $2 }'
  done
}

build_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    say "base image $BASE_IMAGE present"; return 0
  fi
  is_root || die "building $BASE_IMAGE needs root (debootstrap); where a registry is reachable,
  builds can use WORKSHOP_BASE_IMAGE=python:3.11-slim instead"
  install_missing
  local mirror; mirror=$(debian_mirror | head -n 1)
  [ -n "$mirror" ] || die "no Debian $SUITE mirror in apt's sources; set WORKSHOP_DEBIAN_MIRROR"
  local rootfs; rootfs=$(mktemp -d /var/tmp/workshop-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  local t; t=$(now)
  say "debootstrap $SUITE from $mirror"
  debootstrap --variant=minbase --include=python3,python3-venv,python3-pip \
    "$SUITE" "$rootfs" "$mirror" > /var/log/workshop-debootstrap.log 2>&1 \
    || die "debootstrap failed; see /var/log/workshop-debootstrap.log"
  say "debootstrap took $(took "$t") s"
  # Keep the image small: the package cache and lists are not needed at run time.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  t=$(now)
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' -c 'CMD ["/usr/bin/python3"]' - "$BASE_IMAGE" >/dev/null
  say "docker import took $(took "$t") s"
  rm -rf "$rootfs"; trap - EXIT
  docker run --rm --network host "$BASE_IMAGE" python3 -c 'import venv, sys; print(sys.version)' >&2 \
    || die "$BASE_IMAGE does not run python3"
}

T0=$(now)
command -v docker >/dev/null || install_missing
start_engine
build_base_image
say "ready: engine up, base image $BASE_IMAGE ($(took "$T0") s)"
