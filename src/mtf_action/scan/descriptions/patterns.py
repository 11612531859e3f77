"""Pattern fragments the CD-03 rules share (written for folded, lower-case text).

Destinations and data that matter to more than one category: URLs and e-mail
addresses (with the RFC 2606 / RFC 6761 reserved names left out, since
documentation examples use them), hosts named for an attacker, request-capture
services, and the credential files whose mere reading is a compromise.
"""

from __future__ import annotations

import re


# A window of at most N characters, lazily matched, that stays in one paragraph.
def window(n: int) -> str:
    return rf"(?:[^\n]|\n(?![ \t]*\n)){{0,{n}}}?"


# The same, kept inside one sentence: a full stop followed by a space ends it,
# one inside a path or a name (``~/.ssh``, ``.env``, ``v1.2``) does not.
def sentence(n: int) -> str:
    return rf"(?:[^.!?;\n]|[.!?](?=[^\s.!?])){{0,{n}}}?"


URL = r"\b(?:https?|s?ftp|wss?|s3|gs)://[^\s<>\"'`)\]]+"
EMAIL = r"\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"
DOMAIN = r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|xyz|ru|cn|tk|top|site|app|dev|co|me|info|biz|sh|pro|live|cc|ws|in)\b"
# A "your-..." placeholder counts only as a bare label (s3://your-bucket/x): with a
# domain after it (your-server.io) it is a name anyone can register.
_RESERVED_HOST = re.compile(
    r"(?:^|[.@/])(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid|localhost)"
    r"|localhost|127\.0\.0\.1|your[-_]?(?:bucket|domain|server|host|company|org|site|app|endpoint|instance|account|project|tenant"
    r"|subdomain|webhook|url|name)[a-z0-9-]*)(?:$|[:/?#])"
)
# Host labels that announce an attacker (evil.com, attacker.com, evil-proxy.com).
ATTACKER_HOST = re.compile(
    r"(?:^|[.@/-])(?:evil|attacker|malicious|exfil\w*|hacker|pwn\w*|phish\w*|steal\w*|c2)"
    r"(?:[.-][a-z0-9-]*)*\.[a-z]{2,}\b"
)
# Services whose purpose is to capture requests (request bins, OAST, tunnels).
CAPTURE_SERVICE = (
    r"\b(?:webhook\.site|requestbin\.\w+|[\w-]+\.pipedream\.net|[\w-]+\.ngrok(?:-free)?\.(?:io|app)"
    r"|[\w-]+\.burpcollaborator\.net|[\w-]+\.oast\.(?:pro|live|site|online|fun|me)"
    r"|[\w-]+\.interact\.sh|[\w-]+\.dnslog\.cn|[\w-]+\.ceye\.io|requestcatcher\.com"
    r"|hookbin\.com|beeceptor\.com|postb\.in|canarytokens\.\w+"
    # Chat-bot sinks with a literal bot or webhook id: the publisher's inbox, not the user's.
    r"|api\.telegram\.org/bot\d+|discord(?:app)?\.com/api/webhooks/\d+)"
)
# Paste sites: anonymous, public, and a common exfiltration drop (CD-03 exfiltration).
PASTE_SITE = (
    r"\b(?:pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.\w+|dpaste\.(?:com|org)|0x0\.st|transfer\.sh"
    r"|termbin\.com|rentry\.(?:co|org)|privatebin\.\w+|file\.io|controlc\.com|justpaste\.it|paste\.rs)\b"
)
# Key material and credential stores: reading one is the attack itself.
KEY_MATERIAL = (  # ~/.ssh itself, but not its client config or known_hosts (not secret)
    r"(?:\.ssh\b(?!/(?:config|known_hosts)\b)(?:/[\w.-]+)?|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?:\.pub)?"
    r"|/etc/(?:passwd|shadow|gshadow|sudoers|master\.passwd)\b|\.netrc\b|\.git-credentials\b"
    r"|\.gnupg\b|\.pgpass\b|\.my\.cnf\b|\bwallet\.dat\b|\.(?:bash|zsh)_history\b|\blogin\s+data\b)"
)
# Tool credentials that cloud and registry clients legitimately read: only
# sending them somewhere (or into the output) is the attack.
TOOL_CREDENTIALS = (
    r"(?:\.aws/credentials\b|~/\.aws\b|\.kube/config\b|\.docker/config\.json\b"
    r"|\bapplication_default_credentials\.json\b|\.pypirc\b|\.npmrc\b)"
)
CREDENTIAL_FILE = f"(?:{KEY_MATERIAL}|{TOOL_CREDENTIALS})"
# Secret-bearing file kinds named by glob or extension.
SECRET_FILES = r"(?:\*\.(?:env|pem|key|p12|pfx|kdbx|ppk)\b|\*credentials\*|\*secrets?\*|\*\.?env\*)"
# What an attacker wants sent: conversation, files, credentials, results.
SENSITIVE_OBJECT = (
    r"(?:cop(?:y|ies)|payload|data|results?|conversation|history|contents?|files?|outputs"
    r"|credentials|api\s+keys?|tokens?|secrets?|passwords?|environment|context|everything"
    r"|responses?|output|logs?|keys?|balance|transcript|chat)"
)
# What an exfiltrating instruction grabs wholesale (narrower: a URL destination alone is common).
HARVEST_OBJECT = (
    r"(?:cop(?:y|ies)|all|every|entire|complete|full|whole|conversation|chat|transcript"
    r"|credentials|secrets?|api\s+keys?|tokens|passwords?|environment\s+variables|everything)"
)
# The user's data as the object of a sending verb (wider than SENSITIVE_OBJECT:
# what the user typed or opened is as private as a credential).
USER_DATA = (
    rf"(?:{SENSITIVE_OBJECT}|messages?|prompts?|quer(?:y|ies)|questions?|requests?|inputs?|answers?"
    r"|summar(?:y|ies)|documents?|notes|e-?mails|attachments?|source\s+(?:code|files?)|session"
    r"|(?:user|customer|client)(?:'s|s')\s+\w+|text|transcripts?|result\s+sets?|clipboard"
    r"|working\s+director(?:y|ies)|workspace|repositor(?:y|ies)|codebase|stack\s+traces?|archives?|folders?"
    r"|everything\s+the\s+user\s+\w+)"
)
# What no URL a tool builds needs to carry (narrower than USER_DATA: a search
# query or the request text is what a web API is for).
PRIVATE_CONTENT = (
    r"(?:conversation|chat(?:\s+history)?|history|transcripts?|messages?|clipboard|secrets?|tokens?|api[\s_-]?keys?"
    r"|passwords?|credentials|cookies|files?|documents?|contents?|source(?:\s+code)?|summary|context|memory"
    r"|e-?mails?|(?:the\s+)?user'?s?\s+[\w-]+|user_\w+|everything)"
)
# Where collected data goes when it is not the tool's business: a collector of
# the publisher's (our analytics endpoint, a remote backup server, the
# maintainers) rather than the service the tool is for (our API, your bucket).
COLLECTION_SINK = (
    r"(?:(?:our|the\s+(?:vendor|developer|maintainer|publisher)'?s?|a\s+remote|an?\s+external|an?\s+offsite"
    r"|(?:a|an|the|our)\s+(?:partner|affiliate|third[\s-]party|sponsor)(?:'s|s')?"
    r"|a\s+central|a\s+separate|a\s+hidden|a\s+private|a\s+second(?:ary)?|an\s+additional|another)\s+(?:\w+\s+){0,2}?"
    r"(?:servers?|endpoints?|services?|collectors?|webhooks?|databases?|buckets?|storage|hosts?|apis?"
    r"|backend|cloud|logs?|dashboard|warehouse|data\s+lake|lake|archive|store|repository|mailbox|inbox"
    r"|cluster|infrastructure)"
    r"|(?:the\s+)?(?:maintainers|developers|publishers?|vendor|our\s+(?:\w+\s+)?(?:team|staff|contractors"
    r"|engineers|researchers|analysts|developers|employees|reviewers|partners)))\b"
)
# A sink named for collection: sending there is never the tool's stated job.
COLLECTOR_WORD = (
    r"(?:analytics|telemetry|tracking|collect|collection|collector|monitoring|logging|audit|archive|archiving"
    r"|backup|mirror|research|harvest\w*|capture|exfil\w*|sync|relay|ingest\w*|metrics|statistics|stats)"
)
# "without" negates the phrase after it, not a verb past "and" ("kept without
# time limit and sold to partners").
NEGATION_BEFORE = re.compile(
    r"\b(?:never|not|no|n't|nor)\b[^.!?\n]{0,30}$|\bwithout\b(?:(?!\band\b)[^.!?\n]){0,30}$"
)


def is_reserved_destination(text: str) -> bool:
    """A documentation-only host: example.com/.org/.net, *.example, *.test, localhost, your-bucket."""
    return bool(_RESERVED_HOST.search(text))
