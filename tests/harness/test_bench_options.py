"""`workshop bench`'s options become the bench's parameters: the power-tuning step in quick and full mode, and off."""

from __future__ import annotations

import argparse

import pytest

from workshop.cli import bench as cli
from workshop.tune.run import TuneParams


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add(parser.add_subparsers())
    return parser.parse_args(["bench", *argv])


@pytest.mark.parametrize("quick", [True, False])
def test_the_bench_sweeps_the_list_function_small_when_quick_and_fuller_when_not(tmp_path, monkeypatch, quick):
    monkeypatch.setenv("WORKSHOP_QUICK", "0")
    cfg = cli.bench_config(_args("--out", str(tmp_path), *(["--quick"] if quick else [])), ["serverless"])
    assert cfg.tune is not None and cfg.tune.function == "list_videos"
    assert cfg.tune.memories == ((128, 512, 1769) if quick else (128, 256, 512, 1024, 1769, 3008))
    assert cfg.tune == (TuneParams.quick() if quick else TuneParams())
    assert cfg.as_dict()["tune"]["memories"] == list(cfg.tune.memories)  # recorded in metadata.json


def test_no_tune_and_no_faults_drop_their_steps_and_nothing_else(tmp_path):
    cfg = cli.bench_config(_args("--quick", "--out", str(tmp_path), "--no-tune", "--no-faults",
                                 "--soak-minutes", "0.25"), ["serverless"])
    assert cfg.tune is None and cfg.kill_faults is False and cfg.soak is not None and cfg.soak.hold_s == 15
    assert cli.bench_config(_args("--quick", "--out", str(tmp_path)), ["serverless"]).kill_faults is True
