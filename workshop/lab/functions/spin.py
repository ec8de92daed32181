"""CPU-bound work of a fixed size (hash rounds): its duration shows the CPU share that comes with memory."""

import hashlib
import time


def handler(event, context):
    """Hash a small buffer `rounds` times (default 200,000) and say how long it took."""
    rounds = int(event.get("rounds", 200_000))
    start = time.perf_counter()
    digest = b"workshop"
    for _ in range(rounds):
        digest = hashlib.sha256(digest).digest()
    return {"rounds": rounds, "ms": round((time.perf_counter() - start) * 1000, 1), "digest": digest.hex()[:12],
            "memory_limit_mb": int(context.memory_limit_in_mb)}
