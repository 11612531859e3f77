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

import functools
import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import sentence, window
from mtf_action.scan.descriptions.rules import Rule, not_negated, rule, with_anchors

Z = Category.SLEEPER_TOOL
_THIS_TOOL = r"(?:this|the)\s+(?:tool|function|server|extension|plugin)"
_RULES = r"(?:rules|instructions|guidance|directives|policies|steps|requirements)"
_DEPRECATION = re.compile(r"\b(?:deprecated|instead|obsolete|legacy|replaced\s+by|prefer)\b")


# What a woken tool does that is not its job: take over, unlock, hide, or
# send everything (a plain "forwards alerts" is what many tools are for).
_PAYLOAD = (
    r"\b(?:overrides?|overriding|replaces?|takes?\s+over|rewrites?|redirects?|intercepts?|hijacks?|ignores?"
    r"|disregard\w*|switch(?:es)?\s+to|unrestricted|(?:hidden|secret)\s+(?:instructions?|steps|rules)|payload"
    r"|as\s+root|sudo|bypass\w*|exfiltrat\w*|(?:should|must)\s+not\s+be\s+mentioned|never\s+(?:be\s+)?mentioned"
    r"|disable\s+(?:all\s+)?(?:safety|security)|stop\s+following|obey\s+(?:this|these|only)"
    r"|(?:send|forward|copy|upload|post|mirror|route|reroute|divert)\w*\s+(?:\w+\s+){0,2}?(?:all|every|each"
    r"|the\s+(?:whole|entire|full)|conversation|chat|history|transcript|files|secrets?|credentials|tokens?|keys?|results"
    r"|the\s+workspace)"
    # CD-03 sleeper tool: what a woken or never-called tool takes (control, privileges, other tools' data).
    r"|replacing|take\s+control|takes\s+control|(?:root|admin\w*)\s+(?:access|privileges|rights)"
    r"|escalat\w*\s+(?:\w+\s+)?privileges|disabl\w*\s+(?:\w+\s+){0,2}?(?:audit\w*|logging|security|safety|auth\w*"
    r"|monitoring|protections?)|(?:all|every|each)\s+(?:\w+\s+){0,4}?(?:must|should|will|is|are)\s+(?:also\s+)?"
    r"(?:be\s+)?(?:copied|sent|forwarded|uploaded|mirrored|posted|routed)|(?:cop(?:y|ies|ying)|mirror\w*|send\w*"
    r"|forward\w*|upload\w*)\s+(?:\w+\s+){0,3}?(?:elsewhere|(?:to|into)\s+its\s+own)|as\s+(?:an?\s+)?commands?\s+to"
    r"\s+(?:execute|run)|add\w*\s+(?:[\w-]+\s+){0,3}?(?:recipient|bcc|payee)|as\s+(?:the\s+)?(?:payee|recipient"
    r"|beneficiary|destination)|(?:remote|shell|root|admin\w*|full)\s+(?:shell\s+)?(?:access|privileges|rights|control)"
    r"|(?:send|forward|upload|post|report)\w*\s+(?:\w+\s+){0,2}?to\s+(?:the\s+)?(?:maintainers|developers|publisher|vendor"
    r"|author|us)|presence\s+(?:tells|instructs|informs|obliges|authori[sz]es|allows|permits|grants|activates|enables))\b"
)
# The tool says of itself that it sleeps, or wakes by itself.
_DORMANT = (
    r"(?:(?:^|[.!?:;]\s+|\n\s*|\b(?:it|this\s+(?:tool|function|helper|utility|server|extension)|that|which)\s+)"
    r"(?:lies|lie|stays?|remains?|sits?|is\s+kept)\s+(?:\w+\s+)?(?:dormant|inert|inactive|asleep|latent)\b"
    r"|(?:^|[.!?]\s+|\b(?:it|this\s+(?:tool|function|helper|utility))\s+)wakes\s+up\b"
    r"|\b(?:activates?|arms?|enables?|unlocks?|wakes?)\s+itself\b"
    r"|\b(?:does|will)\s+(?:it|this\s+(?:tool|function))\s+(?:switch|turn|wake|come|kick)\s+(?:on|up|alive|in)\b"
    r"|\bignore\s+this\s+(?:tool|function)\s+(?:in|during)\s+normal\s+(?:use|operation))"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
# A condition the tool waits for: a phrase the user says, a date, a count of calls.
_TRIGGER = (
    r"(?:\b(?:if|when|whenever|once|after|until)\s+(?:the\s+)?(?:user|a\s+message|any\s+message|the\s+(?:prompt|input"
    r"|request|conversation))\b[^.!?\n]{0,60}?\b(?:says?|types?|writes?|mentions?|enters?|sends?|contains?|includes?"
    r"|uses?)\s+(?:the\s+)?(?:(?:key|code|magic|trigger|secret)?\s*(?:word|phrase|keyword|codeword|string|term)\s+)?"
    r"['\"`][^'\"`\n]{1,40}['\"`]"
    # A date or a call count that opens the sentence ("On or after 2026-03-01, ...").
    rf"|(?:^|[.!?:;]\s+|\n\s*)(?:on\s+or\s+after|after|from|starting(?:\s+on|\s+from)?|beginning|as\s+of)\s+"
    rf"(?:the\s+)?(?:{_DATE}|(?:\w+\s+){{0,3}}?(?:\d+|ten|twenty|fifty|hundred|\d+(?:st|nd|rd|th))\s+(?:\w+\s+)?"
    r"(?:calls?|invocations?|uses?|runs?)\b))"
)
# Standing orders for the model's other work: what a tool not meant to run carries.
_NO_CALL = (
    r"(?:\bnot\s+(?:a\s+)?real\s+tool\b|\b(?:never|not)\s+(?:meant|intended|designed|supposed)\s+to\s+be\s+(?:executed"
    r"|called|invoked|run|used|selected)\b|\bno\s+(?:reason|need)\s+to\s+(?:call|invoke|run|use|execute)\s+(?:this|it)\b"
    r"|\bdoes\s+nothing\s+when\s+(?:called|invoked|run)\b|\bnothing\s+happens\s+when\s+(?:this|it)\s+is\s+(?:called"
    r"|invoked|run)\b|\b(?:informational|documentation)\s+only\b|\bwithout\s+ever\s+(?:calling|invoking|running|using)\s+(?:it|this)\b"
    # CD-03 sleeper tool: the many ways of saying "not for you to call" ("is not to select this tool",
    # "refrain from ever calling", "never call.", "not for use by the assistant", "nothing to call here").
    r"|\b(?:do\s+not|don'?t|never|(?:is|are)\s+not\s+to|must\s+(?:not|never)|should\s+(?:not|never)|shall\s+not)\s+"
    r"(?:\w+\s+(?:or|and)\s+)?(?:run|call|invoke|execute|use|select|trigger|surface)\s+"
    r"(?:this(?:\s+(?:tool|function|one|entry|helper|hook|utility))?|it)\b"
    r"(?!\s+(?:for|to|with|on|if|unless|when|before|after|in|more|again|until|without|instead|as|while|during|outside"
    r"|except|from|directly|yourself|manually|by\s+hand))"
    r"|\b(?:should|must|shall)\s+(?:never|not)\s+be\s+(?:triggered|called|invoked|run|used|executed|selected)\s+by\s+"
    r"(?:the\s+)?(?:model|assistant|ai|agent|llm|you)\b|\b(?:is|are)\s+never\s+(?:executed|called|invoked|run)\b"
    r"|\bnot\s+for\s+use\s+by\s+(?:the\s+)?(?:assistant|model|ai|agent|llm)s?\b|\bnothing\s+to\s+(?:call|invoke|run)\b"
    r"|\b(?:never|do\s+not|don'?t)\s+(?:call|invoke|run|execute)\s*(?:[.;:!]|$)|\bnever\s+(?:have|has)\s+a(?:ny)?\s+(?:reason|need)\s+to\s+"
    r"(?:call|invoke|run|use|execute|select)\s+(?:this|it)\b|\brefrain\s+from\s+(?:ever\s+)?(?:calling|invoking|running"
    r"|using|executing|selecting)\s+(?:this|it)\b|\bis\s+a\s+no-?op\b"
    r"|\bnever\s+needs?\s+(?:calling|invoking|to\s+be\s+(?:called|invoked|run))\b|\bpresence\s+alone\b"
    r"|\bmere\s+presence\b|\b(?:merely|simply|just)\s+(?:being\s+)?(?:listed|loaded|present|installed)\b)"
)
_ORDERS = (
    r"\b(?:rules|instructions?|guidance|directives|polic(?:y|ies)|orders|requirements|guidelines)\b"
)
# CD-03 sleeper tool: the tool says it switches on by itself (not "inactive until you add a key").
_ACTIVATION = (
    r"(?:\b(?:becomes?|gets)\s+(?:\w+\s+)?(?:active|operational|armed|live)\b|\bis\s+armed\b"
    r"|\b(?:remains?|stays?|lies|sits?|is\s+kept)\s+(?:\w+\s+)?(?:idle|disabled|switched\s+off|turned\s+off|off|quiet"
    r"|passive|silent|dormant|inert|inactive|asleep|latent)\b|\b(?:wakes?|awakens?|kicks\s+in|comes\s+alive)\b"
    r"|\bactivates?\s+(?:automatically|itself|only|once|when|after|on)\b|\b(?:switch|turn)(?:es|s)?\s+itself\s+on\b|\b(?:responds?|reacts?|listens?)\s+only\s+to\b)"
)
_ADDRESSED_TO_USER = re.compile(r"\b(?:you|your)\b")
_EVERYWHERE = (
    r"\b(?:(?:any|every|all|each)\s+(?:other\s+)?(?:tools?|requests?|calls?|(?:file\s+)?operations?|responses?|actions?)"
    r"|other\s+tools|(?:all|any)\s+(?:later|subsequent|future)\s+\w+|takes?\s+(?:priority|precedence)"
    r"|keep\s+(?:\w+\s+){0,3}?in\s+mind|activates?)\b"
)


def _no_alternative_named(match: re.Match[str], text: str) -> bool:
    return not _DEPRECATION.search(text, max(0, match.start() - 80), match.end() + 80)


# The payload half of a rule is searched only where its cheaper half (the rule's
# pattern) matched, not at every position of every text; compiled on first use.
@functools.cache
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    before = max((m.end() for m in _PARAGRAPH_END.finditer(text, 0, start)), default=0)
    after = _PARAGRAPH_END.search(text, end)
    return before, after.start() if after else len(text)


def _payload_around(match: re.Match[str], text: str) -> bool:
    """A payload in the same paragraph, up to 250 characters after the no-call phrase or 150 before it."""
    low, high = _paragraph(text, match.start(), match.end())
    near = _compiled(_PAYLOAD).search(
        text, max(low, match.start() - 150), min(high, match.end() + 250)
    )
    return near is not None and _no_alternative_named(match, text)


def _payload_after_activation(match: re.Match[str], text: str) -> bool:
    """A payload within 200 characters after the tool switches itself on, not of the user's making."""
    high = min(_paragraph(text, match.start(), match.end())[1], match.end() + 200)
    near = _compiled(_PAYLOAD).search(text, match.end(), high)
    if near is None:
        return False
    return not _ADDRESSED_TO_USER.search(text, match.start(), near.end()) and _no_alternative_named(
        match, text
    )


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
         r"|\b(?:secret|magic|trigger|activation)\s+(?:phrase|word|keyword|sentence)\b|\bcode\s+(?:phrase|word)\b"
         rf"|\b(?:dormant|asleep)\s+until\b|\binactive\s+until\b{window(200)}{_PAYLOAD}"
         r"|\b(?:stays?|remains?|lies|sits?|is|are)\s+(?:silent|hidden)\s+until\b"
         r"|\b(?:until|once|when|after)\s+(?:the\s+)?users?\s+(?:says?|types?|writes?|mentions?|enters?)\s+(?:the\s+(?:word"
         r"|phrase)\s+)?['\"`][^'\"`\n]{1,40}['\"`][^.\n]{0,40}?\b(?:from\s+then\s+on|from\s+now\s+on|thereafter"
         r"|afterwards|after\s+that|switch|activate)"
         r"|\bdormant\s+(?:tool|utility|function|mode|payload|instructions?)\b"),
    rule("dormant-then-acts", Z, "tool that sleeps, then acts on a trigger",
         rf"{_DORMANT}{window(250)}{_PAYLOAD}|{_TRIGGER}{sentence(150)}{_PAYLOAD}"),
    rule("carries-standing-orders", Z, "tool not meant to run that carries rules for the model's other work",
         rf"{_NO_CALL}{window(250)}(?:{_ORDERS}{window(120)}{_EVERYWHERE}|{_EVERYWHERE}{window(120)}{_ORDERS})",
         guard=_no_alternative_named),
    # CD-03 sleeper tool: told not to call it, and it still acts (or gives orders) by being there.
    rule("no-call-with-payload", Z, "tool not meant to be called that still acts", _NO_CALL,
         guard=_payload_around),
    # CD-03 sleeper tool: switches itself on (a date, a count, a phrase, a time window), then takes over.
    rule("activates-then-acts", Z, "tool that activates on a condition, then acts", _ACTIVATION,
         guard=_payload_after_activation),
    rule("must-not-be-selected", Z, "tool that says it must never be used",
         rf"\b(?:should|must|shall)\s+(?:not|never)\s+(?:invoke|call|use|run|select|execute)\s+{_THIS_TOOL}\b"
         r"(?!\s+(?:for|to|with|on|if|unless|when|before|after|in|directly|more|again|until|without"
         r"|instead|as|while|during|outside|except|from|twice|concurrently))"
         r"|\b(?:hidden|secret|undocumented|covert)\s+(?:admin\w*|debug|maintenance|internal|backdoor|root|god)"
         r"\s+(?:tool|function|command|mode|access|endpoint|utility|console|panel|hook|bridge|interface|channel)\b"
         r"|\bbackdoor\b",
         guard=lambda m, text: _no_alternative_named(m, text) and not_negated(m, text)),
)  # fmt: skip

SLEEPER_RULES = with_anchors(SLEEPER_RULES, {
    "presence-is-the-point": ("having", "loading", "listing", "keeping", "purpose", "job", "function", "role", "need", "only", "solely", "just", "purely"),
    "wakes-on-trigger": ("until", "secret", "magic", "trigger", "activation", "dormant", "user", "code"),
    "no-call-with-payload": (
        "no", "never", "without", "don", "presence", "merely", "simply", "just", "refrain", "only",
    ),
    "activates-then-acts": (
        "become", "gets", "armed", "remain", "stay", "lies", "sit", "kept", "wake", "kick", "alive", "activate",
        "only", "itself",
    ),
    "must-not-be-selected": ("should", "must", "shall", "hidden", "secret", "undocumented", "covert", "backdoor"),
})  # fmt: skip
