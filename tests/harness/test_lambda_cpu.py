"""The report says whether Lambda CPU was scaled by memory, from what the platform's invocation records carry."""

from __future__ import annotations

import json

import fakebench
import pytest

from localaws.runtime import cgroups, resources
from workshop.measure import lambda_cpu
from workshop.report import html as report
from workshop.report.text import lambda_cpu_lines
from workshop.tune import chart


def _record(res: resources.EnvironmentResources) -> dict:
    """The CPU fields of an invocation record, as localaws/invoke/sync.py fills them."""
    return {"memory_mb": res.memory_mb, "vcpu": res.scaled_vcpu, "cpu": res.note(), "billed_ms": 10}


@pytest.fixture
def v1_hierarchy(tmp_path, monkeypatch):
    """A cgroup v1 layout (cpu and memory controllers) in a folder, so the platform picks cgroup v1 without root."""
    for controller in ("cpu", "memory"):  # down to this process's own group, under which the platform makes its
        (tmp_path / controller / cgroups._own_path(controller)).mkdir(parents=True)
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1")
    monkeypatch.setattr(cgroups, "ROOT", tmp_path)
    monkeypatch.delenv("WORKSHOP_LAMBDA_CGROUPS", raising=False)
    monkeypatch.setattr(resources, "host_cores", lambda: 2)
    cgroups.mechanism.cache_clear()
    yield
    cgroups.mechanism.cache_clear()


@pytest.fixture
def no_cgroups(monkeypatch):
    monkeypatch.setenv("WORKSHOP_LAMBDA_CGROUPS", "off")
    cgroups.mechanism.cache_clear()
    yield
    cgroups.mechanism.cache_clear()


def _envs(*memories: int) -> list[dict]:
    return [_record(resources.EnvironmentResources(f"env{m}", m, 512, resources.Path("/nonexistent")))
            for m in memories]


def test_scaled_records_give_the_mechanism_the_vcpu_range_and_the_host_core_cap(v1_hierarchy):
    summary = lambda_cpu.summarize(_envs(128, 1769, 4000))
    assert summary["scaled"] == summary["invocations"] == 3 and summary["mechanisms"] == ["cgroup v1"]
    assert summary["capped_at_cores"] == 2 and summary["aws_vcpu_max"] == pytest.approx(4000 / 1769, abs=0.01)
    assert lambda_cpu.describe(summary) == ("CPU scaled by memory with cgroup v1: 0.072–2.000 vCPU for 128–4000 MB "
                                            "(1,769 MB = 1 vCPU, as on AWS), capped at 2 host cores (AWS: up to "
                                            "2.26 vCPU).")
    uncapped = lambda_cpu.describe(lambda_cpu.summarize(_envs(256, 512)))
    assert uncapped.startswith("CPU scaled by memory with cgroup v1: 0.145–0.289 vCPU") and "capped" not in uncapped


def test_unscaled_records_say_so(no_cgroups):
    summary = lambda_cpu.summarize(_envs(128, 1769))
    assert summary["scaled"] == 0 and summary["invocations"] == 2
    assert lambda_cpu.describe(summary).startswith("CPU not scaled (no cgroups): durations are measured on whole "
                                                   "host cores")


def test_records_of_aws_itself_say_nothing_and_a_mix_is_counted(v1_hierarchy):
    assert lambda_cpu.summarize([{"memory_mb": 256, "billed_ms": 3}]) is None  # REPORT lines of AWS
    mixed = _envs(512) + [{"memory_mb": 512, "vcpu": None, "cpu": "CPU not scaled"}]
    assert lambda_cpu.describe(lambda_cpu.summarize(mixed)).endswith(
        "; 1 of 2 invocations ran with CPU not scaled, on whole host cores.")


def test_the_report_prints_the_cpu_line_by_the_cold_start_share_and_embeds_the_sweep(tmp_path, v1_hierarchy):
    bench = fakebench.make(tmp_path)
    cpu = lambda_cpu.summarize(_envs(128, 512, 1769))
    bench["archs"]["serverless"] = {"arch": "serverless", "status": "ok", "lambda_cpu": cpu}
    (tmp_path / "bench.json").write_text(json.dumps(bench))
    summary = [{"memory_mb": m, "cold_ms": 900.0, "init_ms": 700.0, "warm_ms": 40.0, "cold_usd": 2e-6 * m / 128,
                "warm_usd": 3e-7 * m / 128, "errors": []} for m in (128, 512, 1769)]
    (tmp_path / "tune").mkdir()
    (tmp_path / "tune" / "tune-list_videos.json").write_text(json.dumps({"summary": summary}))
    chart.draw(summary, "list_videos", tmp_path / "tune" / "tune-list_videos.png")
    page = report.build(tmp_path).read_text()
    line = "serverless Lambda: CPU scaled by memory with cgroup v1: 0.072–1.000 vCPU for 128–1769 MB"
    assert lambda_cpu_lines(bench)[0].startswith(line)
    cost = page[page.index("<h2>Cost</h2>"):page.index("<h3>Monthly cost")]
    assert "cold-start share" in cost and line in cost
    tuning = page[page.index("<h3>Power tuning"):page.index("<h2>Cost</h2>")]
    assert "data:image/png;base64," in tuning and line in tuning
    assert "<th>warm_usd_per_1M</th>" in tuning and "<td>1769</td>" in tuning
