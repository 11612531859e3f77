"""Values that look like secrets but are documentation placeholders (MTF CQ-01).

``AKIAIOSFODNN7EXAMPLE``, ``sk_live_xxxxxxxxxxxxxxxxxxxxxxxx``,
``postgres://user:<password>@host``: real packages and READMEs are full of
them. They are reported at ``info`` so the publisher sees the check ran,
without a warning or a block.
"""

from __future__ import annotations

import re

_MARKERS = re.compile(
    r"(?i)(example|xxxx|your[_-]?|placeholder|dummy|changeme|change[_-]me|redacted|sample"
    r"|fake|insert|replace|todo|foobar|secret[_-]?here|key[_-]?here|token[_-]?here|test[_-]?key"
    r"|\*{3,}|\.{3,}|…|<[^>]*>|\{\{|\$\{|%\(|%s|\$[A-Z_]+)"
)
# Passwords that mark a connection string as a template rather than a credential.
_WEAK_PASSWORDS = frozenset(
    {"password", "pass", "passwd", "pwd", "secret", "pw", "root", "admin", "test", "user",
     "postgres", "mysql", "guest", "mongo", "redis", "example", "changeme", "p", "x"}
)  # fmt: skip
_LOCAL_HOST = re.compile(
    r"@(?:(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host|hostname|db|database)(?=[:/?]|$)"
    r"|[^/?\s]*\bexample\.(?:com|org|net)\b)"
)


def _low_variety(body: str) -> bool:
    """``0000...``, ``abababab``: a filler, not key material."""
    return len(body) >= 8 and len(set(body)) <= 4


def is_placeholder(secret: str, context: str = "") -> bool:
    """True when ``secret`` (found in ``context``, the matched text) is a placeholder."""
    if _MARKERS.search(secret) or _MARKERS.search(context[:300]):
        return True
    if secret.lower() in _WEAK_PASSWORDS:
        return True
    from detect_secrets.filters.heuristic import (  # loaded by the secret search anyway
        is_not_alphanumeric_string,
        is_potential_uuid,
        is_sequential_string,
        is_templated_secret,
    )

    # Judge the random part: the characters after a vendor prefix like "sk_live_".
    body = re.split(r"[_.-]", secret)[-1] if len(re.split(r"[_.-]", secret)[-1]) >= 8 else secret
    return (
        _low_variety(body)
        or is_sequential_string(body)
        or is_potential_uuid(secret)
        or is_templated_secret(secret)
        or is_not_alphanumeric_string(secret)
    )


def is_local_dev_credential(context: str) -> bool:
    """A connection string pointing at localhost or a compose service: a dev default."""
    return bool(_LOCAL_HOST.search(context))
