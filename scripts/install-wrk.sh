#!/usr/bin/env bash
# wrk (Debian package) is the reference load generator that shows Locust is not the limit. Optional:
# without it the bench runs and says so. Installed only when we are root on a Debian-like machine.
if command -v wrk >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null 2>&1) \
    || echo "wrk could not be installed: the bench runs without the wrk reference" >&2
else
  echo "wrk is not installed (apt-get install wrk): the bench runs without the wrk reference" >&2
fi
exit 0
