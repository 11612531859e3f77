"""AI-01 Manifest Validation (MTF-0.1 section 3.2), from the shared manifest view.

The manifest rules (:func:`mtf_action.manifest.validation.validate_manifest`)
are run at L1 and at L2; an issue that blocks at L1 becomes a finding with
``blocks_at=1``, one that blocks only from L2 (author, repository, MTF
extension, scoped name; CD-01's tool descriptions) gets ``blocks_at=2``.
Warnings never block; notes are ``info`` findings. A missing or unreadable
manifest is itself an AI-01 failure at every level, never a crash.
"""

from __future__ import annotations

from typing import ClassVar

from mtf_action.errors import ManifestError
from mtf_action.models.manifest_report import ManifestIssue, ManifestReport
from mtf_action.models.manifest_report import Severity as IssueSeverity
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import report_at
from mtf_action.scan.result import ControlOutcome, Finding, Severity

MANIFEST = "manifest.json"
# Added by validate_manifest when the checked level differs from the claim.
_IGNORED_CODES = frozenset({"level-override"})


def _title(code: str) -> str:
    return code.replace("-", " ").capitalize()


def _finding(control: Control, issue: ManifestIssue, blocks_at: int | None) -> Finding:
    if blocks_at == 1:
        severity = Severity.HIGH
    elif blocks_at is not None:
        severity = Severity.MEDIUM
    elif issue.severity is IssueSeverity.WARN:
        severity = Severity.LOW
    else:
        severity = Severity.INFO
    where = issue.pointer or "(document)"
    return control.finding(
        issue.code,
        severity,
        _title(issue.code),
        f"{where}: {issue.message}",
        blocks_at=blocks_at,
        file=MANIFEST,
        line=issue.line,
        remediation=issue.remediation,
    )


def issue_findings(control: Control, l1: ManifestReport, l2: ManifestReport) -> list[Finding]:
    """Findings of ``control`` from the L1 and L2 validations, each with its lowest block level."""

    def mine(report: ManifestReport) -> dict[tuple[str, str], ManifestIssue]:
        return {
            (i.code, i.pointer): i
            for i in report.issues
            if i.control == control.id and i.code not in _IGNORED_CODES
        }

    at1, at2 = mine(l1), mine(l2)
    findings: list[Finding] = []
    for key in [*at1, *(k for k in at2 if k not in at1)]:
        first, second = at1.get(key), at2.get(key)
        if first is not None and first.severity is IssueSeverity.BLOCK:
            findings.append(_finding(control, first, 1))
        elif second is not None and second.severity is IssueSeverity.BLOCK:
            findings.append(_finding(control, second, 2))
        else:
            issue = first or second
            assert issue is not None  # key came from one of the two
            findings.append(_finding(control, issue, None))
    return findings


def unreadable(control: Control, exc: ManifestError) -> Finding:
    """The finding for a missing, oversized or malformed manifest.json."""
    return control.finding(
        "manifest-unreadable",
        Severity.HIGH,
        "manifest.json missing or unreadable",
        exc.one_line(),
        blocks_at=1,
        file=MANIFEST,
        remediation="put a valid MCPB manifest.json (UTF-8 JSON object) at the bundle root",
    )


class ManifestValidation(Control):
    """AI-01: manifest.json present, valid against its MCPB schema and MTF's field tables."""

    id: ClassVar[str] = "AI-01"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        try:
            l1, l2 = report_at(ctx, 1), report_at(ctx, 2)
        except ManifestError as exc:
            return ControlOutcome(findings=[unreadable(self, exc)])
        return ControlOutcome(
            findings=issue_findings(self, l1, l2),
            details={
                "schema": l1.schema_id,
                "manifest_version": l1.manifest_version,
                "mcpb_valid": l1.mcpb_valid,
                "level_claimed": l1.level_claimed,
                "valid_at": [lvl for lvl, r in ((1, l1), (2, l2)) if r.mtf_valid],
            },
        )
