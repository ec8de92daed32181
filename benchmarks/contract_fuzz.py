"""Schemathesis against each architecture for a longer time than CI's 60 s: requests, failures, 5xx.

The same command line as tests/contract/test_schemathesis.py (all checks, all phases, fixed seed), with
a time budget per architecture (300 s by default, 60 s with --quick). A finding prints schemathesis' own
report with a `curl` to reproduce it. `python benchmarks/contract_fuzz.py [--archs A,B] [--seconds S]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from isolated import running

from workshop import settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "contract"))
from test_schemathesis import schemathesis_argv  # noqa: E402  (the CI test's exact command line)

ARCHS = "monolith,soa,microservices:process,serverless"


def fuzz(arch: str, seconds: int, out_dir: Path) -> dict:
    """Run schemathesis on `arch` (brought up alone) and return its counts."""
    with running(arch) as (_, base_url):
        argv = schemathesis_argv(base_url, arch.partition(":")[0], seconds, out_dir / f"{arch}.xml")
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
               "PYTHONPATH": str(ROOT / "tests" / "contract")}
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd=out_dir)
    text = proc.stdout + proc.stderr
    (out_dir / f"{arch}.txt").write_text(text)
    generated = re.search(r"(\d+) generated", text)
    failures = dict((name.strip(), int(n)) for name, n in re.findall(r"❌ (ST\d+ [^:\n]+): (\d+)", text))
    return {"exit": proc.returncode, "requests": int(generated.group(1)) if generated else 0,
            "failures": failures, "server_errors": sum(n for k, n in failures.items() if "Server error" in k),
            "report": text if proc.returncode else ""}


def main(argv: list[str] | None = None) -> int:
    """Fuzz each architecture in turn and print one line per architecture (and any report)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archs", default=ARCHS, help=f"comma list (default {ARCHS})")
    parser.add_argument("--seconds", type=int, help="budget per architecture (default 300, quick 60)")
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    seconds = args.seconds or (60 if args.quick else 300)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-fuzz-") as out:
        for arch in [a.strip() for a in args.archs.split(",") if a.strip()]:
            results[arch] = fuzz(arch, seconds, Path(out))
    print(f"{'arch':22} {'seconds':>7} {'requests':>8} {'failures':>8} {'5xx':>4}")
    for arch, r in results.items():
        print(f"{arch:22} {seconds:7d} {r['requests']:8d} {sum(r['failures'].values()):8d} {r['server_errors']:4d}")
    for arch, r in results.items():
        if r["exit"]:
            print(f"\n===== {arch} =====\n{r['report'][-6000:]}")
    if args.json:
        args.json.write_text(json.dumps({"seconds": seconds, "results": results}, indent=2))
    return 1 if any(r["exit"] for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
