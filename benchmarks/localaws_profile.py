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
        "_wait_for_tstate_lock", "get", "readline", "read")
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


def bucket(frame) -> str:
    """The bucket of one thread's stack (innermost frame first)."""
    names = []
    while frame is not None:
        names.append(f"{frame.f_code.co_filename}:{frame.f_code.co_name}")
        frame = frame.f_back
    for label, needle in BUCKETS:
        if any(needle in n for n in names):
            return label
    return "other: " + names[0].rsplit("/", 1)[-1] if names else "other"


def sample(stop: threading.Event, counts: Counter, idle: Counter, period: float) -> None:
    """Every `period` s, one sample per thread other than this one."""
    me = threading.get_ident()
    while not stop.is_set():
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            if frame.f_code.co_name in IDLE:
                idle[frame.f_code.co_name] += 1
            else:
                counts[bucket(frame)] += 1
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
    parser.add_argument("--period", type=float, default=0.005)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from soa_vs_monolith import drive, seed

    from localaws import start_local_aws
    from serverless.deploy.cli import deploy_local

    with tempfile.TemporaryDirectory(prefix="profile-localaws-") as state, start_local_aws(state) as aws:
        url = deploy_local(aws.endpoint)["base_url"]
        seed(url, args.videos)
        drive(url, ["/videos"], args.users, 3.0)  # warm environments
        counts: Counter = Counter()
        idle: Counter = Counter()
        stop = threading.Event()
        sampler = threading.Thread(target=sample, args=(stop, counts, idle, args.period), daemon=True)
        sampler.start()
        code = LOAD.format(bench=str(ROOT / "benchmarks"), url=url, users=args.users, seconds=args.seconds)
        load = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        stop.set()
        sampler.join()
    result = json.loads(load.stdout.strip().splitlines()[-1])
    print(f"GET /videos, {args.users} users, {args.seconds:.0f} s: {result['rps']:.1f} req/s, "
          f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors {result['errors']}")
    busy = sum(counts.values())
    print(f"busy thread samples in the local AWS process: {busy} (idle waits: {sum(idle.values())})")
    for label, n in counts.most_common(16):
        print(f"  {100 * n / busy:5.1f}%  {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
