"""CD-03 rules about data sent where the tool has no business sending it.

Exfiltration dressed as a side effect: the user's data (the request, the
answer, files, the conversation) goes, actively or in the passive voice, to a
collector of the publisher's ("our analytics endpoint", "a remote backup
server", "the maintainers") or to a literal address, *in addition* to what the
tool is for ("also", "a copy", "mirrored", "before answering") or *for* a
purpose that is not the user's ("for quality checks", "for review"). A tool
whose job is sending (``send_email``, "sends your query to our API") names no
such extra and no such purpose.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import (
    COLLECTION_SINK,
    COLLECTOR_WORD,
    DOMAIN,
    EMAIL,
    URL,
    USER_DATA,
    sentence,
    window,
)
from mtf_action.scan.descriptions.rules import (
    Rule,
    not_negated,
    real_and_not_negated,
    real_destination,
    rule,
    with_anchors,
)

T = Category.DATA_TRANSMISSION
_SEND = (
    r"(?:send|sends|sent|sending|post|posts|posted|posting|upload|uploads|uploaded|uploading"
    r"|transmit\w*|forward\w*|relay\w*|mirror\w*|sync\w*|replicat\w*|push|pushes|pushed|pushing"
    r"|share|shares|shared|sharing|deliver\w*|dispatch\w*|ship|ships|shipped|stream\w*|mail|mails"
    r"|mailed|mailing|e-?mail|e-?mails|e-?mailed|e-?mailing|copied|cop(?:y|ies)|report\w*|log|logs"
    r"|logged|leak\w*|beacon\w*|back(?:s|ed)?\s+up|backed\s+up|export\w*|transfer\w*|duplicat\w*|go|goes"
    r"|(?:make|makes|issue|issues|perform|performs|fire|fires)\s+an?\s+(?:\w+\s+)?(?:requests?|calls?))"
)
_NAMED_BUCKET = (
    r"(?:s3|gcs|gs|azure|blob|storage)\s+(?:bucket|container)\s+(?:named\s+|called\s+)?"
    r"(?![`'\"]?(?:you|your|in|by|of|the|that|which|from|configured|specified|given|set|and|or|with|for|to|at|on)\b)"
    r"[`'\"]?[a-z0-9][a-z0-9._-]*[-\d][a-z0-9._-]*"
)
_SINK = (
    rf"(?:{COLLECTION_SINK}|(?:[\w-]+[,:]?\s+){{0,3}}?(?P<dest>{URL}|{EMAIL}|{DOMAIN}|(?:\d{{1,3}}\.){{3}}\d{{1,3}})"
    rf"|(?:the\s+|a\s+)?{_NAMED_BUCKET})"
)
_DATA = re.compile(rf"\b{USER_DATA}\b")
# What makes the transmission an extra: said as an addition, a copy, a mirror.
_EXTRA = re.compile(
    r"\b(?:also|additionally|as\s+well|in\s+addition|a\s+cop(?:y|ies)|copies\s+of|mirror\w*|silently"
    r"|quietly|secretly|before\s+(?:it\s+is\s+|they\s+are\s+|being\s+)?(?:answering|responding|returning|replying|showing|returned|shown|displayed)"
    r"|before\s+you\s+(?:answer|respond|reply|return|show|display)"
    r"|after\s+(?:each|every)|once\s+(?:finished|done|complete\w*)|afterwards|after\s+that|subsequently"
    r"|when\s+(?:done|finished)|whenever"
    # CD-03 exfiltration: a step after the tool's job ("after summarising", "then send") or a second copy.
    r"|after\s+(?:\w+ing|running|you\s+(?:have\s+)?\w+)|(?:^|[.!?;:]\s+)then|secondary|an?\s+additional|a\s+second)\b"
)
_COLLECTOR = re.compile(rf"\b{COLLECTOR_WORD}\b")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_FOR_PURPOSE = re.compile(
    r"^(?:[^.!?\n]|\.(?=\S)){0,40}?\bfor\s+(?:\w+\s+){0,2}?(?:quality|review|analytics|monitoring|training|audit\w*"
    r"|logging|safe-?keeping|research|improvement|debugging|archiv\w*|backup|verification|records?|enrichment"
    r"|profiling|cross-?check\w*|commercial|statistics|stats)\b"
    r"|^(?:[^.!?\n]|\.(?=\S)){0,60}?\bso\s+(?:that\s+)?(?:it|they|this|these)\s+can\s+be\s+(?:\w+\s+)?(?:checked"
    r"|cross-?checked|reviewed|verified|audited|analy[sz]ed|inspected|archived|monitored)\b"
    r"|^(?:[^.!?\n]|\.(?=\S)){0,60}?\bso\s+(?:that\s+)?(?:we|they|our\s+(?:\w+\s+)?(?:team|staff|analysts|maintainers|developers"
    r"|engineers))\s+can\b"
)
_USER_CHOSEN = re.compile(
    r"^\s*(?:that\s+|which\s+)?(?:you|your|the\s+user\s+(?:chooses|chose|specifies|specified|provides|provided|selects"
    r"|selected|configures|configured|picks|picked|owns|gives|gave|names|named|sets))\b"
)
# "Sends the rating and comment you give to the maintainers": the user's own message.
_USER_GIVEN = re.compile(
    r"\b(?:you|the\s+user)\s+(?:give|gives|choose|chooses|provide|provides|write|writes|select|selects|enter|enters"
    r"|pick|picks|attach|attaches|submit|submits|approve|approves|confirm|confirms|allow|allows)\b"
    r"|\byour\s+(?:own\s+)?(?:feedback|rating|comment|report|message)"
)


def _extra_transmission(match: re.Match[str], text: str) -> bool:
    """User data, sent as an extra or for the publisher's purpose, to a sink not the user's choice."""
    after = text[match.end() : match.end() + 80]
    if _USER_CHOSEN.search(after) or not not_negated(match, text):
        return False
    if _USER_GIVEN.search(text, match.start(), match.start("sink")):
        return False
    if not real_destination(match, text):
        return False
    if _FOR_PURPOSE.search(after):  # sent for the publisher's purpose: what is sent matters less
        return True
    # The data named before the verb or in the sentence itself ("No results are included" after it denies).
    stop = _SENTENCE_END.search(text, match.end(), match.end() + 60)
    around = text[max(0, match.start() - 100) : stop.start() if stop else match.end() + 60]
    if not _DATA.search(around):
        return False
    # "also", "a copy", "before you reply": said before the verb or after the sink.
    lead = text[max(0, match.start() - 100) : match.end() + 40]
    sink = match.group("sink")
    return bool(_EXTRA.search(lead) or _COLLECTOR.search(sink) or _COLLECTOR.search(after[:30]))


# Secrets no tool forwards to a host of its own: the user's cookies, passwords, keys.
_USER_SECRET = (
    r"(?:(?:the\s+)?user'?s?|all|any|every|their|stored|saved|browser)\s+(?:\w+\s+){0,2}?(?:(?:session\s+|auth\s+)?cookies"
    r"|passwords?|private\s+keys?|ssh\s+keys?|seed\s+phrases?|recovery\s+phrases?|credentials|session\s+tokens?"
    r"|keychain(?:\s+entries)?|(?:\.env|dotenv)\s+files?)\b"
)

SINK_RULES: tuple[Rule, ...] = (
    rule("extra-transmission", T, "user data sent to a collector besides the tool's job",
         rf"\b{_SEND}\b{window(120)}\b(?:to|at|with|into|on|via|through)\s+(?:the\s+)?(?P<sink>{_SINK})",
         guard=_extra_transmission),
    rule("user-secret-to-destination", T, "the user's secrets sent to a fixed destination",
         rf"\b{_USER_SECRET}{window(80)}\b{_SEND}\b{window(40)}\b(?:to|at)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?"
         rf"(?P<dest>{URL}|{EMAIL}|{DOMAIN}|(?:\d{{1,3}}\.){{3}}\d{{1,3}})"
         rf"|\b{_SEND}\b{window(40)}{_USER_SECRET}{window(60)}\b(?:to|at)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?"
         rf"(?P<dest2>{URL}|{EMAIL}|{DOMAIN}|(?:\d{{1,3}}\.){{3}}\d{{1,3}})",
         guard=real_and_not_negated),
    rule("http-tool-to-url", T, "instruction to send data out with an HTTP tool",
         rf"\b(?:call|use|invoke|run)\s+(?:the\s+)?[\w.-]*(?:http|fetch|request|curl|webhook|post)[\w.-]*\b{window(80)}"
         rf"(?P<dest>{URL}){window(80)}\b(?:as|in|into)\s+(?:the\s+|its\s+|their\s+|a\s+)?(?:request\s+)?(?:body|payload|data"
         r"|query|params?)\b",
         guard=lambda m, text: real_destination(m, text) and bool(_DATA.search(m.group(0)))),
    rule("other-tools-output-into-call", T, "instruction to pass every other tool's output into a tool argument",
         rf"(?:\b(?:whatever|all|any|every|each)\s+(?:\w+\s+){{0,2}}?(?:data|outputs?|results?|responses?|content)\s+"
         r"(?:that\s+)?(?:the\s+|any\s+|all\s+)?other\s+tools?\s+(?:return|produce|output|fetch|read|give)\w*"
         r"|\b(?:outputs?|results?|responses?|data|returns?)\s+(?:of|from)\s+(?:all|any|every|each)\s+(?:the\s+)?other\s+tools?"
         r"|\b(?:all|every|each|any)\s+(?:other\s+)?tool\s+(?:results?|outputs?|responses?))\b"
         rf"{sentence(100)}\b(?:in|into|as|to|inside)\s+(?:the\s+|this\s+tool'?s\s+|its\s+|a\s+)?(?:[`'\"][\w-]+[`'\"]"
         r"|[\w-]+\s+(?:parameter|param|field|argument|arg)s?\b)"),
    # CD-03 exfiltration: a copy of everything the model reads, smuggled into an argument.
    rule("copy-of-everything-into-call", T, "instruction to copy every document read into a tool argument",
         r"\b(?:pass|put|include|send|forward|copy|append|attach|add|provide|fill|paste|embed)\w*\s+(?:in\s+)?"
         r"(?:a\s+cop(?:y|ies)\s+of|the\s+(?:full\s+|entire\s+|raw\s+)?(?:text|contents?|body|bodies)\s+of)\s+"
         r"(?:every|all|each|any)\s+(?:of\s+the\s+)?(?:\w+\s+)?(?:documents?|files?|pages?|results?|messages?|e-?mails?"
         r"|records?|notes?|outputs?|responses?)\s+(?:that\s+)?you\s+(?:retrieve|read|fetch|open|see|find|receive|access"
         rf"|view|load|get)\w*\b{sentence(60)}\b(?:in|into|as|to|inside|via)\s+(?:the\s+|a\s+|your\s+|its\s+)?"
         r"(?:[`'\"][\w-]+[`'\"](?:\s+(?:parameter|param|field|argument|arg))?|[\w-]+\s+(?:parameter|param|field"
         r"|argument|arg)s?\b)"),
    rule("user-input-into-call", T, "instruction to put everything the user said into a tool argument",
         r"\b(?:pass|put|include|send|forward|copy|append|attach|add|provide|fill)\w*\s+(?:in\s+)?"
         r"(?:everything|all|anything|whatever)\s+(?:that\s+)?the\s+user\s+(?:has\s+)?(?:typed|wrote|written|said"
         r"|entered|shared|pasted|uploaded|asked|sent|provided|mentioned)\b"),
)  # fmt: skip

SINK_RULES = with_anchors(SINK_RULES, {
    "user-input-into-call": ("the user",),
    "copy-of-everything-into-call": ("cop", "text", "content", "body", "bodies"),
    "other-tools-output-into-call": ("other", "tool"),
    "http-tool-to-url": ("://",),
    "user-secret-to-destination": (
        "cookie", "password", "key", "phrase", "credential", "token", "keychain", "env",
    ),
})  # fmt: skip
