"""Invisible characters, homoglyphs and mixed scripts in a name (MTF RG-02, UTS #39).

Confusable data and script properties come from ``confusable-homoglyphs``
(generated from the Unicode ``confusables.txt`` and ``Scripts.txt``). A name is
*deceptive* (RG-02 "Homoglyph in name": BLOCK) when it has

- an invisible or control character (zero-width, bidi controls, tag characters...),
- a compatibility character that NFKC folds to something else (fullwidth ``ｓｔｒｉｐｅ``),
- a non-Latin letter confusable with a Latin one, in a name that also has Latin
  letters (mixed-script confusable) or whose skeleton is entirely ASCII
  (whole-script confusable, Cyrillic ``арр`` for ``app``).

Mixing scripts without confusable letters (Latin with CJK) is only reported.
The *skeleton* maps every non-ASCII character to the ASCII character it is
confusable with (after NFKC), so a look-alike can be compared with known names.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"})
_IGNORABLE_RANGES = ((0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0000, 0xE0FFF), (0x115F, 0x1160))


def _confusables() -> tuple[dict[str, Any], Any]:
    # Imported on first use: the data set is large and only RG-02 needs it.
    from confusable_homoglyphs import (  # type: ignore[import-untyped]
        categories,
        confusables,
    )

    data: dict[str, Any] = confusables.confusables_data
    return data, categories


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"


def invisible(char: str) -> bool:
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _IGNORABLE_RANGES):
        return True
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or (
        unicodedata.category(char) == "Zs" and char != " "
    )


def _ascii_lookalike(char: str, data: dict[str, Any]) -> str | None:
    """The ASCII character ``char`` is confusable with: a letter or digit first."""
    found = [
        str(g.get("c", ""))
        for g in data.get(char, ())
        if str(g.get("c", "")).isascii() and str(g.get("c", "")).strip()
    ]
    letters = [c for c in found if len(c) == 1 and c.isalnum()]
    choice = letters or found
    return choice[0] if choice else None


def skeleton(text: str) -> str:
    """NFKC, then every non-ASCII character replaced by its ASCII look-alike, lower-cased."""
    if text.isascii():  # NFKC keeps ASCII as is: no table needed (the usual name)
        return "".join(c for c in text if not invisible(c)).casefold()
    data, _ = _confusables()
    folded = unicodedata.normalize("NFKC", text)
    out = []
    for char in folded:
        if char.isascii() or invisible(char):
            out.append("" if invisible(char) else char)
        else:
            out.append(_ascii_lookalike(char, data) or char)
    return "".join(out).casefold()


@dataclass(frozen=True)
class Lookalike:
    """What :func:`analyse` found in one name."""

    text: str
    skeleton: str
    invisible: list[str] = field(default_factory=list)  # code point descriptions
    compatibility: list[str] = field(default_factory=list)  # chars NFKC changes
    confusable: list[tuple[str, str]] = field(default_factory=list)  # (char, looks like)
    scripts: list[str] = field(default_factory=list)  # scripts of the letters

    @property
    def mixed_scripts(self) -> bool:
        return len(self.scripts) > 1

    @property
    def deceptive(self) -> bool:
        whole_script = bool(self.confusable) and self.skeleton.isascii()
        mixed = bool(self.confusable) and "LATIN" in self.scripts
        return bool(self.invisible or self.compatibility or mixed or whole_script)

    def explain(self) -> str:
        parts: list[str] = []
        if self.invisible:
            parts.append("invisible characters " + ", ".join(self.invisible))
        if self.compatibility:
            parts.append("compatibility characters " + ", ".join(self.compatibility))
        if self.confusable:
            parts.append(
                "look-alike letters "
                + ", ".join(f"{_codepoint(c)} (looks like {a!r})" for c, a in self.confusable)
            )
        if self.mixed_scripts:
            parts.append("scripts " + " + ".join(self.scripts))
        return "; ".join(parts)


def analyse(text: str) -> Lookalike:
    """Invisible, compatibility and confusable characters and the scripts of ``text``."""
    if text.isascii():  # ASCII letters are Latin and confusable with nothing
        return Lookalike(
            text=text,
            skeleton=skeleton(text),
            invisible=[_codepoint(c) for c in dict.fromkeys(text) if invisible(c)],
            scripts=["LATIN"] if any(c.isalpha() for c in text) else [],
        )
    data, categories = _confusables()
    hidden = [_codepoint(c) for c in dict.fromkeys(text) if invisible(c)]
    compat = [
        _codepoint(c)
        for c in dict.fromkeys(text)
        if not c.isascii() and unicodedata.normalize("NFKC", c) != c and not invisible(c)
    ]
    confusable: list[tuple[str, str]] = []
    scripts: set[str] = set()
    for char in dict.fromkeys(unicodedata.normalize("NFKC", text)):
        if not char.isalpha():
            continue
        script = str(categories.alias(char))
        scripts.add(script)
        if script != "LATIN" and not char.isascii():
            lookalike = _ascii_lookalike(char, data)
            if lookalike is not None and lookalike.isalnum():
                confusable.append((char, lookalike))
    return Lookalike(
        text=text,
        skeleton=skeleton(text),
        invisible=hidden,
        compatibility=compat,
        confusable=confusable,
        scripts=sorted(scripts - {"COMMON", "INHERITED"}),
    )
