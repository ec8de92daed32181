"""Schemathesis fuzzes the contract against the app under test: every check, every phase, zero failures.

The OpenAPI document must be the exact truth: what it allows is accepted, what it forbids is refused with
a 4xx, every answer matches its schemas, 405s carry `Allow`, and the stateful phase walks the document's
links (create -> upload -> get -> views -> delete). A fixed seed makes a CI run repeatable; the time
budget is 60 s per architecture in quick mode (`SCHEMATHESIS_MAX_TIME_S` overrides it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from contractlib import bearer, make_token

import videocatalog

SPEC = Path(videocatalog.__file__).parent / "openapi.yaml"
HERE = Path(__file__).parent
SEED = 2016
# Only the app-served architectures serve /videos/{id}/upload; serverless hands out presigned S3 URLs.
NOT_SERVED = {"serverless": ["uploadSource"]}


def budget_s() -> int:
    """Seconds schemathesis may spend on one architecture."""
    quick = os.environ.get("WORKSHOP_QUICK", "").strip().lower() in ("1", "true", "yes", "on")
    return int(os.environ.get("SCHEMATHESIS_MAX_TIME_S") or (60 if quick else 300))


def schemathesis_argv(base_url: str, arch: str, budget: int, report: Path) -> list[str]:
    """The `st run` command line: all checks and phases, a fixed seed, a write token, a JUnit report."""
    argv = [str(Path(sys.executable).with_name("st")), "--no-color", "run", str(SPEC), "--url", base_url,
            "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful", "--seed", str(SEED),
            "--max-time", str(budget), "--generation-database", "none", "--request-timeout", "30",
            "-H", f"Authorization: Bearer {make_token(ttl_s=budget + 3600)}",
            "--report", "junit", "--report-junit-path", str(report)]
    for operation in NOT_SERVED.get(arch, []):
        argv += ["--exclude-operation-id", operation]
    return argv


def video_ids(api) -> set[str]:
    """Every video id in the catalog, across all pages."""
    ids, cursor = set(), None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = api.request("GET", "/videos", params=params).json()
        ids.update(v["id"] for v in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return ids


def test_schemathesis_finds_no_failure(api, tmp_path):
    # The fuzzer creates videos and views them: delete what it made afterwards (views go with a video), so
    # the tests that run after it on the same architecture see the trending they set up, not the fuzzer's.
    before = video_ids(api)
    try:
        run_schemathesis(api, tmp_path)
    finally:
        for video_id in video_ids(api) - before:
            api.request("DELETE", f"/videos/{video_id}", headers=bearer())


def run_schemathesis(api, tmp_path) -> None:
    """Run `st run` once against the architecture; fail with its findings."""
    budget = budget_s()
    argv = schemathesis_argv(api.base_url, api.arch, budget, tmp_path / "junit.xml")
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}
    # cwd: schemathesis keeps a cache (.schemathesis/) in its working folder; not in the repo.
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=budget * 3 + 300,
                          stdin=subprocess.DEVNULL, cwd=tmp_path)
    (tmp_path / "schemathesis.out").write_text(proc.stdout + proc.stderr)
    found = proc.stdout[-12000:] + proc.stderr[-3000:]
    assert proc.returncode == 0, f"schemathesis on {api.arch} found failures:\n{found}"
