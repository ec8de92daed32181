"""The report embeds the power-tuning charts `workshop tune --out RESULTS/tune` leaves in a results folder."""

from __future__ import annotations

from workshop.report import html as report
from workshop.tune import chart


def test_tuning_charts_are_embedded_and_absent_ones_leave_no_section(tmp_path):
    assert report._tuning(tmp_path) == ""
    summary = [{"memory_mb": m, "cold_ms": 3000 / m * 100, "warm_ms": 1000 / m * 100, "cold_usd": 1e-5 * m / 128,
                "warm_usd": 1e-6 * m / 128} for m in (128, 1769)]
    chart.draw(summary, "spin", tmp_path / "tune" / "tune-spin.png")
    section = report._tuning(tmp_path)
    assert section.startswith("<h3>Power tuning") and "data:image/png;base64," in section and "spin:" in section
