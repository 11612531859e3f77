"""One secret-looking value found in a file (MTF CQ-01).

Apart from the detector so that a process receiving hits from a worker (they
are pickled by class path) does not load detect-secrets to read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtf_action.scan.secrets.patterns import Confidence


@dataclass(frozen=True)
class SecretHit:
    """One secret-looking value at a position in a file (the value never leaves the scan)."""

    slug: str
    label: str
    confidence: Confidence
    secret: str
    context: str  # the whole matched text, for placeholder judgement
    start: int
    end: int
    heuristic: bool = False  # keyword / entropy rather than a vendor pattern
    own: bool = False  # one of mtf-attest's rules (they capture just the secret)

    @property
    def rank(self) -> tuple[bool, bool, bool, int]:
        return (
            self.confidence is Confidence.HIGH,
            not self.heuristic,
            self.own,
            self.end - self.start,
        )
