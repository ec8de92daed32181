"""The report embeds the power-tuning charts left in a results folder's tune/ (the bench's, or `workshop tune`'s)."""

from __future__ import annotations

from workshop.report import tune_section
from workshop.tune import chart


def test_tuning_charts_are_embedded_and_absent_ones_leave_no_section(tmp_path):
    assert tune_section.html(tmp_path) == ""
    summary = [{"memory_mb": m, "cold_ms": 3000 / m * 100, "warm_ms": 1000 / m * 100, "cold_usd": 1e-5 * m / 128,
                "warm_usd": 1e-6 * m / 128} for m in (128, 1769)]
    chart.draw(summary, "spin", tmp_path / "tune" / "tune-spin.png")
    section = tune_section.html(tmp_path, ["CPU not scaled (no cgroups)"])
    assert section.startswith("<h3>Power tuning") and "data:image/png;base64," in section and "spin:" in section
    assert "<p>CPU not scaled (no cgroups)</p>" in section and "<table>" not in section  # no tune-spin.json
