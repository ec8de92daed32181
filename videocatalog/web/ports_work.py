"""The server side of `adapters.http_data`'s HttpJobQueue and HttpViewLog, on the SQLite adapters.

The SOA's data tier serves them this way to its logic tier. View functions are named after
operations, so WORKSHOP_FAULT can target them.
"""

from __future__ import annotations

import time

from flask import Blueprint

from ..adapters.sqlite import Database, SqliteJobQueue
from ..ports import Job, ViewLog
from .wire import arg, body, build


def job_blueprint(db: Database) -> Blueprint:
    """The durable job queue of `db`: enqueue, claim (leased), ack, release, and release every claimed job."""
    jobs, bp = SqliteJobQueue(db), Blueprint("jobs", __name__)

    @bp.post("/jobs")
    def enqueue_job():
        jobs.enqueue(body()["body"])
        return {}, 201

    @bp.post("/jobs/claim")
    def claim_job():
        job = jobs.claim(float(body()["lease_s"]))
        return {"job": vars(job) if job else None}

    @bp.post("/jobs/ack")
    def ack_job():
        jobs.ack(build(Job, body()))
        return {}

    @bp.post("/jobs/release")
    def release_job():
        jobs.release(build(Job, body()))
        return {}

    @bp.post("/jobs/release-claimed")
    def release_claimed_jobs():
        # Only the one consumer (the SOA logic tier) works jobs, and it calls this as it starts: no lease is live.
        cur = db.connect().execute("UPDATE jobs SET visible_at = 0 WHERE visible_at > ?", (time.time(),))
        return {"released": cur.rowcount}

    return bp


def view_blueprint(views: ViewLog) -> Blueprint:
    """View events: record one, the top videos since a time, forget a video's."""
    bp = Blueprint("views", __name__)

    @bp.post("/views")
    def record_view():
        data = body()
        views.record(str(data["video_id"]), float(data["at"]))
        return {}, 201

    @bp.get("/views/top")
    def top_views():
        return {"items": views.top(float(arg("since")), int(arg("limit")))}

    @bp.delete("/views/<video_id>")
    def forget_views(video_id: str):
        views.forget(video_id)
        return {}

    return bp
