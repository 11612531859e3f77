"""Homoglyph folding with the Unicode confusables table (UTS #39), toward ASCII.

The data is ``confusables.txt`` of Unicode Technical Standard #39 as shipped
(parsed into JSON) by the PyPI package ``confusable-homoglyphs``: for every
character, the characters it is confusable with. Our patterns are ASCII, so we
fold toward ASCII: a non-ASCII character that UTS #39 lists as confusable with
an ASCII character is replaced by it (Cyrillic ``а`` -> ``a``, Greek ``ο`` ->
``o``, ``’`` -> ``'``). This is the skeleton restricted to the ASCII target:
the full UTS #39 skeleton also rewrites ASCII itself (``m`` -> ``rn``,
``I``/``1`` -> ``l``), which would force every pattern to be written in
skeleton form; ASCII text is already what the patterns read.

Text is case-folded before this table is applied, so capitals resolve to the
lowercase prototype (Cyrillic ``І`` -> ``і`` -> ``i``, not ``l``).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib.resources import files
from typing import Any

_PACKAGE = "confusable-homoglyphs"  # PyPI name, for the error message


def _ascii_target(candidates: list[dict[str, Any]]) -> str | None:
    """The best ASCII look-alike among ``candidates``: one letter or digit first."""
    ascii_ones: list[str] = [
        c["c"] for c in candidates if isinstance(c.get("c"), str) and c["c"].isascii()
    ]
    for candidate in ascii_ones:
        if len(candidate) == 1 and candidate.isalnum():
            return candidate.lower()
    for candidate in ascii_ones:
        if 0 < len(candidate) <= 3:
            return candidate.lower()
    return None


@cache
def ascii_table() -> dict[str, str]:
    """Non-ASCII character -> its ASCII look-alike, from the package's UTS #39 data."""
    try:
        resource = files("confusable_homoglyphs") / "confusables.json"
        data: dict[str, list[dict[str, Any]]] = json.loads(resource.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - install problem
        raise RuntimeError(f"CD-03 needs the {_PACKAGE} package's data: {exc}") from exc
    table: dict[str, str] = {}
    for char, candidates in data.items():
        if len(char) != 1 or char.isascii():
            continue
        target = _ascii_target(candidates)
        if target is not None:
            table[char] = target
    return table


def script_of(char: str) -> str:
    """A coarse script name from the character name (``LATIN``, ``CYRILLIC``, ...).

    Letters only; compatibility forms (fullwidth, mathematical) are judged
    after NFKC, so ``ｉ`` counts as Latin rather than as a script of its own.
    """
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1 or not folded.isalpha():
        return "COMMON"
    if folded.isascii():
        return "LATIN"
    name = unicodedata.name(folded, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def homoglyph_letters(word: str) -> list[str]:
    """Non-Latin letters in a mostly Latin word that pass for Latin ones (UTS #39).

    ``pаypal`` with a Cyrillic ``а`` -> ``["а"]``. A word written wholly in one
    other script (Russian, Greek) returns nothing: that is a language, not a
    disguise.
    """
    table = ascii_table()
    scripts = {script_of(c) for c in word if c.isalpha()}
    scripts.discard("COMMON")
    if "LATIN" not in scripts or len(scripts) < 2:
        return []
    return [c for c in word if c.isalpha() and script_of(c) != "LATIN" and c.casefold() in table]
