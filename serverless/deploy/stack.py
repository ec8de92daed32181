"""The stack the template declares: physical names, ARNs known in advance, and the order of creation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from serverless.deploy.kinds import ORDER, kind
from serverless.deploy.template import TEMPLATE, Context, load, merged_function, parameters, resolve


@dataclass
class Resource:
    """One declared resource with its physical name (when it has one) and its Metadata."""

    logical: str
    type: str
    props: dict[str, Any]
    name: str | None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def physical(self) -> str:
        """The physical name of a resource that must have one (functions, roles, APIs, queues)."""
        if self.name is None:
            raise ValueError(f"{self.logical} ({self.type}) has no physical name")
        return self.name


class Stack:
    """The template, its parameters and what every resource will be called in one account and region."""

    def __init__(self, params: dict[str, Any], account: str, region: str, template: dict[str, Any] | None = None,
                 path: str | Path = TEMPLATE):
        self.path = Path(path)  # paths in the template (Metadata.Contract) are relative to its folder
        self.template = template or load(self.path)
        self.ctx = Context(parameters(self.template, params), account, region)
        self.resources: list[Resource] = []
        for logical, spec in (self.template.get("Resources") or {}).items():
            props = spec.get("Properties") or {}
            if spec["Type"] == "AWS::Serverless::Function":
                props = merged_function(self.template, props)
            name_prop = kind(spec["Type"]).name_property
            name = resolve(props[name_prop], self.ctx) if name_prop and name_prop in props else None
            self.resources.append(Resource(logical, spec["Type"], props, name, spec.get("Metadata") or {}))
            self._known(logical, spec["Type"], name)
        self.resources.sort(key=lambda r: ORDER.index(r.type))

    def _known(self, logical: str, kind_name: str, name: str | None) -> None:
        # Values that follow from names alone, so resources can name each other before they exist.
        row = kind(kind_name)
        refs, attrs = self.ctx.refs, self.ctx.attrs
        arn = row.arn.format(region=self.ctx.region, account=self.ctx.account, name=name) if row.arn else None
        if arn:
            attrs[(logical, "Arn")] = arn
        if row.ref == "name":
            refs[logical] = name
        elif row.ref == "arn":
            refs[logical] = arn
        if row.name_attribute:
            attrs[(logical, row.name_attribute)] = name  # a queue's Ref (its URL) is known once it exists

    def of_type(self, kind: str) -> list[Resource]:
        """The declared resources of one type, in template order."""
        return [r for r in self.resources if r.type == kind]

    def get(self, logical: str) -> Resource:
        """The resource with that logical id."""
        return next(r for r in self.resources if r.logical == logical)

    def resolve(self, value: Any) -> Any:
        """Resolve intrinsics against what is known now."""
        return resolve(value, self.ctx)

    @property
    def prefix(self) -> str:
        return str(self.ctx.params.get("Prefix", "videocatalog"))

    def artifacts_bucket(self) -> str:
        """Where the deployer uploads code zips (SAM's managed bucket plays this part for `sam deploy`)."""
        return f"{self.prefix}-artifacts-{self.ctx.account}-{self.ctx.region}"
