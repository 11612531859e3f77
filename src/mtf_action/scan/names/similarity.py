"""Levenshtein neighbours among popular names and known organisation scopes (MTF RG-02).

The spec's threshold is "Levenshtein distance <= 2 from top packages". Applied
to short names it would make most of them neighbours (``git`` and ``gif``), so
the allowed distance scales with the length of the shorter string: 2 from eight
characters on, 1 from five, 0 (no fuzzy match) below. Names the same scope owns
are never neighbours of each other (an organisation may publish ``server-github``
and ``server-gitlab``); a name that *is* a listed popular name is not compared.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from mtf_action.scan.names.catalog import popular_names, services
from mtf_action.scan.names.forms import NameForms, normalise

# Affixes that turn an organisation's scope into a look-alike (@stripe-official, @thestripe).
SCOPE_AFFIXES = ("official", "inc", "hq", "team", "labs", "corp", "real", "the", "mcp", "ai", "io")
_BARE_MIN = 8  # bare names shorter than this are too generic to compare across scopes


def max_distance(length: int) -> int:
    return 2 if length >= 8 else 1 if length >= 5 else 0


@dataclass(frozen=True)
class Neighbour:
    known: str  # the popular name as listed
    group: str  # the list group it comes from (its source)
    distance: int
    form: str  # which forms matched: full, flat or bare


@functools.cache
def known_entries() -> tuple[tuple[NameForms, str], ...]:
    return tuple(
        (NameForms.parse(name, fold_lookalikes=False), group)
        for name, group in popular_names().all_names()
    )


@functools.cache
def known_full_names() -> frozenset[str]:
    return frozenset(forms.full for forms, _ in known_entries())


@functools.cache
def known_scopes() -> frozenset[str]:
    scopes = {forms.scope for forms, _ in known_entries() if forms.scope}
    for service in services().services:
        scopes.update(normalise(s) for s in service.scopes)
    return frozenset(scopes)


def _pairs(name: NameForms, known: NameForms) -> list[tuple[str, str, str]]:
    pairs = [("full", name.full, known.full), ("flat", name.flat, known.flat)]
    if (name.scope or known.scope) and min(len(name.bare), len(known.bare)) >= _BARE_MIN:
        pairs.append(("bare", name.bare, known.bare))
    if name.scope and known.scope:  # @someone/playwright-mcp copies @playwright/mcp flattened
        pairs.append(("bare", name.bare, known.flat))
    return pairs


def neighbours(name: NameForms) -> list[Neighbour]:
    """Popular names within the allowed distance of ``name``, closest first."""
    if name.full in known_full_names():
        return []
    found: dict[str, Neighbour] = {}
    for known, group in known_entries():
        if name.scope is not None and name.scope == known.scope:
            continue
        for form, mine, theirs in _pairs(name, known):
            limit = max_distance(min(len(mine), len(theirs)))
            distance = Levenshtein.distance(mine, theirs, score_cutoff=limit)
            if distance <= limit:
                best = found.get(known.original)
                if best is None or distance < best.distance:
                    found[known.original] = Neighbour(known.original, group, distance, form)
    return sorted(found.values(), key=lambda n: (n.distance, n.known))


def scope_lookalikes(scope: str) -> list[tuple[str, str]]:
    """Known organisation scopes ``scope`` imitates: (known scope, how)."""
    if scope in known_scopes():
        return []
    found: list[tuple[str, str]] = []
    compact = scope.replace("-", "")
    for known in sorted(known_scopes()):
        limit = max_distance(min(len(scope), len(known)))
        distance = Levenshtein.distance(scope, known, score_cutoff=limit)
        if distance <= limit:
            found.append((known, f"Levenshtein distance {distance}"))
            continue
        for affix in SCOPE_AFFIXES:
            if compact in (known.replace("-", "") + affix, affix + known.replace("-", "")):
                found.append((known, f"{known!r} with {affix!r} added"))
                break
    return found
