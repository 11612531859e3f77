"""Showing that a secret was found without showing the secret (MTF CQ-01).

A report travels further than the bundle: PR comments, SARIF uploads, CI
logs. So no output ever carries the value, only a short prefix (enough to
recognise the kind of key, never enough to use it) and a truncated SHA-256
fingerprint, which lets a publisher match a finding to the key they rotate.
"""

from __future__ import annotations

import hashlib

PREFIX_CHARS = 4
FINGERPRINT_HEX = 8


def fingerprint(secret: str) -> str:
    """``sha256:`` and the first 8 hex digits of the value's SHA-256."""
    digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest[:FINGERPRINT_HEX]}"


def redact(secret: str, *, show_prefix: bool = True) -> str:
    """``AKIA…`` plus the fingerprint; the prefix is dropped for short values.

    A value of fewer than 12 characters would give away a third of itself in
    four characters, so it is shown by fingerprint alone.
    """
    if show_prefix and len(secret) >= 3 * PREFIX_CHARS:
        return f"{secret[:PREFIX_CHARS]}… ({fingerprint(secret)})"
    return f"[redacted] ({fingerprint(secret)})"
