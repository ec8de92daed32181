"""workshop.lab.book: the reference edition is built from executed copies, never by executing again."""

from __future__ import annotations

import nbformat
import pytest

from workshop import settings
from workshop.lab import book


def test_without_executed_notebooks_it_says_what_to_run(tmp_path):
    with pytest.raises(SystemExit, match="run the notebook tests first"):
        book.build(tmp_path / "none", tmp_path / "out")


def test_the_executed_copies_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_EXECUTED_NOTEBOOKS", str(tmp_path))
    assert settings.executed_notebooks_dir() == tmp_path
    monkeypatch.delenv("WORKSHOP_EXECUTED_NOTEBOOKS")
    assert settings.executed_notebooks_dir() == book.PROJECT_ROOT / "results" / "notebooks-executed"


@pytest.mark.slow
def test_builds_a_site_with_the_outputs_and_names_what_is_missing(tmp_path):
    printed = nbformat.v4.new_output("stream", name="stdout", text="42 is the output\n")
    cell = nbformat.v4.new_code_cell("print(6 * 7)", execution_count=1, outputs=[printed])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 00 · A title"), cell],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    executed = tmp_path / "executed"
    executed.mkdir()
    nbformat.write(nb, executed / "00-setup-and-tour.ipynb")
    index = book.build(executed, tmp_path / "out")
    assert index == tmp_path / "out" / "html" / "index.html" and index.exists()
    assert "Not executed in this build" in index.read_text() and "13-comparison-and-report" in index.read_text()
    assert "42 is the output" in (index.parent / "00-setup-and-tour.html").read_text()
    assert (index.parent / "glossary.html").exists()
