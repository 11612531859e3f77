"""Turn a :class:`ScanResult` into the MTF report document."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from mtf_action import __version__
from mtf_action.models.report import (
    ControlSummary,
    Report,
    ReportBundle,
    ReportCompliance,
    ReportControl,
    ReportDomain,
    ReportFinding,
    ReportSbom,
    ReportScan,
    Verifier,
)
from mtf_action.scan.catalog import LEVEL_NAMES, Enforcement
from mtf_action.scan.engine import Evaluated, ScanResult
from mtf_action.scan.result import Finding, Severity, Status

SCANNER_NAME = "mtf-attest"
_NOT_EVALUATED_SCANNER = "not evaluated by this version of mtf-attest"


def finding_id(finding: Finding) -> str:
    """A stable identifier: same finding, same ID across runs (for baselines and PR diffs)."""
    key = "\x1f".join(
        [finding.control, finding.rule, finding.file or "", str(finding.line or ""), finding.title]
    )
    return f"{finding.control}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def _report_finding(finding: Finding, level: int) -> ReportFinding:
    return ReportFinding(
        id=finding_id(finding),
        control=finding.control,
        rule=finding.rule,
        severity=finding.severity.value,
        title=finding.title,
        description=finding.description,
        file=finding.file,
        line=finding.line,
        remediation=finding.remediation,
        blocking=finding.blocks(level),
        blocks_at=finding.blocks_at,
    )


def _not_evaluated_reason(item: Evaluated) -> str:
    if item.spec.enforcement is Enforcement.SCANNER:
        return _NOT_EVALUATED_SCANNER
    return f"not evaluated by a publisher-side scan (enforced by the {item.spec.enforcement.value})"


def _report_control(item: Evaluated, level: int) -> ReportControl:
    status = item.status_at(level)
    schema_status = {
        Status.PASS: "pass",
        Status.WARN: "pass",
        Status.FAIL: "fail",
        Status.SKIP: "skip",
        Status.ERROR: "error",
        Status.NOT_EVALUATED: "skip",
    }[status]
    outcome = item.outcome
    return ReportControl(
        id=item.spec.id,
        name=item.spec.name,
        level=item.spec.level,
        enforcement=item.spec.enforcement.value,
        status=schema_status,
        mtf_status=status.value,
        findings=[_report_finding(f, level) for f in (outcome.findings if outcome else [])],
        error=outcome.error if outcome else None,
        reason=(outcome.skipped if outcome else _not_evaluated_reason(item)),
        duration_ms=item.duration_ms,
        details=(outcome.details or None) if outcome else None,
    )


def _risk(findings: list[ReportFinding]) -> str:
    worst = max((Severity(f.severity).rank for f in findings), default=-1)
    for severity in Severity:
        if severity.rank == worst and severity is not Severity.INFO:
            return severity.value.upper()
    return "NONE"


def build_report(
    result: ScanResult,
    *,
    name: str,
    version: str,
    bundle_sha256: str,
    target: str,
    target_kind: str,
    sbom: ReportSbom | None,
    now: datetime | None = None,
) -> Report:
    """The report document for one scan (statuses at ``result.level_evaluated``)."""
    level = result.level_evaluated
    controls = [_report_control(item, level) for item in result.controls]
    domains: dict[str, ReportDomain] = {}
    for item, control in zip(result.controls, controls, strict=True):
        domains.setdefault(item.spec.domain.value, ReportDomain(controls={}))
        domains[item.spec.domain.value].controls[control.id] = control
    findings = [f for c in controls for f in c.findings]
    counted = [c for c in controls if c.mtf_status not in ("skip", "not_evaluated")]
    timestamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    claimed = result.level_claimed
    return Report(
        bundle=ReportBundle(name=name, version=version, hash=bundle_sha256),
        scan=ReportScan(
            timestamp=timestamp,
            scanner=SCANNER_NAME,
            scanner_version=__version__,
            duration_ms=result.duration_ms,
            target=target,
            target_kind=target_kind,
            level_evaluated=level,
        ),
        compliance=ReportCompliance(
            level=result.level_verified,
            level_name=LEVEL_NAMES[result.level_verified],
            controls_passed=sum(c.mtf_status in ("pass", "warn") for c in counted),
            controls_failed=sum(c.mtf_status in ("fail", "error") for c in counted),
            controls_total=len(counted),
            level_claimed=claimed,
            claim_exceeds_verified=claimed is not None and claimed > result.level_verified,
        ),
        risk_score=_risk(findings),
        domains=domains,
        findings=findings,
        sbom=sbom,
        package=name,
        verified_at=timestamp,
        verifier=Verifier(name=SCANNER_NAME, version=__version__),
        level_claimed=claimed,
        level_verified=result.level_verified,
        controls=[
            ControlSummary(id=c.id, name=c.name, status=c.mtf_status, details=c.details)
            for c in controls
        ],
    )
