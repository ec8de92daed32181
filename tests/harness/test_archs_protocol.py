"""Every module in the architecture registry implements every member of the `Architecture` protocol.

`archs.load()` only casts the module it imports, so nothing else checks that a module has what the harness calls.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from workshop import archs


def protocol_methods() -> dict[str, Any]:
    """The protocol's methods by name (its own, not typing's machinery)."""
    return {name: value for name, value in vars(archs.Architecture).items()
            if callable(value) and not name.startswith("_")}


def test_the_registry_names_every_architecture_and_the_protocol_is_whole() -> None:
    assert set(archs.MODULES) == set(archs.ARCHITECTURES)
    assert set(archs.Architecture.__annotations__) == {"NAME", "COMPONENTS", "ROLLBACK_COMPONENT"}
    assert {"up", "down", "deploy", "pids", "new_capacity", "orchestrated", "self_rollback"} <= set(protocol_methods())


@pytest.mark.parametrize("name", archs.ARCHITECTURES)
def test_every_architecture_module_has_every_protocol_member(name: str) -> None:
    module = archs.load(name)
    wanted = [*archs.Architecture.__annotations__, *protocol_methods()]
    assert [member for member in wanted if not hasattr(module, member)] == [], module.__name__
    assert module.NAME == name and all(isinstance(c, str) for c in module.COMPONENTS)
    assert module.ROLLBACK_COMPONENT is None or module.ROLLBACK_COMPONENT in module.COMPONENTS
    for method, declared in protocol_methods().items():
        implemented = getattr(module, method)
        assert callable(implemented), f"{module.__name__}.{method} is not a function"
        params = list(inspect.signature(implemented).parameters.values())
        expected = list(inspect.signature(declared).parameters.values())[1:]  # without self
        assert [p.name for p in params[:len(expected)]] == [p.name for p in expected], f"{module.__name__}.{method}"
        for given, asked in zip(params, expected, strict=False):
            has_default = given.default is not inspect.Parameter.empty
            assert has_default or asked.default is inspect.Parameter.empty, f"{module.__name__}.{method}({given.name})"
        extra = [p.name for p in params[len(expected):] if p.default is inspect.Parameter.empty]
        assert extra == [], f"{module.__name__}.{method} needs arguments the protocol does not give: {extra}"


@pytest.mark.parametrize("name", ["monolith", "soa", "serverless"])
def test_the_architectures_without_an_orchestrator_leave_the_rollback_to_the_harness(name: str) -> None:
    module = archs.load(name)
    assert module.orchestrated() is False
    assert module.self_rollback("x", "v2-bad", {"WORKSHOP_FAULT": "error:get_video"}) is None
