"""Fixtures of the contract suite: the app under test (one per architecture) and generated media.

`CONTRACT_ARCHS` (comma list, default "monolith") names the architectures; each is started with
`workshop up ARCH --detach` and stopped with `workshop down ARCH`. `CONTRACT_BASE_URL` points the
suite at an app that is already running instead (nothing is started or stopped then).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from contractclips import CLIPS, Media
from contractlib import SMALL_UPLOAD_LIMIT, Api, unique, workshop_argv


def contract_archs() -> list[str]:
    """The architectures to run against, e.g. "monolith,microservices:docker"."""
    return [a.strip() for a in os.environ.get("CONTRACT_ARCHS", "monolith").split(",") if a.strip()]


def up_timeout_s() -> float:
    """How long `workshop up` may take (image builds make the docker backend slow)."""
    return float(os.environ.get("CONTRACT_UP_TIMEOUT_S", "900"))


def workshop_env(state_dir: Path) -> dict[str, str]:
    """The environment for `workshop`: a private state folder and the small upload limit."""
    return {**os.environ, "WORKSHOP_MAX_UPLOAD_BYTES": str(SMALL_UPLOAD_LIMIT),
            "WORKSHOP_STATE_DIR": str(state_dir)}


def run_workshop(args: list[str], env: dict[str, str], logs: Path, timeout_s: float) -> tuple[int, str, str]:
    """Run `workshop ARGS`; output goes to files so detached children holding it cannot block us."""
    out, err = logs / f"{args[0]}.out", logs / f"{args[0]}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen([*workshop_argv(), *args], stdout=stdout, stderr=stderr, env=env,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # our own process group only
            proc.wait()
            code = -9
    return code, out.read_text(errors="replace"), err.read_text(errors="replace")[-3000:]


def arch_args(arch: str) -> tuple[str, list[str]]:
    """The base name of `arch` and the extra `up` options its variant needs."""
    base, _, backend = arch.partition(":")
    return base, (["--backend", backend] if base == "microservices" and backend else [])


@pytest.fixture(scope="session", params=contract_archs())
def api(request, tmp_path_factory) -> Iterator[Api]:
    """The app under test, up for the whole session, always brought down afterwards."""
    base, extra = arch_args(request.param)
    given = os.environ.get("CONTRACT_BASE_URL")
    if given:
        yield Api(base, given)
        return
    state = tmp_path_factory.mktemp(f"state-{base}")
    env = workshop_env(state)
    try:
        code, out, err = run_workshop(["up", base, *extra, "--detach"], env, state, up_timeout_s())
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        if code != 0 or not lines:
            pytest.fail(f"workshop up {request.param} failed (exit {code}):\n{out}\n{err}")
        api = Api(base, lines[-1])
        api.variant = request.param  # e.g. "microservices:docker" (the browser tests' screenshot folder)
        # `workshop up` names the web page just before the API's URL (test_webui.py opens it)
        api.page_url = next((ln.split(": ", 1)[1] for ln in lines if ln.startswith("web page: ")), api.page_url)
        yield api
    finally:
        code, out, err = run_workshop(["down", base], env, state, 300)
        assert code == 0, f"workshop down {base} failed (exit {code}):\n{out}\n{err}"


@pytest.fixture(scope="session")
def workshop_env_for(tmp_path_factory) -> dict[str, str]:
    """An environment for one-off `workshop` commands (like `workshop token`)."""
    return workshop_env(tmp_path_factory.mktemp("cli"))


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> Media:
    return Media(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def cascade(api, media) -> dict[str, dict]:
    """Every clip and the not-video file uploaded up front (so processing overlaps), by clip name."""
    tag = unique("cascade")
    uploaded = {}
    for name in [*CLIPS, "not_video"]:
        data = media.bytes(name)
        video = api.create(title=f"Cascade {name}", tags=[tag])
        resp = api.upload(video, data)
        assert resp.status_code in (200, 204), (name, resp.status_code, resp.text)
        uploaded[name] = {"id": video["id"], "bytes": len(data), "tag": tag}
    return uploaded
