"""The Kubernetes objects of workshop/archs/microservices/k8s.py, one builder each (plain dicts, YAML-ready)."""

from __future__ import annotations

import math
import re
from typing import Any

from workshop.archs.microservices import spec as ms_spec

CONFIGMAP = "videocatalog-peers"
LABEL = {"app.kubernetes.io/part-of": "videocatalog"}
HPA_MAX_REPLICAS = 4
HPA_CPU_PERCENT = 70  # a worker busy with ffmpeg sits near its request; queue depth would need an adapter (KEDA)


def labels(name: str) -> dict[str, str]:
    """The labels of every object of one service (the selector uses the name only)."""
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/component": name, **LABEL}


def _seconds(text: Any, default: float) -> int:
    return max(1, math.ceil(ms_spec.duration_s(text, default)))


def probes(health: dict[str, Any], port: int) -> dict[str, dict[str, Any]]:
    """Readiness and liveness probes from a compose health check (its URL path, interval, timeout, retries)."""
    path = re.search(r"(/[A-Za-z0-9_/-]*health[A-Za-z0-9_/-]*)", " ".join(map(str, health.get("test") or [])))

    def probe(delay_s: int) -> dict[str, Any]:  # a new dict each time: YAML would print shared ones as aliases
        return {"httpGet": {"path": path.group(1) if path else "/health", "port": port},
                "initialDelaySeconds": delay_s, "periodSeconds": _seconds(health.get("interval"), 5),
                "timeoutSeconds": _seconds(health.get("timeout"), 3),
                "failureThreshold": int(health.get("retries") or 3)}

    # Readiness decides traffic (and so the rolling update's pace) from the start; liveness restarts a pod
    # only after the start period compose grants, so a slow start is not killed.
    return {"readinessProbe": probe(1), "livenessProbe": probe(_seconds(health.get("start_period"), 10))}


def _cpu(value: Any) -> str:
    return f"{round(float(value) * 1000)}m"


def _memory(value: Any) -> str:
    match = re.fullmatch(r"(\d+)([kKmMgG])?[bB]?", str(value))
    if not match:
        raise ValueError(f"unreadable memory size {value!r}")
    return match.group(1) + {"k": "Ki", "m": "Mi", "g": "Gi", None: ""}[(match.group(2) or "").lower() or None]


def resources(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Requests from compose's deploy.resources.reservations, limits from its limits (CPU limits only if set)."""
    conf = (raw.get("deploy") or {}).get("resources") or {}
    out: dict[str, dict[str, str]] = {}
    for kind, key in (("reservations", "requests"), ("limits", "limits")):
        part = conf.get(kind) or {}
        values = {**({"cpu": _cpu(part["cpus"])} if "cpus" in part else {}),
                  **({"memory": _memory(part["memory"])} if "memory" in part else {})}
        if values:
            out[key] = values
    return out


def _env(own: dict[str, str], peers: list[str]) -> list[dict[str, Any]]:
    return ([{"name": k, "value": v} for k, v in sorted(own.items())]
            + [{"name": k, "valueFrom": {"configMapKeyRef": {"name": CONFIGMAP, "key": k}}} for k in peers])


def deployment(svc: ms_spec.Service, raw: dict[str, Any], own: dict[str, str], peers: list[str], *,
               scalable: bool, replicas: int, init: dict[str, Any] | None) -> dict[str, Any]:
    """A Deployment of one service: its image and command, probes, resources, a start-first rolling update."""
    image = f"{svc.image}:{own.get('WORKSHOP_RELEASE', 'v1')}"
    container: dict[str, Any] = {
        "name": svc.name, "image": image, "imagePullPolicy": "IfNotPresent", "command": svc.command,
        "ports": [{"name": "http", "containerPort": svc.port}], "env": _env(own, peers),
        **probes(raw.get("healthcheck") or {}, svc.port), "resources": resources(raw),
    }
    pod: dict[str, Any] = {"terminationGracePeriodSeconds": math.ceil(svc.stop_grace_s), "containers": [container]}
    if svc.volumes:
        container["volumeMounts"] = [{"name": "data", "mountPath": inside} for _, inside in svc.volumes[:1]]
        pod["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": f"{svc.name}-data"}}]
    if init:
        pod["initContainers"] = [{"name": init["name"], "image": image, "imagePullPolicy": "IfNotPresent",
                                  "command": ["python", "-c", init["code"]],
                                  "env": [{"name": k, "value": v} for k, v in sorted(init["env"].items())],
                                  "envFrom": [{"configMapRef": {"name": CONFIGMAP}}]}]
    body: dict[str, Any] = {
        "selector": {"matchLabels": {"app.kubernetes.io/name": svc.name}},
        # maxUnavailable 0: a new pod must pass its readiness probe before an old one is stopped.
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
        "template": {"metadata": {"labels": labels(svc.name)}, "spec": pod},
    }
    if not scalable:  # the HPA owns the replica count of a scalable one; `apply` must not reset it
        body = {"replicas": replicas, **body}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": svc.name, "labels": labels(svc.name)}, "spec": body}


def service(name: str, port: int) -> dict[str, Any]:
    """A ClusterIP Service: the name peers use in their URLs, on the port compose gives."""
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels(name)},
            "spec": {"selector": {"app.kubernetes.io/name": name},
                     "ports": [{"name": "http", "port": port, "targetPort": "http"}]}}


def pvc(name: str, size: str = "1Gi") -> dict[str, Any]:
    """The claim for a service's data folder (one pod writes it: SQLite, or the media files)."""
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": f"{name}-data", "labels": labels(name)},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}}


def hpa(name: str) -> dict[str, Any]:
    """A HorizontalPodAutoscaler (autoscaling/v2) on CPU for a scalable service (the transcode workers)."""
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name, "labels": labels(name)},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                     "minReplicas": 1, "maxReplicas": HPA_MAX_REPLICAS,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization", "averageUtilization": HPA_CPU_PERCENT}}}]}}


def localaws(port: int, moto_version: str) -> list[dict[str, Any]]:
    """SQS for the cluster: moto's server image at the version the project pins, as a Deployment and Service."""
    name = "localaws"

    def probe(delay_s: int) -> dict[str, Any]:
        return {"httpGet": {"path": "/moto-api/", "port": "http"}, "initialDelaySeconds": delay_s, "periodSeconds": 5}

    container = {"name": name, "image": f"motoserver/moto:{moto_version}", "imagePullPolicy": "IfNotPresent",
                 "ports": [{"name": "http", "containerPort": 5000}], "readinessProbe": probe(1),
                 "livenessProbe": probe(10),
                 "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}
    return [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": labels(name)},
             "spec": {"replicas": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                      "strategy": {"type": "Recreate"},  # moto keeps its queues in memory: one at a time
                      "template": {"metadata": {"labels": labels(name)}, "spec": {"containers": [container]}}}},
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels(name)},
             "spec": {"selector": {"app.kubernetes.io/name": name},
                      "ports": [{"name": "http", "port": port, "targetPort": "http"}]}}]
