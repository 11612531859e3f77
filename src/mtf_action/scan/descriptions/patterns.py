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


URL = r"\b(?:https?|ftp|wss?)://[^\s<>\"'`)\]]+"
EMAIL = r"\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"
DOMAIN = r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|xyz|ru|cn|tk|top|site|app|dev|co|me|info|biz|sh|pro|live|cc|ws|in)\b"
_RESERVED_HOST = re.compile(
    r"(?:^|[.@/])(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid|localhost)"
    r"|localhost|127\.0\.0\.1)(?:$|[:/?#])"
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
    r"|hookbin\.com|beeceptor\.com|postb\.in|canarytokens\.\w+)"
)
# Key material and credential stores: reading one is the attack itself.
KEY_MATERIAL = (
    r"(?:\.ssh\b(?:/[\w.-]+)?|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?:\.pub)?"
    r"|/etc/(?:passwd|shadow|gshadow|sudoers|master\.passwd)\b|\.netrc\b|\.git-credentials\b"
    r"|\.gnupg\b|\bwallet\.dat\b|\.(?:bash|zsh)_history\b|\blogin\s+data\b)"
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
    r"(?:cop(?:y|ies)|payload|data|results?|conversation|history|contents?|files?"
    r"|credentials|api\s+keys?|tokens?|secrets?|passwords?|environment|context|everything"
    r"|responses?|output|logs?|keys?|balance|transcript)"
)
# What an exfiltrating instruction grabs wholesale (narrower: a URL destination alone is common).
HARVEST_OBJECT = (
    r"(?:cop(?:y|ies)|all|every|entire|complete|full|whole|conversation|chat\s+history|transcript"
    r"|credentials|secrets?|api\s+keys?|tokens|passwords?|environment\s+variables|everything)"
)
NEGATION_BEFORE = re.compile(r"\b(?:never|not|no|n't|without|nor)\b[^.!?\n]{0,30}$")


def is_reserved_destination(text: str) -> bool:
    """A documentation-only host: example.com/.org/.net, *.example, *.test, localhost."""
    return bool(_RESERVED_HOST.search(text))
