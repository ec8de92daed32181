"""workshop.lab.session: quick mode, and the guarantee that what a notebook starts is brought down."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from workshop.lab import session as lab
from workshop.runtime import procs

START_AND_PRINT = ("from workshop.lab import session as lab; s = lab.start('monolith'); "
                   "print(s.pids()['web'], flush=True)")


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    yield tmp_path
    lab.cli("down")  # safety net only; each test asserts the real clean-up itself


def gone(pid: int, within_s: float = 15) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not procs.alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_quick_mode_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WORKSHOP_QUICK", "1")
    assert lab.quick() and lab.choose("small", "big") == "small"
    monkeypatch.setenv("WORKSHOP_QUICK", "0")
    assert not lab.quick() and lab.choose("small", "big") == "big"


@pytest.mark.parametrize(("quick_env", "quick", "expected"), [
    ("1", None, True), ("", None, False), ("", True, True), ("1", False, False)])
def test_bench_is_quick_when_asked_or_in_quick_mode(quick_env, quick, expected, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("WORKSHOP_QUICK", quick_env)
    started = []

    def fake_start(arch, name, argv, **kwargs):
        started.append(argv)
        (procs.run_dir(arch) / f"{name}.log").write_text("bench done")
        return 0

    monkeypatch.setattr(procs, "start", fake_start)
    monkeypatch.setattr(procs, "alive", lambda pid: False)
    monkeypatch.setattr(procs, "stop", lambda *args, **kwargs: None)
    assert lab.bench(tmp_path / "out", quick=quick) == "bench done"
    assert ("--quick" in started[0]) is expected


def test_percentiles_nearest_rank():
    assert lab.percentiles([float(i) for i in range(1, 101)]) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}


@pytest.mark.slow
def test_a_failing_cell_still_brings_the_architecture_down(state):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(START_AND_PRINT),
                                         nbformat.v4.new_code_cell("raise RuntimeError('a cell fails')")])
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    pid = int(nb.cells[0].outputs[0].text.split()[0])
    assert gone(pid), "the kernel shut down but the monolith kept running"
    assert procs.load_arch("monolith") is None


@pytest.mark.slow
def test_a_terminated_kernel_brings_the_architecture_down(state):
    proc = subprocess.Popen([sys.executable, "-c", START_AND_PRINT + "; import time; time.sleep(120)"],
                            stdout=subprocess.PIPE, text=True)
    try:
        pid = int(proc.stdout.readline().split()[0])
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:  # never leave the sleeping child behind, whatever failed above
        proc.kill()
        proc.wait()
    assert gone(pid)
    assert procs.load_arch("monolith") is None


@pytest.mark.slow
def test_a_rerun_stops_what_a_killed_kernel_left(state):
    # os._exit skips every clean-up, like a kernel killed with SIGKILL.
    done = subprocess.run([sys.executable, "-c", START_AND_PRINT + "; import os; os._exit(0)"],
                          capture_output=True, text=True, timeout=120)
    orphan = int(done.stdout.split()[0])
    assert procs.alive(orphan)
    with lab.start("monolith") as system:
        assert gone(orphan), "start() must stop what a previous run left"
        assert system.client.health()["status"] == "ok"
    assert procs.load_arch("monolith") is None


@pytest.mark.slow
def test_a_failing_cell_also_stops_a_local_aws_and_its_environments(state):
    start = ("import psutil; from workshop.lab import aws as lab_aws; from workshop.runtime import procs\n"
             "aws = lab_aws.local_aws('t')\n"
             "lab_aws.deploy_function(aws, 'probe', 'probe'); lab_aws.timed_invoke(aws, 'probe')\n"
             "serve = procs.records('lab-localaws-t')['serve']['pid']\n"
             "print(serve, *[c.pid for c in psutil.Process(serve).children(recursive=True)], flush=True)")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(start),
                                         nbformat.v4.new_code_cell("raise RuntimeError('a cell fails')")])
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    pids = [int(p) for p in nb.cells[0].outputs[-1].text.split()]
    assert len(pids) >= 2, "expected the local AWS and at least one execution environment"
    assert all(gone(pid) for pid in pids), "the kernel shut down but the local AWS or an environment kept running"
    assert not procs.records("lab-localaws-t")
