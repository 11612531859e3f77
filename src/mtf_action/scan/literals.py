"""Which of many literal strings occur in a text, in one pass (Aho-Corasick).

Rule prefilters (CQ-01 secret anchors, CQ-02 malware needles) ask "which of
these ~60 literals does this file contain?" for every file of a vendored
tree. One ``str.find`` per literal reads a 60 MiB tree 60 times; one combined
``re`` alternation is slower still (``re`` tries the branches at every
candidate position). pyahocorasick's automaton answers in a single pass.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

import ahocorasick  # type: ignore[import-not-found, unused-ignore]

K = TypeVar("K", bound=Hashable)


class LiteralIndex(Generic[K]):
    """Literal strings, each tagged with keys; :meth:`keys_in` says which keys occur.

    ``casefold=True`` compares case-insensitively, for patterns compiled with
    ``re.IGNORECASE``: the literals and the text are both ``str.casefold()``-ed,
    which also folds the characters ``re`` treats as case variants of ASCII
    letters (``ſ`` of ``s``, the Kelvin sign of ``k``).
    """

    def __init__(self, tagged: Iterable[tuple[str, K]], *, casefold: bool = False) -> None:
        self._casefold = casefold
        by_literal: dict[str, set[K]] = {}
        for literal, key in tagged:
            if not literal:
                raise ValueError("an empty literal would match every text")
            word = literal.casefold() if casefold else literal
            by_literal.setdefault(word, set()).add(key)
        self._automaton = ahocorasick.Automaton()
        for word, keys in by_literal.items():
            self._automaton.add_word(word, frozenset(keys))
        self._empty = not by_literal
        if not self._empty:
            self._automaton.make_automaton()

    def keys_in(self, text: str) -> set[K]:
        """Keys of every literal that occurs in ``text``."""
        found: set[K] = set()
        if self._empty:
            return found
        haystack = text.casefold() if self._casefold else text
        for _end, keys in self._automaton.iter(haystack):
            found.update(keys)
        return found
