"""Load shapes as plain functions of elapsed time: steady, step ramp, spike, and open-loop arrivals.

Each profile maps (elapsed seconds, users, spawn rate, run time) to (users, spawn rate), or None when the
test is over. The locustfile's one shape class dispatches to the profile named by `--shape`, so the same
`-u`, `-r` and `-t` mean "the peak", "how fast to get there" and "how long" for every profile.
"""

from __future__ import annotations

from collections.abc import Callable

Tick = tuple[int, float] | None
Profile = Callable[[float, int, float, float], Tick]


def steady(t: float, users: int, rate: float, run_time: float) -> Tick:
    """The same number of users for the whole run (closed loop)."""
    return None if t >= run_time else (users, rate)


def step(t: float, users: int, rate: float, run_time: float, steps: int = 4) -> Tick:
    """Users rise in `steps` equal steps, each held for an equal share of the run (find the knee)."""
    if t >= run_time:
        return None
    level = min(steps, int(t / (run_time / steps)) + 1)
    return max(1, round(users * level / steps)), max(rate, users / steps)


def spike(t: float, users: int, rate: float, run_time: float) -> Tick:
    """A quarter of the users, then all of them at once for the middle fifth, then a quarter again."""
    if t >= run_time:
        return None
    base = max(1, users // 4)
    in_spike = 0.4 * run_time <= t < 0.6 * run_time
    # Spawn the spike as fast as possible: a spike that ramps is not a spike.
    return (users, max(rate, float(users))) if in_spike else (base, max(rate, float(users)))


def open_loop(t: float, users: int, rate: float, run_time: float) -> Tick:
    """Arrival users that send at a fixed rate whatever the response times (see ArrivalUser)."""
    return None if t >= run_time else (users, max(rate, float(users)))


PROFILES: dict[str, Profile] = {"steady": steady, "step": step, "spike": spike, "open": open_loop}


def profile(name: str) -> Profile:
    """The profile called `name`; fails with the list of choices."""
    try:
        return PROFILES[name]
    except KeyError:
        raise SystemExit(f"unknown shape {name!r}; choose from {', '.join(PROFILES)}") from None
