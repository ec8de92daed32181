"""Whether the run's Lambda environments had the CPU their memory buys on AWS, from the invocation records.

The local platform writes `vcpu` (the share the kernel enforced, None when it did not) and `cpu` (the same in
words: "0.072 vCPU (cgroup v1)", "..., capped at 2 host cores (AWS: 3.00 vCPU)", or "CPU not scaled") on every
record. Records of AWS itself carry neither: AWS scales the CPU, and there is nothing to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from workshop.archs import Architecture

MECHANISM = re.compile(r"\((cgroup v\d)\)")
CAP = re.compile(r"capped at (\d+) host cores \(AWS: ([\d.]+) vCPU\)")


def summarize(records: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """How many invocations ran with scaled CPU, by which mechanism, the vCPU range and any host-core cap."""
    noted = [r for r in records if "cpu" in r]
    if not noted:
        return None
    scaled = [r for r in noted if r.get("vcpu") is not None]
    caps = [m for m in (CAP.search(r["cpu"]) for r in scaled) if m]
    return {"invocations": len(noted), "scaled": len(scaled),
            "mechanisms": sorted({m.group(1) for m in (MECHANISM.search(r["cpu"]) for r in scaled) if m}),
            "vcpu_min": min((r["vcpu"] for r in scaled), default=None),
            "vcpu_max": max((r["vcpu"] for r in scaled), default=None),
            "memory_mb": sorted({r["memory_mb"] for r in noted if r.get("memory_mb")}),
            "capped_at_cores": max((int(m.group(1)) for m in caps), default=None),
            "aws_vcpu_max": max((float(m.group(2)) for m in caps), default=None)}


def describe(summary: dict[str, Any]) -> str:
    """One sentence for the report: CPU scaled (mechanism, vCPU range, cap) or not, as the records say."""
    unscaled = summary["invocations"] - summary["scaled"]
    if not summary["scaled"]:
        return ("CPU not scaled (no cgroups): durations are measured on whole host cores whatever the memory size; "
                "below 1,769 MB AWS gives less than one vCPU, so such functions would run slower there.")
    memory = summary["memory_mb"]
    sizes = f" for {memory[0]}–{memory[-1]} MB" if memory else ""
    text = (f"CPU scaled by memory with {' and '.join(summary['mechanisms']) or 'cgroups'}: "
            f"{summary['vcpu_min']:.3f}–{summary['vcpu_max']:.3f} vCPU{sizes} (1,769 MB = 1 vCPU, as on AWS)")
    if summary["capped_at_cores"]:
        text += (f", capped at {summary['capped_at_cores']} host cores (AWS: up to "
                 f"{summary['aws_vcpu_max']:.2f} vCPU)")
    if unscaled:
        text += f"; {unscaled} of {summary['invocations']} invocations ran with CPU not scaled, on whole host cores"
    return text + "."


def lambda_cpu(module: Architecture) -> dict[str, Any] | None:
    """The CPU summary of every function invocation of the run so far (None outside serverless)."""
    try:
        return summarize(module.lambda_invocations())
    except (OSError, ValueError, KeyError, ImportError):  # the same failures the billing reader tolerates
        return None
