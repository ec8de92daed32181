"""The workshop notebooks: their committed form, and each one executed top to bottom in quick mode."""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from workshop import settings

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
NAME_RE = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
SOLUTION_RE = re.compile(r"<details>.*?```python\n(.*?)```.*?</details>", re.S)
TIMINGS: dict[str, float] = {}


LONG_NOTEBOOKS_S = {"13-comparison-and-report": 1200}  # runs the whole quick benchmark


def notebook_budget_s(stem: str) -> float:
    """Seconds one notebook may take in quick mode (WORKSHOP_NOTEBOOK_TIMEOUT_S, default 300; more for the bench)."""
    default = float(os.environ.get("WORKSHOP_NOTEBOOK_TIMEOUT_S", "300"))
    return max(default, LONG_NOTEBOOKS_S.get(stem, 0))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def markdown(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_notebooks_exist_and_are_numbered_without_gaps():
    names = [p.name for p in NOTEBOOKS]
    assert names, "no notebooks in notebooks/"
    bad = [n for n in names if not NAME_RE.match(n)]
    assert not bad, f"not named NN-topic.ipynb: {bad}"
    assert [int(n[:2]) for n in names] == list(range(len(names))), f"numbering has gaps or repeats: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = read(path)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} have outputs or execution counts: clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_structure(path):
    nb = read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    for heading in ("## Questions", "## Objectives", "**Minutes:**"):
        assert heading in first.source, f"the opening cell lacks {heading!r}"
    assert nb.cells[-1].cell_type == "markdown" and nb.cells[-1].source.startswith("## Key points")
    texts = markdown(nb)
    assert any("Exercise" in t for t in texts), "no exercise"
    assert any(SOLUTION_RE.search(t) for t in texts), "no solution a learner can reveal (<details> with code)"
    for solution in (m for t in texts for m in SOLUTION_RE.findall(t)):
        ast.parse(solution)  # a solution that is not even Python would only fail when a learner reveals it
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*from\s+\S+\s+import\s+\*", code, re.M), "star import"
    assert not re.search(r"^\s*(import|from)\s+locust\b", code, re.M), "locust must run as a subprocess"


def with_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy where each revealed solution also runs, as a code cell right after its <details> cell."""
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "markdown":
            cells += [nbformat.v4.new_code_cell(m, metadata={"tags": ["hide-cell"]})  # collapsed in the book
                      for m in SOLUTION_RE.findall(cell.source)]
    copy = nbformat.from_dict(nb)
    copy.cells = cells
    return copy


def execute(nb: nbformat.NotebookNode, budget_s: float) -> float:
    """Run every cell with one deadline for the whole notebook; returns the seconds it took."""
    # coalesce_streams: one output per stream, a progress line kept at its final state (what a learner sees)
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
                            coalesce_streams=True)
    start = time.monotonic()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            remaining = budget_s - (time.monotonic() - start)
            assert remaining > 0, f"notebook over its {budget_s:.0f} s budget before cell {index}"
            client.timeout = int(remaining) + 1  # read per cell: the deadline is for the whole notebook
            client.execute_cell(cell, index)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def timings_dir(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("notebook-timings")
    yield folder
    if not TIMINGS:
        return
    rows = [{"notebook": k, "seconds": round(v, 1)} for k, v in sorted(TIMINGS.items())]
    (folder / "timings.json").write_text(json.dumps(rows, indent=2))
    with open(folder / "timings.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["notebook", "seconds"])
        writer.writeheader()
        writer.writerows(rows)
    lines = [f"{r['notebook']:40} {r['seconds']:7.1f} s" for r in rows]
    lines.append(f"{'total':40} {sum(TIMINGS.values()):7.1f} s   ({folder / 'timings.csv'})")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # shown even without -s
        print("\nnotebook execution times (quick mode):\n" + "\n".join(lines))


PORT_VARIABLES = ["WORKSHOP_MONOLITH_PORT", "WORKSHOP_MS_LOCALAWS_PORT",
                  *(f"WORKSHOP_SOA_{t}_PORT" for t in ("PRESENTATION", "LOGIC", "DATA")),
                  *(f"WORKSHOP_MS_{s}_PORT" for s in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS"))]


@pytest.fixture
def private_state(tmp_path, monkeypatch):
    # Other runs of the workshop may be up on this machine: the kernel gets its own state folder and,
    # for architectures whose ports are fixed by variables, ports nobody listens on now.
    from workshop.runtime import procs

    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("WORKSHOP_QUICK", "1")
    for name in PORT_VARIABLES:
        if name not in os.environ:
            monkeypatch.setenv(name, str(procs.free_port()))
    yield tmp_path / "state"
    from workshop.lab import session as lab  # imported late: the state folder comes from the environment

    leftovers = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "state" / "run").glob("*/*.json"))
    lab.cli("down")  # the safety net; the notebook itself must already have stopped everything
    assert not leftovers, f"the notebook left processes recorded as running: {leftovers}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_executes_in_quick_mode(path, private_state, timings_dir):
    nb = with_solutions(read(path))
    try:
        TIMINGS[path.name] = execute(nb, notebook_budget_s(path.stem))
    finally:
        nbformat.write(nb, timings_dir / path.name)  # the executed copy, outputs and all, for reading
        keep = settings.executed_notebooks_dir()  # for the reference edition (make book), which never executes again
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, keep / path.name)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
