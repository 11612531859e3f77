"""Making a description comparable with ASCII patterns, and invisible text visible.

:func:`fold` gives the text the rules read: invisible characters removed
(zero-width, bidi controls, tag characters, variation selectors), compatibility
forms and diacritics unfolded (NFKC/NFKD: ``ｉ``, ``𝐢``, ``í`` -> ``i``),
case-folded, and UTS #39 homoglyphs replaced by their ASCII look-alikes. Each
folded character remembers the index of the character it came from, so a match
can be quoted from the original text. ASCII text (most descriptions) takes a
fast path: lower-casing keeps every index.

:func:`variants` adds two evasion-undoing views of the folded text: leetspeak
inside words (``1gn0re`` -> ``ignore``) and letter-spacing (``i g n o r e``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from mtf_action.scan.descriptions.confusables import ascii_table

# Invisible characters outside Unicode's Cf (format) category.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180e")
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_WORD = re.compile(r"[a-z0-9@$]*(?:[a-z][0-9@$]|[0-9@$][a-z])[a-z0-9@$]*")
_SPACED = re.compile(r"(?<![a-z])(?:[a-z][ .\-_*·]){3,}[a-z](?![a-z])")
MAX_QUOTE = 160


def is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def is_invisible(char: str) -> bool:
    """A character that renders as nothing: format controls, fillers, selectors, tags."""
    if char.isascii():
        return False
    return unicodedata.category(char) == "Cf" or char in _FILLERS or is_variation_selector(char)


def visible(text: str) -> str:
    """``text`` with every invisible character written as ``<U+XXXX>``."""
    if text.isascii():
        return text
    return "".join(f"<U+{ord(c):04X}>" if is_invisible(c) else c for c in text)


def quote(text: str, start: int, end: int, limit: int = MAX_QUOTE) -> str:
    """The span ``text[start:end]`` for a report: one line, invisibles shown, truncated."""
    span = visible(" ".join(text[start:end].split()))
    if len(span) > limit:
        span = span[: limit - 1].rstrip() + "…"
    return span


@cache
def _fold_char(char: str) -> str:
    if is_invisible(char):
        return ""
    if char.isspace():
        return "\n" if char in "\n\r\u2028\u2029\x0b\x0c\x85" else " "
    # NFKD then drop marks: compatibility forms and diacritics both unfold.
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    table = ascii_table()
    return "".join(c if c.isascii() else table.get(c, c) for c in base.casefold())


@dataclass(frozen=True)
class Folded:
    """Folded text and, per folded character, its index in the original (None: identical)."""

    text: str
    origin: tuple[int, ...] | None
    label: str = "text"  # which view: text, leetspeak, letter-spacing

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            last = self.origin[-1] + 1 if self.origin else 0
            return last, last
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def fold(text: str) -> Folded:
    if text.isascii():
        return Folded(text.lower(), None)
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            out.append(char.lower())
            origin.append(index)
            continue
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return Folded("".join(out), tuple(origin))


def _compose(outer: Folded, positions: list[int], label: str, text: str) -> Folded:
    """A view built from ``outer`` keeping the folded characters at ``positions``."""
    if outer.origin is None:
        return Folded(text, tuple(positions), label)
    return Folded(text, tuple(outer.origin[p] for p in positions), label)


def variants(folded: Folded) -> Iterator[Folded]:
    """Evasion-undoing views of ``folded`` (only those that differ from it)."""
    text = folded.text
    leet = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    if leet != text:
        yield Folded(leet, folded.origin, "leetspeak")
    if _SPACED.search(text):
        keep: list[int] = []
        cursor = 0
        for m in _SPACED.finditer(text):
            keep.extend(range(cursor, m.start()))
            keep.extend(i for i in range(m.start(), m.end()) if text[i].isalpha())
            cursor = m.end()
        keep.extend(range(cursor, len(text)))
        yield _compose(folded, keep, "letter-spacing", "".join(text[i] for i in keep))
