"""`workshop scale microservices SERVICE N` (N instances of one service) and `workshop k8s --out DIR` (manifests)."""

from __future__ import annotations

import argparse


def cmd_scale(args: argparse.Namespace) -> int:
    """Scale one service of a running architecture and print its instances."""
    if args.arch != "microservices":
        raise SystemExit(f"{args.arch} cannot be scaled by service; only microservices can")
    from workshop.archs.microservices import arch as microservices

    for name in microservices.scale(args.service, args.count):
        print(name)
    return 0


def cmd_k8s(args: argparse.Namespace) -> int:
    """Write the microservices' Kubernetes manifests into a folder and print each file."""
    from pathlib import Path

    from workshop.archs.microservices import k8s

    for path in k8s.write(Path(args.out), args.release):
        print(path)
    print(f"apply with: kubectl apply -f {args.out}  (see microservices/README.md)")
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add the `scale` and `k8s` subcommands to the `workshop` parser."""
    scale = sub.add_parser("scale", help="run N instances of one service (microservices)")
    scale.add_argument("arch", choices=["microservices"])
    scale.add_argument("service", help="e.g. transcode")
    scale.add_argument("count", type=int)
    scale.set_defaults(func=cmd_scale)
    k8s = sub.add_parser("k8s", help="write Kubernetes manifests of the microservices (from compose.yaml)")
    k8s.add_argument("--out", required=True, help="folder for the YAML files (created)")
    k8s.add_argument("--release", default="v1", help="image tag, as `workshop up --release` builds it")
    k8s.set_defaults(func=cmd_k8s)
