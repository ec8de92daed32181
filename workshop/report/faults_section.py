"""The fault table of the bench report (`html`) and of the terminal (`text`), from `endurance.faults` records."""

from __future__ import annotations

import html as html_lib
from typing import Any

from workshop.report.tables import table
from workshop.report.text import format_table

EXPLAIN = (
    "Under a steady load (lists, gets, views, creates, /health) with uploads in flight, one component at a "
    "time was killed with SIGKILL. client errors: what the load saw from the kill until it recovered and a "
    "little after, by kind. recover s: from the kill until every operation and /health succeeded again "
    "several times in a row. back s: until the component itself was replaced. recovered by: gunicorn's "
    "master, the Lambda platform, SQS redelivery, or the harness playing the operator (it sees the death "
    "through health and restarts the component with the architecture's own functions; nothing else "
    "supervises that process here). acked: uploads the API acknowledged in that fault's window; lost: of "
    "those, missing or still not ready/failed at the end (goal 0); failed: ended `failed` with a reason. "
    "Steady before the faults: every operation had succeeded several times in a row before the first kill; "
    "when not, the errors are the load's as much as the faults'.")


def rows(record_by_arch: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per architecture and fault."""
    out = []
    for arch, record in record_by_arch.items():
        for fault in record.get("faults", []):
            uploads = fault.get("uploads") or {}
            errors = fault.get("client_errors") or {}
            out.append({
                "architecture": arch, "component": fault["component"], "killed pid": fault.get("killed_pid"),
                "mid-job": "yes" if fault.get("mid_job") else "no", "recovered by": fault["recovered_by"],
                "recover s": fault.get("recover_s"), "back s": fault.get("component_back_s"),
                "client errors": sum(errors.values()),
                "error kinds": ", ".join(f"{k}: {n}" for k, n in sorted(errors.items())) or "-",
                "acked": uploads.get("acknowledged", 0), "lost": uploads.get("lost", 0),
                "failed": uploads.get("failed", 0)})
    return out


def totals(record_by_arch: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per architecture: every acknowledged upload of the run, and how it ended."""
    return [{"architecture": arch, "steady before the faults": _steady(r), **{
        k: (r.get("uploads") or {}).get(k, 0) for k in ("acknowledged", "ready", "failed", "missing", "stuck", "lost")}}
            for arch, r in record_by_arch.items()]


def _steady(record: dict[str, Any]) -> str:
    """Whether the load succeeded in a row on every operation before the first kill (else it was failing already)."""
    warm = record.get("warm_s")
    return f"yes, after {warm:.1f} s" if isinstance(warm, int | float) else "NO: the load was failing before any fault"


def _localaws_note(record_by_arch: dict[str, dict[str, Any]]) -> str:
    return next((r["localaws_crash"] for r in record_by_arch.values() if r.get("localaws_crash")), "")


def html(record_by_arch: dict[str, dict[str, Any]]) -> str:
    """The report's "Faults under load" section (empty when no architecture was measured)."""
    if not record_by_arch:
        return ""
    note = _localaws_note(record_by_arch)
    return ("<h2>Faults under load</h2>" + f"<p>{html_lib.escape(EXPLAIN)}</p>" + table(rows(record_by_arch)) +
            "<h3>Acknowledged uploads, all faults</h3>" + table(totals(record_by_arch)) +
            (f"<p>{html_lib.escape(note)}</p>" if note else ""))


def text(record_by_arch: dict[str, dict[str, Any]]) -> str:
    """The same tables for the terminal."""
    if not record_by_arch:
        return "(no fault run)"
    return (format_table(rows(record_by_arch)) + "\n\nacknowledged uploads:\n" +
            format_table(totals(record_by_arch)))
