"""The reference edition: a static site (Sphinx + MyST-NB) of the notebooks as executed, outputs included.

It never executes a notebook itself: it reads the executed copies that tests/notebooks/test_notebooks.py
writes (to WORKSHOP_EXECUTED_NOTEBOOKS, default results/notebooks-executed), so CI runs each notebook once.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from workshop import settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT_ROOT / "notebooks"

CONF = '''project = "Serverless architecture, measured: reference edition"
extensions = ["myst_nb"]
nb_execution_mode = "off"  # the notebooks were executed once already, by the notebook tests
nb_execution_raise_on_error = True
myst_enable_extensions = ["colon_fence"]
html_title = project
html_theme = "alabaster"
html_theme_options = {"page_width": "1180px", "sidebar_width": "260px"}
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]
'''


def index_page(stems: list[str], missing: list[str]) -> str:
    """The front page: what this edition is, and its table of contents."""
    lines = ["# Serverless architecture, measured: reference edition", "",
             "Every workshop notebook as it ran top to bottom in one run, in quick mode (`WORKSHOP_QUICK=1`), with",
             "its outputs and each exercise's solution executed (collapsed, after the exercise). Compare your own",
             "run with it: the numbers differ by machine, the shapes and directions should not.", ""]
    if missing:
        lines += [f"Not executed in this build (left out): {', '.join(missing)}.", ""]
    lines += ["```{toctree}", ":maxdepth: 1", "", *stems, "```", ""]
    return "\n".join(lines)


def build(source: Path, out: Path) -> Path:
    """Build the site from the executed notebooks in `source` into `out`; the path of its index page."""
    expected = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    found = [s for s in expected if (source / f"{s}.ipynb").exists()]
    if not found:
        raise SystemExit(f"no executed notebooks in {source}: run the notebook tests first (make book does)")
    src = out / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for stem in found:
        shutil.copy(source / f"{stem}.ipynb", src / f"{stem}.ipynb")
    shutil.copy(NOTEBOOKS / "glossary.md", src / "glossary.md")
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(index_page([*found, "glossary"], [s for s in expected if s not in found]))
    html = out / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", str(src), str(html)],
                   check=True)
    return html / "index.html"


def main(argv: list[str] | None = None) -> None:
    """Command line: build the reference edition and print its index page's path last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executed", type=Path, default=None, help="folder of executed notebooks")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "build" / "book")
    args = parser.parse_args(argv)
    index = build(args.executed or settings.executed_notebooks_dir(), args.out)
    print(index.resolve())


if __name__ == "__main__":
    main()
