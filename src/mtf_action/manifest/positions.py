"""Where things are in a JSON text: nesting depth before parsing, key lines after.

The standard ``json`` module gives no positions for keys, and it recurses in C
for nested containers (a deeply nested document ends in ``RecursionError``).
So this module:

* measures the nesting depth with one regular-expression pass that skips
  strings, *before* the text reaches ``json.loads``;
* maps JSON pointers to line numbers by walking an already-parsed (hence
  syntactically valid) text, reading every string and scalar with the standard
  decoder's ``raw_decode`` and only descending into containers itself.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from dataclasses import dataclass, field

# A JSON string (escapes included) or a bracket; strings are matched whole so the
# brackets inside them are not counted.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_WS = re.compile(r"[ \t\n\r]*")


def escape_pointer_token(token: str) -> str:
    """RFC 6901 escaping of one reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*parts: str | int) -> str:
    """A JSON pointer from unescaped parts: ``pointer("tools", 0)`` is ``/tools/0``."""
    return "".join("/" + escape_pointer_token(str(part)) for part in parts)


def parent_pointer(ptr: str) -> str:
    return ptr.rsplit("/", 1)[0] if ptr else ""


class _LineMap:
    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


def excessive_depth(text: str, limit: int) -> tuple[int, int] | None:
    """``(depth, line)`` of the first container nested deeper than ``limit``, else None.

    Works on malformed text too (it only counts brackets outside strings), so it
    can run before the parser and keep hostile input away from its recursion.
    """
    depth = 0
    for match in _TOKENS.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > limit:
                return depth, _LineMap(text).line(match.start())
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


@dataclass
class KeyIndex:
    """Line of every key and array element, and any duplicate keys met on the way."""

    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, ptr: str) -> int | None:
        """Line of ``ptr``; for a missing member, the line of its nearest present parent."""
        while ptr:
            if ptr in self.lines:
                return self.lines[ptr]
            ptr = parent_pointer(ptr)
        return None


def index_keys(text: str) -> KeyIndex:
    """Walk a JSON text (already known to parse) and record where each pointer starts."""
    index = KeyIndex()
    decoder = json.JSONDecoder()
    lines = _LineMap(text)

    def skip(i: int) -> int:
        match = _WS.match(text, i)
        return match.end() if match else i

    def value(i: int, here: str) -> int:
        char = text[i]
        if char == "{":
            seen: set[str] = set()
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                key, end = decoder.raw_decode(text, i)
                child = here + "/" + escape_pointer_token(str(key))
                if key in seen:
                    index.duplicates.append((child, lines.line(i)))
                else:
                    seen.add(key)
                    index.lines.setdefault(child, lines.line(i))
                i = skip(end)
                i = skip(value(skip(i + 1), child))  # i was at ':'
                if text[i] == "}":
                    return i + 1
                i = skip(i + 1)  # ','
        if char == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            position = 0
            while True:
                child = f"{here}/{position}"
                index.lines.setdefault(child, lines.line(i))
                i = skip(value(i, child))
                if text[i] == "]":
                    return i + 1
                i = skip(i + 1)
                position += 1
        _, end = decoder.raw_decode(text, i)
        return int(end)

    # Positions are a convenience: on any surprise keep the partial index.
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        value(skip(0), "")
    return index
