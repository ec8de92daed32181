"""Read the SAM template (CloudFormation short tags included) and resolve its intrinsic functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


@dataclass(frozen=True)
class Tag:
    """A CloudFormation short-form tag such as !Ref X or !Sub '...'."""

    name: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Tag:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return Tag(suffix, value)


_Loader.add_multi_constructor("!", _tag)


def load(path: str | Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain data with Tag objects for intrinsics."""
    return yaml.load(Path(path).read_text(), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


class Unresolved(Exception):
    """A value known only once another resource exists (an API id, a queue URL...)."""


@dataclass
class Context:
    """What intrinsics resolve against: parameters, pseudo parameters, refs and attributes of resources."""

    params: dict[str, Any]
    account: str
    region: str
    refs: dict[str, Any] = field(default_factory=dict)
    attrs: dict[tuple[str, str], Any] = field(default_factory=dict)
    placeholders: bool = False  # dry run: unknown values become "<Name>" instead of raising

    def ref(self, name: str) -> Any:
        pseudo = {"AWS::AccountId": self.account, "AWS::Region": self.region, "AWS::Partition": "aws",
                  "AWS::StackName": self.params.get("Prefix", "videocatalog"), "AWS::URLSuffix": "amazonaws.com"}
        if name in pseudo:
            return pseudo[name]
        for table in (self.params, self.refs):
            if name in table:
                return table[name]
        return self._unknown(name)

    def getatt(self, name: str, attr: str) -> Any:
        if (name, attr) in self.attrs:
            return self.attrs[(name, attr)]
        return self._unknown(f"{name}.{attr}")

    def _unknown(self, what: str) -> str:
        if self.placeholders:
            return f"<{what}>"
        raise Unresolved(what)


def resolve(value: Any, ctx: Context) -> Any:
    """`value` with every intrinsic function replaced by its value."""
    if isinstance(value, Tag):
        return _intrinsic(value, ctx)
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join"):
            key = next(iter(value))
            return _intrinsic(Tag(key.removeprefix("Fn::"), value[key]), ctx)
        return {k: resolve(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ctx) for v in value]
    return value


def _intrinsic(tag: Tag, ctx: Context) -> Any:
    if tag.name == "Ref":
        return ctx.ref(tag.value)
    if tag.name == "GetAtt":
        name, attr = tag.value if isinstance(tag.value, list) else tag.value.split(".", 1)
        return ctx.getatt(name, attr)
    if tag.name == "Join":
        sep, items = tag.value
        return sep.join(str(resolve(i, ctx)) for i in items)
    if tag.name == "Sub":
        text, extra = (tag.value, {}) if isinstance(tag.value, str) else tag.value
        return SUB_VAR.sub(lambda m: str(_sub_var(m.group(1), extra, ctx)), text)
    raise ValueError(f"unsupported intrinsic !{tag.name}")


def _sub_var(var: str, extra: dict[str, Any], ctx: Context) -> Any:
    if var in extra:
        return resolve(extra[var], ctx)
    if "." in var and not var.startswith("AWS::"):
        name, attr = var.split(".", 1)
        return ctx.getatt(name, attr)
    return ctx.ref(var)


def parameters(template: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """Parameter values: the given ones over the template's defaults; fails on a missing one."""
    out = {}
    for name, spec in (template.get("Parameters") or {}).items():
        if name in given:
            out[name] = str(given[name])
        elif "Default" in spec:
            out[name] = str(spec["Default"])
        else:
            raise SystemExit(f"template parameter {name} needs a value")
    return out


def merged_function(template: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    """A function's properties with the template's Globals.Function merged in (maps merge, scalars override)."""
    merged = dict((template.get("Globals") or {}).get("Function") or {})
    for key, value in props.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            inner = dict(merged[key])
            for k, v in value.items():
                inner[k] = {**inner[k], **v} if isinstance(v, dict) and isinstance(inner.get(k), dict) else v
            merged[key] = inner
        else:
            merged[key] = value
    return merged
