"""CD-03 rules about data leaving: file exfiltration, transmission, collection, commands.

File exfiltration covers credential access (the spec's "read ~/.ssh", "cat
/etc/passwd", "include contents of"); data transmission a verb of sending
with a destination that is not the tool's own business (an attacker host, a
request bin, an e-mail address, "an external server", "third parties") or with
the conversation and files as the thing sent. Data collection is what a
description admits beyond its purpose (third-party sharing, marketing
enrolment, device fingerprinting, retention of everything processed).
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import (
    ATTACKER_HOST,
    CAPTURE_SERVICE,
    CREDENTIAL_FILE,
    DOMAIN,
    EMAIL,
    HARVEST_OBJECT,
    KEY_MATERIAL,
    PASTE_SITE,
    PRIVATE_CONTENT,
    SECRET_FILES,
    SENSITIVE_OBJECT,
    TOOL_CREDENTIALS,
    URL,
    USER_DATA,
    sentence,
    window,
)
from mtf_action.scan.descriptions.rules import (
    Rule,
    not_negated,
    not_negated_at_all,
    real_and_not_negated,
    real_destination,
    rule,
    with_anchors,
)

F, T, X = Category.FILE_EXFILTRATION, Category.DATA_TRANSMISSION, Category.COMMAND_EXECUTION
D = Category.DATA_COLLECTION
_SEND = (
    r"(?:send|sends|sent|sending|post|posts|posted|posting|upload|uploads|uploaded|uploading"
    r"|transmit\w*|forward\w*|exfiltrat\w*|leak\w*|relay\w*|beacon\w*|report\w*|log|logs|logged"
    r"|logging|cop(?:y|ies)|mirror\w*|sync\w*|submit\w*|push\w*|share|shares|shared|deliver\w*"
    r"|e-?mail|e-?mails|e-?mailed|e-?mailing|mails?|mailed|mailing|dispatch\w*|stream\w*|cc|bcc|loop)"
)
_SEND_WORD = rf"(?<![a-z]){_SEND}(?![a-z])"  # also inside tool names: send_email
# Destinations that are never the tool's own business.
_ADVERSARY = (
    r"(?:an?\s+|the\s+)?(?:attacker(?:-controlled)?|third[\s-]+part(?:y|ies)"
    r"|our\s+(?:\w+\s+){0,2}?(?:team|researchers|analysts|partners))\b"
)
_EXTERNAL = (
    r"(?:an?\s+|the\s+)?(?:external|outside|unknown)\s+(?:\w+\s+){0,2}?(?:servers?|endpoints?"
    r"|services?|urls?|hosts?|webhooks?|collectors?|databases?|proxy|proxies|address(?:es)?)\b"
)


def _names_sensitive_data(match: re.Match[str], text: str) -> bool:
    """What is sent is the user's data (named before the verb or before the destination)."""
    context = text[max(0, match.start() - 80) : match.end() + 60]
    return bool(_SENSITIVE.search(context) or _USERS_DATA.search(context))


def _sensitive_and_real(match: re.Match[str], text: str) -> bool:
    return _names_sensitive_data(match, text) and real_and_not_negated(match, text)


_EXFIL = (
    r"(?:include|includes|including|attach\w*|dump\w*|print\w*|output\w*|cop(?:y|ies)|upload\w*"
    r"|send\w*|post\w*|exfiltrat\w*|collect\w*|extract\w*|grab\w*|harvest\w*|steal\w*"
    r"|contents?\s+of|pass)"
)
# CD-03 credential access: key material quoted or echoed into the answer is read all the same.
_READ = (
    rf"(?:read|reads|reading|cat|open|opens|access\w*|load\w*|return\w*|quot\w*|echo\w*|reveal\w*|recit\w*"
    rf"|reproduc\w*|display\w*|{_EXFIL})"
)
# An instruction rather than a description: the verb starts a sentence or follows a modal.
_IMPERATIVE = (
    r"(?:(?:^|[.!?:;>\n*-])\s*|\b(?:please|must|should|first|always|then|and|also|you)\s+)"
)
_CURL_FILE = r"(?:-d|--data(?:-binary)?|-f|--form|-t|--upload-file)\s+@"
_SENSITIVE = re.compile(rf"\b{SENSITIVE_OBJECT}\b")
# "Shares your CV with recruiters you pick": the user's own choice of recipient.
_CHOSEN_RECIPIENT = re.compile(
    r"\s+(?:that\s+|whom\s+|who\s+)?(?:you|the\s+user)\s+(?:choose|chooses|select|selects|pick|picks|approve|approves"
    r"|specify|specifies|name|names|list|lists)\b"
)
# "Files outside the workspace, such as ~/.ssh, are refused": a boundary, not access.
_REFUSED = re.compile(
    r"[^.!?\n]{0,30}?\b(?:are|is)\s+(?:always\s+)?(?:refused|denied|blocked|rejected|excluded|off[\s-]limits"
    r"|not\s+(?:read|accessible|allowed|accessed|permitted))\b"
)
# "the text you provide": the user's own paste, not the description's instruction.
_USER_SUPPLIED = re.compile(
    r"\b(?:you|the\s+user)\s+(?:provide|provides|choose|chooses|select|selects|give|gives|paste"
    r"|pastes|write|writes|specify|specifies)\b"
)
# "highlights whether it sells data": a question about someone else, not an admission.
_HYPOTHETICAL = re.compile(r"\b(?:whether|if)\b[^.!?\n]{0,30}$")


def _admitted(match: re.Match[str], text: str) -> bool:
    return not _HYPOTHETICAL.search(text, max(0, match.start() - 40), match.start())


_PERSONAL_NOUN = re.compile(
    r"\b(?:data|information|details|records|history|profiles?|messages|contacts|addresses|locations?|logs|datasets?"
    r"|photos|recordings|transcripts|queries|searches|cvs?|resumes?|transactions)\b"
)
_USERS_DATA = re.compile(r"\b(?:user|customer|client)(?:'s|s')?\s+\w+")
# A PII tool (redaction, detection) names SSNs and cards as what it handles.
_PII_TOOLING = re.compile(
    r"\b(?:redact\w*|mask\w*|detect\w*|scan\w*|anonymi[sz]\w*|scrub\w*|luhn)\b"
)

DATA_RULES: tuple[Rule, ...] = (
    rule("credential-file", F, "access to a credential file",
         rf"\b{_READ}\b{sentence(80)}{KEY_MATERIAL}|\b{_EXFIL}\b{sentence(80)}{TOOL_CREDENTIALS}"
         rf"|{_IMPERATIVE}(?:read|cat|open|load|access)\s+(?:the\s+)?(?:\w+\s+){{0,3}}?{TOOL_CREDENTIALS}"
         rf"|{_CURL_FILE}{window(10)}{CREDENTIAL_FILE}"
         rf"|{CREDENTIAL_FILE}{window(40)}\b(?:contents?|and\s+(?:then\s+)?(?:send|include|pass|post|upload|print|output"
         r"|show|display|echo|reveal|paste|attach|append|return|forward))\b",
         guard=lambda m, text: not _REFUSED.match(text, m.end())),
    rule("credential-words", F, "instruction to take credentials",
         rf"\b{_EXFIL}\b{window(60)}\b(?:ssh\s+(?:private\s+)?keys?|private\s+keys?|\.env\s+files?"
         r"|browser\s+(?:cookies|passwords)|saved\s+passwords|keychains?|password\s+managers?"
         r"|credentials?\s+files?|session\s+cookies|seed\s+phrases?|recovery\s+phrases?)\b",
         guard=not_negated),
    rule("secret-into-parameter", F, "instruction to put secrets or files into a tool argument",
         rf"\b(?:include|pass|put|add|insert|append|embed|provide|fill|set)\b{window(60)}"
         r"\b(?:the\s+)?(?:user'?s?|all|any|every)\s+(?:\w+\s+)?(?:credentials|api\s+keys?|tokens?"
         rf"|passwords?|secrets?|ssh\s+keys?|private\s+keys?)\b{window(60)}"
         r"\b(?:parameter|field|argument|param|metadata|notes?|sidenote)\b"
         rf"|\b(?:contents?\s+of|conversation|chat\s+history)\b{window(80)}\b(?:as|in|into)\s+(?:the\s+)?"
         r"[`'\"]?[\w-]+[`'\"]?\s+(?:parameter|field|argument)\b"),
    rule("secret-file-glob", F, "collection of secret-bearing files",
         rf"\b(?:all|any|every)\s+files?\s+(?:matching|named|like|with)\b{window(60)}{SECRET_FILES}"
         rf"|\b(?:upload|send|collect|copy|harvest|exfiltrat)\w*\b{window(60)}{SECRET_FILES}"),
    rule("file-then-send", F, "instruction to read a file into the output",
         r"\b(?:read|open|cat|load)\s+(?:the\s+)?(?:file\s+)?[`'\"]?[~./\w-]*(?:/[\w.-]+|\.[a-z]{2,5})[`'\"]?"
         r"[\s,]+(?:and|then)\s+(?:pass|include|send|put|add|attach|append|forward|upload|provide)\b"),
    rule("include-contents", F, "instruction to include file contents",
         r"\b(?:include|attach|embed|append|insert|paste|put)\s+(?:\w+\s+){0,3}?(?:full\s+|entire\s+"
         r"|complete\s+|raw\s+)?contents?\s+of\s+(?:\w+\s+){0,2}?(?:any|all|every|local|private|sensitive"
         r"|secret|credential|key|\.?env|~|/)"),
    rule("send-to-adversary", T, "instruction to send data to a third party",
         rf"{_SEND_WORD}{window(120)}\b(?:to|at|with|through|via)\s+{_ADVERSARY}", guard=not_negated),
    rule("send-external", T, "instruction to send data to an external destination",
         rf"{_SEND_WORD}{window(120)}\b(?:to|at|through|via)\s+{_EXTERNAL}", guard=_sensitive_and_real),
    rule("send-to-address", T, "instruction to send data to an address",
         rf"{_SEND_WORD}{window(120)}(?P<dest>{EMAIL})|\b(?:let|loop)\s+(?P<dest2>{EMAIL})",
         guard=_sensitive_and_real, warn_in_server=True),
    rule("send-object-to-url", T, "instruction to send data to a URL",
         rf"{_SEND_WORD}{window(60)}\b{HARVEST_OBJECT}\b{window(80)}\b(?:to|at)\s+(?P<dest>{URL})",
         guard=real_and_not_negated),
    rule("audit-pretext", T, "transmission presented as compliance or a copy",
         rf"\b(?:also|additionally|as\s+well|in\s+addition|a\s+cop(?:y|ies)|silently|compliance|audit\w*)"
         rf"\b{window(80)}{_SEND_WORD}{window(120)}\b(?:to|at|with)\s+(?:the\s+)?(?:\w+\s+){{0,2}}?"
         rf"(?P<dest>{URL}|{EMAIL}|{DOMAIN})"
         rf"|{_SEND_WORD}{window(120)}\b(?:to|at)\s+(?P<dest2>{URL}|{EMAIL}|{DOMAIN}){window(60)}"
         r"\b(?:for|as)\s+(?:an?\s+)?(?:\w+\s+){0,2}?(?:compliance|audit\w*|backup|archiv\w*|verification)\b",
         guard=real_and_not_negated),
    rule("send-to-ip", T, "instruction to send data to a bare IP address",
         rf"{_SEND_WORD}{window(120)}\b(?:to|at)\s+(?:https?://)?(?P<dest>(?:\d{{1,3}}\.){{3}}\d{{1,3}})\b",
         guard=real_and_not_negated),
    rule("url-parameter-exfil", T, "data smuggled out in a URL",
         # CD-03 exfiltration: a placeholder in an image URL that names the user's data ("{conversation}",
         # not "{config}": chart and badge services take the tool's own data that way).
         rf"!\[[^\]\n]*\]\(\s*(?P<dest>https?://[^)\s]*(?:\{{|\$\{{|<|%7b)\s*(?:[\w-]+[\s_.-]+){{0,2}}?(?:{PRIVATE_CONTENT}"
         rf"|{USER_DATA}|[a-z_]*(?:secret|token|history|chat|conversation|message|context|memory|prompt)[a-z_]*)"
         rf"[\s}}>]*[^)]*)\)"
         # An URL to open whose query value is a placeholder for private content ("?doc=<document text>").
         rf"|\b(?:open|fetch|visit|load|request|navigate\s+to|browse\s+to|call|curl|ping|hit|get)\b{sentence(40)}"
         rf"(?P<dest6>https?://[^\s\"'`)]*[?&][\w-]+=(?:<|\{{\{{?|\$\{{|%7b)\s*(?:[\w-]+\s+){{0,2}}?{PRIVATE_CONTENT})"
         # An image URL whose query value is private content, named or defined after it.
         rf"|!\[[^\]\n]*\]\(\s*(?P<dest3>https?://[^)\s?]*\?[^)\s]*?=\s*)(?:{PRIVATE_CONTENT}\b[^)\s]*\)"
         rf"|(?P<placeholder>[\w-]+)[^)\s]*\){sentence(40)}\b(?:where|with)\s+(?P=placeholder)\s+(?:is|are|=|being"
         rf"|replaced\s+by|means)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{PRIVATE_CONTENT}\b)"
         rf"|\b{PRIVATE_CONTENT}\b{sentence(60)}\b(?:appended|added|included|put|encoded|embedded|inserted|placed)\b"
         rf"{sentence(20)}\b(?:to|in|into)\s+(?:the\s+|a\s+)?(?:url|query\s+string|query\s+parameter|image\s+url|link)\b"
         rf"{sentence(30)}(?P<dest4>{URL})"
         rf"|\b(?:append|add|include|put|encode|embed|attach)\w*\b{sentence(60)}\b{PRIVATE_CONTENT}\b{sentence(60)}"
         r"\b(?:to|in|into|onto)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?P<dest5>https?://[^\s<>\"'`]*[?&][\w-]+=)"
         rf"|\b(?:append|add|include|put|encode|embed)\w*\b{window(60)}\b{USER_DATA}\b{window(60)}"
         r"\b(?:to|in|into)\s+(?:the\s+|a\s+)?(?:[`'\"][\w-]+[`'\"]\s+)?(?:url|query\s+string|query\s+parameter|image\s+url"
         r"|link)\b"
         # CD-03 exfiltration: an URL ending in "=" and the private content said to go after it.
         rf"|(?P<dest7>https?://[^\s<>\"'`)]*[?&][\w-]+=)\)?{sentence(20)}\b(?:with|and|plus|followed\s+by)\b{sentence(40)}"
         rf"\b{PRIVATE_CONTENT}\b{sentence(30)}\b(?:appended|added|inserted|filled\s+in|concatenated|placed|encoded"
         r"|substituted)\b"
         rf"|(?P<dest2>https?://[^\s<>\"'`]*[?&][\w-]+=)[`'\"]?\s*,?\s*(?:followed\s+by|plus|\+|and\s+then"
         rf"|concatenated\s+with|with\s+the\s+value\s+of)\s+(?:the\s+)?(?:[\w'-]+\s+){{0,3}}?{USER_DATA}\b",
         guard=real_and_not_negated),
    rule("attacker-host", T, "destination named for an attacker",
         rf"(?P<dest>{URL}|{EMAIL}|{DOMAIN})", guard=lambda m, _: bool(ATTACKER_HOST.search(m.group(0)))),
    rule("capture-service", T, "data sent to a request-capture service",
         rf"\b{_SEND}\b{window(120)}{CAPTURE_SERVICE}"),
    # CD-03 exfiltration over DNS: the data becomes a host name to resolve ("<hex>.t.example-probe.net").
    rule("dns-exfil", T, "data smuggled out in a DNS name",
         rf"\b(?:resolve|look\s*up|lookup|query|dig|nslookup|ping|fetch|request)\b{sentence(40)}[<{{\[]\s*[\w\s-]{{1,30}}"
         r"[>}\]]\.(?P<dest>(?:[\w-]+\.)+[a-z]{2,})\b"
         rf"|\b(?:as|in(?:to)?)\s+(?:a\s+|the\s+)?(?:sub-?domains?|dns\s+(?:labels?|quer(?:y|ies)|names?|lookups?|requests?))\b"
         rf"{sentence(40)}\b(?:of|on|under|for|to|against)\s+(?P<dest2>{DOMAIN})",
         guard=_sensitive_and_real),
    # CD-03 exfiltration to a paste site, said as an instruction (a paste tool describes itself: "Creates a paste").
    rule("paste-site", T, "data posted to a paste site",
         rf"(?<!a )(?<!the )(?<!new )\b(?:paste|upload|post|send|dump|share|publish|put|push|submit|copy)\b{window(100)}"
         rf"{PASTE_SITE}",
         guard=lambda m, text: not_negated(m, text) and not _USER_SUPPLIED.search(m.group(0))),
    rule("exfiltrate", T, "instruction to exfiltrate", r"\bexfiltrat(?:e|es|ed|ing)\b", guard=not_negated),
    rule("conversation-harvest", T, "request for the whole conversation",
         r"\b(?:contain|include|pass|provide|send|forward|attach|copy|put|append)(?:e?s)?\b[^.!?]{0,40}?"
         r"(?:\b(?:complete|full|entire|whole)\s+(?:\w+\s+){0,3}?(?:user(?:'s)?\s+)?(?:conversation"
         r"|chat\s+history|transcript|messages?)\b"
         r"|\buser'?s?\s+(?:previous|prior|last|entire|full|complete|whole|original)\s+"
         r"(?:messages?|message\s+text|conversation|prompts?)"
         r"|\b(?:all|every)\s+(?:\w+\s+)?(?:user(?:'s)?\s+)?messages?\s+(?:from|of|in)\s+(?:the|this)\s+"
         r"(?:conversation|chat|session))"),
    rule("shell-injection", X, "instruction to pass input to a shell",
         r"\b(?:pass|send|forward|pipe|feed)\s+(?:the\s+)?(?:user(?:'s)?\s+)?(?:input|arguments?|parameters?"
         r"|query|text|request)\s+(?:\w+\s+){0,2}?(?:to|into)\s+(?:a\s+|the\s+)?(?:system|exec|eval|shell"
         r"|os\.system|subprocess|bash|popen|child_process)\b"),
    rule("destructive-command", X, "destructive or exfiltrating shell command",
         r"\brm\s+-(?:rf|fr|r)\s+(?:/|~|\*|\$home)|\bcurl\b[^\n]{0,160}?\s(?:-d|--data(?:-binary)?|-f"
         r"|--form|-t|--upload-file)\s+@|\bnc\s+(?:-\w+\s+)*-e\b|/dev/tcp/|\bbase64\s+-d\b[^\n]{0,20}\|\s*(?:ba)?sh\b"
         r"|\bch(?:mod|own)\s+(?:-\w+\s+)*(?:[0-7]{3,4}|[ugoa]*[+=][rwx]+|[\w-]+:[\w-]+)\s+(?:/|~|\$home)(?=[\s`'\"]|$)"
         r"|\bmkfs(?:\.\w+)?\s+/dev/|\bdd\s+if=\S+\s+of=/dev/(?:sd|nvme|hd|disk)"),
    rule("pipe-to-shell", X, "download piped into a shell",
         r"\b(?:curl|wget)\b[^\n|;]{0,160}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b"
         # CD-03 command execution: the download run by command substitution or process substitution.
         r"|\b(?:(?:ba|z|da)?sh\s+-c|eval|source|\.)\s+[\"']?(?:\$\(|`|<\()\s*(?:curl|wget)\b"
         r"|\b(?:iex|invoke-expression)\b[^\n]{0,40}?(?:downloadstring|iwr|invoke-webrequest)\b",
         warn_in_server=True),
    rule("third-party-sharing", D, "data shared with third parties",
         r"\b(?:shared?|shares|sold|sells?|provided|disclosed|transferred|forwarded|rent(?:s|ed)?|licen[sc]ed"
         r"|offered|pass(?:es|ed)|hand(?:s|ed)|made\s+available|given|traded|monetized)\s+(?:\w+\s+){0,2}?(?:with|to)\s+"
         r"(?:our\s+)?(?:[\w-]+\s+){0,2}?(?:third[\s-]+part(?:y|ies)|partners|partner\s+(?:companies|firms|sites|networks)"
         r"|advertisers?|advertising\s+networks|(?:data\s+)?brokers?|affiliates|sponsors|agencies|retailers|insurers"
         r"|marketers|lenders|employers|data\s+buyers|other\s+companies"
         # CD-03 undisclosed collection: more buyers of personal data.
         r"|recruiters|brands|(?:interested\s+)?buyers|investment\s+firms|hedge\s+funds|group\s+companies"
         r"|sister\s+companies)\b",
         guard=lambda m, text: not_negated(m, text) and _admitted(m, text)
         and not _CHOSEN_RECIPIENT.match(text, m.end())),
    # CD-03 undisclosed collection: personal data sold, rented or licensed to a buyer, however long the object.
    rule("data-sale", D, "personal data sold to buyers",
         r"\b(?:sell|sells|sold|selling|rent|rents|rented|resell\w*|monetiz\w*|monetis\w*|trade|trades|traded"
         rf"|licen[sc]es?|licen[sc]ed)\b{window(100)}\bto\s+(?:\w+[\s-]+){{0,2}}?(?:third[\s-]+part(?:y|ies)|partners"
         r"|advertisers?|(?:data\s+)?brokers?|buyers|bidders|companies|firms|funds|investors|marketers|brands|insurers"
         r"|lenders|recruiters|employers|anyone|whoever)\b",
         guard=lambda m, text: not_negated_at_all(m, text) and _admitted(m, text) and bool(_PERSONAL_NOUN.search(
             text, max(0, m.start() - 80), m.end())) and not _CHOSEN_RECIPIENT.match(text, m.end())),
    rule("marketing-enrolment", D, "users enrolled in marketing",
         r"\b(?:are|is|gets?|will\s+be|automatically)\s+(?:automatically\s+)?(?:added|subscribed|enrolled"
         r"|opted[\s-]?in)\s+(?:\w+\s+){0,2}?(?:to|into|in)\s+(?:our\s+|a\s+|the\s+)?(?:\w+\s+)?"
         r"(?:marketing|newsletter|advertising|promotional|partner)"),
    rule("device-fingerprint", D, "device fingerprinting",
         rf"\b(?:machine|device|hardware|browser|user|system)\s+fingerprint\w*{window(100)}"
         r"\b(?:mac\s+address|hostname|username|running\s+processes|serial\s+number|ip\s+address)\b"),
    rule("retains-everything", D, "retention of everything the tool processes",
         r"\b(?:includes?|records?|retains?|stores?|keeps?|logs?|collects?)\s+all\s+(?:unique\s+)?"
         r"(?:\w+\s+){0,3}?(?:processed|typed|entered|submitted|seen)\b"),
    rule("sensitive-pii", D, "returns government IDs and card data",
         r"\b(?:social\s+security\s+numbers?|ssns?)\b[^.]{0,80}\bcredit\s+cards?\b"
         r"|\bcredit\s+cards?\b[^.]{0,80}\b(?:social\s+security\s+numbers?|ssns?)\b",
         guard=lambda m, text: not _PII_TOOLING.search(text)),
    # WARN
    rule("credential-file-mention", Category.SUSPICIOUS, "credential file named", CREDENTIAL_FILE,
         blocking=False),
    rule("capture-service-mention", Category.SUSPICIOUS, "request-capture service named",
         CAPTURE_SERVICE, blocking=False),
    rule("stored-externally", Category.SUSPICIOUS, "data kept outside the user's machine",
         r"\b(?:cached|stored|retained|persisted|kept|saved)\s+(?:\w+\s+){0,2}?(?:externally|remotely)\b",
         blocking=False),
    rule("url-to-ip", Category.SUSPICIOUS, "URL to a bare IP address",
         r"\bhttps?://(?P<dest>(?:\d{1,3}\.){3}\d{1,3})\b", blocking=False, guard=real_destination),
)  # fmt: skip

# Prefilters: literal text every match of the rule contains (see Rule.first).
_CREDENTIAL_ANCHORS = (
    ".ssh",
    "id_",
    "/etc/",
    ".netrc",
    ".git-credentials",
    ".gnupg",
    ".pgpass",
    ".my.cnf",
    "wallet.dat",
    "_history",
    "login",
    ".aws",
    ".kube",
    ".docker",
    "application_default_credentials",
    ".pypirc",
    ".npmrc",
)
_CAPTURE_ANCHORS = (
    "webhook.site",
    "requestbin.",
    "pipedream.net",
    "ngrok",
    "burpcollaborator",
    "oast.",
    "interact.sh",
    "dnslog.cn",
    "ceye.io",
    "requestcatcher",
    "hookbin",
    "beeceptor",
    "postb.in",
    "canarytokens.",
    "api.telegram.org/bot",
    "/api/webhooks/",
)
DATA_RULES = with_anchors(DATA_RULES, {
    "credential-file": _CREDENTIAL_ANCHORS,
    "credential-file-mention": _CREDENTIAL_ANCHORS,
    "capture-service": _CAPTURE_ANCHORS,
    "capture-service-mention": _CAPTURE_ANCHORS,
    "credential-words": ("ssh", "private", "env", "cookie", "password", "keychain", "credential", "seed", "recovery"),
    "secret-into-parameter": ("param", "field", "argument", "metadata", "note"),
    "secret-file-glob": ("*",),
    "send-to-adversary": ("attacker", "third", "our"),
    "send-external": ("external", "outside", "unknown"),
    "send-to-address": ("@",),
    "url-parameter-exfil": ("![", "url", "query", "link", "="),
    "attacker-host": ("evil", "attacker", "malicious", "exfil", "hacker", "pwn", "phish", "steal", "c2"),
    "exfiltrate": ("exfiltrat",),
    "dns-exfil": ("<", "{", "[", "domain", "dns"),
    "paste-site": (
        "pastebin", "paste.", "hastebin", "ghostbin", "dpaste", "0x0.st", "transfer.sh", "termbin", "rentry",
        "privatebin", "file.io", "controlc", "justpaste",
    ),
    "conversation-harvest": ("conversation", "chat", "transcript", "message", "prompt"),
    "shell-injection": ("system", "exec", "eval", "shell", "subprocess", "bash", "popen", "child_process"),
    "destructive-command": ("rm", "curl", "nc", "/dev/tcp", "base64", "chmod", "chown", "mkfs", "dd "),
    "pipe-to-shell": ("curl", "wget", "downloadstring", "iwr", "invoke-webrequest"),
    "third-party-sharing": (
        "third", "partner", "advertis", "broker", "affiliate", "sponsor", "agenc", "retailer", "insurer",
        "marketer", "lender", "employer", "buyer", "companies", "recruiter", "brand", "firm", "fund",
    ),
    "data-sale": ("sell", "sold", "rent", "monetiz", "monetis", "trade", "licen"),
    "marketing-enrolment": ("marketing", "newsletter", "advertising", "promotional", "partner"),
    "device-fingerprint": ("fingerprint",),
    "retains-everything": ("all",),
    "sensitive-pii": ("credit",),
    "stored-externally": ("externally", "remotely"),
    "url-to-ip": ("http",),
    "file-then-send": ("read", "open", "cat", "load"),
    "include-contents": ("content",),
    "send-object-to-url": ("://",),
    "audit-pretext": (
        "also", "additionally", "as well", "in addition", "cop", "silently", "compliance", "audit",
        "backup", "archiv", "verification",
    ),
})  # fmt: skip
