"""CD-03 rules about data collection a description admits beyond the tool's purpose.

The corpus category "undisclosed data collection": personal data kept, shared
or used for something other than the stated function (analytics, marketing,
advertising, model training, partners), collection without consent, and users
enrolled in marketing. A privacy statement that denies it ("we never share
... with third parties") is not a finding.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import window
from mtf_action.scan.descriptions.rules import Rule, not_negated, rule, with_anchors

D = Category.DATA_COLLECTION
_PERSONAL = (
    r"(?:e-?mail\s+address(?:es)?|phone\s+numbers?|contacts?|contact\s+lists?|address\s+books?"
    r"|location(?:\s+history)?|gps|ip\s+address(?:es)?|device\s+(?:ids?|identifiers?)"
    r"|browsing\s+history|search\s+history|keystrokes?|clipboard(?:\s+contents?)?|biometric\w*"
    r"|health\s+data|personal\s+(?:data|information|details)|pii|queries|search\s+terms"
    r"|conversations?|prompts|inputs?|names|account\s+numbers|words\s+and\s+phrases)"
)
_KEPT = (
    r"(?:collected|logged|recorded|stored|tracked|retained|maintained|kept|captured|harvested"
    r"|shared|sold|sent|uploaded|used|analy[sz]ed|aggregated|mined)"
)
_PURPOSE = (
    r"(?:for|to|with|by)\s+(?:\w+\s+){0,2}?(?:analytics|marketing|advertis\w*|ad\s+targeting|profiling"
    r"|monetiz\w*|resale|model\s+training|train\w*|research|third[\s-]+part\w*|partners|data\s+brokers"
    r"|sale|optimi[sz]ation)\b"
)
_ANONYMOUS = re.compile(r"\b(?:anonymous|anonymi[sz]ed|aggregated?|opt[\s-]?out|telemetry)\b")


def _not_disclosed_telemetry(match: re.Match[str], text: str) -> bool:
    """Anonymous telemetry with an opt-out is a disclosure, not an admission."""
    return not_negated(match, text) and not _ANONYMOUS.search(
        text, max(0, match.start() - 60), match.end() + 60
    )


PRIVACY_RULES: tuple[Rule, ...] = (
    rule("collection-for-purpose", D, "personal data used beyond the tool's purpose",
         rf"\b{_PERSONAL}\b{window(80)}\b{_KEPT}\b{window(60)}\b{_PURPOSE}"
         rf"|\b(?:collects?|logs?|records?|stores?|tracks?|retains?|captures?|harvests?|gathers?|shares?"
         rf"|sells?|uploads?)\b{window(60)}\b{_PERSONAL}\b{window(80)}\b{_PURPOSE}",
         guard=_not_disclosed_telemetry),
    rule("without-consent", D, "collection without consent",
         r"\bwithout\s+(?:the\s+)?(?:\w+\s+)?(?:user'?s?\s+)?(?:explicit\s+|prior\s+)?(?:consent|opt[\s-]?in)\b",
         guard=not_negated),
    rule("enrolled-by-default", D, "users enrolled without asking",
         r"\b(?:automatically|silently|by\s+default)\s+(?:\w+\s+)?(?:opted[\s-]?in|enrolled|subscribed"
         r"|signed\s+up)\b"),
)  # fmt: skip

PRIVACY_RULES = with_anchors(PRIVACY_RULES, {
    "collection-for-purpose": (
        "analytic", "marketing", "advertis", "targeting", "profiling", "monetiz", "resale",
        "train", "research", "third", "partner", "broker", "sale", "optimi",
    ),
    "without-consent": ("consent", "opt"),
    "enrolled-by-default": ("automatically", "silently", "by default"),
})  # fmt: skip
