"""What a soak watches: each component's RSS, open descriptors and threads, and how they move after warm-up."""

from __future__ import annotations

import psutil

# The goals the soak is judged by (issue 16): memory that settles, descriptors that do not leak, no errors.
RSS_GROWTH_GOAL_PCT = 10.0


def component_usage(pids: dict[str, int]) -> dict[str, dict]:
    """RSS (MiB), open file descriptors and threads of each component, its child processes included.

    A child that is itself a listed component (a Lambda environment under the local AWS) counts only as
    itself, so no memory is counted twice.
    """
    listed = set(pids.values())
    out = {}
    for name, pid in pids.items():
        rss = fds = threads = 0
        try:
            root = psutil.Process(pid)
            for proc in [root, *_own_children(root, listed)]:
                with proc.oneshot():
                    rss, fds, threads = rss + proc.memory_info().rss, fds + proc.num_fds(), threads + proc.num_threads()
        except psutil.Error:
            continue  # gone (a reclaimed Lambda environment) or not ours to read
        out[name] = {"rss_mib": rss / 2**20, "fds": fds, "threads": threads}
    return out


def _own_children(root: psutil.Process, listed: set[int]) -> list[psutil.Process]:
    """The descendants of `root`, leaving out listed components and everything below them."""
    own, stack = [], list(root.children())
    while stack:
        proc = stack.pop()
        if proc.pid in listed:
            continue
        own.append(proc)
        try:
            stack.extend(proc.children())
        except psutil.Error:
            pass  # ended meanwhile
    return own


def growth(samples: list[dict], warmup_s: float) -> dict[str, dict]:
    """Per component: RSS growth (%), fd and thread change from the first sample after warm-up to the last.

    `fds_new_high` is True when the last sample holds more descriptors than any sample of the first half after
    warm-up: a leak keeps setting new highs, while a pool that opened its connections early does not.
    """
    after = [s for s in samples if s["t"] >= warmup_s] or samples[-1:]
    first, last = after[0], after[-1]
    middle = (first["t"] + last["t"]) / 2
    out = {}
    for name, end in last["components"].items():
        start = first["components"].get(name)
        if start is None:
            continue  # born after warm-up (e.g. a new Lambda environment): no baseline
        early = [s["components"][name]["fds"] for s in after if s["t"] <= middle and name in s["components"]]
        out[name] = {"rss_start_mib": start["rss_mib"], "rss_end_mib": end["rss_mib"],
                     "rss_growth_pct": 100 * (end["rss_mib"] / start["rss_mib"] - 1) if start["rss_mib"] else 0.0,
                     "fds_delta": end["fds"] - start["fds"], "fds_new_high": end["fds"] > max(early),
                     "threads_delta": end["threads"] - start["threads"]}
    return out


def verdict(record: dict) -> dict[str, bool]:
    """Each goal met or not: RSS growth under 10% after warm-up, descriptors flat (no new high in the second
    half of the hold), zero errors after warm-up.

    Errors of the warm-up (Lambda throttles while environments start, say) are reported, not judged: the soak
    is about what happens once the load is steady.
    """
    grown = record["growth"].values()
    return {"rss": all(g["rss_growth_pct"] < RSS_GROWTH_GOAL_PCT for g in grown),
            "fds": not any(g["fds_new_high"] for g in grown),
            "errors": record["errors_after_warmup"] == 0}
