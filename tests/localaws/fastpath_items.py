"""Generated DynamoDB items for the fast-path conformance test: every type, nesting, limits, unicode."""

from __future__ import annotations

import random
from typing import Any

# Numbers at DynamoDB's limits: 38 significant digits, magnitudes 1E-130 .. 9.99...E+125, signs, zero.
EDGE_NUMBERS = ["0", "-0", "1", "-1", "9" * 38, "-" + "9" * 38, "0." + "0" * 37 + "1", "1E-130",
                "9.9999999999999999999999999999999999999E+125", "-1E-130", "1.5",
                "123456789012345678901234567890.12345678"]
# Text: ASCII, Latin-1, CJK, right-to-left, combining marks, non-BMP (emoji, math alphanumerics), escapes.
EDGE_TEXT = ["plain", "", "café", "東京", "שלום", "e\u0301", "🎬🎞️", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "quote\"back\\slash",
             "tab\tnewline\n", "\u0000nul", "\u2028line sep", "a" * 300]


def value(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """One random AttributeValue (wire form); maps and lists nest up to four levels."""
    kinds = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"] + (["M", "L"] * 2 if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "S":
        return {"S": rng.choice(EDGE_TEXT)}
    if kind == "N":
        return {"N": rng.choice(EDGE_NUMBERS + [str(rng.randint(-10**12, 10**12)), repr(rng.random())])}
    if kind == "B":
        return {"B": bytes(rng.randrange(256) for _ in range(rng.randint(0, 24)))}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "SS":
        return {"SS": sorted({rng.choice(EDGE_TEXT[:-1]) or "x" for _ in range(rng.randint(1, 4))})}
    if kind == "NS":
        return {"NS": sorted({str(rng.randint(-999, 999)) for _ in range(rng.randint(1, 4))} | {"1E-130"})}
    if kind == "BS":
        return {"BS": sorted({bytes([rng.randrange(256), i]) for i in range(rng.randint(1, 4))})}
    if kind == "M":
        return {"M": {rng.choice(EDGE_TEXT[:-1]) + str(i): value(rng, depth + 1) for i in range(rng.randint(0, 4))}}
    return {"L": [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]}


def item(rng: random.Random, key: str) -> dict[str, Any]:
    """An item of the `id`-keyed table, indexed by `newest`, with a handful of random attributes."""
    attrs = {f"a{i}_{rng.choice(EDGE_TEXT[:9])}": value(rng) for i in range(rng.randint(1, 8))}
    return {"id": {"S": key}, "kind": {"S": "gen"}, "created_key": {"S": f"2026#{key}"}, **attrs}
