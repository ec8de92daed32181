"""Where the local AWS spends its time under 8 concurrent users on GET /videos (a sampling profile).

Starts the serverless app's local AWS in this process (as `workshop up serverless` does in its own),
seeds it, and drives GET /videos through the gateway from a separate load process while a sampler
thread looks at every thread's stack every few ms. Each sample of a busy thread is put in one bucket
(the first rule that matches its stack); idle waits (accept, select, a lock or queue wait) are
counted apart. Run with WORKSHOP_LOCALAWS_PLAIN_MOTO=1 for plain moto.

    python benchmarks/localaws_profile.py [--seconds 20] [--users 8] [--videos 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IDLE = ("select", "poll", "accept", "wait", "acquire", "readinto", "recv_into", "recv", "sleep",
        "_wait_for_tstate_lock", "get", "readline", "read", "_read")
# (bucket, substring of a frame's "file:function"), first match from the top of the list wins.
BUCKETS = [
    ("logs+billing (runtime/logs.py)", "runtime/logs.py"),
    ("moto dynamodb: size/deepcopy", "dynamodb/models/dynamo_type.py"),
    ("moto dynamodb: query/scan/items", "moto/dynamodb/models"),
    ("serializer (fast path)", "localaws/services/fastpath.py"),
    ("serializer (moto)", "moto/core/serialize.py"),
    ("moto dynamodb: result to dicts", "dynamodb/models/utilities.py"),
    ("moto request parsing", "moto/core/parse.py"),
    ("moto dynamodb: expressions", "moto/dynamodb/parsing"),
    ("moto other services", "site-packages/moto/"),
    ("gateway (localaws/apigw)", "localaws/apigw"),
    ("invoke + environment (localaws/invoke, runtime)", "localaws/"),
    ("flask/werkzeug request handling", "site-packages/werkzeug"),
    ("flask", "site-packages/flask"),
]


def bucket(codes: tuple) -> str:
    """The bucket of one thread's stack (code objects, innermost first)."""
    names = [f"{code.co_filename}:{code.co_name}" for code in codes]
    for label, needle in BUCKETS:
        if any(needle in n for n in names):
            return label
    return "other: " + names[0].rsplit("/", 1)[-1] if names else "other"


def sample(stop: threading.Event, stacks: Counter, idle: Counter, period: float) -> None:
    """Every `period` s, one sample per thread other than this one (stacks kept raw: classified later)."""
    me = threading.get_ident()
    while not stop.is_set():
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            if frame.f_code.co_name in IDLE:
                idle[frame.f_code.co_name] += 1
                continue
            codes = []
            while frame is not None:
                codes.append(frame.f_code)
                frame = frame.f_back
            stacks[tuple(codes)] += 1
        time.sleep(period)


LOAD = """
import json, sys
sys.path.insert(0, {bench!r})
from soa_vs_monolith import drive
print(json.dumps(drive({url!r}, ["/videos"], {users}, {seconds})))
"""


def main(argv: list[str] | None = None) -> int:
    """Profile the local AWS under load and print where its threads were."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--videos", type=int, default=20)
    parser.add_argument("--period", type=float, default=0.01)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from soa_vs_monolith import drive, seed

    from localaws import start_local_aws
    from serverless.deploy.cli import deploy_local

    with tempfile.TemporaryDirectory(prefix="profile-localaws-") as state, start_local_aws(state) as aws:
        url = deploy_local(aws.endpoint)["base_url"]
        seed(url, args.videos)
        print("seeded; warming up", file=sys.stderr, flush=True)
        drive(url, ["/videos"], args.users, 3.0)  # warm environments
        print("profiling", file=sys.stderr, flush=True)
        stacks: Counter = Counter()
        idle: Counter = Counter()
        stop = threading.Event()
        sampler = threading.Thread(target=sample, args=(stop, stacks, idle, args.period), daemon=True)
        sampler.start()
        code = LOAD.format(bench=str(ROOT / "benchmarks"), url=url, users=args.users, seconds=args.seconds)
        load = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        stop.set()
        sampler.join()
        print("stopping", file=sys.stderr, flush=True)
    counts: Counter = Counter()
    leaves: dict[str, Counter] = {}
    for codes, n in stacks.items():
        label = bucket(codes)
        counts[label] += n
        leaves.setdefault(label, Counter())[f"{codes[0].co_filename.rsplit('/', 1)[-1]}:{codes[0].co_name}"] += n
    result = json.loads(load.stdout.strip().splitlines()[-1])
    print(f"GET /videos, {args.users} users, {args.seconds:.0f} s: {result['rps']:.1f} req/s, "
          f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors {result['errors']}")
    busy = sum(counts.values())
    print(f"busy thread samples in the local AWS process: {busy} (idle waits: {sum(idle.values())})")
    for label, n in counts.most_common(16):
        top = ", ".join(f"{leaf} {100 * k / n:.0f}%" for leaf, k in leaves[label].most_common(3))
        print(f"  {100 * n / busy:5.1f}%  {label}  (innermost: {top})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
