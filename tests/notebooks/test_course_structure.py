"""The notebooks as a course: predict, measure, explain; exercises that ask for a judgement; times for both modes."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXERCISE_RE = re.compile(r"^### Exercise [^\n]*", re.M)
JUDGEMENT_RE = re.compile(r"\((prediction|design decision)\)")
MINUTES_RE = re.compile(r"\*\*Minutes:\*\*[^\n]*full mode[^\n]*\d[^\n]*quick mode[^\n]*\d")
SEE = "**What you should see.**"


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def nb(request) -> nbformat.NotebookNode:
    return nbformat.read(request.param, as_version=4)


def test_header_gives_questions_objectives_and_times_for_both_modes(nb):
    header = nb.cells[0].source
    assert "## Questions" in header and "## Objectives" in header
    assert MINUTES_RE.search(header), "the header must give minutes, and computing times in full and quick mode"


def test_at_least_two_exercises_one_a_prediction_or_design_decision(nb):
    headings = [h for c in nb.cells if c.cell_type == "markdown" for h in EXERCISE_RE.findall(c.source)]
    assert len(headings) >= 2, f"only {len(headings)} exercise(s)"
    assert any(JUDGEMENT_RE.search(h) for h in headings), "no exercise marked (prediction) or (design decision)"


def test_every_marked_measurement_is_predicted_then_explained(nb):
    measured = [i for i, c in enumerate(nb.cells) if "measure" in tags(c)]
    assert measured, "no cell is tagged `measure`: mark the notebook's key measurements"
    for before, index in zip([-1, *measured], measured, strict=False):
        assert nb.cells[index].cell_type == "code", f"cell {index} is tagged measure but is not code"
        predicted = [i for i in range(before + 1, index) if "predict" in tags(nb.cells[i])]
        assert predicted, f"no `predict` cell between cell {before} and the measurement in cell {index}"
        assert all("my_prediction" in nb.cells[i].source for i in predicted), "a predict cell has no my_prediction"
        after = next((c for c in nb.cells[index + 1:] if c.cell_type == "markdown"), None)
        assert after is not None and SEE in after.source, f"no {SEE!r} in the first markdown after cell {index}"


def test_predict_cells_are_code_the_learner_fills_in(nb):
    for i, cell in enumerate(nb.cells):
        if "predict" in tags(cell):
            assert cell.cell_type == "code" and "my_prediction = ..." in cell.source, f"cell {i}"


def test_self_check_questions_with_revealable_answers(nb):
    checks = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("### Self-check")]
    assert checks, "no '### Self-check' cell"
    assert all(s.count("<details>") >= 2 for s in checks), "a self-check needs at least two revealable answers"


def test_ends_with_key_points(nb):
    assert nb.cells[-1].cell_type == "markdown" and nb.cells[-1].source.startswith("## Key points")


TIMES_RE = re.compile(r"\*\*Minutes:\*\* (\d+) reading and exercises; computing: full mode about ([^,]+), "
                      r"quick mode about (\d+ (?:seconds?|minutes?))")


def test_readme_times_agree_with_the_headers():
    readme = (ROOT / "notebooks" / "README.md").read_text()
    for path in NOTEBOOKS:
        found = TIMES_RE.search(nbformat.read(path, as_version=4).cells[0].source)
        assert found, f"{path.stem}: the header's times are not in the expected form"
        rows = [line for line in readme.splitlines() if line.startswith(f"| {path.stem} |")]
        assert rows, f"{path.stem}: no row in notebooks/README.md's times table"
        cells = [cell.strip() for cell in rows[-1].strip().strip("|").split("|")]
        assert cells[1:4] == list(found.groups()), f"{path.stem}: README says {cells[1:4]}, the header {found.groups()}"
