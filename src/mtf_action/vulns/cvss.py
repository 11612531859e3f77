"""CVSS base scores from an advisory's ``severity`` vectors (MTF SC-02 thresholds).

OSV carries vectors, not numbers (``{"type": "CVSS_V3", "score":
"CVSS:3.1/AV:N/..."}``); the base score is computed by the ``cvss`` package
(FIRST's v2/v3.x/v4.0 equations). Which score counts when an advisory group
has several (a GHSA with v3.1 and v4.0, its PYSEC alias with another v3.1):

* v3.x and v4.0 vectors are both current; the **highest** base score among
  them decides. MTF's thresholds are severity bands that both versions share,
  and taking the maximum never lets a second vector hide a critical rating.
* v2 vectors count only when there is no v3.x/v4.0 vector at all.
* A vector that does not parse is reported back (never silently dropped).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from mtf_action.vulns.model import OsvSeverity


@dataclass(frozen=True)
class CvssScore:
    version: str  # "2.0", "3.0", "3.1", "4.0"
    vector: str
    base_score: float

    def __str__(self) -> str:
        return f"{self.base_score:.1f} (CVSS {self.version})"


@lru_cache(maxsize=4096)
def score_vector(kind: str, vector: str) -> CvssScore | None:
    """The base score of one OSV severity entry; None when it is not a CVSS vector we read."""
    text = vector.strip()
    try:
        if kind == "CVSS_V4" or text.startswith("CVSS:4."):
            v4 = CVSS4(text)
            return CvssScore("4.0", text, float(v4.base_score))
        if kind == "CVSS_V3" or text.startswith("CVSS:3."):
            v3 = CVSS3(text)
            return CvssScore(
                text.split("/", 1)[0].removeprefix("CVSS:"), text, float(v3.base_score)
            )
        if kind == "CVSS_V2":
            v2 = CVSS2(text)
            return CvssScore("2.0", text, float(v2.base_score))
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    return None


@dataclass(frozen=True)
class CvssVerdict:
    """The score that counts, every score read, and the vectors that could not be read."""

    score: CvssScore | None
    all_scores: tuple[CvssScore, ...] = ()
    unreadable: tuple[str, ...] = ()


def decide_cvss(entries: Iterable[OsvSeverity]) -> CvssVerdict:
    scores: list[CvssScore] = []
    unreadable: list[str] = []
    for entry in entries:
        if not entry.type.startswith("CVSS"):
            continue  # e.g. "Ubuntu" priorities: not a CVSS score
        parsed = score_vector(entry.type, entry.score)
        if parsed is None:
            unreadable.append(f"{entry.type} {entry.score}")
        elif parsed not in scores:
            scores.append(parsed)
    current = [s for s in scores if s.version != "2.0"]
    pool = current or scores
    best = max(pool, key=lambda s: s.base_score) if pool else None
    return CvssVerdict(best, tuple(scores), tuple(unreadable))
