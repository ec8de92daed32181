"""gunicorn settings shared by the three tiers; SOA_TIER, PORT and the worker counts come from the environment."""

import os

tier = os.environ.get("SOA_TIER", "")
bind = f"127.0.0.1:{os.environ['PORT']}"  # no default: each tier's port is part of its configuration
workers = int(os.environ.get("SOA_WEB_WORKERS", "2"))
threads = int(os.environ.get("SOA_WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 120
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
# No request-line limit: an over-long query string gets the contract's JSON 400, not gunicorn's HTML 414.
limit_request_line = 0
proc_name = f"soa-{tier}"


def on_starting(server):
    if tier != "logic" or os.environ.get("SOA_EXTRA_INSTANCE"):
        return  # an extra instance (added capacity) must not take jobs from the live one
    # This logic tier is the only worker of jobs and it is starting, so no lease is live: take them back.
    from soa.worker import release_interrupted_jobs
    from videocatalog.errors import Unavailable

    try:
        released = release_interrupted_jobs()
    except Unavailable as exc:
        server.log.warning("could not release interrupted jobs (%s); their leases will end", exc.message)
        return
    if released:
        server.log.warning("resuming %d interrupted transcoding job(s)", released)


def post_fork(server, worker):
    if tier == "logic":
        from soa.worker import start_thread

        worker.transcoder_stop = start_thread()


def worker_exit(server, worker):
    stop = getattr(worker, "transcoder_stop", None)
    if stop is not None:
        stop.set()
