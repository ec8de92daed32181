"""workshop.lab.synthesis: notebook 13's comparison and decision guide come from the run's numbers."""

from workshop.lab import synthesis

BENCH = {
    "archs": {
        "monolith": {"load": {"total": {"p50_ms": 10.0, "p99_ms": 80.0, "rps": 200.0, "error_rate": 0.0}},
                     "rollback": [{"bad_window_s": 9.0, "blast_radius": {"GET /videos": {"error_rate": 0.2},
                                                                         "GET /videos/{id}": {"error_rate": 0.9}}}],
                     "coldstart": {"seconds": [2.0, 4.0, 3.0]}},
        "serverless": {"load": {"total": {"p50_ms": 30.0, "p99_ms": 400.0, "rps": 90.0, "error_rate": 0.01}},
                       "rollback": [{"bad_window_s": 3.0, "blast_radius": {"GET /videos": {"error_rate": 0.0},
                                                                           "GET /videos/{id}": {"error_rate": 0.1}}}],
                       "coldstart": {"seconds": [0.3]}},
        "soa": {"status": "failed"},
    },
    "cost": {"at_10M_requests": {"monolith": {"total": 120.0}, "serverless": {"total": 45.5}},
             "crossovers": [{"a": "monolith", "b": "serverless", "requests_per_month": 3.1e7, "usd": 140.0,
                             "cheaper_below": "serverless"}]},
}


def test_comparison_takes_every_figure_from_the_run():
    rows = {r["arch"]: r for r in synthesis.comparison(BENCH)}
    assert rows["monolith"]["new_capacity_s"] == 3.0 and rows["monolith"]["failing_endpoints"] == 2
    assert rows["serverless"]["failing_endpoints"] == 1 and rows["serverless"]["usd_month_at_10M"] == 45.5
    assert rows["soa"]["p50_ms"] is None and rows["soa"]["bad_window_s"] is None


def test_decision_guide_names_best_and_worst_per_criterion():
    guide = synthesis.decision_guide(synthesis.comparison(BENCH))
    assert len(guide) == len(synthesis.CRITERIA)
    assert "typical latency under the same load (ms): best monolith (10), worst serverless (30)" in guide
    assert any(line.startswith("throughput") and "best monolith (200)" in line for line in guide)
    assert any(line.startswith("monthly cost") and "best serverless (45.5)" in line for line in guide)


def test_a_criterion_with_one_measurement_says_so():
    one = {"archs": {"monolith": BENCH["archs"]["monolith"]}}
    assert all("not measured for enough" in line for line in synthesis.decision_guide(synthesis.comparison(one)))


def test_crossovers_in_words():
    assert synthesis.crossover_sentences(BENCH) == [
        "monolith and serverless cost the same (USD 140/month) at 3.1e+07 requests/month; "
        "below that serverless is cheaper"]
