"""Invisible characters in a description, and what they may be hiding (CD-03).

Each invisible character is judged in its context, because some are ordinary
in real text: a zero-width joiner inside an emoji sequence (👩‍💻), a zero-width
non-joiner between Persian or Indic letters, left-to-right marks in Hebrew or
Arabic text, a variation selector after an emoji, a byte-order mark at the
start, the tag characters of a subdivision flag (🏴 + tags + cancel tag). Everything
else is reported. Tag characters and runs of variation selectors can carry a
whole message ("ASCII smuggling", emoji smuggling): that message is decoded so
the rules can read it.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field

from mtf_action.scan.descriptions.normalize import is_invisible, is_variation_selector

_BIDI_MARKS = frozenset("\u200e\u200f\u061c")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad\u034f\u2061\u2062\u2063\u2064")
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"


class HiddenKind(enum.StrEnum):
    ZERO_WIDTH = "zero-width character"
    BIDI = "bidirectional control"
    TAG = "Unicode tag character"
    SELECTOR = "variation selector"
    FILLER = "invisible filler"
    FORMAT = "format character"


@dataclass
class HiddenGroup:
    """All reported invisible characters of one kind in one text."""

    kind: HiddenKind
    positions: list[int] = field(default_factory=list)
    codepoints: set[str] = field(default_factory=set)


def _rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _joins_non_latin_letters(text: str, i: int) -> bool:
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return all(c.isalpha() and not c.isascii() for c in (before, after) if c) and bool(
        before and after
    )


def _emoji_context(text: str, i: int) -> bool:
    """Next to a pictograph (an emoji ZWJ sequence or its modifiers)."""
    around = [c for c in (text[i - 1 : i], text[i + 1 : i + 2]) if c]
    return any(unicodedata.category(c) == "So" or ord(c) >= 0x1F000 for c in around)


def _flag_tag_positions(text: str) -> set[int]:
    """Indices of tag characters that spell a subdivision flag (🏴 tags… cancel)."""
    allowed: set[int] = set()
    start = text.find(_BLACK_FLAG)
    while start != -1:
        j = start + 1
        while j < len(text) and 0xE0020 <= ord(text[j]) <= 0xE007E and j - start <= 8:
            j += 1
        if j < len(text) and text[j] == _CANCEL_TAG and j > start + 1:
            allowed.update(range(start + 1, j + 1))
        start = text.find(_BLACK_FLAG, start + 1)
    return allowed


def _benign(text: str, i: int, char: str, has_rtl: bool) -> bool:
    if char == "\ufeff" and i == 0:
        return True
    if char in _BIDI_MARKS or char in "\u202a\u202b\u202c\u2066\u2067\u2068\u2069":
        return has_rtl  # overrides (U+202D/E) are never benign
    if char in "\u200c\u200d":
        return _joins_non_latin_letters(text, i) or (char == "\u200d" and _emoji_context(text, i))
    if char in _HANGUL_FILLERS:
        return _joins_non_latin_letters(text, i)
    if is_variation_selector(char):
        prev = text[i - 1 : i]
        if not prev or is_variation_selector(prev):
            return False  # a run of selectors encodes data
        keycap = text[i + 1 : i + 2] == "\u20e3"
        return keycap or not prev.isascii()
    return False


def _kind(char: str) -> HiddenKind:
    code = ord(char)
    if 0xE0000 <= code <= 0xE007F:
        return HiddenKind.TAG
    if char in _BIDI_MARKS or char in _BIDI_CONTROLS:
        return HiddenKind.BIDI
    if char in _ZERO_WIDTH:
        return HiddenKind.ZERO_WIDTH
    if is_variation_selector(char):
        return HiddenKind.SELECTOR
    if char in _HANGUL_FILLERS or char in "\u17b4\u17b5":
        return HiddenKind.FILLER
    return HiddenKind.FORMAT


def hidden_characters(text: str) -> list[HiddenGroup]:
    """The reportable invisible characters of ``text``, grouped by kind."""
    if text.isascii():
        return []
    has_rtl = any(_rtl(c) for c in text if not c.isascii())
    flags = _flag_tag_positions(text) if _BLACK_FLAG in text else set()
    groups: dict[HiddenKind, HiddenGroup] = {}
    for i, char in enumerate(text):
        if char.isascii() or not is_invisible(char) or i in flags:
            continue
        if _benign(text, i, char, has_rtl):
            continue
        kind = _kind(char)
        group = groups.setdefault(kind, HiddenGroup(kind))
        group.positions.append(i)
        group.codepoints.add(f"U+{ord(char):04X}")
    return list(groups.values())


def smuggled_text(text: str) -> str | None:
    """A message encoded in tag characters or variation selectors, when there is one.

    Tag characters U+E0020..U+E007E mirror ASCII; variation selectors
    VS1..VS256 encode the bytes 0..255 (emoji smuggling), read as UTF-8.
    """
    tags = "".join(chr(ord(c) - 0xE0000) for c in text if 0xE0020 <= ord(c) <= 0xE007E)
    selectors = bytearray()
    for c in text:
        code = ord(c)
        if 0xFE00 <= code <= 0xFE0F:
            selectors.append(code - 0xFE00)
        elif 0xE0100 <= code <= 0xE01EF:
            selectors.append(code - 0xE0100 + 16)
    decoded = selectors.decode("utf-8", "ignore") if len(selectors) >= 4 else ""
    message = " ".join(part for part in (tags, decoded) if part.strip())
    return message or None
