"""API Gateway mapping templates (Velocity, rendered by airspeed) with $input, $context, $util, $stageVariables."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from typing import Any

import airspeed

_TOKEN = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]")


def json_path(doc: Any, path: str) -> Any:
    """Evaluate the simple JSONPath subset mapping templates use ($, $.a.b, $.a[0], $['a'])."""
    if not path.startswith("$"):
        raise ValueError(f"JSONPath must start with $: {path}")
    current = doc
    for name, index, quoted, dquoted in _TOKEN.findall(path[1:]):
        key = name or quoted or dquoted
        if index:
            current = current[int(index)] if isinstance(current, list) and int(index) < len(current) else None
        else:
            current = current.get(key) if isinstance(current, dict) else None
        if current is None:
            return None
    return current


class InputVariable:
    """$input: the request (or integration response) body and the request parameters."""

    def __init__(self, body: bytes, params: dict[str, dict[str, str]] | None = None) -> None:
        self._raw = body.decode("utf-8", "replace")
        self._params = params or {"path": {}, "querystring": {}, "header": {}}
        try:
            self._doc: Any = json.loads(self._raw) if self._raw.strip() else {}
        except ValueError:
            self._doc = None

    @property
    def body(self) -> str:
        return self._raw

    def json(self, path: str) -> str:
        """The value at path as a JSON string."""
        return json.dumps(json_path(self._doc, path))

    def path(self, path: str) -> Any:
        """The value at path as an object templates can walk."""
        return json_path(self._doc, path)

    def params(self, name: str | None = None) -> Any:
        """A parameter by name (path, then query string, then header), or all of them."""
        if name is None:
            return self._params
        for where in ("path", "querystring", "header"):
            if name in self._params.get(where, {}):
                return self._params[where][name]
        return ""


class Util:
    """$util helpers."""

    def escapeJavaScript(self, value: Any) -> str:  # noqa: N802 - the name templates use
        return json.dumps(str(value))[1:-1].replace("'", "\\'")

    def parseJson(self, value: str) -> Any:  # noqa: N802
        return json.loads(value)

    def urlEncode(self, value: str) -> str:  # noqa: N802
        return urllib.parse.quote_plus(str(value))

    def urlDecode(self, value: str) -> str:  # noqa: N802
        return urllib.parse.unquote_plus(str(value))

    def base64Encode(self, value: str) -> str:  # noqa: N802
        return base64.b64encode(str(value).encode()).decode()

    def base64Decode(self, value: str) -> str:  # noqa: N802
        return base64.b64decode(str(value)).decode()


def render(template: str, body: bytes, context: dict[str, Any], params: dict[str, dict[str, str]] | None = None,
           stage_variables: dict[str, str] | None = None) -> str:
    """Render one mapping template."""
    namespace = {"input": InputVariable(body, params), "context": context, "util": Util(),
                 "stageVariables": stage_variables or {}}
    return airspeed.Template(template).merge(namespace)
