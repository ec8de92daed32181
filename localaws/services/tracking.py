"""Stop moto from keeping every model object it ever made: the local AWS's memory stays flat under load.

moto 5.2.5's `BaseModel.__new__` appends every instance to its class's `instances_tracked` list, only
for the `/moto-api/data.json` dashboard and S3's reset. DynamoDB's Query and Scan deep-copy each
returned `Item` (a BaseModel), so every call kept ~9 KB per returned item alive forever (issue 18);
SQS messages, Kinesis records and log events went the same way. Here each class's list is swapped
for `WeakInstances`, which has the list's interface but holds weak references: the dashboard and S3's
reset still see every live object, and a discarded copy is freed.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from moto.core.model_instances import model_data


class WeakInstances:
    """The list interface moto uses on `instances_tracked` (append, iterate, len), by weak reference."""

    def __init__(self, existing: list[Any] | None = None) -> None:
        self._refs: dict[int, Any] = {}
        self._strong: list[Any] = []  # objects that cannot be weakly referenced stay as moto kept them
        self._ids = itertools.count()
        self._lock = threading.Lock()
        for obj in existing or []:
            self.append(obj)

    def append(self, obj: Any) -> None:
        """Track `obj` until it is garbage (moto calls this from BaseModel.__new__)."""
        key = next(self._ids)
        refs = self._refs
        try:
            refs[key] = weakref.ref(obj, lambda _ref: refs.pop(key, None))
        except TypeError:
            with self._lock:
                self._strong.append(obj)

    def __iter__(self) -> Iterator[Any]:
        live = [ref() for ref in list(self._refs.values())]
        return iter([obj for obj in live if obj is not None] + list(self._strong))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class TrackingGuard:
    """Swaps `instances_tracked` for WeakInstances on every moto model class, including ones imported later."""

    def __init__(self) -> None:
        self._seen = -1
        self._lock = threading.Lock()

    def check(self, force: bool = False) -> None:
        """Weaken the classes moto registered since the last check (cheap when none were; force after a reset)."""
        count = sum(len(models) for models in list(model_data.values()))
        if count == self._seen and not force:
            return
        with self._lock:
            for models in list(model_data.values()):
                for cls in list(models.values()):
                    tracked = getattr(cls, "instances_tracked", None)
                    if isinstance(tracked, list):
                        cls.instances_tracked = WeakInstances(tracked)  # type: ignore[attr-defined]
            self._seen = count


GUARD = TrackingGuard()


def before_moto_request(path: str) -> None:
    """Run by the front before each request moto serves: new model classes get weak tracking."""
    GUARD.check()


def after_moto_request(path: str) -> None:
    """Run by the front after each request moto served: moto's reset puts plain lists back."""
    if path.startswith("/moto-api/reset"):
        GUARD.check(force=True)


SNS_NOTIFICATIONS_KEPT = 100


def bound_sns_notifications(keep: int = SNS_NOTIFICATIONS_KEPT) -> Callable[[], None]:
    """Keep only each topic's last `keep` published messages (moto keeps all, for tests); returns the undo."""
    from moto.sns.models import Topic

    original = Topic.publish

    def publish(self: Any, *args: Any, **kwargs: Any) -> str:
        message_id = original(self, *args, **kwargs)
        del self.sent_notifications[:-keep]  # AWS keeps nothing once delivered; moto's list grew ~10 KB a call
        return message_id

    Topic.publish = publish  # type: ignore[method-assign]
    return lambda: setattr(Topic, "publish", original)
