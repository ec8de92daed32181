"""`workshop up`, `down`, `status`, `token` and `deploy`: an architecture's life cycle."""

from __future__ import annotations

import argparse
import signal
import sys
import time

import requests

from videocatalog import auth
from videocatalog.faults import parse_fault
from workshop import archs
from workshop.cli.serverless import deploy_stack
from workshop.runtime import procs


def page_url(arch: str, api_url: str) -> str:
    """The catalog's web page: the website bucket's URL (serverless) or the API's own `/ui/`."""
    return str((procs.load_arch(arch) or {}).get("page_url") or f"{api_url}/ui/")


def cmd_up(args: argparse.Namespace) -> int:
    """Start an architecture, wait until healthy, print its base URL last; without --detach, serve until ^C."""
    module = archs.load(args.arch)
    try:
        url = module.up(backend=args.backend, release=args.release)
    except procs.AlreadyUp:
        raise  # the running one stays up
    except BaseException:
        module.down()  # never leave half an architecture running
        raise
    print(f"web page: {page_url(args.arch, url)}")  # before the API's URL, which stays the last line
    if args.detach:
        print(url)
        return 0
    print(f"{args.arch} is up; press Ctrl-C to stop it", file=sys.stderr)
    print(url, flush=True)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        while not stop["now"]:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        module.down()
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    """Stop one architecture, or all of them."""
    for name in [args.arch] if args.arch else archs.ARCHITECTURES:
        archs.load(name).down()
        print(f"{name}: down")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Show what is running, its release and whether it answers."""
    for name in archs.ARCHITECTURES:
        info = procs.load_arch(name)
        if info is None:
            print(f"{name:14} down")
            continue
        try:
            health = requests.get(info["url"] + "/health", timeout=2).json()
            state = f"healthy, release {health.get('release')}"
        except (requests.RequestException, ValueError):
            state = "NOT ANSWERING"
        running = {n: r["pid"] for n, r in procs.records(name).items() if procs.alive(r["pid"])}
        stack = f"  stack={info['stack']}" if info.get("stack") else ""  # microservices on Docker Swarm
        print(f"{name:14} {info['url']}  {state}  backend={info.get('backend')}{stack}  processes={running}")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    """Print a bearer token the write endpoints accept."""
    print(auth.make_token(subject=args.subject, ttl_s=args.ttl))
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    """Release one component (or the whole unit) of a running architecture, or deploy the serverless stack."""
    if args.target or args.dry_run:
        if args.arch != "serverless":
            raise SystemExit("workshop deploy: --target and --dry-run deploy the serverless stack only")
        return deploy_stack(args.target or "local", args.release or "v1", args.dry_run)
    if not args.release:
        raise SystemExit("workshop deploy: --release is required")
    try:
        parse_fault(args.fault or "")  # refused here, before anything is released
    except ValueError as exc:
        raise SystemExit(f"workshop deploy: {exc}") from None
    module = archs.load(args.arch)
    env = {"WORKSHOP_FAULT": args.fault} if args.fault else {}
    url = module.deploy(args.component, args.release, env)
    print(url)
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add `up`, `down`, `status`, `token` and `deploy` to the `workshop` parser."""
    up = sub.add_parser("up", help="start an architecture")
    up.add_argument("arch", choices=archs.ARCHITECTURES)
    up.add_argument("--detach", action="store_true", help="return once healthy, leave it running")
    up.add_argument("--backend", choices=["process", "docker", "swarm"], default=None,
                    help="microservices only: containers, plain processes, or a Docker Swarm stack "
                         "(default: docker if reachable)")
    up.add_argument("--release", default="v1")
    up.set_defaults(func=cmd_up)
    down = sub.add_parser("down", help="stop an architecture (all when none is named)")
    down.add_argument("arch", nargs="?", choices=archs.ARCHITECTURES)
    down.set_defaults(func=cmd_down)
    sub.add_parser("status", help="what is running").set_defaults(func=cmd_status)
    token = sub.add_parser("token", help="print a JWT for the write endpoints")
    token.add_argument("--subject", default="workshop-user")
    token.add_argument("--ttl", type=int, default=24 * 3600, help="seconds until it expires")
    token.set_defaults(func=cmd_token)
    deploy = sub.add_parser("deploy", help="release one component of a running architecture")
    deploy.add_argument("arch", choices=archs.ARCHITECTURES)
    deploy.add_argument("component", nargs="?", help="tier, service or function (monolith: whole unit)")
    deploy.add_argument("--release", help="the release to run (required, except for a whole-stack deploy)")
    deploy.add_argument("--fault", help="make it a bad release, e.g. error:get_video, latency:list_videos:300 "
                        "or unhealthy:get_video "
                        "(its /health fails too)")
    deploy.add_argument("--target", choices=["local", "aws"], default=None,
                        help="serverless: deploy the whole template to the local AWS or to AWS")
    deploy.add_argument("--dry-run", action="store_true", help="serverless: print the deployment plan")
    deploy.set_defaults(func=cmd_deploy)
