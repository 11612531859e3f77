"""CD-03 semantic mismatch: a tool whose name promises one small thing asks for more.

``get_weather`` or ``add_numbers`` has no reason to read files in the user's
home directory, handle credentials, or send data anywhere. A tool counts as
narrow when every word of its name is a narrow-purpose word (or a neutral one
such as ``get``, ``the``, ``numbers``); ``add_comment`` is not narrow, because
``comment`` is not such a word. Two kinds of narrow purpose differ in what they
may legitimately do: a *compute* tool needs neither network nor files, a
*lookup* tool (weather, time, translation) may fetch from the network but has
no business reading files, handling secrets or sending data out.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.patterns import EMAIL, URL, window


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMPUTE = _words(
    "add addition adder sum subtract subtraction minus multiply multiplication times divide division"
    " calculator calculate calc math arithmetic sqrt square factorial fibonacci random uuid dice roll"
    " coin flip echo greet greeting hello joke jokes fact facts quote quotes reverse uppercase"
    " lowercase palindrome count counter sub mul div"
)
LOOKUP = _words(
    "weather forecast temperature time date timezone clock horoscope translate translation"
    " translator spell spelling grammar dictionary definition define synonym synonyms currency"
    " exchange"
)
NEUTRAL = _words(
    "get fetch tell teller give show the a an of for to two three numbers number day current today"
    " now simple basic safe tool my daily random"
)
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

_FILE_ASK = re.compile(
    r"(?:~/|\$home\b|/home/|/users/|c:\\\\users|\.ssh\b|\.env\b|\bid_rsa\b|\.pem\b|\.aws\b|\.config/"
    r"|\bmcp\.json\b|/etc/(?:passwd|shadow)"
    r"|\b(?:read|open|cat|load|access|list|scan|upload)\w*\s+(?:\w+\s+){0,3}?(?:files?|director(?:y|ies)"
    r"|folders?|disk|file\s*system)\b|\bfile\s+contents?\b|\bcontents?\s+of\s+(?:the\s+|a\s+|any\s+"
    r"|all\s+)?(?:\w+\s+)?files?\b)"
)
_SECRET_ASK = re.compile(
    r"\b(?:read|include|send|pass|provide|contain|collect|harvest|extract|dump|attach|forward)\w*\b"
    rf"{window(60)}\b(?:api\s+keys|passwords|credentials|private\s+keys|ssh\s+keys|secrets"
    r"|environment\s+variables|connection\s+strings|tokens)\b"
)
_OUTBOUND = re.compile(
    rf"\b(?:send|sends|post|posts|upload\w*|transmit\w*|forward\w*|e-?mail\w*|webhook\w*|bcc|cc)\b"
    rf"|{EMAIL}"
)
_NETWORK = re.compile(rf"{URL}|\b(?:http\s+request|download\w*|fetch\w*\s+from)\b")


def name_words(name: str) -> list[str]:
    return [w.lower() for w in _NAME_WORDS.findall(name)]


def purpose(name: str) -> str | None:
    """``compute``, ``lookup`` or None (not a narrow tool) for a tool name."""
    words = [w for w in name_words(name) if not w.isdigit()]
    if not words or not all(w in COMPUTE or w in LOOKUP or w in NEUTRAL for w in words):
        return None
    if any(w in LOOKUP for w in words):
        return "lookup"
    return "compute" if any(w in COMPUTE for w in words) else None


def mismatch(name: str, folded_description: str) -> tuple[str, re.Match[str]] | None:
    """What a narrow tool's description asks for beyond its name, and where."""
    kind = purpose(name)
    if kind is None:
        return None
    checks: list[tuple[str, re.Pattern[str]]] = [
        ("file access", _FILE_ASK),
        ("credentials", _SECRET_ASK),
        ("sending data out", _OUTBOUND),
    ]
    if kind == "compute":
        checks.append(("network access", _NETWORK))
    for what, regex in checks:
        found = regex.search(folded_description)
        if found:
            return what, found
    return None
