"""Route matching the way API Gateway picks the most specific route for a request."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    route_key: str
    params: dict[str, str]
    score: tuple[int, ...]


def _template_regex(template: str) -> tuple[re.Pattern[str], bool, int]:
    parts, literals, greedy = [], 0, False
    for seg in template.strip("/").split("/") if template.strip("/") else []:
        if seg.startswith("{") and seg.endswith("+}"):
            parts.append(f"(?P<{_name(seg[1:-2])}>.+)")
            greedy = True
        elif seg.startswith("{") and seg.endswith("}"):
            parts.append(f"(?P<{_name(seg[1:-1])}>[^/]+)")
        else:
            parts.append(re.escape(seg))
            literals += 1
    return re.compile("^/" + "/".join(parts) + "/?$"), greedy, literals


def _name(param: str) -> str:
    # Regex group names must be identifiers; keep a reversible encoding of the original name.
    return "p_" + "".join(c if c.isalnum() else f"_{ord(c):x}_" for c in param)


def _unname(group: str) -> str:
    return re.sub(r"_([0-9a-f]+)_", lambda m: chr(int(m.group(1), 16)), group[2:])


def match_route(route_keys: list[str], method: str, path: str) -> Match | None:
    """The best route for METHOD path among keys like 'GET /a/{id}', 'ANY /{proxy+}', '$default'."""
    best: Match | None = None
    for key in route_keys:
        if key == "$default":
            candidate = Match(key, {}, (0,))
        else:
            verb, _, template = key.partition(" ")
            if verb.upper() not in (method.upper(), "ANY"):
                continue
            regex, greedy, literals = _template_regex(template)
            found = regex.match(path)
            if not found:
                continue
            params = {_unname(k): v for k, v in found.groupdict().items()}
            segments = len(template.strip("/").split("/"))
            candidate = Match(key, params, (1, 0 if greedy else 1, literals, segments, verb.upper() != "ANY"))
        if best is None or candidate.score > best.score:
            best = candidate
    return best
