"""The fault benchmark's accounting on fakes: recovery, errors by kind, acknowledged uploads lost."""

from __future__ import annotations

import threading
import time

from workshop.endurance import accounting, faults, plan
from workshop.endurance.samples import OPS, Sample
from workshop.endurance.targets import Target, Victim, kill_group, kill_process
from workshop.report import faults_section


def steady(op: str, start: float, end: float, outcome_at) -> list[Sample]:
    """One request of `op` every 0.1 s, finishing 0.05 s after it was sent, with `outcome_at(sent)`."""
    out, t = [], start
    while t < end:
        out.append(Sample(t, t + 0.05, op, outcome_at(t)))
        t = round(t + 0.1, 6)
    return out


def outage(since: float, until: float, kind: str = "HTTP 503 unavailable"):
    return lambda t: kind if since <= t < until else "ok"


def test_recovery_is_when_every_operation_has_its_streak_again():
    samples = [s for op in OPS for s in steady(op, 0, 10, outage(5, 6 if op != "create" else 7.5))]
    assert accounting.op_recovered_at(samples, "list", 5.0, 3) == 6.05
    assert accounting.op_recovered_at(samples, "create", 5.0, 3) == 7.55
    assert accounting.recovered_at(samples, 5.0, 3) == 7.55  # the slowest operation decides


def test_an_operation_the_fault_never_touched_recovered_at_the_kill():
    samples = steady("view", 0, 10, lambda t: "ok") + steady("list", 0, 10, outage(5, 5.5))
    assert accounting.op_recovered_at(samples, "view", 5.0, 3) == 5.0
    assert accounting.recovered_at(samples, 5.0, 3, ops=("view", "list")) == 5.55
    assert accounting.op_recovered_at(samples, "view", 11.0, 3) is None  # no request after it yet: unknown


def test_errors_that_begin_after_the_first_successes_still_count_as_the_outage():
    # A fault that shows a few seconds late (a backlog, throttling) must not be read as "recovered at once".
    samples = [s for op in OPS for s in steady(op, 0, 12, outage(7, 9))]
    assert accounting.recovered_at(samples[: len(samples)], 5.0, 3) == 9.05
    early = [s for s in samples if s.done < 6.5]  # what was known before the errors began
    assert accounting.recovered_at(early, 5.0, 3) == 5.0


def test_steady_means_the_last_requests_of_every_operation_succeeded():
    samples = [s for op in OPS for s in steady(op, 0, 2, outage(0, 1.5 if op == "get" else 0.5))]
    assert accounting.steady(samples, 3)
    assert not accounting.steady(samples, 6)  # get's last six include its failures
    assert not accounting.steady(samples[:-1], 3, ops=(*OPS, "missing-op"))


def test_no_recovery_while_one_operation_still_fails_or_a_streak_is_broken():
    samples = [s for op in OPS for s in steady(op, 0, 10, outage(5, 99 if op == "health" else 6))]
    assert accounting.recovered_at(samples, 5.0, 3) is None
    flapping = steady("get", 0, 3, lambda t: "ok" if round(t * 10) % 2 else "ConnectionError")
    assert accounting.op_recovered_at(flapping, "get", 0.0, 2) is None


def test_errors_are_counted_by_kind_in_the_window():
    samples = steady("get", 0, 4, outage(1, 2, "ConnectionError")) + steady("list", 0, 4, outage(3, 3.3))
    assert accounting.client_errors(samples, 0.5) == {"ConnectionError": 10, "HTTP 503 unavailable": 3}
    assert accounting.client_errors(samples, 0.5, 2.5) == {"ConnectionError": 10}
    assert accounting.last_error_at(samples, 0.5) == 3.25 and accounting.last_error_at(samples, 3.5) is None


def test_acknowledged_uploads_end_ready_failed_missing_or_stuck():
    acked = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}
    final = {"a": {"status": "ready"}, "b": {"status": "failed", "error": {"message": "rendition hq failed"}},
             "c": None, "d": {"status": "processing"}}
    got = accounting.settle_uploads(acked, final)
    assert (got["ready"], got["failed"], got["missing"], got["stuck"], got["lost"]) == (1, 1, 1, 1, 2)
    assert got["lost_ids"] == ["c", "d"] and got["failed_reasons"] == ["b: rendition hq failed"]
    assert got["lost_states"] == {"c": "missing (404)", "d": "processing, pending: -"}


def test_uploads_go_to_the_fault_whose_window_acknowledged_them():
    rows = [{"window_start": 10.0}, {"window_start": 20.0}]
    faults.attribute_uploads(rows, {"x": 5.0, "y": 15.0, "z": 25.0}, {"x": {"status": "ready"},
                                                                       "y": None, "z": {"status": "ready"}}, 0.0)
    assert [r["uploads"]["acknowledged"] for r in rows] == [2, 1]
    assert [r["uploads"]["lost"] for r in rows] == [1, 0]


class FakeLoad:
    """Samples of every operation every 20 ms; they fail while the fake component is down."""

    def __init__(self) -> None:
        self.started, self.down, self.samples = time.monotonic(), False, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            now = time.monotonic()
            self.samples += [Sample(now, now + 0.001, op, "ConnectionError" if self.down else "ok") for op in OPS]

    def snapshot(self) -> list[Sample]:
        return list(self.samples)

    def kick(self) -> None:
        pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def test_one_fault_with_the_harness_as_operator_measures_detection_restart_and_recovery():
    load = FakeLoad()
    restarted = threading.Event()

    def restart() -> None:
        time.sleep(0.3)  # a restart takes a while: the errors go on meanwhile
        load.down = False
        restarted.set()

    target = Target("tier", "harness", lambda: Victim(123456789, "fake"), lambda v: setattr(load, "down", True),
                    back=lambda v: restarted.is_set(), down=lambda v: load.down, restart=restart)
    quick_plan = plan.Plan(10, 1, 0, 0, 0.1, 5, 1, 3, 1, 1, (16, 16, 0.1))
    try:
        row = faults.one_fault(load, target, quick_plan)  # type: ignore[arg-type]
    finally:
        load.stop()
    assert row["operator_restart"] and row["detected_s"] < 0.2 and row["restarted_s"] >= 0.3
    assert 0.3 <= row["recover_s"] < 2 and row["component_back_s"] >= 0.3
    assert set(row["client_errors"]) == {"ConnectionError"} and row["client_error_total"] >= len(OPS)


def test_a_fault_with_nothing_to_kill_is_skipped_and_never_signals_pid_zero():
    kill_process(Victim(0, "nothing")), kill_group(Victim(0, "nothing"))  # would kill our own group if sent
    target = Target("warm environment", "platform", lambda: Victim(0, "no environment"), kill_process, lambda v: True)
    row = faults.one_fault(FakeLoad(), target, plan.plan_for(True))  # type: ignore[arg-type]
    assert row["skipped"] == "nothing to kill: no environment" and row["recover_s"] is None


def test_the_report_section_escapes_and_sums():
    record = {"faults": [{"component": "<tier>", "killed_pid": 7, "recovered_by": "harness", "recover_s": 1.5,
                          "client_errors": {"HTTP 503 unavailable": 4, "ConnectionError": 1},
                          "uploads": {"acknowledged": 3, "lost": 0, "failed": 1}}],
              "uploads": {"acknowledged": 3, "ready": 2, "failed": 1}, "localaws_crash": "moto <memory>"}
    page = faults_section.html({"soa": record})
    assert "&lt;tier&gt;" in page and "<tier>" not in page and "moto &lt;memory&gt;" in page
    [row] = faults_section.rows({"soa": record})
    assert row["client errors"] == 5 and row["acked"] == 3 and row["lost"] == 0
    assert "ConnectionError: 1, HTTP 503 unavailable: 4" in faults_section.text({"soa": record})
    assert faults_section.html({}) == ""


def test_the_cli_has_the_faults_command():
    from workshop.cli import faults as faults_cli
    from workshop.cli.main import build_parser

    args = build_parser().parse_args(["faults", "microservices", "--quick", "--backend", "process", "--out", "x"])
    assert args.func is faults_cli.cmd_faults and args.quick and not args.localaws and args.out == "x"
