"""CD-03 rules about tools that exist to be read, not called (sleeper tools, line jumping).

A description is in the model's context as soon as the server is listed
(Trail of Bits' "line jumping"), so a tool that is never meant to run can
still steer the model: it says it must not be called, that being loaded is
enough, that its purpose is to carry rules for other tools, or that it wakes
on a trigger phrase or a date. Ordinary "do not call" text (deprecation, rate
limits, "not without confirmation") names a reason or an alternative, which
the rules leave alone.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.rules import Rule, not_negated, rule, with_anchors

Z = Category.SLEEPER_TOOL
_THIS_TOOL = r"(?:this|the)\s+(?:tool|function|server|extension|plugin)"
_RULES = r"(?:rules|instructions|guidance|directives|policies|steps|requirements)"
_DEPRECATION = re.compile(r"\b(?:deprecated|instead|obsolete|legacy|replaced\s+by|prefer)\b")


def _no_alternative_named(match: re.Match[str], text: str) -> bool:
    return not _DEPRECATION.search(text, max(0, match.start() - 80), match.end() + 80)


SLEEPER_RULES: tuple[Rule, ...] = (
    rule("presence-is-the-point", Z, "tool whose presence, not its use, is the point",
         r"\b(?:merely|simply|just)?\s*(?:having|loading|listing|keeping)\s+(?:it|this\s+(?:tool|function|server))\s+"
         r"(?:\w+\s+){0,2}?(?:loaded|available|installed|listed|present|enabled|in\s+(?:context|the\s+list))\s+"
         r"is\s+(?:enough|sufficient|all\s+that)"
         rf"|\b(?:its|the(?:\s+tool'?s)?)\s+(?:only|sole|real|actual)\s+(?:purpose|job|function|role)\s+is\s+to\s+"
         rf"(?:provide|carry|deliver|hold|define|set|give|establish|inject|add|load|convey)\s+(?:the\s+|these\s+)?"
         rf"(?:\w+\s+)?{_RULES}"
         rf"|\b(?:do\s+not|don'?t|never|no)\s+(?:needs?\s+to|has\s+to|have\s+to|need)\s+(?:to\s+)?(?:invoke|call|use|run"
         rf"|select|execute)\s+{_THIS_TOOL}\b[;,.:!]?\s+(?:\w+\s+){{0,3}}?(?:follow|apply|obey|observe|read|use"
         rf"|keep\s+in\s+mind|remember|note)\s+(?:the\s+|these\s+)?(?:\w+\s+)?{_RULES}"
         r"|\b(?:this\s+(?:tool|function|server)|it)\s+(?:is|exists)\s+(?:\w+\s+)?(?:only|solely|just|purely)\s+(?:here\s+)?"
         r"(?:to|so\s+that|for)\b[^.\n]{0,60}?\b(?:rules|instructions|guidance|directives|polic(?:y|ies))\b"),
    rule("wakes-on-trigger", Z, "tool that waits for a trigger",
         r"\b(?:do\s+not|don'?t|never)\s+(?:use|call|invoke|run|activate|select)\s+(?:this\s+(?:tool|function)|it)\s+"
         r"(?:until|unless)\s+(?:the\s+)?users?\s+(?:says?|types?|writes?|mentions?|enters?|sends?|uses?)\b"
         r"|\b(?:secret|magic|trigger|activation)\s+(?:phrase|word|keyword|sentence)\b"
         r"|\b(?:inactive|dormant|asleep)\s+until\b"
         r"|\b(?:stays?|remains?|lies|sits?|is|are)\s+(?:silent|hidden)\s+until\b"
         r"|\b(?:until|once|when|after)\s+(?:the\s+)?users?\s+(?:says?|types?|writes?|mentions?|enters?)\s+(?:the\s+(?:word"
         r"|phrase)\s+)?['\"`][^'\"`\n]{1,40}['\"`][^.\n]{0,40}?\b(?:from\s+then\s+on|from\s+now\s+on|thereafter"
         r"|afterwards|after\s+that|switch|activate)"
         r"|\bdormant\s+(?:tool|utility|function|mode|payload|instructions?)\b"),
    rule("must-not-be-selected", Z, "tool that says it must never be used",
         rf"\b(?:should|must|shall)\s+(?:not|never)\s+(?:invoke|call|use|run|select|execute)\s+{_THIS_TOOL}\b"
         r"(?!\s+(?:for|to|with|on|if|unless|when|before|after|in|directly|more|again|until|without"
         r"|instead|as|while|during|outside|except|from|twice|concurrently))"
         r"|\b(?:hidden|secret|undocumented|covert)\s+(?:admin\w*|debug|maintenance|internal|backdoor|root|god)"
         r"\s+(?:tool|function|command|mode|access|endpoint)\b|\bbackdoor\b",
         guard=lambda m, text: _no_alternative_named(m, text) and not_negated(m, text)),
)  # fmt: skip

SLEEPER_RULES = with_anchors(SLEEPER_RULES, {
    "presence-is-the-point": ("having", "loading", "listing", "keeping", "purpose", "job", "function", "role", "need", "only", "solely", "just", "purely"),
    "wakes-on-trigger": ("until", "secret", "magic", "trigger", "activation", "dormant", "user"),
    "must-not-be-selected": ("should", "must", "shall", "hidden", "secret", "undocumented", "covert", "backdoor"),
})  # fmt: skip
