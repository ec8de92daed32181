"""HTML tables and embedded charts of the report, shared by its sections."""

from __future__ import annotations

import base64
import html
from pathlib import Path


def image(out: Path, chart: dict) -> str:
    """A chart (its `file` under out, its `title`) as an embedded PNG with its title."""
    data = base64.b64encode((out / chart["file"]).read_bytes()).decode()
    return (f'<figure><img alt="{html.escape(chart["title"])}" src="data:image/png;base64,{data}">'
            f'<figcaption>{html.escape(chart["title"])}</figcaption></figure>')


def table(rows: list[dict], cols: list[str] | None = None) -> str:
    """An HTML table of dict rows."""
    if not rows:
        return "<p>(none)</p>"
    cols = cols or list(dict.fromkeys(k for r in rows for k in r))  # every column any row has
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c)))}</td>" for c in cols) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)
