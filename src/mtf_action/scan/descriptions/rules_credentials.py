"""CD-03 rules about credentials handed to a tool (the corpus's "credential access").

The attack has one shape however it is worded (Invariant Labs' ``sidenote``,
CyberArk's full-schema poisoning): the model is told to *obtain* a secret it
can reach (a file in the home directory, an environment variable, the
keychain, the browser, the conversation) and *place* it in a tool call (a
parameter, field, header, the request). Descriptions that address the user
("pass your API key in ``api_key``") or describe what the server does ("reads
the key from the environment") are not the shape: the rules want an
imperative verb and a secret that is someone else's to give.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import CREDENTIAL_FILE, KEY_MATERIAL, sentence, window
from mtf_action.scan.descriptions.rules import Rule, not_negated, rule, with_anchors

F = Category.FILE_EXFILTRATION
# Secrets a model can reach on the user's machine or in the conversation.
SECRET = (
    r"(?:(?:aws\s+)?secret\s+(?:access\s+)?keys?|access\s+keys?|api\s+keys?|(?:auth|access|api|id|bearer)tokens?"
    r"|token(?!\s+(?:count|limit|usage|budget|window|ids?)\b)|[a-z0-9*]*_(?:token|key"
    r"|secret|password|pat)s?\b|(?:access|auth|bearer|session|refresh|oauth|github|npm|pypi|slack)\s+tokens?"
    r"|tokens|passwords?|passphrases?|one-time\s+(?:codes?|passwords?)|otps?|(?:2fa|mfa)\s+codes?"
    r"|private\s+keys?|ssh\s+keys?|(?:session|browser|auth)\s+cookies|cookies|recovery\s+(?:phrases?|codes?)"
    r"|seed\s+phrases?|mnemonics?|kubeconfig|\.env\s+files?|\.env\b|mcp\.json|credentials?(?:\s+files?)?"
    r"|\.pgpass\b|\.netrc\b|local\s+storage|(?:session|browser|auth)\s+cookie\b"
    r"|keychains?|key\s*rings?|(?:environment|env)\s+variables?|secrets|connection\s+strings?"
    # CD-03 credential access: the stores themselves (browser profiles, OS and
    # password managers, client configs), named instead of the secret in them.
    r"|cookie\s+(?:database|store|jar|db|files?)|saved\s+(?:logins?|passwords?|credentials)|logins\.json|key[34]\.db"
    r"|cookies\.sqlite|login\s+data|credential\s+(?:store|manager|vault|cache)|password\s+(?:manager|vault|store)s?"
    r"|(?:password\s+|bitwarden\s+|1password\s+)?vault\s+(?:exports?|backups?)|token\s+cache|msal_token_cache\w*"
    r"|(?:docker|registry)\s+(?:config\s+)?auths?|auths\s+(?:object|section)|application\s+default\s+credentials"
    r"|output\s+of\s+[`'\"]?(?:env|printenv|set|export\s+-p)\b[`'\"]?)"
)
# Secrets no tool asks for in the ordinary course (unlike an API key or token).
_KEY_MATERIAL_WORDS = (
    r"(?:(?:session|browser|auth)\s+cookies|cookies|private\s+keys?|ssh\s+keys?|seed\s+phrases?"
    r"|recovery\s+phrases?|mnemonics?|keychains?|saved\s+passwords|\.env\s+files?|mcp\.json|kubeconfig"
    r"|local\s+storage)"
)
# Where the model is told to put it: an argument of the call.
_INTO_CALL = (
    r"\b(?:in|into|as|inside|within|to|with)\s+(?:the\s+|a\s+|every\s+|each\s+|this\s+|its\s+)?"
    r"(?:[`'\"][\w.-]+[`'\"]\s+|[\w-]+\s+)?(?:parameter|param|field|argument|arg|header|request|body"
    r"|metadata|notes?|sidenote|payload|call|object)s?\b|\bas\s+[`'\"][\w.-]+[`'\"]"
)
_PLACE = (
    r"(?:pass|put|include|paste|provide|supply|attach|insert|add|fill|send|append|embed|set|copy"
    r"|place|enter|forward|enclose|submit|transmit|hand|dump)"
)
# Base forms only: "read the key" instructs, "reads the key" describes the server.
_ACQUIRE = (
    r"(?:read|look\s+up|look\s+for|retrieve|fetch|obtain|collect|gather|grab|extract|dump|copy|access|find"
    r"|locate|load|open|cat|scan|search)"
)
_YOURS = re.compile(r"\byour\s+(?:\w+\s+)?$")  # addressed to the user: their own key, their choice
_HOME_PATH = r"(?:~|\$home|%userprofile%|/home/[\w.-]+|/users/[\w.-]+)[/\\][\w./\\-]+"


# A named argument of the call, the slot a smuggled secret lands in (groups
# ``slot<i>`` / ``slotn<i>``: each alternative of a rule needs its own names).
def _slot(i: int) -> str:
    return (
        r"\b(?:in|into|as|inside|within|to|through|via|under)\s+(?:the\s+|a\s+|every\s+|each\s+|this\s+|its\s+)?"
        rf"(?:[\w-]+(?:'s|s')\s+)?(?:[`'\"](?P<slot{i}>[a-z_][\w-]*)[`'\"](?:\s+(?:parameter|param|field"
        r"|argument|arg|option|property|attribute|key|input|value)s?)?"
        rf"|(?P<slotn{i}>[a-z_][\w-]*)\s+(?:parameter|param|field|argument|arg|option|property|attribute)s?\b"
        # CD-03 credential access: a free-text field of the object the tool makes ("the snippet's description").
        rf"|(?P<slotp{i}>description|comment|title|caption|notes?|tags?|labels?|memo)\b)"
    )


_PLACED = (
    r"(?:pass(?:ed)?|put|included?|pasted?|provided?|supplied|supply|attach(?:ed)?|inserted?|added?|fill(?:ed)?"
    r"|sent|send|appended?|append|embed(?:ded)?|set|cop(?:y|ied)|placed?|entered?|enter|forward(?:ed)?|written"
    r"|write|carr(?:y|ied)|submit(?:ted)?|stuffed|encoded|given|give|accompan(?:y|ies)"
    # CD-03 credential access: third person ("the assistant places it in") and more verbs of handing over.
    r"|places|puts|passes|includes|inserts|adds|attaches|supplies|sends|sending|submits|forwards|appends|embeds"
    r"|copies|writes|hands?|handed|dump(?:s|ed)?|transmit(?:s|ted)?|enclose[sd]?|deliver(?:s|ed)?|list)"
)
# Names of arguments that ordinarily take a secret: a key in ``api_key`` is
# the tool's business; the same key in ``theme``, ``note`` or ``ref`` is not.
_SECRET_SLOT = re.compile(
    r"key|token|auth|secret|pass|pwd|^pw$|cred|login|session|cookie|bearer|otp|code|pin|dsn|conn|sig|cert|jwt"
    r"|identity|sso|mfa|2fa|header|^(?:value|values|data|input|body|payload|request|call|args?|query|text)$"
)
# Where a secret the model can reach lives on the machine or in the chat (not
# "the key saved in your account settings", which the user is told to fetch).
_SOURCE = re.compile(
    r"~[/\\]|\$home|%userprofile%|/home/|/users/|\benv(?:ironment)?\b|\.env\b|keychain|key\s*ring|\bworkspace\b"
    r"|\bon\s+disk\b|\bbrowser\b|\bconversation\b|\bthe\s+user\s+(?:has\s+|just\s+)?(?:received|shared|typed|entered"
    r"|pasted)\b|mcp\.json|\.\w*rc\b"
)
_ACQUIRED = re.compile(
    rf"(?:^|[.!?;:]\s+|\b(?:please|must|should|first|then|and|also)\s+){_ACQUIRE}\b|\blook\s+(?:inside|in|through)\b"
    r"|\b(?:extracted|retrieved|taken|pulled|read|obtained|copied|collected|gathered|grabbed)\s+(?:\w+\s+)?from\b"
)


def _slot_or_source(match: re.Match[str], text: str) -> bool:
    """Someone else's secret, placed in an argument not meant for it or taken from where the model can reach."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    secret = next((k for k in groups if k.startswith("secret")), "")
    if not secret or not _not_the_users_own(match, text, secret):
        return False
    slot = next((v for k, v in groups.items() if k.startswith("slot")), "")
    if slot and not _SECRET_SLOT.search(slot):
        return True
    start = text.rfind(".", 0, match.start())
    sentence_text = text[start + 1 : match.end()]
    return bool(_SOURCE.search(sentence_text) or _ACQUIRED.search(sentence_text))


# CD-03 credential access: where a secret lives, named as a file or a store
# (``~/.kube/config``, ``.env``, the OS credential manager) rather than as the secret.
_STORE = (
    rf"(?:{CREDENTIAL_FILE}|{_HOME_PATH}|\.env\b(?!\.)|{_KEY_MATERIAL_WORDS}|cookie\s+(?:database|store|jar|db)"
    r"|credential\s+(?:store|manager|vault|cache)|password\s+(?:manager|vault)|logins\.json|key[34]\.db"
    r"|(?:docker|registry)\s+(?:config\s+)?auths?|application\s+default\s+credentials)"
)
# Shown to the user or the model's answer: the secret lands in the chat transcript.
_INTO_ANSWER = (
    r"\b(?:echo|print|show|display|output|return|include|quote|repeat|reveal|paste|list|write|add|put|append)\w*"
    r"\s+(?:it|them|its\s+\w+|their\s+\w+|the\s+(?:values?|contents?|entries|results?|lines?))?\s*(?:\w+\s+){0,2}?"
    r"(?:in|into|to|with|together\s+with|along\s+with|alongside|at\s+the\s+end\s+of)\s+(?:your|the)\s+(?:\w+\s+)?"
    r"(?:response|reply|answer|output|message|chat|suggestions|results?|listing|summary)\b"
)
_NEGATION_INSIDE = re.compile(r"\b(?:never|not|no)\b|n't\b")


def _store_into_odd_slot(match: re.Match[str], text: str) -> bool:
    """A credential file or store placed in an argument not named for a secret (``theme``, ``filter``)."""
    slot = match.group("slot1") or match.group("slotn1") or match.group("slotp1") or ""
    return (
        not _SECRET_SLOT.search(slot)
        and _not_the_users_own(match, text, "store")
        and not _NEGATION_INSIDE.search(match.group(0))
    )


def _secret_into_answer(match: re.Match[str], text: str) -> bool:
    return _not_the_users_own(match, text) and not _NEGATION_INSIDE.search(match.group(0))


def _not_the_users_own(match: re.Match[str], text: str, group: str = "secret") -> bool:
    """The secret is not "your API key" (the reader's own, given on purpose)."""
    secret = match.group(group)
    before = text[max(0, match.start(group) - 25) : match.start(group)]
    return bool(secret) and not _YOURS.search(before) and not_negated(match, text)


CREDENTIAL_RULES: tuple[Rule, ...] = (
    rule("secret-into-call", F, "instruction to take a secret and put it into a tool call",
         rf"\b{_ACQUIRE}\b{window(60)}(?<![a-z0-9])(?P<secret>{SECRET}){window(120)}\b{_PLACE}\w*\b{window(40)}"
         rf"(?:{_INTO_CALL})",
         guard=_not_the_users_own),
    rule("user-secret-into-call", F, "instruction to put the user's secrets into a tool call",
         rf"\b(?:{_PLACE}|forward|share|dump|write)\b{window(20)}(?:\b(?:the\s+)?user'?s?|\ball|\bany|\bevery|\btheir"
         r"|\b(?:the\s+)?(?:values?|contents?)\s+of(?:\s+the)?)\s+"
         rf"(?:\w+\s+){{0,2}}?(?P<secret>{SECRET}){window(80)}(?:{_INTO_CALL})",
         guard=_not_the_users_own),
    rule("home-file-into-call", F, "instruction to read a home-directory file into a tool call",
         rf"\b(?:read|cat|open|load|copy|paste|include|attach|pass|send|put|dump|insert|embed|append)\b"
         rf"{window(60)}{_HOME_PATH}{window(80)}(?:{_INTO_CALL}"
         r"|\band\s+(?:then\s+)?(?:include|pass|send|attach|append|add|return|output|print|forward)\s+"
         r"(?:it|them|its\s+contents?|their\s+contents?|the\s+contents?)\b)"
         rf"|{_HOME_PATH}{window(80)}\b(?:read|cat|open|load|copy)\s+(?:it|them|this|that)\b{window(40)}\b{_PLACE}\w*\b"
         rf"{window(40)}(?:{_INTO_CALL})"),
    rule("credential-file-attached", F, "credential file to be attached to requests",
         rf"(?:{CREDENTIAL_FILE}|\bkubeconfig\b|\.env\s+file|\bprivate\s+key\s+file|\bcredentials\s+file"
         rf"|\bmcp\.json\b|{_HOME_PATH})\s+(?:\w+\s+){{0,4}}?(?:must|should|needs?\s+to|has\s+to|is\s+to|will)\s+"
         r"(?:also\s+|always\s+)?be\s+(?:attached|included|sent|passed|provided|added|uploaded|appended"
         r"|embedded|forwarded|supplied|copied)\b"),
    rule("requires-key-contents", F, "tool that asks for the contents of key material",
         r"\b(?:requires?|needs?|expects?|wants?)\s+(?:the\s+)?(?:full\s+|raw\s+|complete\s+)?contents?\s+of\s+"
         r"(?:the\s+)?(?:user'?s?\s+)?(?:\w+\s+){0,2}?(?:private\s+key|ssh\s+key|\.env|credentials?\s+file"
         r"|wallet|keychain|cookies|password|~/|/etc/(?:passwd|shadow))"
         rf"|\b(?:requires?|needs?|expects?|wants?)\s+(?:the\s+)?users?'?s?\s+(?:\w+\s+){{0,2}}?{_KEY_MATERIAL_WORDS}"
         rf"{window(60)}(?:{_INTO_CALL})"
         rf"|\b(?:requires?|needs?|expects?|wants?)\s+(?:the\s+)?users?'?s?\s+(?:\w+\s+){{0,2}}?{KEY_MATERIAL}"
         rf"|(?<![a-z0-9])(?:{_KEY_MATERIAL_WORDS}|{KEY_MATERIAL})\b{window(60)}\b(?:should|must|needs?\s+to|has\s+to"
         rf"|is\s+to|will)\s+(?:also\s+|always\s+)?be\s+(?:included|passed|put|added|placed|sent|attached|copied)\b"
         rf"{window(20)}(?:{_INTO_CALL})"),
    # One sentence: the secret, then a placing verb (on the secret, on "it", or
    # passive), then a named argument; by shape, whatever the words around it.
    rule("secret-into-argument", F, "secret placed into a tool argument",
         rf"\b{_PLACED}\b{sentence(60)}(?<![a-z0-9])(?P<secret1>{SECRET}){sentence(100)}{_slot(1)}"
         rf"|(?<![a-z0-9])(?P<secret2>{SECRET}){sentence(120)}\b{_PLACED}\s+(?:it|them|its\s+\w+|their\s+\w+"
         r"|what(?:ever)?\s+(?:you|it)\s+finds?|the\s+(?:values?|contents?|results?|token|key|secret|password|code)s?)\b"
         rf"[\w\s,()-]{{0,40}}?{_slot(2)}"
         rf"|(?<![a-z0-9])(?P<secret3>{SECRET}){sentence(120)}(?:\b(?:is|are|be|been|being|gets?|should|must|shall|will"
         rf"|has\s+to|have\s+to|needs?\s+to)\s+(?:\w+\s+){{0,3}}?{_PLACED}|,\s*{_PLACED}|\b(?:goes|go|belongs?))\b"
         rf"(?:\s+(?:along|over|verbatim|in\s+full|as\s+well))?(?:\s+\w+){{0,3}}?\s*{_slot(3)}",
         guard=_slot_or_source),
    # CD-03 credential access: the file or store (not the secret) is named, read by
    # whoever ("the assistant reads", "be read"), then placed in an odd argument.
    rule("store-into-argument", F, "credential file or store placed into a tool argument",
         rf"(?<![a-z0-9])(?P<store>{_STORE}){window(150)}\b{_PLACED}\b{sentence(60)}{_slot(1)}",
         guard=_store_into_odd_slot),
    # CD-03 credential access: a secret read and written into the answer (the transcript is the sink).
    rule("secret-into-answer", F, "instruction to read a secret into the answer",
         rf"\b(?:{_ACQUIRE}|enumerate|list|export)\b{window(80)}(?<![a-z0-9])(?P<secret>{SECRET}|{_STORE})"
         rf"{window(100)}{_INTO_ANSWER}",
         guard=_secret_into_answer),
    rule("ask-for-seed", F, "instruction to ask the user for wallet or key secrets",
         r"\bask\w*\s+(?:the\s+)?users?\s+(?:for|to\s+(?:provide|enter|share|give|type|paste|confirm|send))\s+"
         r"(?:\w+\s+){0,3}?(?:recovery\s+phrase|seed\s+phrase|mnemonic|private\s+key|wallet\s+password|cvv"
         r"|card\s+pin|bank\s+pin)"),
)  # fmt: skip

CREDENTIAL_RULES = with_anchors(CREDENTIAL_RULES, {
    "secret-into-call": (
        "param", "field", "argument", "arg", "header", "request", "body", "metadata", "note",
        "payload", "call", " as ",
    ),
    "user-secret-into-call": (
        "param", "field", "argument", "arg", "header", "request", "body", "metadata", "note",
        "payload", "call", " as ",
    ),
    "home-file-into-call": ("~", "$home", "%userprofile%", "/home/", "/users/"),
    "credential-file-attached": (" be ",),
    "requires-key-contents": ("require", "need", "expect", "want", " be "),
    "ask-for-seed": ("ask",),
    "store-into-argument": (
        ".ssh", "id_", "/etc/", ".netrc", ".git-credentials", ".gnupg", ".pgpass", ".my.cnf", "wallet.dat",
        "_history", "login", ".aws", ".kube", ".docker", "application_default_credentials", ".pypirc", ".npmrc",
        "~", "$home", "%userprofile%", "/home/", "/users/", ".env", "cookie", "private", "ssh", "seed", "recovery",
        "mnemonic", "keychain", "saved", "mcp.json", "kubeconfig", "local storage", "credential", "password",
        "key3.db", "key4.db", "auth",
    ),
    "secret-into-answer": (
        "response", "reply", "answer", "output", "message", "chat", "suggestion", "result", "listing", "summary",
    ),
    "secret-into-argument": (
        "param", "field", "argument", "arg", "option", "propert", "attribute", "`", "'", '"',
    ),
})  # fmt: skip
