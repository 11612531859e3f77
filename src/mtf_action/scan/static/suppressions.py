"""Inline suppressions: ``# nosec: <reason>`` and ``// nosec: <reason>`` (MTF CQ-03, CQ-05).

MTF honours an inline suppression only with a justification. Bandit's own
``# nosec`` handling is switched off (it would drop a finding silently under a
bare ``# nosec``, and it reads ``# nosec: some reason`` as a list of test names);
the comments are parsed here instead:

- ``# nosec: reason`` (also ``# nosec B602: reason``, ``// nosec detect-child-process - reason``)
  turns each matching finding into an info record "suppressed: reason";
- a suppression without a reason hides nothing: the finding stands as if the
  comment were absent, and the bare suppression is reported itself (WARN).

A suppression may name rules the way Bandit and eslint-plugin-security do (``B602``,
``detect-child-process``, ``security/detect-eval-with-expression``); then it covers
only findings of those rules. It applies to findings whose node spans its line.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mtf_action.scan.js.parse import JsTree

_NOSEC = re.compile(r"(?i)(?<![\w-])nosec\b(?P<rest>.*)", re.DOTALL)
_RULE = re.compile(r"(?i)^\s*(B\d{3}|(?:security/)?detect-[a-z-]+)\s*,?")
_SEPARATORS = " \t:-–—,;."
MIN_REASON_CHARS = 3  # "ok", "x" or "-" justify nothing


@dataclass(frozen=True)
class Suppression:
    """One ``nosec`` comment."""

    line: int
    reason: str | None  # None: no justification given
    rules: frozenset[str] = field(default_factory=frozenset)  # empty: every rule

    @property
    def justified(self) -> bool:
        return self.reason is not None

    def covers(self, rule_ids: Iterable[str]) -> bool:
        return not self.rules or any(r.lower() in self.rules for r in rule_ids)


def parse_comment(comment: str, line: int) -> Suppression | None:
    """The suppression a comment's text carries, if any (comment markers included or not)."""
    match = _NOSEC.search(comment)
    if match is None:
        return None
    rest = match.group("rest").strip().removesuffix("*/").lstrip(_SEPARATORS)
    rules: set[str] = set()
    while rule := _RULE.match(rest):
        name = rule.group(1).lower()
        rules.add(name.removeprefix("security/"))
        rest = rest[rule.end() :].lstrip(_SEPARATORS)
    reason = " ".join(rest.split())
    justified = sum(ch.isalnum() for ch in reason) >= MIN_REASON_CHARS
    return Suppression(line, reason if justified else None, frozenset(rules))


def python_suppressions(text: str) -> dict[int, Suppression]:
    """``# nosec`` comments of a Python source, by line (real comments only, not strings)."""
    found: dict[int, Suppression] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT and (sup := parse_comment(tok.string, tok.start[0])):
                found[sup.line] = sup
    except (tokenize.TokenError, SyntaxError):
        pass  # keep what was read before the broken part
    return found


def js_suppressions(tree: JsTree) -> dict[int, Suppression]:
    """``// nosec`` and ``/* nosec */`` comments of a script, by every line they span."""
    found: dict[int, Suppression] = {}
    for node in tree.walk():
        if node.type != "comment":
            continue
        first = JsTree.line(node)
        sup = parse_comment(tree.text(node), first)
        if sup is not None:
            for line in range(first, node.end_point.row + 2):
                found[line] = sup
    return found


def lookup(
    suppressions: Mapping[int, Suppression], first: int, last: int, rule_ids: Iterable[str]
) -> Suppression | None:
    """The suppression covering a finding on lines ``first..last`` of one of ``rule_ids``."""
    ids = tuple(rule_ids)
    for line in range(first, max(first, last) + 1):
        sup = suppressions.get(line)
        if sup is not None and sup.covers(ids):
            return sup
    return None
