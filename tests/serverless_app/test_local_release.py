"""`workshop up serverless` on the local AWS: the endpoint line, a 10 % canary of a bad release, the rollback,
and `down` leaving no process behind."""

from __future__ import annotations

import collections
import os
import subprocess
import sys

import psutil
import pytest
import requests

from workshop.runtime import procs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def up(tmp_path_factory):
    state = tmp_path_factory.mktemp("serverless-state")
    env = {**os.environ, "WORKSHOP_STATE_DIR": str(state), "WORKSHOP_LOCALAWS_PORT": str(procs.free_port())}
    env.pop("AWS_ENDPOINT_URL", None)
    cli = [sys.executable, "-m", "workshop"]
    run = subprocess.run([*cli, "up", "serverless", "--detach"], env=env, capture_output=True, text=True,
                         timeout=600, stdin=subprocess.DEVNULL)
    try:
        assert run.returncode == 0, run.stderr[-3000:]
        yield env, run.stdout.strip().splitlines()
    finally:
        down = subprocess.run([*cli, "down", "serverless"], env=env, capture_output=True, text=True, timeout=120)
        assert down.returncode == 0, down.stderr
        leftovers = [p for p in psutil.process_iter(["cmdline"]) if str(state) in " ".join(p.info["cmdline"] or [])]
        assert leftovers == [], leftovers


def test_up_prints_the_endpoint_before_the_base_url(up):
    _, lines = up
    assert lines[-3].startswith("AWS_ENDPOINT_URL=http://127.0.0.1:")
    endpoint = lines[-3].split("=", 1)[1]
    assert lines[-1].startswith(endpoint + "/_aws/execute-api/")
    # the web page: the website bucket on the same local AWS, under another host name (another origin)
    assert lines[-2].startswith("web page: " + endpoint.replace("127.0.0.1", "localhost") + "/")
    assert requests.get(lines[-1] + "/health", timeout=30).json()["architecture"] == "serverless"


def test_a_bad_release_is_a_canary_and_the_rollback_restores_all_traffic(up):
    env, lines = up
    base, cli = lines[-1], [sys.executable, "-m", "workshop", "deploy", "serverless", "get_video"]
    bad = subprocess.run([*cli, "--release", "v2", "--fault", "error:get_video"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 0, bad.stderr
    codes = collections.Counter(requests.get(f"{base}/videos/v-none", timeout=30).status_code for _ in range(150))
    assert set(codes) == {404, 500} and 3 <= codes[500] <= 35, codes  # about 10 % on the bad version
    good = subprocess.run([*cli, "--release", "v1"], env=env, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stderr
    codes = collections.Counter(requests.get(f"{base}/videos/v-none", timeout=30).status_code for _ in range(50))
    assert codes == {404: 50}
