"""The data tier's work coordination: the durable job queue and named leases (locks)."""

from __future__ import annotations

import time

from flask import Flask

from videocatalog.adapters.sqlite import Database, SqliteJobQueue
from videocatalog.ports import Job

from .locks import SqliteLocks
from .wire import arg, body, build


def register_work_api(app: Flask, db: Database) -> None:
    """Serve the job queue and the locks of `db` on `app`."""
    jobs, locks = SqliteJobQueue(db), SqliteLocks(db)

    @app.post("/jobs")
    def enqueue_job():
        jobs.enqueue(body()["body"])
        return {}, 201

    @app.post("/jobs/claim")
    def claim_job():
        job = jobs.claim(float(body()["lease_s"]))
        return {"job": vars(job) if job else None}

    @app.post("/jobs/ack")
    def ack_job():
        jobs.ack(build(Job, body()))
        return {}

    @app.post("/jobs/release")
    def release_job():
        jobs.release(build(Job, body()))
        return {}

    @app.post("/jobs/release-claimed")
    def release_claimed_jobs():
        # Only the logic tier works jobs, and it calls this as it starts: no lease it holds is live.
        cur = db.connect().execute("UPDATE jobs SET visible_at = 0 WHERE visible_at > ?", (time.time(),))
        return {"released": cur.rowcount}

    @app.post("/locks")
    def acquire_lock():
        data = body()
        return {"acquired": locks.acquire(str(data["name"]), str(data["owner"]), float(data["ttl_s"]))}

    @app.delete("/locks")
    def release_lock():
        locks.release(arg("name"), arg("owner"))
        return {}
