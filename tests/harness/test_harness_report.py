"""The charts and the HTML report, built from a small bench folder with a real run's file formats."""

from __future__ import annotations

import base64
import json
import re

import fakebench

from workshop.report import charts
from workshop.report import html as report

KINDS = {"latency", "throughput", "resources", "saturation", "coldstart", "cost", "rollback", "soak"}


def build(tmp_path, **kw) -> str:
    fakebench.make(tmp_path, **kw)
    made = charts.make_all(tmp_path)
    assert {c["kind"] for c in made} == KINDS
    return report.build(tmp_path).read_text()


def test_report_embeds_every_chart_as_png(tmp_path):
    html = build(tmp_path)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == len(KINDS)
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "<img" in html and 'src="charts/' not in html  # self-contained


def test_report_holds_tables_metadata_links_and_notes(tmp_path):
    html = build(tmp_path)
    for text in ("123.4", "590.5", "612.2", "error:get_video", "GET /videos/{id}", "coordinated omission",
                 "serverless skipped: its module fails to import: ImportError", "432.1", "NOT fetched live",
                 "git_commit", "cpu_count_logical"):
        assert text in html, text
    for link in ("monolith/load/locust_stats.csv", "monolith/rollback-0/monitor.csv", "cost/curves.csv",
                 "monolith/metadata.json" if (tmp_path / "monolith/metadata.json").exists() else "metadata.json"):
        assert f'href="{link}"' in html, link
    assert "Locust, not the system" not in html


def test_the_soak_section_judges_each_component_against_the_goals(tmp_path):
    from test_harness_bench_e2e import cell

    settled = build(tmp_path / "settled")
    assert cell(settled, "goals", "held_rps", arch="monolith") == "rss ok, fds ok, errors ok"
    assert cell(settled, "rss_growth_pct", "rss_growth_pct", component="web") == "4"
    assert cell(settled, "rss_growth_pct", "rss_growth_pct", component="master") == "0"
    leaking = build(tmp_path / "leaking", soak_rss_growth=25.0)
    assert cell(leaking, "goals", "held_rps", arch="monolith") == "rss MISSED, fds ok, errors ok"
    assert cell(leaking, "rss_growth_pct", "rss_growth_pct", component="web") == "25"


def test_report_warns_when_locust_was_the_limit(tmp_path):
    html = build(tmp_path, locust_cpu=97.0)
    assert "Locust, not the system, may have been the limit" in html


def test_cost_outputs_follow_the_measurements(tmp_path):
    bench = fakebench.make(tmp_path)
    inputs = json.loads((tmp_path / "cost" / "inputs.json").read_text())["inputs"]
    assert inputs[0]["cpu_s_per_request"] == 2.4 / 1200
    assert inputs[0]["transcode_s_per_video_s"] == 0.25
    assert bench["cost"]["at_10M_requests"]["monolith"]["total"] > 0


def test_lambda_study_chart_from_the_agreed_columns(tmp_path):
    study = tmp_path / "serverless" / "coldstart"
    study.mkdir(parents=True)
    rows = ["scenario,kind,latency_ms,init_ms,memory_mb"]
    rows += [f"light-128MB,cold,{300 + i},{250 + i},128" for i in range(3)]
    rows += [f"light-128MB,warm,{3 + i},,128" for i in range(5)]
    (study / "lambda_study.csv").write_text("\n".join(rows) + "\n")
    png = charts.lambda_study(tmp_path, tmp_path / "study.png")
    assert png and png.read_bytes().startswith(b"\x89PNG")


def test_report_lists_failed_requests_by_kind(tmp_path):
    html = build(tmp_path)
    section = html.split("<h3>Errors by kind</h3>", 1)[1].split("<h2>", 1)[0]
    assert "Lambda throttle" in section
    assert "<td>monolith</td><td>load</td><td>GET /videos/{id}</td><td>LocustBadStatusCode(code=429)</td><td>6</td>" \
        in section


def test_the_saturation_table_names_how_locust_ran():
    from workshop.report.html import locust_label

    assert locust_label({"locust": {}}) == "Locust"
    assert locust_label({"workers": 1}) == "Locust (1 worker)"
    assert locust_label({"workers": 3}) == "Locust (3 workers)"
