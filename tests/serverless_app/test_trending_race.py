"""Trending read while the analytics function writes: a reader sees each count old or new, never half-made.

moto (like the local AWS built on it) makes a new item of `UpdateItem` in two steps: it stores the key
alone, then applies the update expression to the stored item. A Scan between the two saw an item
without `views`, and GET /trending answered 500 (`KeyError: 'views'`). This races a writer that keeps
creating and bumping items against a reader that keeps summing them, in one process on mock_aws.
"""

from __future__ import annotations

import threading
import time

import boto3
import pytest
from moto import mock_aws

from videocatalog.adapters import awsclients
from videocatalog.adapters.views_aws import CountsViewLog

TABLE, VIDEOS, MIN_ROUNDS, MIN_READS = "race-view-counts", 8, 60, 12


@pytest.fixture
def counts(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        awsclients.reset()
        boto3.client("dynamodb").create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "video_id", "AttributeType": "S"},
                                  {"AttributeName": "minute", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "video_id", "KeyType": "HASH"},
                       {"AttributeName": "minute", "KeyType": "RANGE"}])
        yield CountsViewLog(TABLE)
        awsclients.reset()


def test_trending_read_during_writes_sees_whole_counts(counts):
    """Every read succeeds; each video's total only grows between reads; the last read has every view."""
    minute0 = int(time.time() // 60) - 30
    done, errors, reads, rounds = threading.Event(), [], ([], []), [0]

    def write() -> None:
        # Write until both readers have read often enough to overlap it (a fast writer on a quiet machine
        # would otherwise finish before the readers start), within a bound.
        deadline = time.monotonic() + 60
        try:
            i = 0
            while i < MIN_ROUNDS or (min(len(r) for r in reads) < MIN_READS and time.monotonic() < deadline):
                # a new item each round (a new minute), plus a bump of an existing one
                counts.add(f"v{i % VIDEOS}", minute0 + (i // VIDEOS) % 30, 2)
                counts.add(f"v{(i + 3) % VIDEOS}", minute0, 1)
                i += 1
                rounds[0] = i
        except Exception as exc:  # reported by the assertion below, with its type
            errors.append(f"writer: {type(exc).__name__}: {exc}")
        finally:
            done.set()

    def read(seen: list[dict[str, int]]) -> None:
        while not done.is_set():
            try:
                seen.append(dict(counts.top(minute0 * 60, VIDEOS)))
            except Exception as exc:
                errors.append(f"reader: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=write), *(threading.Thread(target=read, args=(r,)) for r in reads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    assert min(len(r) for r in reads) > 10, "the readers hardly overlapped the writer: no race was run"
    final = dict(counts.top(minute0 * 60, VIDEOS))
    assert sum(final.values()) == 3 * rounds[0]
    for seen in reads:  # a later read of one reader never sees less than an earlier one
        for video, total in final.items():
            totals = [r.get(video, 0) for r in seen] + [total]
            assert totals == sorted(totals), f"{video}: a count went backwards or past its final value"
