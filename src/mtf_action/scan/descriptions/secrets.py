"""Credentials written into a description (CD-03; the value is never quoted).

CQ-01's detector finds the vendor formats (AWS, GitHub, Slack, OpenAI ...).
Prose adds shapes that source-code heuristics skip: ``api_key=abc123...`` or
``Bearer <token>`` in a sentence, and ``sk-`` keys of any length. Placeholders
(``YOUR_API_KEY``, ``sk-xxxx``, ``<token>``) are CQ-01's too.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.fields import DescriptionField
from mtf_action.scan.descriptions.model import Category, Detection
from mtf_action.scan.secrets.patterns import Confidence
from mtf_action.scan.secrets.placeholders import is_placeholder
from mtf_action.scan.secrets.redact import redact

_PROSE = re.compile(
    r"(?i)\b(?P<name>(?:[a-z_][\w-]*?)?(?:api[_-]?key|token|secret|password|passwd|pwd|access[_-]?key"
    r"|credential)s?)\s*[=:]\s*[\"'`]?(?P<secret>[A-Za-z0-9_\-./+]{16,}={0,2})"
    r"|\bbearer\s+(?P<bearer>[A-Za-z0-9._~+/-]{20,}={0,2})"
    r"|(?<![\w-])(?P<sk>sk-[A-Za-z0-9_-]{20,})"
)


def _key_material(value: str) -> bool:
    """Mixed letters and digits, not an environment-variable name or a word."""
    return (
        any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and not re.fullmatch(r"[A-Z0-9_]+", value)
    )


_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-+/=.]{16,}")  # every credential shape has one


def secret_detections(field: DescriptionField) -> list[Detection]:
    if not _LONG_TOKEN.search(field.text):
        return []
    # detect-secrets (and the requests it imports) loads only when a text has a token shape.
    from mtf_action.scan.secrets.detector import find_secrets

    hits = find_secrets("description.txt", field.text, vendored=False, heuristics=False)
    found = [  # (label, secret, blocking)
        (hit.label, hit.secret, hit.confidence is Confidence.HIGH)
        for hit in hits
        if not is_placeholder(hit.secret, hit.context)
    ]
    for m in _PROSE.finditer(field.text):
        value = m.group("secret") or m.group("bearer") or m.group("sk") or ""
        if _key_material(value) and not is_placeholder(value, m.group(0)):
            found.append(("credential in prose", value, True))
    if not found:
        return []
    label, secret, _ = found[0]
    blocking = any(b for _, _, b in found)
    return [
        Detection(
            Category.SECRET,
            "embedded-credential",
            f"{label} written into the text",
            redact(secret),
            blocking,
            field.pointer,
            field.owner,
        )
    ]
