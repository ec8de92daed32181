"""What `serverless_emulator.py` prints: each figure per local AWS mode, the quick bench, and issue 12's targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# key, what, target as printed, met when
TARGETS: list[tuple[str, str, str, Callable[[float], bool] | None]] = [
    ("query_vs_list_tables", "DynamoDB Query (21 items) p50 / ListTables p50", "<= 2x", lambda v: v <= 2),
    ("videos_vs_health", "gateway GET /videos p50 / GET /health p50", "<= 3x", lambda v: v <= 3),
    ("bench_p50_vs_monolith", "quick bench p50: serverless / monolith", "<= 5x", lambda v: v <= 5),
    ("saturation_vs_monolith", "GET /videos at saturation: serverless / monolith", ">= 25%", lambda v: v >= 0.25),
    ("error_rate", "quick bench error rate (monolith's beside it)", "-", None),
    ("throttles_after_warmup", "quick bench: Lambda throttles after warm-up", "0", lambda v: v == 0),
    ("status_5xx", "quick bench: 5xx answers", "0 (issue 18)", lambda v: v == 0),
]


def _cell(key: str, value: Any, met: Callable[[float], bool] | None) -> str:
    if value is None:
        return "-"
    if met is None:  # a figure without a target: shown, not judged
        return str(value)
    shown = f"{100 * value:.0f}%" if key == "saturation_vs_monolith" else (
        f"{value:.0f}" if key in ("throttles_after_warmup", "status_5xx") else f"x{value:.1f}")
    return f"{shown} {'met' if met(value) else 'MISSED'}"


def ratios(direct: dict[str, Any] | None, bench: dict[str, Any] | None, mono: dict[str, Any]) -> dict[str, Any]:
    """One mode's figures against the targets (None where that figure was not measured)."""
    out: dict[str, Any] = {k: None for k, *_ in TARGETS}
    if direct:
        out["query_vs_list_tables"] = direct["query21_p50_ms"] / direct["list_tables_p50_ms"]
        out["videos_vs_health"] = direct["videos_p50_ms"] / direct["health_p50_ms"]
        out["saturation_vs_monolith"] = direct["saturation"]["rps"] / mono["saturation"]["rps"]
    if bench and bench.get("status") == "ok":
        m = bench.get("_monolith") or {}
        out["bench_p50_vs_monolith"] = bench["p50_ms"] / m["p50_ms"] if m.get("p50_ms") else None
        out["error_rate"] = f"{100 * bench['error_rate']:.2f}% vs {100 * m.get('error_rate', 0.0):.2f}%"
        out["throttles_after_warmup"] = bench.get("throttles_after_warmup")
        out["status_5xx"] = bench["status_5xx"]
    return out


def print_direct(name: str, r: dict[str, Any], mono_rps: float) -> None:
    """The direct calls, the gateway pair and the saturation run of one mode."""
    sat = r["saturation"]
    print(f"{name:12} Query(21) {r['query21_p50_ms']:6.1f} ms, ListTables {r['list_tables_p50_ms']:5.1f} ms; "
          f"GET /videos {r['videos_p50_ms']:6.1f} ms, /health {r['health_p50_ms']:5.1f} ms (p50, one client)")
    print(f"{'':12} GET /videos at saturation {sat['rps']:6.1f} req/s (p50 {sat['p50_ms']:.1f} ms, "
          f"errors {sat['errors']}) vs the monolith's {mono_rps:.1f} req/s")


def print_bench(name: str, b: dict[str, Any]) -> None:
    """One architecture's quick-bench figures, with its 429s (and when Locust saw them) and 5xx apart."""
    if b.get("status") != "ok":
        print(f"{name:12} quick bench not measured: {b.get('reason')}")
        return
    print(f"{name:12} quick bench: {b['requests']:.0f} requests, p50 {b['p50_ms']:.1f} ms, error rate "
          f"{100 * b['error_rate']:.2f}%: 429 {b['status_429']}, 5xx {b['status_5xx']}, no answer {b['no_answer']}")
    if b.get("limit") is not None:
        print(f"{'':12} Lambda: peak {b['peak_environments']} environments of {b['limit']} unreserved, throttles "
              f"{b['throttles']} in all, {b['throttles_after_warmup']} after the warm-up")
    for f in b["failures"]:
        if f["status"] == 429 or f["status"] >= 500 or f["status"] == 0:
            print(f"{'':14}{f['error'] if f['status'] == 0 else f['status']} x{f['occurrences']} {f['endpoint']}, "
                  f"seen {f['first_s']}..{f['last_s']} s into the load")


def report(direct: dict[str, Any], bench: dict[str, Any], warm_s: float) -> dict[str, Any]:
    """Print every figure and the targets table (a column per local AWS mode); returns the ratios."""
    mono_rps = direct["monolith"]["saturation"]["rps"]
    modes = [m for m in direct if m != "monolith"] + [m for m in bench if m not in direct]
    for name in modes:
        if name in direct:
            print_direct(name, direct[name], mono_rps)
    if bench:
        for name in ["monolith", *modes]:
            if name in bench:
                print_bench(name, bench[name])
        print(f"(warm-up: the first {warm_s:g} s of the load; 429 rows show when Locust first and last saw them)")
    mono = bench.get("monolith") or {}
    out = {m: ratios(direct.get(m), {**bench[m], "_monolith": mono} if m in bench else None, direct["monolith"])
           for m in modes}
    rows = [(what, target, *(_cell(key, out[m][key], met) for m in modes)) for key, what, target, met in TARGETS]
    header = ("figure (issue 12)", "target", *modes)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return out
