"""`workshop deploy serverless --target local|aws [--dry-run]` and `workshop teardown serverless ...`."""

from __future__ import annotations

import argparse

from workshop.cli import commands


def cmd_teardown(args: argparse.Namespace) -> int:
    """Remove the whole stack from the target and verify by listing that nothing is left."""
    from serverless.deploy import cli

    left = cli.run_teardown(cli.target(args.target, dry_run=args.dry_run), dry_run=args.dry_run)
    if left:
        print("left behind:\n  " + "\n  ".join(left))
        return 1
    if not args.dry_run:
        print("teardown complete: nothing of the stack is left")
    return 0


def bench_on_target(args: argparse.Namespace, load) -> int:
    """`workshop bench --archs serverless --target local|aws`: deploy, load, bill, tear down (cloud.py)."""
    from pathlib import Path

    from workshop.archs.serverless import cloud

    if (args.archs or "") != "serverless":
        raise SystemExit("--target runs the serverless bench only: use --archs serverless")
    out = Path(args.out) if args.out else cloud_results_dir(args.target)
    result = cloud.run(args.target, out, load, yes=args.yes)
    if result["status"] == "cancelled":
        print("cancelled: nothing was deployed")
        return 1
    total = (result.get("load", {}).get("total") or {})
    print(f"serverless on {args.target}: {total.get('requests', 0):.0f} requests, {total.get('rps') or 0:.1f} req/s, "
          f"p95 {total.get('p95_ms')} ms; {result.get('report_lines', 0)} REPORT lines read from CloudWatch Logs; "
          f"cost of the run ${result['cost_usd']['total']:.4f} "
          f"(estimated ${result['estimate']['cost_usd']['total']:.4f})")
    if result.get("leftovers"):
        print("teardown left behind:\n  " + "\n  ".join(result["leftovers"]))
    else:
        print("teardown verified: nothing of the stack is left")
    print(out)
    return 0 if result["status"] == "ok" else 1


def cloud_results_dir(target: str):
    """A new results folder for a bench on a deploy target."""
    from workshop.cli.bench import results_dir

    return results_dir(f"serverless-{target}")


def _record(outputs: dict, release: str) -> None:
    # A redeploy after a teardown makes a new API (a new URL): keep `workshop status` and the harness right.
    from workshop.archs.serverless import arch as serverless
    from workshop.runtime import procs

    info = procs.load_arch(serverless.NAME)
    if info and outputs.get("endpoint") == info.get("endpoint"):
        info.update(url=outputs["base_url"], api_id=outputs["api_id"], release=release,
                    components={c: release for c in serverless.COMPONENTS})
        procs.save_arch(serverless.NAME, info)


def _deploy_dispatch(original):
    def run(args: argparse.Namespace) -> int:
        if args.arch == "serverless" and (args.target or args.dry_run):
            from serverless.deploy import cli

            outputs = cli.run_deploy(cli.target(args.target or "local", dry_run=args.dry_run), args.release or "v1",
                                     args.dry_run)
            if outputs:
                _record(outputs, args.release or "v1")
                print(outputs["base_url"])
            return 0
        if not args.release:
            raise SystemExit("workshop deploy: --release is required")
        return original(args)

    return run


def extend(sub) -> None:
    """Add `teardown`, and `--target`/`--dry-run` to the existing `deploy` subcommand."""
    teardown = sub.add_parser("teardown", help="remove the serverless stack from the local AWS or AWS")
    teardown.add_argument("arch", choices=["serverless"])
    teardown.add_argument("--target", choices=["local", "aws"], default="local")
    teardown.add_argument("--dry-run", action="store_true", help="print what would be deleted")
    teardown.set_defaults(func=cmd_teardown)
    deploy = sub.choices.get("deploy")
    if deploy is None:
        return
    for action in deploy._actions:  # the whole-stack deploy needs no --release (default v1)
        if "--release" in action.option_strings:
            action.required = False
    deploy.add_argument("--target", choices=["local", "aws"], default=None,
                        help="serverless: deploy the whole template to the local AWS or to AWS")
    deploy.add_argument("--dry-run", action="store_true", help="serverless: print the deployment plan")
    deploy.set_defaults(func=_deploy_dispatch(deploy.get_default("func")))


if extend not in commands.EXTENSIONS:
    commands.EXTENSIONS.append(extend)
