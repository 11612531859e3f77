"""The rule type shared by every CD-03 pattern table."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import NEGATION_BEFORE, is_reserved_destination

Guard = Callable[[re.Match[str], str], bool]


@dataclass(frozen=True)
class Rule:
    """One pattern of one category, compiled once, on first use.

    Compiling the ~80 rule tables costs about 0.1 s, a large share of a scan's
    start-up; a rule whose anchors never occur in the scanned texts (most of
    them, on a benign bundle) is never compiled.

    ``guard`` rejects a match the pattern alone cannot (a negated sentence, a
    documentation host). ``blocking=False`` is the spec's "suspicious phrasing
    (low confidence): WARN"; ``warn_in_server`` downgrades a block to a warning
    in the server's own description, which is shown to people installing it
    (install commands belong there) rather than read by the model as a tool.
    """

    slug: str
    category: Category
    title: str
    source: str
    blocking: bool = True
    guard: Guard | None = None
    warn_in_server: bool = False
    anchors: tuple[str, ...] = ()

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source)

    def first(self, text: str) -> re.Match[str] | None:
        """The first accepted match; ``anchors`` (one must occur) skip the regex cheaply."""
        if self.anchors and not any(a in text for a in self.anchors):
            return None
        for m in self.pattern.finditer(text):
            if self.guard is None or self.guard(m, text):
                return m
        return None


def rule(
    slug: str,
    category: Category,
    title: str,
    pattern: str,
    *,
    blocking: bool = True,
    guard: Guard | None = None,
    warn_in_server: bool = False,
    anchors: tuple[str, ...] = (),
) -> Rule:
    return Rule(slug, category, title, pattern, blocking, guard, warn_in_server, anchors)


def not_negated(match: re.Match[str], text: str) -> bool:
    """The sentence does not deny it ("we never share data with third parties")."""
    return not NEGATION_BEFORE.search(text, max(0, match.start() - 40), match.start())


# "including when not addressed", "whether or not": a condition, not a denial.
_NEGATION_INSIDE = re.compile(
    r"\b(?:never|no|without|nor)\b|(?<!when )(?<!even )(?<!or )\bnot\b|n't\b"
)


def not_negated_at_all(match: re.Match[str], text: str) -> bool:
    """Neither the sentence before nor the match itself denies it ("... are never shared")."""
    return not_negated(match, text) and not _NEGATION_INSIDE.search(match.group(0))


def real_destination(match: re.Match[str], text: str) -> bool:
    """The URL or address in the match (groups ``dest*``) is not a documentation-only host."""
    found = [v for k, v in match.groupdict().items() if k.startswith("dest") and v]
    return not any(is_reserved_destination(v) for v in found)


def real_and_not_negated(match: re.Match[str], text: str) -> bool:
    return real_destination(match, text) and not_negated(match, text)


def with_anchors(
    rules: tuple[Rule, ...], anchors: Mapping[str, tuple[str, ...]]
) -> tuple[Rule, ...]:
    """``rules`` with their prefilter substrings (every match of the rule contains one)."""
    unknown = set(anchors) - {r.slug for r in rules}
    if unknown:
        raise ValueError(f"anchors for unknown rules: {sorted(unknown)}")
    return tuple(replace(r, anchors=anchors.get(r.slug, ())) for r in rules)
