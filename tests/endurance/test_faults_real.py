"""The fault benchmark for real, quick mode: the monolith and the SOA under load, one kill -9 at a time;
no acknowledged upload is lost and every fault has a measured recovery."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from workshop import archs
from workshop.endurance import faults
from workshop.runtime import procs


@pytest.fixture
def private_state(tmp_path, monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("WORKSHOP_MONOLITH_PORT", str(procs.free_port()))
    monkeypatch.setenv("SOA_WEB_WORKERS", "1")  # keep the 2-core machine responsive
    for tier in ("PRESENTATION", "LOGIC", "DATA"):
        monkeypatch.setenv(f"WORKSHOP_SOA_{tier}_PORT", str(procs.free_port()))
    yield


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["monolith", "soa"])
def test_quick_fault_run_loses_no_acknowledged_upload(arch, private_state, tmp_path):
    module = archs.load(arch)
    url = module.up()
    try:
        record = faults.run(module, url, tmp_path / "out", quick=True)
    finally:
        module.down()
    expected = {"monolith": ["worker"], "soa": ["data", "logic", "presentation"]}[arch]
    assert [f["component"] for f in record["faults"]] == expected
    for fault in record["faults"]:
        assert fault["killed_pid"] > 1 and fault["recover_s"] is not None, fault
        assert fault["component_back_s"] is not None, fault
    assert record["uploads"]["acknowledged"] >= 2
    assert record["uploads"]["lost"] == 0, record["uploads"]
    if arch == "monolith":  # the worker was killed mid-transcode and gunicorn's master replaced it
        assert record["faults"][0]["mid_job"] and record["faults"][0]["recovered_by"].startswith("gunicorn")
    else:  # nothing supervises a tier: the harness restarted each one, after the load saw the gap
        assert all(f["operator_restart"] and f["client_error_total"] > 0 for f in record["faults"])
    saved = json.loads((tmp_path / "out" / "faults.json").read_text())
    assert saved["uploads"] == record["uploads"]
    assert (tmp_path / "out" / "faults_load.csv").read_text().startswith("second,op,ok,errors")
