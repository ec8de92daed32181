"""A fast JSON response serializer for moto: same bytes as moto's own, without its per-value picking.

moto 5.2.5 serializes every response through a generic, shape-driven serializer that, for each member
of each structure, builds a picker context and tries up to six alias providers (about 3,000 picker
calls for a Query of 21 video items: ~85% of the Query's time). For results made of plain dicts and
lists (what DynamoDB's item operations, SQS's and Kinesis's JSON operations return) the aliases that
can apply depend only on the shape, so this module works them out once per shape ("a plan") and then
walks the result directly. Anything the plan does not cover exactly (an object instead of a dict, a
response transformer, an error, an event stream) goes through moto's own serializer unchanged.
`tests/localaws/test_fastpath_conformance.py` compares both serializers byte for byte.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from enum import Enum
from typing import Any

from botocore import xform_name
from botocore.model import Shape, StructureShape
from moto.core import serialize as moto_serialize

SKIP = object()  # "set no key", as moto's serializer does for a None structure
Writer = Callable[[Any], Any]


class Fallback(Exception):
    """The plan cannot reproduce moto's output for this value: use moto's serializer."""


def _candidate_keys(parent: StructureShape, key: str, member: Shape) -> list[str]:
    """The dict keys moto's XFormedAttributePicker tries for `key`, in its order (see DEFAULT_ALIAS_PROVIDERS)."""
    aliases: list[str] = []
    # ExplicitAlias needs a `Meta` attribute, which a plain dict never has.
    if member.type_name in ("list", "structure") and member.name not in parent.members and key != member.name:
        aliases.append(member.name)  # ShapeNameAlias
    aliases.append(key)  # NoAlias
    if key.lower().startswith(parent.name.lower()) and key[len(parent.name):] not in parent.members:
        aliases.append(key[len(parent.name):])  # ShapePrefixAlias
    if key.lower().startswith("dict"):
        aliases.append(key[len("dict"):])  # ClassPrefixAlias, for an object of class `dict`
    if member.serialization.get("name", key) != key:
        aliases.append(member.serialization["name"])  # ModelAlias
    keys: list[str] = []
    for alias in aliases:
        for candidate in (alias, xform_name(alias)):
            if "." in candidate:
                raise Fallback(f"dotted key {candidate!r} is a path for moto's picker")
            keys.append(candidate)
    return keys


class Planner:
    """Writers (value -> serialized value, or SKIP) compiled once per shape of one service model."""

    def __init__(self) -> None:
        self._plans: dict[tuple[Any, ...], Writer] = {}
        self._lock = threading.RLock()

    def writer(self, shape: Shape) -> Writer:
        """The writer of `shape`, compiled on first use.

        Keyed by name and traits, not identity: botocore makes new shape objects at every level of a
        recursive shape (AttributeValue -> M -> AttributeValue...), so identity would never repeat.
        """
        key = (id(shape._shape_resolver), shape.name, shape.type_name, repr(sorted(shape.serialization.items())))
        found = self._plans.get(key)
        if found is not None:
            return found
        with self._lock:
            if key in self._plans:
                return self._plans[key]
            late: list[Writer] = []
            self._plans[key] = lambda value: late[0](value)  # a recursive shape meets itself here
            try:
                compiled = self._compile(shape)
            except Fallback as unsupported:
                compiled = _refuse(str(unsupported))
            late.append(compiled)
            self._plans[key] = compiled
            return compiled

    def _compile(self, shape: Shape) -> Writer:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape)  # type: ignore[arg-type]
        if kind == "map":
            return self._map(shape)
        if kind == "list":
            return self._list(shape)
        simple: dict[str, Writer] = {"string": _string, "integer": int, "long": int, "float": float,
                                     "double": float, "boolean": _same, "blob": _blob}
        if kind in simple:
            return simple[kind]
        if kind == "timestamp":
            return _timestamp(shape)
        raise Fallback(f"shape type {kind}")

    def _structure(self, shape: StructureShape) -> Writer:
        if shape.is_document_type:
            raise Fallback("document types are written under the raw key")
        compiled = [(member.serialization.get("name", key), tuple(_candidate_keys(shape, key, member)),
                     self.writer(member)) for key, member in shape.members.items()]

        def write(value: Any) -> Any:
            if value is None:
                return SKIP
            if type(value) is not dict:
                raise Fallback(f"{type(value).__name__} for {shape.name}")
            out: dict[str, Any] = {}
            for out_key, keys, member_writer in compiled:
                for key in keys:
                    if key in value:
                        picked = value[key]
                        break
                else:
                    continue
                if picked is not None:
                    written = member_writer(picked)
                    if written is not SKIP:
                        out[out_key] = written
            return out

        return write

    def _map(self, shape: Any) -> Writer:
        value_writer = self.writer(shape.value)
        fixed_key = shape.value.serialization.get("name")

        def write(value: Any) -> Any:
            if type(value) is not dict:
                raise Fallback(f"{type(value).__name__} for map {shape.name}")
            out: dict[str, Any] = {}
            for sub_key, sub_value in value.items():
                written = value_writer(sub_value)
                if written is not SKIP:
                    out[fixed_key or sub_key] = written
            return out

        return write

    def _list(self, shape: Any) -> Writer:
        member = shape.member
        if member.serialization.get("name", member.name) != member.name:
            raise Fallback("a renamed list member makes moto append the raw item")
        member_writer = self.writer(member)

        def write(value: Any) -> Any:
            if type(value) is not list:
                raise Fallback(f"{type(value).__name__} for list {shape.name}")
            out = []
            for item in value:
                written = member_writer(item)
                out.append(item if written is SKIP else written)
            return out

        return write


def _refuse(reason: str) -> Writer:
    def write(value: Any) -> Any:
        raise Fallback(reason)

    return write


def _timestamp(shape: Shape) -> Writer:
    stamps = moto_serialize.TimestampSerializer(moto_serialize.JSONSerializer.DEFAULT_TIMESTAMP_FORMAT)

    def write(value: Any) -> Any:
        box: dict[str, Any] = {}
        stamps.serialize(box, value, shape, "v")
        return box["v"]

    return write


def _same(value: Any) -> Any:
    return value


def _string(value: Any) -> Any:
    if isinstance(value, Enum):
        value = value.value
    return str(value) if value not in [None, {}, []] else value


def _blob(value: Any) -> Any:
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes | bytearray):
        raise Fallback(f"{type(value).__name__} as a blob")
    return base64.b64encode(value).strip().decode("utf-8")


PLANNER = Planner()


class FastJSONSerializer(moto_serialize.JSONSerializer):
    """moto's JSONSerializer; a result of plain dicts and lists is written by the compiled plan instead."""

    used_plan = False  # True once a result went through the plan (the conformance test checks it)

    def _serialize_result(self, resp: Any, result: Any) -> Any:
        shape = self.operation_model.output_shape
        picker = self._value_picker
        if (shape is None or type(result) is not dict or getattr(picker, "response_transformers", None)
                or type(picker) is not moto_serialize.XFormedAttributePicker):
            return super()._serialize_result(resp, result)
        try:
            written = PLANNER.writer(shape)(result)
        except Fallback:
            return super()._serialize_result(resp, result)
        self.used_plan = True
        return self._serialized_result_to_response(resp, result, shape, {} if written is SKIP else written)


# The JSON-protocol services on the app's request path (SNS speaks the query protocol: XML).
FAST_SERVICES = ("dynamodb", "dynamodbstreams", "sqs", "kinesis", "logs")


def install(serializer: type[moto_serialize.JSONSerializer] = FastJSONSerializer,
            services: tuple[str, ...] = FAST_SERVICES) -> Callable[[], None]:
    """Make moto use `serializer` for these services' JSON responses (moto's own registry); returns the undo."""
    registry = moto_serialize.SERVICE_SPECIFIC_SERIALIZERS
    before = {name: dict(registry[name]) if name in registry else None for name in services}
    for name in services:
        registry.setdefault(name, {})["json"] = serializer

    def undo() -> None:
        for name, old in before.items():
            if old is None:
                registry.pop(name, None)
            else:
                registry[name] = old

    return undo
