"""What a change does to a scan: findings new and fixed, control statuses before and after.

Findings are matched by fingerprint (:mod:`mtf_action.scan.fingerprint`), never
by line number, so code that only moved is neither new nor fixed. Matching is
by multiset: when the base has a finding twice and the head once, one is fixed.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

from pydantic import BaseModel, ConfigDict

from mtf_action.models.report import MtfStatus, Report, ReportControl, ReportFinding
from mtf_action.scan.fingerprint import fingerprint_of

_SEVERITY_ORDER: Final = ("critical", "high", "medium", "low", "info")
# Worse to better, for telling a regression from an improvement.
_STATUS_RANK: Final[dict[str, int]] = {
    "error": 0,
    "fail": 0,
    "warn": 1,
    "pass": 2,
    "skip": 2,
    "not_evaluated": 2,
}


class ControlChange(BaseModel):
    """One control's status in the base scan and in this one (None: absent there)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    level: int
    counts_toward_level: bool
    base: MtfStatus | None
    head: MtfStatus

    @property
    def changed(self) -> bool:
        return self.base != self.head

    @property
    def direction(self) -> str:
        """``worse``, ``better``, ``changed`` (same rank, e.g. pass -> skip) or ``same``."""
        if not self.changed:
            return "same"
        if self.base is None:
            return "changed"
        before, after = _STATUS_RANK[self.base], _STATUS_RANK[self.head]
        return "worse" if after < before else "better" if after > before else "changed"


class ScanDiff(BaseModel):
    """The head scan against the base scan of a pull request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_ref: str
    base_level_verified: int
    base_level_claimed: int | None
    head_level_verified: int
    head_level_claimed: int | None
    new: list[ReportFinding]
    fixed: list[ReportFinding]
    unchanged: int
    controls: list[ControlChange]

    @property
    def changed_controls(self) -> list[ControlChange]:
        return [c for c in self.controls if c.changed]


def _controls(report: Report) -> dict[str, ReportControl]:
    return {cid: c for d in report.domains.values() for cid, c in d.controls.items()}


def rank_findings(findings: list[ReportFinding]) -> list[ReportFinding]:
    """Blocking first, then by severity, then by place (stable for equal ones)."""
    return sorted(
        findings,
        key=lambda f: (
            not f.blocking,
            _SEVERITY_ORDER.index(f.severity),
            f.file or "",
            f.line or 0,
        ),
    )


def _unmatched(
    findings: list[ReportFinding], other: Counter[str]
) -> tuple[list[ReportFinding], int]:
    """Findings with no counterpart in ``other`` (consumed), and how many had one."""
    left = Counter(other)
    out: list[ReportFinding] = []
    matched = 0
    for finding in findings:
        key = fingerprint_of(finding)
        if left[key] > 0:
            left[key] -= 1
            matched += 1
        else:
            out.append(finding)
    return out, matched


def diff_reports(base: Report, head: Report, *, base_ref: str) -> ScanDiff:
    """Compare ``head`` (this change) with ``base`` (the scan of ``base_ref``)."""
    new, unchanged = _unmatched(head.findings, Counter(fingerprint_of(f) for f in base.findings))
    fixed, _ = _unmatched(base.findings, Counter(fingerprint_of(f) for f in head.findings))
    before = _controls(base)
    controls = [
        ControlChange(
            id=c.id,
            name=c.name,
            level=c.level,
            counts_toward_level=c.counts_toward_level,
            base=before[c.id].mtf_status if c.id in before else None,
            head=c.mtf_status,
        )
        for c in _controls(head).values()
    ]
    return ScanDiff(
        base_ref=base_ref,
        base_level_verified=base.level_verified,
        base_level_claimed=base.level_claimed,
        head_level_verified=head.level_verified,
        head_level_claimed=head.level_claimed,
        new=rank_findings(new),
        fixed=rank_findings(fixed),
        unchanged=unchanged,
        controls=controls,
    )
