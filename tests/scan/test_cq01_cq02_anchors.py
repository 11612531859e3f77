"""CQ-01 / CQ-02 prefilters are safe: every match of a rule contains one of its anchors.

The scan skips a rule on a file holding none of the rule's literal anchors, so
an anchor list missing a variant would silently lose detections. For every
regex, sample matches are generated from its parse tree (each alternative and
each character-class member in turn) and each must contain an anchor.
"""

from __future__ import annotations

import re
import re._constants as c
import re._parser as p
from typing import Any

import pytest

from mtf_action.scan.literals import LiteralIndex
from mtf_action.scan.malware.signatures import TEXT_SIGNATURES, scan_text
from mtf_action.scan.secrets.detector import _PLUGINS, PLUGIN_ANCHORS, find_secrets
from mtf_action.scan.secrets.patterns import RULES

VARIANTS = 12  # samples per regex: the k-th alternative / class member, cycling


def _class_chars(items: Any) -> list[str]:
    chars: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            chars.append(chr(av))
        elif op is c.RANGE:
            chars.extend(chr(x) for x in range(av[0], min(av[1], av[0] + 40) + 1))
        elif op is c.CATEGORY:
            chars.extend({c.CATEGORY_DIGIT: "07", c.CATEGORY_SPACE: " "}.get(av, "a"))
    return chars or ["a"]


def _gen(tree: Any, k: int, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, av in tree:
        if op is c.LITERAL:
            out.append(chr(av))
        elif op is c.NOT_LITERAL:
            out.append(" " if chr(av) != " " else "a")
        elif op is c.ANY:
            out.append("x")
        elif op is c.IN:
            chars = _class_chars(av)
            negated = any(o is c.NEGATE for o, _ in av)
            if negated:  # a character outside the class
                chars = [x for x in " a0x" if x not in chars]
            out.append(chars[k % len(chars)] if not negated else chars[0])
        elif op is c.BRANCH:
            branches = av[1]
            out.append(_gen(branches[k % len(branches)], k, groups))
        elif op is c.SUBPATTERN:
            text = _gen(av[3], k, groups)
            if av[0] is not None:
                groups[av[0]] = text
            out.append(text)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, sub = av
            out.append("".join(_gen(sub, k + i, groups) for i in range(max(low, 1))))
        elif op is c.GROUPREF:
            out.append(groups.get(av, ""))
        # AT, ASSERT, ASSERT_NOT: zero-width, nothing to emit
    return "".join(out)


def _samples(regex: re.Pattern[str]) -> list[str]:
    """Sample matches of ``regex`` (only those it really matches are returned)."""
    tree = p.parse(regex.pattern, regex.flags)
    found = []
    for k in range(VARIANTS):
        sample = _gen(tree, k, {})
        m = regex.search(sample)
        if m is not None:
            found.append(m.group(0))
    return found


def _contains_anchor(match: str, exact: tuple[str, ...], folded: tuple[str, ...]) -> bool:
    return any(a in match for a in exact) or any(a.casefold() in match.casefold() for a in folded)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_cq01_own_rule_sample_matches_contain_an_anchor(rule: Any) -> None:
    samples = _samples(rule.regex)
    assert len(samples) >= 2, f"{rule.slug}: the generator made no real matches"
    for sample in samples:
        assert _contains_anchor(sample, rule.anchors, ()), (rule.slug, sample)


_VENDOR_SAFE_REGEXES = [
    (slug, regex) for plugin, slug, _, _, safe in _PLUGINS if safe for regex in plugin.denylist
]


@pytest.mark.parametrize(("slug", "regex"), _VENDOR_SAFE_REGEXES, ids=lambda x: str(x)[:30])
def test_cq01_plugin_sample_matches_contain_an_anchor(slug: str, regex: re.Pattern[str]) -> None:
    exact, folded = PLUGIN_ANCHORS[slug]
    samples = _samples(regex)
    assert samples, f"{slug}: the generator made no real match of {regex.pattern}"
    for sample in samples:
        assert _contains_anchor(sample, exact, folded), (slug, sample)


@pytest.mark.parametrize("sig", TEXT_SIGNATURES, ids=lambda s: s.rule)
def test_cq02_signature_sample_matches_contain_a_needle(sig: Any) -> None:
    samples = _samples(sig.regex)
    assert samples, f"{sig.rule}: the generator made no real match"
    for sample in samples:
        assert any(n in sample for n in sig.needles), (sig.rule, sample)
        assert not sig.also or any(a in sample for a in sig.also), (sig.rule, sample)
        assert any(s is sig for s, _, _ in scan_text(f"x {sample} y")), (sig.rule, sample)


def test_cq01_prefilter_keeps_a_vendored_key_and_skips_anchorless_text() -> None:
    key = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    hits = find_secrets("node_modules/x/index.js", f"const t = '{key}';", vendored=True,
                        heuristics=False)  # fmt: skip
    assert [h.slug for h in hits] == ["github-token"]
    assert find_secrets("node_modules/x/a.js", "plain words only\n" * 50, vendored=True,
                        heuristics=False) == []  # fmt: skip


def test_literal_index_folds_case_like_re_ignorecase() -> None:
    index = LiteralIndex([("hooks.slack.com", "slack"), ("aws", "aws")], casefold=True)
    assert index.keys_in("https://HOOKS.SLACK.COM/x") == {"slack"}
    assert index.keys_in("AWſ_KEY") == {"aws"}  # re.IGNORECASE matches long s for s
    assert index.keys_in("nothing here") == set()
    with pytest.raises(ValueError):
        LiteralIndex([("", "x")])
