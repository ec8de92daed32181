"""Kubernetes manifests for the microservices, generated from microservices/compose.yaml.

The same description the harness runs: each service becomes a Deployment (its compose health check as
readiness and liveness probes, resource requests, a rolling update that starts the new pod first) and a
Service; the peer addresses, which compose gives as 127.0.0.1 ports, become Service names in one
ConfigMap; the scalable services (the transcode workers) get a HorizontalPodAutoscaler; the data folders
become PersistentVolumeClaims. SQS comes from a moto pod (the version pyproject.toml pins), whose queues an
init container of each queue user creates. `workshop k8s --out DIR` writes them; `kubectl apply -f DIR`.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from workshop.archs.microservices import spec as ms_spec
from workshop.archs.microservices.k8s_parts import (
    CONFIGMAP,
    LABEL,
    deployment,
    hpa,
    localaws,
    pvc,
    service,
)

_LOCAL_URL = re.compile(r"http://127\.0\.0\.1:(\d+)")
LOCALAWS_PORT = 4567


def _hosts_by_port(services: dict[str, ms_spec.Service]) -> dict[str, str]:
    hosts = {str(s.port): name for name, s in services.items()}
    hosts[str(LOCALAWS_PORT)] = "localaws"
    return hosts


def _cluster_value(value: str, hosts: dict[str, str]) -> str:
    """A compose value with every http://127.0.0.1:PORT replaced by the Service that has that port."""
    return _LOCAL_URL.sub(lambda m: f"http://{hosts[m.group(1)]}:{m.group(1)}", value)


def split_environment(services: dict[str, ms_spec.Service]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The peer addresses (for the ConfigMap) and each service's own settings, in cluster terms."""
    hosts = _hosts_by_port(services)
    peers: dict[str, str] = {}
    own: dict[str, dict[str, str]] = {}
    for name, svc in services.items():
        own[name] = {}
        for key, value in svc.env.items():
            if _LOCAL_URL.search(value):
                cluster = _cluster_value(value, hosts)
                if peers.setdefault(key, cluster) != cluster:
                    raise ValueError(f"{key} names different peers in different services")
            else:
                own[name][key] = value
    return peers, own


def _moto_version() -> str:
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:  # pragma: no cover (moto is a pinned dependency)
        return "latest"


def manifests(release: str = "v1", variables: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every Kubernetes object of the microservices, in the order `kubectl apply` should create them."""
    values = {"WORKSHOP_LOCALAWS_PORT": str(LOCALAWS_PORT), "WORKSHOP_RELEASE": release, **(variables or {})}
    raw = ms_spec.read(values, environ={})  # the defaults of compose.yaml, not this shell's settings
    services, settings = ms_spec.load(values, environ={})
    peers, own = split_environment(services)
    peers["WORKSHOP_BIND_HOST"] = "0.0.0.0"  # pods are reached on their IP, not on loopback
    queue_urls = {k: v for k, v in peers.items() if k.endswith("QUEUE_URL") or k.endswith("DLQ_URL")}
    docs: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": CONFIGMAP, "labels": LABEL},
         "data": dict(sorted(peers.items()))},
        *localaws(LOCALAWS_PORT, _moto_version()),
    ]
    scalable = set(settings.get("scalable") or [])
    for name, svc in services.items():
        needs = sorted(k for k in peers if k in svc.env or k == "WORKSHOP_BIND_HOST")
        init = _queue_init(settings, svc, queue_urls) if any(k in svc.env for k in queue_urls) else None
        docs += [pvc(name) for _ in svc.volumes]
        docs.append(deployment(svc, raw["services"][name], own[name], needs, scalable=name in scalable,
                               replicas=2 if name == settings.get("gateway") else 1, init=init))
        docs.append(service(name, svc.port))
        if name in scalable:
            docs.append(hpa(name))
    return docs


def _queue_init(settings: dict, svc: ms_spec.Service, queue_urls: dict[str, str]) -> dict[str, Any]:
    """An init container that creates the job queue and its dead-letter queue (idempotent) before the service."""
    code = ("import os, boto3; from videocatalog.adapters.sqs import ensure_queues; "
            "ensure_queues(boto3.client('sqs'), os.environ['QUEUE_NAME'], int(os.environ['MAX_RECEIVES']))")
    env = {k: v for k, v in svc.env.items() if k.startswith("AWS_") and not _LOCAL_URL.search(v)}
    return {"name": "ensure-queues", "code": code,
            "env": {**env, "QUEUE_NAME": str(settings["queue"]), "MAX_RECEIVES": str(settings["max_receives"])}}


def write(out: Path, release: str = "v1") -> list[Path]:
    """Write the manifests into `out`, one file per service (numbered in apply order); returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in manifests(release):
        part = doc["metadata"]["labels"].get("app.kubernetes.io/component", "shared")
        groups.setdefault(part, []).append(doc)
    files = []
    for i, (part, docs) in enumerate(groups.items()):
        path = out / f"{i:02d}-{part}.yaml"
        path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
        files.append(path)
    return files
