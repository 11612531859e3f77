"""Checks every CD-03 paraphrase round runs: verdict per text, and prefilters never change a match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mtf_action.scan.descriptions import RULES, Category, Detection, scan_fields, tool_fields
from mtf_action.scan.descriptions.normalize import fold, variants


def detect(description: str, name: str) -> list[Detection]:
    """CD-03's detections on one tool with this name and description."""
    return scan_fields(tool_fields({"name": name, "description": description}))


def assert_blocked_as(description: str, name: str, expected: set[Category]) -> None:
    """Blocked under one of the ``expected`` categories, every detection quoting its span."""
    found = detect(description, name)
    assert expected & {d.category for d in found if d.blocking}, found
    assert all(d.quote for d in found)


def assert_not_blocked(description: str, name: str) -> None:
    found = detect(description, name)
    assert not [d for d in found if d.blocking], found


def assert_anchors_never_hide_a_match(texts: Iterable[str]) -> None:
    """Each rule finds the same span with and without its anchor prefilter, in every view."""
    texts = list(texts)
    for r in RULES:
        if not r.anchors:
            continue
        bare = replace(r, anchors=())
        for text in texts:
            view = fold(text)
            for v in (view, *variants(view)):
                found, expected = r.first(v.text), bare.first(v.text)
                assert (found and found.span()) == (expected and expected.span()), (r.slug, text)
