"""The server side of `adapters.http_data`'s HttpJobQueue and HttpViewLog, on the SQLite adapters.

The SOA's data tier serves them this way to its logic tier. View functions are named after
operations, so WORKSHOP_FAULT can target them.
"""

from __future__ import annotations

import re
import time

from flask import Blueprint, request

from videocatalog.adapters.sqlite import Database, SqliteJobQueue
from videocatalog.errors import ValidationError
from videocatalog.ports import Job, ViewLog
from videocatalog.web.wire import body, build, float_arg, int_arg, number_field, text_field

RECEIPT = re.compile(r"[0-9]{1,18}:[0-9]{1,18}")  # "<job id>:<attempts>", as SqliteJobQueue.claim issues it
MAX_TOP = 10_000  # the most video ids one /views/top answers


def _job() -> Job:
    """The Job in the request body, with a receipt this queue could have issued."""
    job: Job = build(Job, body())
    if not RECEIPT.fullmatch(job.receipt):
        raise ValidationError("receipt", "is not a receipt this queue issued")
    return job


def job_blueprint(db: Database) -> Blueprint:
    """The durable job queue of `db`: enqueue, claim (leased), ack, release, and release every claimed job."""
    jobs, bp = SqliteJobQueue(db), Blueprint("jobs", __name__)

    @bp.post("/jobs")
    def enqueue_job():
        job_body = body().get("body")
        if not isinstance(job_body, dict):
            raise ValidationError("body", "is required and must be a JSON object")
        jobs.enqueue(job_body)
        return {}, 201

    @bp.post("/jobs/claim")
    def claim_job():
        job = jobs.claim(number_field(body(), "lease_s", minimum=0))
        return {"job": vars(job) if job else None}

    @bp.post("/jobs/ack")
    def ack_job():
        jobs.ack(_job())
        return {}

    @bp.post("/jobs/release")
    def release_job():
        delay_s = float_arg("delay_s") if "delay_s" in request.args else 0.0
        if not 0 <= delay_s <= 3600:
            raise ValidationError("delay_s", "must be between 0 and 3600 seconds")
        jobs.release(_job(), delay_s)
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
        views.record(text_field(data, "video_id"), number_field(data, "at"))
        return {}, 201

    @bp.get("/views/top")
    def top_views():
        return {"items": views.top(float_arg("since"), int_arg("limit", 1, MAX_TOP))}

    @bp.delete("/views/<video_id>")
    def forget_views(video_id: str):
        views.forget(video_id)
        return {}

    return bp
