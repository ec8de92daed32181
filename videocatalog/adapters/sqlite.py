"""SQLite adapters (WAL mode): the video repository, a durable job queue and the view log."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from videocatalog.model import Rendition, Video
from videocatalog.ports import Job, ListQuery, Page, page_from

SCHEMA = """
CREATE TABLE IF NOT EXISTS videos (
  id TEXT PRIMARY KEY, created_at TEXT NOT NULL, status TEXT NOT NULL,
  search_text TEXT NOT NULL, tags TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS videos_newest ON videos (created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, visible_at REAL NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, claimed_by INTEGER);
CREATE TABLE IF NOT EXISTS views (video_id TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS views_at ON views (at);
"""


class Database:
    """One SQLite file shared by the adapters; a connection per thread, WAL for concurrent readers."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        _retry_locked(lambda: self.connect().executescript(SCHEMA))
        _retry_locked(lambda: _add_column(self.connect(), "jobs", "claimed_by", "INTEGER"))

    def connect(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode=WAL"))
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.create_function("pylower", 1, lambda s: s.lower() if s else s, deterministic=True)
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A unit of work: the write lock first (BEGIN IMMEDIATE), COMMIT on success, ROLLBACK on any error.

        Taking the write lock before the first read makes a check and the write it decides one step, so two
        processes cannot both pass the check.
        """
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _add_column(conn: sqlite3.Connection, table: str, column: str, kind: str) -> None:
    """Add a column a database made by an older release lacks (several processes may race to add it)."""
    if any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})")):
        return
    try:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    except sqlite3.OperationalError as exc:
        if "duplicate column" not in str(exc):
            raise


def _retry_locked(step, deadline_s: float = 30.0):
    """Run `step`, retrying while SQLite says the file is locked.

    Switching to WAL and creating the schema can answer "database is locked" at once, without waiting on the
    busy timeout, when several processes (gunicorn workers booting together) open a new file at the same time.
    """
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SqliteRepository:
    """Videos as JSON records with the columns that listing filters on."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, video: Video) -> None:
        self._write(video, "INSERT")

    def save(self, video: Video) -> None:
        self._write(video, "INSERT OR REPLACE")

    def _write(self, video: Video, verb: str) -> None:
        search = "\n".join([video.title, video.description, *video.tags])
        self.db.connect().execute(
            f"{verb} INTO videos (id, created_at, status, search_text, tags, record) VALUES (?,?,?,?,?,?)",
            (video.id, video.created_at, video.status, search, json.dumps(list(video.tags)),
             json.dumps(video.to_record())))

    def get(self, video_id: str) -> Video | None:
        row = self.db.connect().execute("SELECT record FROM videos WHERE id = ?", (video_id,)).fetchone()
        return Video.from_record(json.loads(row[0])) if row else None

    def delete(self, video_id: str) -> bool:
        return self.db.connect().execute("DELETE FROM videos WHERE id = ?", (video_id,)).rowcount > 0

    def list(self, query: ListQuery) -> Page:
        where, args = ["1=1"], []  # type: list[str], list[Any]
        if query.after:
            where.append("(created_at < ? OR (created_at = ? AND id < ?))")
            args += [query.after[0], query.after[0], query.after[1]]
        if query.status:
            where.append("status = ?")
            args.append(query.status)
        if query.tag:
            where.append("EXISTS (SELECT 1 FROM json_each(videos.tags) WHERE value = ?)")
            args.append(query.tag)
        if query.q:
            where.append("instr(pylower(search_text), ?) > 0")
            args.append(query.q.lower())
        sql = (f"SELECT record FROM videos WHERE {' AND '.join(where)} "
               "ORDER BY created_at DESC, id DESC LIMIT ?")
        rows = self.db.connect().execute(sql, [*args, query.limit + 1]).fetchall()
        return page_from([Video.from_record(json.loads(r[0])) for r in rows], query.limit)

    def update_rendition(self, video_id: str, rendition: Rendition) -> Video | None:
        with self.db.transaction():
            video = self.get(video_id)
            if video is not None:
                video = video.with_rendition(rendition)
                self.save(video)
        return video


class SqliteJobQueue:
    """A durable at-least-once queue: a claimed job becomes visible again when its lease ends, or at once when
    the process that claimed it is known to be gone (`release_claimed_by`, e.g. from gunicorn's master)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(self, body: dict[str, Any]) -> None:
        self.db.connect().execute("INSERT INTO jobs (body, visible_at) VALUES (?, 0)", (json.dumps(body),))

    def claim(self, lease_s: float) -> Job | None:
        with self.db.transaction() as conn:
            now = time.time()
            row = conn.execute("SELECT id, body, attempts FROM jobs WHERE visible_at <= ? ORDER BY id LIMIT 1",
                               (now,)).fetchone()
            if row:
                conn.execute("UPDATE jobs SET visible_at = ?, attempts = attempts + 1, claimed_by = ? WHERE id = ?",
                             (now + lease_s, os.getpid(), row[0]))
        return Job(json.loads(row[1]), f"{row[0]}:{row[2] + 1}", row[2] + 1) if row else None

    def ack(self, job: Job) -> None:
        job_id, attempts = (int(x) for x in job.receipt.split(":"))
        self.db.connect().execute("DELETE FROM jobs WHERE id = ? AND attempts = ?", (job_id, attempts))

    def release(self, job: Job, delay_s: float = 0) -> None:
        self.db.connect().execute("UPDATE jobs SET visible_at = ? WHERE id = ?",
                                  (time.time() + delay_s if delay_s > 0 else 0, int(job.receipt.split(":")[0])))

    def release_claimed_by(self, pid: int) -> int:
        """Make the jobs a dead process had claimed visible again; returns how many."""
        return self.db.connect().execute("UPDATE jobs SET visible_at = 0, claimed_by = NULL "
                                         "WHERE claimed_by = ? AND visible_at > ?", (pid, time.time())).rowcount

    def depth(self) -> int:
        """How many jobs wait or run."""
        return self.db.connect().execute("SELECT count(*) FROM jobs").fetchone()[0]


class SqliteViewLog:
    """View events, one row each; trending counts the recent ones."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, video_id: str, at: float) -> None:
        self.db.connect().execute("INSERT INTO views (video_id, at) VALUES (?, ?)", (video_id, at))

    def top(self, since: float, limit: int) -> list[tuple[str, int]]:
        rows = self.db.connect().execute(
            "SELECT video_id, count(*) AS n FROM views WHERE at >= ? GROUP BY video_id "
            "ORDER BY n DESC, video_id LIMIT ?", (since, limit)).fetchall()
        return [(r[0], r[1]) for r in rows]

    def forget(self, video_id: str) -> None:
        self.db.connect().execute("DELETE FROM views WHERE video_id = ?", (video_id,))
