"""gunicorn settings for the monolith; the port and worker counts come from the environment."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8001')}"
workers = int(os.environ.get("WORKSHOP_WEB_WORKERS", "2"))
threads = int(os.environ.get("WORKSHOP_WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 120
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
# No request-line limit: an over-long query string gets the contract's JSON 400, not gunicorn's HTML 414.
limit_request_line = 0


def on_starting(server):
    # The unit is starting, so no other copy of it holds a job or an upload: take back any interrupted work.
    from monolith.app import release_interrupted_jobs, release_interrupted_uploads

    released = release_interrupted_jobs()
    if released:
        server.log.warning("resuming %d interrupted transcoding job(s)", released)
    if release_interrupted_uploads():
        server.log.warning("dropped the upload leases of uploads interrupted by the last stop")


def post_fork(server, worker):
    from monolith.app import start_transcoder_thread

    worker.transcoder_stop = start_transcoder_thread()


def worker_exit(server, worker):
    stop = getattr(worker, "transcoder_stop", None)
    if stop is not None:
        stop.set()


def child_exit(server, worker):
    # In the master, after a worker exited for any reason (a crash, an OOM kill, a timeout): the jobs it had
    # claimed would otherwise wait for their lease (10 minutes) before another worker took them.
    from monolith.app import release_jobs_of

    released = release_jobs_of(worker.pid)
    if released:
        server.log.warning("worker %s exited mid-transcode: %d job(s) released to the other workers",
                           worker.pid, released)
