"""Loaded at start-up by every execution environment (its PYTHONPATH only): times the function's AWS calls.

Standard library only, and nothing of the project: it runs inside the function's process. When botocore
is imported (never before: functions that do not use it keep their INIT time), Endpoint.make_request is
wrapped so that the wall time of each call (send, wait, retries, parse) is added to a running total per
operation. After each call the totals are written atomically to $LOCALAWS_SERVICE_FILE as JSON; the
platform reads the file before and after an invocation and records the difference as service time.
"""

from __future__ import annotations

import os
import sys
import time

# Only builtin modules at start-up: this runs before every function's INIT and must not lengthen it.
_PATH = os.environ.get("LOCALAWS_SERVICE_FILE")
_totals: dict = {"ms": 0.0, "calls": {}}


def _save() -> None:
    import json  # already loaded by the runtime client by the time a call is made

    tmp = f"{_PATH}.{os.getpid()}.tmp"
    with open(tmp, "w") as fh:
        json.dump(_totals, fh)
    os.replace(tmp, str(_PATH))  # the platform never reads half a file


def _patch(endpoint_module) -> None:
    import threading

    lock = threading.Lock()  # a function may call AWS from several threads
    original = endpoint_module.Endpoint.make_request

    def make_request(self, operation_model, request_dict):
        t0 = time.perf_counter()
        try:
            return original(self, operation_model, request_dict)
        finally:
            ms = (time.perf_counter() - t0) * 1000
            key = f"{operation_model.service_model.service_id.hyphenize()}.{operation_model.name}"
            with lock:
                _totals["ms"] += ms
                _totals["calls"][key] = _totals["calls"].get(key, 0) + 1
                _save()

    endpoint_module.Endpoint.make_request = make_request


class _Finder:
    """A meta path finder that patches botocore.endpoint right after its first import."""

    def find_spec(self, name, path, target=None):
        if name != "botocore.endpoint":
            return None
        spec = next((s for f in sys.meta_path if f is not self and hasattr(f, "find_spec")
                     for s in [f.find_spec(name, path, target)] if s is not None), None)
        if spec is None or spec.loader is None:
            return None
        loader_exec = spec.loader.exec_module

        def exec_module(module):
            loader_exec(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


if _PATH:  # no file until the first call: the platform reads a missing file as no AWS time yet
    sys.meta_path.insert(0, _Finder())
