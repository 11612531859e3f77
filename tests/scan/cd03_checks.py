"""A check both CD-03 paraphrase batches run: rule prefilters never change a match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mtf_action.scan.descriptions import RULES
from mtf_action.scan.descriptions.normalize import fold, variants


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
