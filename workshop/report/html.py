"""One self-contained HTML report of a bench folder: charts embedded as PNG, tables, metadata, raw-data links."""

from __future__ import annotations

import html
import json
from pathlib import Path

from workshop.measure.lambda_peak import peak_rows
from workshop.report import faults_section, tune_section
from workshop.report.accounting import ACCOUNTING, accounting_rows
from workshop.report.soak_section import SOAK, soak_rows, soak_summary_rows
from workshop.report.tables import image, table
from workshop.report.text import (
    COORDINATED_OMISSION,
    ERRORS,
    LAMBDA_PEAK,
    NOISE,
    error_rows,
    lambda_cpu_lines,
    open_loop_rows,
    summary_rows,
    warnings,
)

CSS = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;"
       "margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:right}"
       "th{background:#f3f3f3}.warn{background:#fff3cd;border:1px solid #e0c36a;padding:.5em 1em}"
       "img{max-width:100%}code{background:#f6f6f6}")


def rollback_rows(bench: dict) -> tuple[list[dict], list[dict]]:
    """Per rollback scenario: the timings; and the blast radius per endpoint."""
    timings, blast = [], []
    for arch, res in bench.get("archs", {}).items():
        for rb in res.get("rollback") or []:
            timings.append({"arch": arch, "component": rb["component"], "fault": rb["fault"],
                            "time_to_detect_s": rb["time_to_detect_s"], "time_to_recover_s": rb["time_to_recover_s"],
                            "bad_window_s": rb["bad_window_s"], "monitor_failures": rb["monitor"]["failed_in_window"],
                            "locust_failures": (rb.get("locust") or {}).get("failures"), "rule": rb["detection_rule"]})
            blast += [{"arch": arch, "fault": rb["fault"], "endpoint": ep, **v} for ep, v in rb["blast_radius"].items()]
    return timings, blast


def seed_rows(bench: dict) -> list[dict]:
    """Per architecture: the seeded catalog and the one clip's upload-to-ready time."""
    rows = []
    for arch, res in bench.get("archs", {}).items():
        seeded = res.get("seed") or {}
        upload = seeded.get("upload") or {}
        if seeded:
            rows.append({"arch": arch, "videos": seeded.get("count"), "clip": upload.get("clip_size"),
                         "clip_s": upload.get("clip_seconds"), "status": upload.get("status"),
                         "ack_to_ready_s": upload.get("ack_to_ready_s")})
    return rows


def _cold_share(cost: dict) -> str:
    """The cold-start share INIT is priced at, beside the share this run measured."""
    share = cost.get("cold_start_share") or {}
    if "parameter" not in share:
        return ""
    measured = ", ".join(f"{a} {v:.1%}" for a, v in (share.get("measured") or {}).items()) or "none"
    return (f"Lambda INIT is priced at a cold-start share of {share['parameter']:.1%} of invocations (AWS: "
            f"cold starts typically occur in under 1%); measured in this run, from cold: {measured}.")


def coldstart_rows(bench: dict) -> list[dict]:
    """Per architecture: how a new unit was started and its start times."""
    rows = []
    for arch, res in bench.get("archs", {}).items():
        cs = res.get("coldstart")
        if cs:
            secs = cs["seconds"]
            rows.append({"arch": arch, "method": cs["method"], "runs": len(secs),
                         "min_s": min(secs) if secs else None, "max_s": max(secs) if secs else None})
    return rows


def raw_links(out: Path) -> str:
    """Links to every raw data file of the bench (relative, so the folder can be moved)."""
    files = sorted(p for p in out.rglob("*") if p.suffix in (".csv", ".json", ".txt", ".log") and "state" not in
                   p.relative_to(out).parts and p.is_file())
    items = "".join(f'<li><a href="{html.escape(str(p.relative_to(out)))}">{html.escape(str(p.relative_to(out)))}'
                    f"</a></li>" for p in files)
    return f"<ul>{items}</ul>"


def build(out: Path) -> Path:
    """Write out/report.html from bench.json, the charts and metadata; returns its path."""
    bench = json.loads((out / "bench.json").read_text())
    charts = json.loads((out / "charts" / "index.json").read_text()) if (out / "charts/index.json").exists() else []
    meta = json.loads((out / "metadata.json").read_text()) if (out / "metadata.json").exists() else {}
    by_kind = lambda *kinds: "".join(image(out, c) for c in charts if c["kind"] in kinds)  # noqa: E731
    cost = bench.get("cost") or {}
    timings, blast = rollback_rows(bench)
    sat = (bench.get("archs", {}).get("monolith") or {}).get("saturation")
    skipped = {a: r.get("reason", r.get("status")) for a, r in bench.get("archs", {}).items()
               if r.get("status") != "ok"}
    parts = [f"<h1>Video catalog: four architectures measured</h1><p>Bench of {html.escape(meta.get('created_at', ''))}"
             f", total {bench.get('total_s')} s, quick={bench.get('config', {}).get('quick')}. {NOISE}</p>",
             "".join(f'<p class="warn">{html.escape(w)}</p>' for w in warnings(bench)),
             "<h2>Summary</h2>", table(summary_rows(bench)),
             f"<p>Not measured: {html.escape(json.dumps(skipped)) if skipped else 'none'}.</p>",
             "<h3>Errors by kind</h3>", f"<p>{html.escape(ERRORS)}</p>",
             table(error_rows(out, list(bench.get("archs", {})))),
             "<h3>Lambda concurrency (serverless)</h3>", f"<p>{html.escape(LAMBDA_PEAK)}</p>", table(peak_rows(bench)),
             "<h3>Serverless: function code and local AWS services, with a projection for AWS</h3>",
             f"<p>{html.escape(ACCOUNTING)}</p>", table(accounting_rows(bench)),
             "<h2>Latency and throughput</h2>", by_kind("latency", "throughput", "resources"),
             "<h2>Is the harness the limit?</h2>",
             _harness(sat), by_kind("saturation"),
             *_soak(bench, by_kind("soak")),
             faults_section.html(_faults(bench)),
             "<h2>Rollback of a bad release under load</h2>", table(timings), by_kind("rollback"),
             "<h3>Blast radius (requests per endpoint while the bad release was live)</h3>", table(blast),
             "<h2>Cold start</h2>", table(coldstart_rows(bench)), by_kind("coldstart", "lambda_study"),
             tune_section.html(out, lambda_cpu_lines(bench)),
             "<h2>Cost</h2>", f"<p>{html.escape(cost.get('prices_note', ''))}</p>",
             f"<p>{html.escape(_cold_share(cost))}</p>",
             *(f"<p>{html.escape(line)}</p>" for line in lambda_cpu_lines(bench)),
             f"<p>{html.escape(cost.get('lambda_duration_basis', ''))}</p>",
             "<h3>Monthly cost at 10 million requests a month (USD, x86, INIT billed, no free tier)</h3>",
             table([{"arch": a, **v} for a, v in (cost.get("at_10M_requests") or {}).items()]),
             "<h3>Crossovers (x86, INIT billed)</h3>", table(cost.get("crossovers") or []),
             "<h3>Transcoding per uploaded minute</h3>", table(seed_rows(bench)),
             table(cost.get("transcode_per_minute") or []),
             "<h3>Inputs measured in this run</h3>", table(cost.get("inputs") or []),
             f"<p>Not costed (not measured): {html.escape(_not_costed(cost)) or 'none'}</p>",
             by_kind("cost"), "<h2>Coordinated omission</h2>", f"<p>{html.escape(COORDINATED_OMISSION)}</p>",
             "<h3>Closed loop vs open loop (fixed arrival rate), same run</h3>", table(open_loop_rows(bench)),
             "<h2>Metadata</h2>", _metadata(meta), "<h2>Raw data</h2>", raw_links(out)]
    path = out / "report.html"
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>Workshop bench</title>"
                    f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")
    return path


def _soak(bench: dict, charts: str) -> list[str]:
    soaks = {a: r["soak"] for a, r in bench.get("archs", {}).items() if r.get("soak")}
    if not soaks:
        return ["<h2>Soak</h2><p>(no soak in this bench: <code>--soak-minutes 0</code>)</p>"]
    return ["<h2>Soak: half of the capacity held</h2>", f"<p>{html.escape(SOAK)}</p>", table(soak_summary_rows(soaks)),
            charts, "<h3>Each component after warm-up</h3>", table(soak_rows(soaks))]


def _faults(bench: dict) -> dict[str, dict]:
    """The fault benchmark's record of each architecture that ran it."""
    return {a: r["faults_under_load"] for a, r in bench.get("archs", {}).items() if r.get("faults_under_load")}


def _not_costed(cost: dict) -> str:
    why = cost.get("not_costed_reasons") or {}
    return "; ".join(f"{a} ({why[a]})" if a in why else a for a in cost.get("not_costed") or [])


def locust_label(saturation: dict) -> str:
    """How the saturation table names the Locust run: one process, or a master with N workers."""
    workers = saturation.get("workers")
    if not workers:
        return "Locust"
    return f"Locust ({workers} worker{'s' if workers != 1 else ''})"


def _harness(sat: dict | None) -> str:
    if not sat:
        return "<p>(no saturation test: the monolith was not measured)</p>"
    tool = locust_label(sat)
    rows = [{"tool": tool, **{k: sat["locust"].get(k) for k in ("rps", "p50_ms", "p99_ms", "peak_rps")}}]
    if sat.get("wrk"):
        rows.append({"tool": "wrk", **{k: sat["wrk"].get(k) for k in ("rps", "p50_ms", "p99_ms")}})
    else:
        rows.append({"tool": "wrk", "rps": sat.get("wrk_missing")})
    return ("<p>The monolith's GET /videos driven as fast as possible by Locust, then by wrk (C), in the same run: "
            "if wrk gets much more, the harness, not the system, was the limit.</p>" + table(rows))


def _metadata(meta: dict) -> str:
    shown = {k: v for k, v in meta.items() if k not in ("packages", "parameters")}
    return (f"<pre>{html.escape(json.dumps(shown, indent=2))}</pre><details><summary>parameters</summary><pre>"
            f"{html.escape(json.dumps(meta.get('parameters'), indent=2))}</pre></details><details><summary>"
            f"packages</summary><pre>{html.escape(json.dumps(meta.get('packages'), indent=2))}</pre></details>")
