"""Reports what an execution environment looks like from inside: cold or warm, memory, time left, /tmp."""

import os
import shutil
import tempfile
import time
import uuid

ENVIRONMENT_ID = uuid.uuid4().hex[:8]  # made once per environment, during INIT
INVOCATIONS = {"count": 0}


def handler(event, context):
    """Sleep or allocate as asked, then describe this environment."""
    INVOCATIONS["count"] += 1
    time.sleep(float(event.get("sleep_s", 0)))
    ballast = bytearray(int(event.get("allocate_mb", 0)) * 1024 * 1024)  # touch memory on purpose
    ballast[::4096] = b"x" * len(ballast[::4096])
    tmp = tempfile.gettempdir()
    return {"environment": ENVIRONMENT_ID, "pid": os.getpid(), "invocation_in_environment": INVOCATIONS["count"],
            "memory_limit_mb": int(context.memory_limit_in_mb), "remaining_ms": context.get_remaining_time_in_millis(),
            "function": context.function_name, "version": context.function_version, "tmp": tmp,
            "tmp_free_mb": shutil.disk_usage(tmp).free // 2**20, "stage": os.environ.get("STAGE")}
