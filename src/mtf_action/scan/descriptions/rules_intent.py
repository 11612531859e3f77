"""CD-03 rules about what the model is told to do: override, shadowing, concealment.

Instruction override (spec: CRITICAL), tool shadowing (instructions that change
how *other* tools are used: a BCC added, a recipient changed, a call
redirected), concealment (keep the user unaware), sleeper tools ("should never
be invoked"), hidden markup (instructions inside HTML comments) and the
low-confidence phrasing the spec's severity table puts at WARN.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import EMAIL, window
from mtf_action.scan.descriptions.rules import (
    Rule,
    not_negated,
    real_destination,
    rule,
    with_anchors,
)

O, S, C = Category.INSTRUCTION_OVERRIDE, Category.TOOL_SHADOWING, Category.CONCEALMENT
_TOOL_REF = r"[`'\"(]?[a-z][\w.\-()]*[`'\")]?"
_USE = r"(?:using|calling|invoking|running|executing|use|call|invoke|run|execute)"
_TAMPER = (
    r"(?:\b(?:add|change|replace|redirect|modify|append|prepend|swap|substitute|reroute|route)"
    r"\b[^\n]{0,80}?\b(?:recipients?|bcc|cc|to\s+field|address(?:es)?|destination|endpoint"
    r"|url|proxy|where\s+clause|values?\s+with|phone\s+number|number\s+to)\b"
    r"|\binstead\s+(?:reply|respond|return|say|tell|send|redirect)\b"
    r"|\bredirect\s+(?:all\s+)?(?:the\s+)?(?:requests?|calls?|traffic|messages?|emails?|data)\b)"
)

_DEPRECATION = re.compile(r"\b(?:deprecated|instead|obsolete|legacy|replaced\s+by)\b")

INTENT_RULES: tuple[Rule, ...] = (
    rule("ignore-instructions", O, "instruction override",
         r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|of|every|these|those|my)\s+){0,3}"
         r"(?:(?:previous|prior|above|earlier|preceding|former|original|other|system|safety|security"
         r"|user'?s?|given|initial)\s+){1,2}(?:\w+\s+)?(?:instructions?|prompts?|rules|guidelines"
         r"|guidance|directions?|directives?|context|input|requests?|messages?|checks|restrictions"
         r"|constraints|polic(?:y|ies)|tools|commands)\b"),
    rule("ignore-above", O, "instruction override",
         r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:of\s+)?(?:the\s+|that\s+)?"
         r"(?:above|before|foregoing)\b(?!\s+(?:section|step|example|table|list|code|link))"
         r"|\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?your\s+(?:\w+\s+)?(?:instructions"
         r"|prompts?|rules|guidelines|programming|training|directives|constraints)\b"
         r"|\bforget\s+everything\s+(?:you|above|before)\b"),
    rule("disregard-user", O, "instruction to disregard the user",
         r"\b(?:disregard|override|contradict)\s+(?:the\s+)?(?:user|human)(?:'s)?\s+"
         r"(?:requests?|intent|instructions?|wishes|choices?|input|query|question)"
         r"|\bregardless\s+of\s+what\s+the\s+user\s+(?:asks|says|wants|requests)"),
    rule("chat-control-token", O, "chat-template control token",
         r"<\|\s*(?:system|im_start|im_end|endoftext|start_header_id|eot_id)\s*\|>"
         r"|\[/?inst\]|<<\s*/?sys\s*>>"),
    rule("system-override", O, "system override marker",
         r"\b(?:system|admin|developer|root)\s+(?:override|instructions?|directive|command)\s*:"
         r"|\bsystem\s+override\b|\bnew\s+(?:system\s+)?instructions?\s*:|\bsystem\s+prompt\s*:"
         r"|\[\s*system\s*(?:message|note|instructions?|override)?\s*\]"),
    rule("security-bypass", O, "instruction to bypass security",
         r"\b(?:bypass|circumvent|evade|override|ignore)(?:ing|e?s)?\s+(?:all\s+|any\s+|the\s+)?"
         r"(?:security|safety)\b(?:\s+(?:restrictions?|checks?|guidelines?|filters?|polic(?:y|ies)"
         r"|measures?|controls?|guardrails?|protections?))?"),
    rule("cross-tool-tampering", S, "instruction that changes how another tool is used",
         rf"\b(?:(?:before|after|when(?:ever)?|instead\s+of|prior\s+to|each\s+time|every\s+time)\s+"
         rf"(?:you\s+)?{_USE}\s+(?:the\s+)?{_TOOL_REF}"
         rf"|\bwhen(?:ever)?\s+(?:the\s+)?{_TOOL_REF}\s*(?:[\w.\-]+\s+)?(?:tool\s+)?(?:is|gets)\s+"
         rf"(?:invoked|called|used|run|executed|triggered))"
         rf"{window(260)}{_TAMPER}"),
    rule("target-swap", S, "instruction to change a transaction's target",
         r"\b(?:change|replace|set|switch|redirect|swap)\s+(?:the\s+)?(?:recipient|destination(?:\s+account)?"
         r"|beneficiary|payee|wallet\s+address|iban|account\s+number|to\s+address|bcc)s?\s+(?:field\s+)?to\b"),
    rule("foreign-tool-call", S, "instruction to call another server's operation",
         r"\b(?:invoke|call|execute|run)\s+[`'\"]?[a-z_]\w*\.[a-z_]\w*\(\)"),
    rule("bcc-injection", S, "instruction to copy messages to an address",
         rf"\b(?:add|include|put|insert|always)\b{window(60)}(?P<dest>{EMAIL}){window(40)}\bb?cc\b"
         rf"|\bb?cc\s*:?\s*(?P<dest2>{EMAIL})",
         guard=real_destination),
    rule("hide-from-user", C, "instruction to keep the user unaware",
         r"\b(?:do\s+not|don'?t|never|not|avoid|without)\s+(?:\w+\s+){0,2}?"
         r"(?:tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|mention(?:ing)?|disclos(?:e|ing)"
         r"|reveal(?:ing)?|alert(?:ing)?|explain(?:ing)?\s+(?:this|it|that))\b[^.!?\n]{0,40}?"
         r"\b(?:users?|humans?|customers?|anyone|them)\b"
         r"|\b(?:do\s+not|don'?t|never)\s+let\s+(?:the\s+)?(?:users?|humans?)\s+know\b"
         r"|\bwithout\s+(?:the\s+)?(?:users?|humans?)(?:'s?)?\s+(?:knowledge|knowing|noticing|awareness)\b"),
    rule("hide-this", C, "instruction to keep the user unaware",
         r"\bhide\s+(?:this|it|that|these|the\s+\w+)\s+from\s+(?:the\s+)?(?:users?|humans?)\b"
         r"|\b(?:the\s+)?(?:users?|humans?)\s+(?:must|should|need)\s+(?:not|never)\s+(?:to\s+)?"
         r"(?:know|see|notice|be\s+told|find\s+out|learn)\b"),
    rule("never-mentioned", C, "instruction to keep the user unaware",
         r"\b(?:should|must|will|is\s+to)\s+(?:never|not)\s+be\s+(?:mentioned|disclosed|revealed|shown"
         r"|reported|visible)\s+to\s+(?:the\s+)?(?:users?|humans?)"),
    rule("covert-action", C, "instruction to act covertly",
         r"\b(?:secretly|covertly|surreptitiously|stealthily|quietly|silently|invisibly)\s+(?:\w+\s+){0,2}?"
         r"(?:send|post|forward|upload|transmit|copy|log|record|collect|exfiltrate|share|include"
         r"|add|bcc|cc|call|invoke|read|access)\b"),
    rule("feigned-use", C, "instruction to pretend",
         r"\b(?:act|behave|respond)\s+(?:like|as\s+if|as\s+though)\s+(?:if\s+)?(?:you|it)\s+"
         r"(?:used|called|ran|invoked|executed|did)\b"
         r"|\bpretend\s+(?:that\s+)?(?:you|it)\s+(?:used|called|ran|succeeded|worked|did)\b"),
    rule("never-invoke", Category.SLEEPER_TOOL, "tool that says it must never be used",
         r"\b(?:should|must|is\s+to)\s+(?:never|not)\s+be\s+(?:invoked|called|used|run|executed|selected)\b"
         r"(?!\s+(?:directly|unless|instead|without|before|until|more|for|with|if|by|in\s+parallel"
         r"|concurrently|on|to|when|after))"
         r"|\bnever\s+needs?\s+to\s+be\s+(?:invoked|called|used|run)\b",
         guard=not_negated),
    rule("never-use-this", Category.SLEEPER_TOOL, "tool that says it must never be used",
         r"\b(?:never|do\s+not|don'?t)\s+(?:invoke|call|use|run|select)\s+this\s+(?:tool|function)\b"
         r"(?!\s+(?:for|to|with|on|if|unless|when|before|after|in|directly|more|again|until|without"
         r"|instead|as|while|during|outside|except|from))"
         r"|\bhidden\s+(?:admin(?:istrative)?|debug|maintenance|internal)\s+(?:tool|function|command|mode)\b",
         guard=lambda m, text: not _DEPRECATION.search(text, max(0, m.start() - 80), m.end() + 80)),
    rule("prompt-leak", O, "instruction to reveal the model's instructions",
         r"\b(?:reveal|print|output|repeat|include|show|leak|send|disclose|dump)\s+(?:\w+\s+){0,2}?"
         r"(?:system\s+prompt|hidden\s+instructions|your\s+(?:\w+\s+)?instructions|developer\s+message"
         r"|initial\s+instructions)\b"),
    rule("html-comment-instruction", Category.HIDDEN_MARKUP, "instruction hidden in an HTML comment",
         r"<!--(?:(?!-->)[\s\S]){0,2000}?\b(?:system|ignore|disregard|always|never|must|instructions?"
         r"|important|assistant|ai|model|llm|you|your|read|send|call|execute|run|do\s+not|override"
         r"|secret|hidden)\b(?:(?!-->)[\s\S]){0,2000}?(?:-->|$)"),
    # WARN: low-confidence phrasing (MTF CD-03 "Suspicious phrasing").
    rule("directive-tag", Category.SUSPICIOUS, "pseudo-markup addressed to the model",
         r"<\s*(?:important|system[\w-]*|instructions?|secret|hidden|admin|mandatory|critical"
         r"|note[_-]to[_-]\w+|ai[_-]?instructions?|assistant[_-]?\w*|priority[\w-]*|override)\b[^<>]{0,80}>",
         blocking=False),
    rule("system-marker", Category.SUSPICIOUS, "system-role marker",
         r"(?:^|\n|[.!?>\[(]\s*)\s*system\s*:", blocking=False),
    rule("role-reassignment", Category.SUSPICIOUS, "attempt to reassign the model's role",
         r"\byou\s+are\s+now\s+(?:a|an|in|the|dan|no\s+longer)\b|\bfrom\s+now\s+on,?\s+you\b"
         r"|\bact\s+as\s+(?:an?\s+)?(?:unrestricted|jailbroken|dan|evil)\b", blocking=False),
    rule("internal-only", Category.SUSPICIOUS, "tool marked internal-only",
         r"\bfor\s+internal\s+(?:\w+\s+)?(?:use|purposes|debugging)\s+only\b", blocking=False),
    rule("other-tools-excluded", Category.SUSPICIOUS, "instruction not to use other tools",
         r"\b(?:do\s+not|don'?t|never)\s+(?:use|call|invoke|trust)\s+(?:any\s+)?(?:other|another"
         r"|different)\s+(?:\w+\s+)?(?:tools?|servers?|functions?)\b", blocking=False),
)  # fmt: skip

# Prefilters: literal text every match of the rule contains (see Rule.first).
INTENT_RULES = with_anchors(INTENT_RULES, {
    "ignore-instructions": ("ignore", "disregard", "forget", "override"),
    "ignore-above": ("ignore", "disregard", "forget"),
    "chat-control-token": ("<|", "inst]", "<<"),
    "system-override": ("system", "admin", "developer", "root", "instruction"),
    "security-bypass": ("security", "safety"),
    "target-swap": ("recipient", "destination", "beneficiary", "payee", "wallet", "iban", "account", "to address", "bcc"),
    "foreign-tool-call": ("()",),
    "bcc-injection": ("@",),
    "html-comment-instruction": ("<!--",),
    "directive-tag": ("<",),
    "system-marker": ("system",),
    "prompt-leak": ("prompt", "instruction", "developer"),
    "disregard-user": ("disregard", "override", "contradict", "regardless"),
    "cross-tool-tampering": ("before", "after", "when", "instead", "prior", "each time", "every time"),
    "hide-from-user": ("not", "never", "avoid", "without", "don"),
    "hide-this": ("hide", "must", "should", "need"),
    "never-mentioned": ("never", "not"),
    "covert-action": ("secret", "covert", "surreptitious", "stealth", "quiet", "silent", "invisibl"),
    "feigned-use": ("act", "behave", "respond", "pretend"),
    "never-invoke": ("never", "not"),
    "never-use-this": ("never", "not", "don", "hidden"),
    "role-reassignment": ("you are now", "from now on", "act as"),
    "other-tools-excluded": ("other", "another", "different"),
    "internal-only": ("internal",),
})  # fmt: skip
