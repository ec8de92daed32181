"""Refuse a Locust run that cannot measure anything, and fail one whose log shows its tasks broke.

The harness never imports the locustfile (Locust's gevent patching breaks Jupyter kernels), so the tasks
and their tags are read from its source with `ast`: the locustfile stays the one place they are declared.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from workshop.runtime import procs

LOCUSTFILE = procs.PROJECT_ROOT / "loadtests" / "locustfile.py"

# Which user class each --shape runs (the locustfile's WorkshopShape.tick makes the same choice).
OPEN_USER, CLOSED_USER = "ArrivalUser", "CatalogUser"
# Lines of locust.log that mean a task did not run as written: the figures then measure something else.
TASK_ERRORS = re.compile(r"No tasks defined on|Traceback \(most recent call last\)|Uncaught exception")


class LoadRunError(RuntimeError):
    """A load run that must not be summarized: refused before it started, or broken while it ran."""


def _name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")


def declared_tasks(locustfile: Path = LOCUSTFILE) -> dict[str, dict[str, set[str]]]:
    """Each user class's @task methods with their @tag names, read from the locustfile's source."""
    classes: dict[str, dict[str, set[str]]] = {}
    for node in ast.parse(locustfile.read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        tasks = classes.setdefault(node.name, {})
        for fn in node.body:
            if isinstance(fn, ast.FunctionDef) and any(_name(d) == "task" for d in fn.decorator_list):
                tags = {a.value for d in fn.decorator_list if _name(d) == "tag" and isinstance(d, ast.Call)
                        for a in d.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
                tasks[fn.name] = tags
    return classes


def tasks_left(shape: str, tags: str | None, locustfile: Path = LOCUSTFILE) -> list[str]:
    """The tasks Locust keeps for this shape once `--tags` has filtered them (Locust drops untagged ones)."""
    tasks = declared_tasks(locustfile).get(OPEN_USER if shape == "open" else CLOSED_USER, {})
    wanted = {t.strip() for t in tags.split(",") if t.strip()} if tags else None
    return sorted(name for name, own in tasks.items() if wanted is None or own & wanted)


def check(shape: str, tags: str | None, locustfile: Path = LOCUSTFILE) -> None:
    """Raise LoadRunError, saying what to change, when `--shape` and `--tags` leave Locust without a task."""
    if tasks_left(shape, tags, locustfile):
        return
    user = OPEN_USER if shape == "open" else CLOSED_USER
    if shape == "open" and tags:
        raise LoadRunError(
            f"--shape open --tags {tags} leaves Locust no task: the open shape's {user} runs the whole "
            "journey on a fixed schedule and ignores tags. Drop --tags, or use a closed-loop shape "
            "(steady, step, spike) to load only those tasks.")
    known = sorted(set().union(*declared_tasks(locustfile).get(CLOSED_USER, {}).values()))
    raise LoadRunError(f"--tags {tags} matches no task of {user} (--shape {shape}); "
                       f"its tags are: {', '.join(known)}")


def task_errors(folder: Path, limit: int = 3) -> list[str]:
    """The first lines of locust.log in `folder` that show a task failing to run (none: an empty list)."""
    log = folder / "locust.log"
    if not log.exists():
        return []
    lines = log.read_text(errors="replace").splitlines()
    return [line.strip() for line in lines if TASK_ERRORS.search(line)][:limit]
