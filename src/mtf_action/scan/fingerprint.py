"""Line-independent finding fingerprints, for pull-request diffs and SARIF.

A finding's ``id`` includes its line number, so moving code gives it a new id.
The fingerprint instead hashes what the finding *is*: control, rule, title,
file, and the normalised text of the flagged line (whitespace collapsed), or
when there is no line the description with its digests and numbers masked
(a rebuild digest or a count changes with every commit; what the finding is
about does not). Findings with equal keys (the same
statement twice in one file) are told apart by their occurrence index in line
order, as GitHub's own ``primaryLocationLineHash`` does. So a finding keeps its
fingerprint when lines are inserted above it, and gets a new one when the
flagged line itself changes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Final

from mtf_action.models.report import ReportFinding

FINGERPRINT_VERSION: Final = "v1"
# Longest snippet that enters the hash: a minified line is still one line.
_SNIPPET_CHARS: Final = 400
_VOLATILE: Final = re.compile(r"\b[0-9a-f]{7,}\b|\d+")

LineReader = Callable[[str, int], str | None]


def normalized_snippet(text: str | None) -> str:
    """``text`` with runs of whitespace collapsed to one space, trimmed, capped."""
    return " ".join((text or "").split())[:_SNIPPET_CHARS]


def masked_description(text: str) -> str:
    """``text`` normalised, with hex digests and numbers replaced by ``#``."""
    return _VOLATILE.sub("#", normalized_snippet(text))


def fingerprint_key(finding: ReportFinding, snippet: str | None) -> str:
    """Everything that identifies ``finding`` except where it is."""
    anchor = (
        normalized_snippet(snippet) if finding.line else masked_description(finding.description)
    )
    return "\x1f".join(
        [
            FINGERPRINT_VERSION,
            finding.control,
            finding.rule,
            finding.title,
            finding.file or "",
            anchor,
        ]
    )


def fingerprints(findings: Sequence[ReportFinding], read_line: LineReader) -> list[str]:
    """One fingerprint per finding (same order); unique within ``findings``.

    ``read_line(file, line)`` gives the text of a line of the scanned target, or
    None when it cannot be read (the key then holds no snippet).
    """
    keys = [
        fingerprint_key(f, read_line(f.file, f.line) if f.file and f.line else None)
        for f in findings
    ]
    order = sorted(range(len(findings)), key=lambda i: (findings[i].line or 0, i))
    seen: Counter[str] = Counter()
    out = [""] * len(findings)
    for index in order:
        key = keys[index]
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
        out[index] = f"{digest}:{seen[key]}"
        seen[key] += 1
    return out


def assign_fingerprints(findings: Sequence[ReportFinding], read_line: LineReader) -> None:
    """Set ``fingerprint`` on each finding (they are shared with the report's controls)."""
    for finding, value in zip(findings, fingerprints(findings, read_line), strict=True):
        finding.fingerprint = value


def fingerprint_of(finding: ReportFinding) -> str:
    """The finding's fingerprint; a report made without one falls back to its key sans line."""
    if finding.fingerprint:
        return finding.fingerprint
    return hashlib.sha256(fingerprint_key(finding, None).encode("utf-8")).hexdigest()[:24]
