"""`workshop deploy serverless --target local|aws [--dry-run]` and `workshop teardown serverless ...`."""

from __future__ import annotations

import argparse

from workshop.runtime import procs


def cmd_teardown(args: argparse.Namespace) -> int:
    """Remove the whole stack from the target and verify by listing that nothing is left."""
    from serverless.deploy import cli

    t = cli.target(args.target, local_endpoint(args.target), dry_run=args.dry_run)
    left = cli.run_teardown(t, dry_run=args.dry_run)
    if left:
        print("left behind:\n  " + "\n  ".join(left))
        return 1
    if not args.dry_run:
        print("teardown complete: nothing of the stack is left")
    return 0


def _record(outputs: dict, release: str) -> None:
    # A redeploy after a teardown makes a new API (a new URL): keep `workshop status` and the harness right.
    from workshop.archs.serverless import arch as serverless

    info = procs.load_arch(serverless.NAME)
    if info and outputs.get("endpoint") == info.get("endpoint"):
        info["url"], info["api_id"], info["release"] = outputs["base_url"], outputs["api_id"], release
        info["components"] = {c: release for c in serverless.COMPONENTS}
        procs.save_arch(serverless.NAME, info)


def local_endpoint(kind: str) -> str | None:
    """The endpoint of the running local AWS for a `local` target (the harness starts it, not the deployer)."""
    if kind != "local":
        return None
    return (procs.load_arch("serverless") or {}).get("endpoint")


def deploy_stack(kind: str, release: str, dry_run: bool) -> int:
    """Deploy (or print the plan of) the whole serverless template to the local AWS or to AWS."""
    from serverless.deploy import cli

    outputs = cli.run_deploy(cli.target(kind, local_endpoint(kind), dry_run=dry_run), release, dry_run)
    if outputs:
        _record(outputs, release)
        print(outputs["base_url"])
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add `teardown` to the `workshop` parser (the stack deploy is `workshop deploy serverless --target`)."""
    teardown = sub.add_parser("teardown", help="remove the serverless stack from the local AWS or AWS")
    teardown.add_argument("arch", choices=["serverless"])
    teardown.add_argument("--target", choices=["local", "aws"], default="local")
    teardown.add_argument("--dry-run", action="store_true", help="print what would be deleted")
    teardown.set_defaults(func=cmd_teardown)
