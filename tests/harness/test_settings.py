"""workshop.settings: the settings moved there from the modules that read them, their defaults and set values."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop import settings

VARIABLES = ("WORKSHOP_AWS_LATENCY", "WORKSHOP_EXECUTED_NOTEBOOKS", "WORKSHOP_SWARM_HEALTH_INTERVAL",
             "WORKSHOP_SWARM_UPDATE_MONITOR", "WORKSHOP_SWARM_RESERVE")


@pytest.fixture(autouse=True)
def unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    assert settings.aws_latency_file() is None
    assert settings.executed_notebooks_dir() == Path(__file__).resolve().parents[2] / "results" / "notebooks-executed"
    assert settings.swarm_health_interval() is None  # compose.yaml's own interval
    assert settings.swarm_update_monitor() == "10s"
    assert settings.swarm_reserve() is True


def test_set_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKSHOP_AWS_LATENCY", str(tmp_path / "lat.json"))
    monkeypatch.setenv("WORKSHOP_EXECUTED_NOTEBOOKS", str(tmp_path))
    monkeypatch.setenv("WORKSHOP_SWARM_HEALTH_INTERVAL", "1s")
    monkeypatch.setenv("WORKSHOP_SWARM_UPDATE_MONITOR", "2s")
    monkeypatch.setenv("WORKSHOP_SWARM_RESERVE", "0")
    assert settings.aws_latency_file() == str(tmp_path / "lat.json")
    assert settings.executed_notebooks_dir() == tmp_path
    assert (settings.swarm_health_interval(), settings.swarm_update_monitor()) == ("1s", "2s")
    assert settings.swarm_reserve() is False


def test_empty_optional_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WORKSHOP_AWS_LATENCY", "WORKSHOP_SWARM_HEALTH_INTERVAL", "WORKSHOP_EXECUTED_NOTEBOOKS"):
        monkeypatch.setenv(name, "")
    assert settings.aws_latency_file() is None and settings.swarm_health_interval() is None
    assert settings.executed_notebooks_dir().name == "notebooks-executed"
