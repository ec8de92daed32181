"""What a fault cost, computed from the load's samples and the uploads' final states (pure functions)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from workshop.endurance.samples import OPS, Sample


def client_errors(samples: Iterable[Sample], since: float, until: float = float("inf")) -> dict[str, int]:
    """Errors by kind among the requests that finished in (`since`, `until`]."""
    return dict(Counter(s.outcome for s in samples if since < s.done <= until and s.outcome != "ok"))


def last_error_at(samples: Iterable[Sample], since: float, until: float = float("inf")) -> float | None:
    """When the last failed request of the window finished (None: no error in it)."""
    return max((s.done for s in samples if since < s.done <= until and s.outcome != "ok"), default=None)


def op_recovered_at(samples: Sequence[Sample], op: str, kill_t: float, streak: int) -> float | None:
    """When `op` worked again after the kill: the kill itself when none of its requests finishing after it
    failed (and one succeeded), else the finish of the first success after its last failure, once `streak`
    successes in a row followed that failure (None: not yet)."""
    after = sorted((s for s in samples if s.op == op and s.done > kill_t), key=lambda s: s.done)
    failed = [i for i, s in enumerate(after) if s.outcome != "ok"]
    if not failed:
        return kill_t if after else None
    good = after[failed[-1] + 1:]
    return good[0].done if len(good) >= streak else None


def steady(samples: Sequence[Sample], streak: int, ops: Sequence[str] = OPS) -> bool:
    """True when the last `streak` requests of every operation all succeeded."""
    for op in ops:
        last = sorted((s for s in samples if s.op == op), key=lambda s: s.done)[-streak:]
        if len(last) < streak or any(s.outcome != "ok" for s in last):
            return False
    return True


def recovered_at(samples: Sequence[Sample], kill_t: float, streak: int, ops: Sequence[str] = OPS) -> float | None:
    """When every operation (and /health) had its streak of successes again; None while one has not."""
    times = [op_recovered_at(samples, op, kill_t, streak) for op in ops]
    return None if any(t is None for t in times) else max(t for t in times if t is not None)


def settle_uploads(acked: dict[str, float], final: dict[str, dict | None]) -> dict:
    """Sort the acknowledged uploads by how they ended: ready, failed (with its reason), missing or stuck.

    `final` maps each id to its last GET (None for a 404). Missing and stuck ones are the lost ones; a
    video that ended `failed` with a reason told its owner what happened, so it is counted apart.
    """
    out: dict = {"acknowledged": len(acked), "ready": 0, "failed": 0, "missing": 0, "stuck": 0,
                 "failed_reasons": [], "lost_ids": [], "lost_states": {}}
    for video_id in acked:
        video = final.get(video_id)
        if video is None:
            out["missing"] += 1
            out["lost_ids"].append(video_id)
            out["lost_states"][video_id] = "missing (404)"
        elif video.get("status") == "ready":
            out["ready"] += 1
        elif video.get("status") == "failed":
            out["failed"] += 1
            out["failed_reasons"].append(f"{video_id}: {(video.get('error') or {}).get('message', '?')}")
        else:
            out["stuck"] += 1
            out["lost_ids"].append(video_id)
            pending = [r.get("name") for r in video.get("renditions") or [] if r.get("status") == "pending"]
            out["lost_states"][video_id] = f"{video.get('status')}, pending: {', '.join(pending) or '-'}"
    out["lost"] = out["missing"] + out["stuck"]
    return out


def window_of(acked: dict[str, float], since: float, until: float) -> dict[str, float]:
    """The uploads acknowledged in [since, until)."""
    return {vid: t for vid, t in acked.items() if since <= t < until}


def per_second_rows(samples: Iterable[Sample], t0: float) -> list[dict]:
    """Requests, successes and errors per second since `t0` and per operation (the CSV's rows)."""
    counts: Counter[tuple[int, str, bool]] = Counter()
    for s in samples:
        counts[(int(s.done - t0), s.op, s.outcome == "ok")] += 1
    keys = sorted({(sec, op) for sec, op, _ in counts})
    return [{"second": sec, "op": op, "ok": counts[(sec, op, True)], "errors": counts[(sec, op, False)]}
            for sec, op in keys]


def write_csv(rows: list[dict], path: Path) -> Path:
    """Write the per-second rows as CSV."""
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["second", "op", "ok", "errors"])
        writer.writeheader()
        writer.writerows(rows)
    return path
