"""moto's state as bytes and back: every backend in use (every service, account and region), pickled whole.

moto 5 keeps each service's data in a module-level `BackendDict` (account -> region -> backend object) and has
no persistence of its own. Its models are plain objects, so they pickle, except for the locks some hold (an
SQS queue's `Condition`, S3 keys' `Lock`, which moto's own `__getstate__` already drops): the pickler here
writes a fresh lock in their place. A backend that still does not pickle is left out, with a log line.
"""

from __future__ import annotations

import importlib
import io
import logging
import pickle
import sys
import threading
import weakref
from collections import defaultdict
from typing import Any

import moto
from moto.core.base_backend import BackendDict

from localaws.services import state

log = logging.getLogger("localaws.persistence")
FORMAT = 1
_LOCK, _RLOCK = type(threading.Lock()), type(threading.RLock())
_FRESH = {_LOCK: threading.Lock, _RLOCK: threading.RLock, threading.Condition: threading.Condition,
          threading.Event: threading.Event, threading.Semaphore: threading.Semaphore}


_unsaved: set[str] = set()  # services already named in the log as not saved (said once, not every snapshot)


def _weak_values(items: dict[Any, Any]) -> weakref.WeakValueDictionary[Any, Any]:
    return weakref.WeakValueDictionary(items)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        fresh = _FRESH.get(type(obj))
        if fresh is not None:
            return (fresh, ())
        if type(obj) is weakref.WeakValueDictionary:  # moto's Lambda keeps ARN -> function by weak reference
            return (_weak_values, (dict(obj.items()),))
        if type(obj) is defaultdict and getattr(obj.default_factory, "__name__", "") == "<lambda>":
            return _plain_factory(obj)
        return NotImplemented


def _plain_factory(obj: defaultdict[Any, Any]) -> Any:
    # moto's Lambda: defaultdict(lambda: {}); a lambda does not pickle, the empty container's type does.
    default = obj.default_factory()  # type: ignore[misc]
    kind = type(default)
    if kind in (dict, list, set) and default == kind():
        return (defaultdict, (kind, dict(obj.items())))
    return NotImplemented


def _dumps(obj: Any) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def _key(backends: BackendDict[Any]) -> str:
    return f"{backends.backend.__module__}:{backends.backend.__qualname__}"


def _in_use() -> dict[str, dict[str, dict[str, Any]]]:
    """{backend class: {account: {region: backend}}} for every BackendDict moto has handed out."""
    return {_key(b): {acct: dict(dict.items(regions)) for acct, regions in list(b.items())}
            for b in list(BackendDict._instances)}  # type: ignore[misc]  # moto reads it the same way


def _picklable(backends: dict[str, Any]) -> dict[str, Any]:
    """The services whose backends pickle; the others are named in the log (once) and left out from now on."""
    kept = {}
    for key, value in backends.items():
        try:
            _dumps(value)
            kept[key] = value
        except (pickle.PickleError, TypeError, AttributeError) as exc:
            _unsaved.add(key)
            log.warning("localaws state: %s is not saved (%s: %s)", key, type(exc).__name__, exc)
    return kept


def _document(backends: dict[str, Any]) -> bytes:
    return _dumps({"format": FORMAT, "moto": moto.__version__, "backends": backends,
                   "platform": state.export_notes()})


def capture() -> bytes:
    """moto's whole state (and the platform's notes moto drops) as one pickle, taken while no request runs."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(30.0)  # this thread keeps the interpreter: no request changes moto half way through
    try:
        for attempt in range(3):
            backends = {key: value for key, value in _in_use().items() if key not in _unsaved}
            try:
                return _document(backends)
            except (pickle.PickleError, TypeError, AttributeError):  # a service that does not pickle: leave it out
                return _document(_picklable(backends))
            except RuntimeError:  # a dict changed size: something released the interpreter; try again
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
    finally:
        sys.setswitchinterval(interval)


def _backend_dict(key: str) -> BackendDict[Any] | None:
    module_name, _, class_name = key.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, class_name, None)
    for value in vars(module).values():
        if isinstance(value, BackendDict) and value.backend is cls:
            return value
    return None


def restore(blob: bytes) -> dict[str, int]:
    """Put a captured state back into moto (call before serving); returns backends restored per service."""
    doc = pickle.loads(blob)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("not a local AWS state file of this format")
    if doc.get("moto") != moto.__version__:
        raise ValueError(f"saved by moto {doc.get('moto')}, this is moto {moto.__version__}")
    restored: dict[str, int] = {}
    for key, accounts in doc["backends"].items():
        backends = _backend_dict(key)
        if backends is None:
            log.warning("localaws state: no moto backend %s any more; its state is dropped", key)
            continue
        for account, regions in accounts.items():
            for region, backend in regions.items():
                dict.__setitem__(backends[account], region, backend)
                _after_restore(backend)
        restored[key.split(".")[1]] = sum(len(r) for r in accounts.values())
    state.import_notes(doc.get("platform") or {})
    return restored


def _after_restore(backend: Any) -> None:
    # SQS: messages in flight when the state was taken are visible again (as after their visibility timeout),
    # and no receipt handle from before the restart deletes anything (a consumer that crashed with it is gone).
    for queue in list(getattr(backend, "queues", {}).values()) if type(backend).__name__ == "SQSBackend" else []:
        for message in queue._messages:
            if message in queue._pending_messages or message.receipt_handle:
                message.visible_at = 0.0
            message.receipt_handle = None
            message._old_receipt_handles = []
        queue._pending_messages.clear()
