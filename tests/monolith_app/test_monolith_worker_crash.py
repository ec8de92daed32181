"""A gunicorn worker killed mid-transcode: its master hands the job back at once, not when the lease ends."""

from __future__ import annotations

import os
import sqlite3
import time

from monolith.app import release_jobs_of
from videocatalog.adapters.sqlite import Database, SqliteJobQueue


def test_jobs_of_an_exited_worker_are_visible_again_and_no_others(tmp_path):
    jobs = SqliteJobQueue(Database(tmp_path / "catalog.db"))
    jobs.enqueue({"video_id": "a"})
    claimed = jobs.claim(lease_s=600)
    assert claimed is not None and jobs.claim(lease_s=600) is None  # leased: nobody else gets it
    assert release_jobs_of(os.getpid() + 1, tmp_path) == 0  # another worker's exit frees nothing of ours
    assert release_jobs_of(os.getpid(), tmp_path) == 1
    again = jobs.claim(lease_s=600)
    assert again is not None and again.body == {"video_id": "a"} and again.attempts == 2


def test_a_database_of_an_older_release_gains_the_claimed_by_column(tmp_path):
    path = tmp_path / "catalog.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, "
                 "visible_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)")
    conn.execute("INSERT INTO jobs (body, visible_at) VALUES (?, ?)", ('{"video_id": "old"}', time.time() + 600))
    conn.commit()
    conn.close()
    jobs = SqliteJobQueue(Database(path))
    assert jobs.release_claimed_by(os.getpid()) == 0  # its claimer is unknown: only the lease frees it
    jobs.enqueue({"video_id": "new"})
    assert jobs.claim(lease_s=600).body == {"video_id": "new"}
    assert jobs.release_claimed_by(os.getpid()) == 1
