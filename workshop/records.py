"""The harness's run records as types: what `arch.json`, `result.json` and `bench.json` hold.

They travel as JSON (the report can be rebuilt from a results folder alone), so they are TypedDicts:
plain dicts at run time, checked keys and value types under mypy.
"""

from __future__ import annotations

from typing import Any, TypedDict


class ArchRecord(TypedDict, total=False):
    """A running architecture (`<state>/run/<arch>/arch.json`): what `workshop status` and the harness read."""

    url: str  # the public base URL
    release: str
    backend: str  # process, docker, swarm or local-aws
    components: dict[str, str]  # component -> its release
    port: int  # monolith
    ports: dict[str, int]  # soa: tier -> port
    endpoint: str  # serverless: the local AWS
    api_id: str  # serverless: the HTTP API
    page_url: str  # serverless: the web page in its website bucket (elsewhere the API's own /ui/)
    variables: dict[str, str]  # microservices: compose variables (ports, queue URLs)
    env: dict[str, dict[str, str]]  # microservices: the extra environment of each service's release
    images: dict[str, Any]  # microservices (docker): image tag -> build facts
    counters: dict[str, int]  # microservices: instances started per service
    healthy_s: dict[str, float]  # microservices: seconds each instance took to answer its health check
    stack: str  # microservices (swarm): the stack's name
    swarm_initialized: bool  # microservices (swarm): this harness ran `docker swarm init`
    replicas: dict[str, int]  # microservices (swarm): service -> replicas
    previous: dict[str, Any]  # microservices (swarm): service -> (release, env) before the last update


# Functional form: one key is `lambda`, a Python keyword.
ArchResult = TypedDict("ArchResult", {
    "arch": str,
    "status": str,  # ok, failed or skipped
    "stage": str,  # where it got to: up, seed, load, soak, rollback, coldstart, tune, faults, done
    "reason": str,
    "down_error": str,
    "components": list[str],
    "url": str,
    "backend": "str | None",
    "release": str,
    "up_s": float,
    "seed": dict[str, Any],
    "load": dict[str, Any],
    "open_loop": dict[str, Any],
    "saturation": dict[str, Any],
    "rollback": list[dict[str, Any]],
    "coldstart": dict[str, Any],
    "soak": dict[str, Any],  # workshop/endurance/soak.py: capacity, held rate, growth after warm-up, goals met
    "faults_under_load": dict[str, Any],  # workshop/endurance/faults.py: per fault errors, recovery, uploads lost
    "lambda": "dict[str, Any] | None",  # serverless: billed usage during the load run
    "lambda_transcode": "dict[str, Any] | None",  # serverless: billed usage of the seed clip's cascade
    "lambda_concurrency": "dict[str, dict[str, Any] | None]",  # serverless: peak environments per load run
    "tune": dict[str, Any],  # serverless: the power-tuning sweep (workshop/tune/run.py): summary per memory size
    "lambda_cpu": "dict[str, Any] | None",  # serverless: whether CPU followed memory (workshop/measure/lambda_cpu.py)
}, total=False)
"""One architecture's bench (`<arch>/result.json`)."""


class BenchRecord(TypedDict, total=False):
    """A whole bench (`bench.json`)."""

    config: dict[str, Any]
    archs: dict[str, ArchResult]
    skipped: dict[str, str]
    started: float
    finished: float
    total_s: float
    cost: dict[str, Any]
    interrupted: bool
