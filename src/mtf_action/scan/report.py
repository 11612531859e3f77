"""Turn a :class:`ScanResult` into the MTF report document.

Controls enforced by a registry or a client never count toward the verified
level. When this scanner implements one anyway (PR-02's manifest fields, AI-05's
bundle contents), its outcome is shown as an *advisory* pre-check
(``counts_toward_level: false``): same statuses and findings, so a publisher
learns what the registry or client will refuse, but left out of the level, the
pass/fail counts and the exit code.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any, Literal

from mtf_action import __version__
from mtf_action.errors import MtfError
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
from mtf_action.scan.context import ScanContext
from mtf_action.scan.engine import Evaluated, ScanResult
from mtf_action.scan.fingerprint import LineReader, assign_fingerprints
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


def counts_toward_level(item: Evaluated) -> bool:
    """Only scanner-enforced controls decide a publisher-side level (MTF section 3.1)."""
    return item.spec.enforcement is Enforcement.SCANNER


def _advisory_reason(item: Evaluated) -> str:
    return (
        f"enforced by the {item.spec.enforcement.value}: publisher-side pre-check, "
        "does not count toward the verified level"
    )


def _reason(item: Evaluated) -> str | None:
    if item.outcome is None:
        return _not_evaluated_reason(item)
    if item.outcome.skipped is not None:
        return item.outcome.skipped
    return None if counts_toward_level(item) else _advisory_reason(item)


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
        reason=_reason(item),
        duration_ms=item.duration_ms,
        details=(outcome.details or None) if outcome else None,
        counts_toward_level=counts_toward_level(item),
    )


def _next_level_blockers(result: ScanResult) -> list[str] | None:
    """Counted controls that keep the scan from verifying the next level (None at L4)."""
    target = result.level_verified + 1
    if target > 4:
        return None
    return [
        f"{item.spec.id} ({item.status_at(target).value})"
        for item in result.controls
        if counts_toward_level(item) and item.spec.level <= target and not item.satisfied_at(target)
    ]


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
    target_kind: Literal["directory", "bundle"],
    sbom: ReportSbom | None,
    now: datetime | None = None,
    level: int | None = None,
) -> Report:
    """The report document for one scan.

    Statuses are given at ``level`` when set (``scan --level N``), else at
    ``result.level_evaluated`` (the claimed level, else the verified one).
    """
    level = level or result.level_evaluated
    controls = [_report_control(item, level) for item in result.controls]
    domains: dict[str, ReportDomain] = {}
    for item, control in zip(result.controls, controls, strict=True):
        domains.setdefault(item.spec.domain.value, ReportDomain(controls={}))
        domains[item.spec.domain.value].controls[control.id] = control
    findings = [f for c in controls for f in c.findings]
    counted = [
        c
        for c in controls
        if c.counts_toward_level and c.mtf_status not in ("skip", "not_evaluated")
    ]
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
            next_level_blocked_by=_next_level_blockers(result),
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


# The report schema wants "MAJOR.MINOR.PATCH..." in bundle.version.
_SCHEMA_VERSION = re.compile(r"^\d+\.\d+\.\d+")
UNKNOWN_VERSION = "0.0.0"
SBOM_NAMES = ("sbom.cdx.json", "bom.cdx.json", "bom.json", "sbom.json")


def bundle_identity(ctx: ScanContext) -> tuple[str, str, dict[str, Any]]:
    """Name and version for the report, plus a note of what had to stand in.

    A scan must report on broken bundles too: without a usable name the bundle
    file (or directory) name stands in; without a version the report schema
    accepts, ``0.0.0`` does, and the declared value is kept in
    ``version_declared``. ``placeholders`` lists the stand-ins.
    """
    manifest = ctx.manifest
    name = manifest.name if manifest is not None and manifest.name else None
    declared = manifest.version if manifest is not None else None
    version = declared if declared is not None and _SCHEMA_VERSION.match(declared) else None
    placeholders = [field for field, value in (("name", name), ("version", version)) if not value]
    extra: dict[str, Any] = {}
    if placeholders:
        extra["placeholders"] = placeholders
    if declared is not None and version is None:
        extra["version_declared"] = declared
    fallback = ctx.bundle_path.stem if ctx.bundle_path is not None else ctx.base.name
    return name or fallback, version or UNKNOWN_VERSION, extra


def sbom_summary(ctx: ScanContext) -> ReportSbom | None:
    """The bundle's CycloneDX SBOM at the root, if one is there and parses."""
    for name in SBOM_NAMES:
        if not ctx.has(name):
            continue
        try:
            document = ctx.json_document(name)
        except MtfError:
            return None
        components = document.get("components") if isinstance(document, dict) else None
        if isinstance(document, dict) and document.get("bomFormat") == "CycloneDX":
            count = len(components) if isinstance(components, list) else 0
            return ReportSbom(format="cyclonedx", component_count=count, location=name)
    return None


def scan_report(
    ctx: ScanContext,
    result: ScanResult,
    *,
    level: int | None = None,
    now: datetime | None = None,
) -> Report:
    """:func:`build_report` with identity, digest and SBOM taken from the scanned target."""
    if ctx.bundle_sha256 is None:
        raise ValueError("the target has no digest; open it with scan.target.open_target")
    name, version, extra = bundle_identity(ctx)
    target = ctx.bundle_path if ctx.bundle_path is not None else ctx.base
    report = build_report(
        result,
        name=name,
        version=version,
        bundle_sha256=ctx.bundle_sha256,
        target=str(target),
        target_kind=ctx.kind,
        sbom=sbom_summary(ctx),
        now=now,
        level=level,
    )
    extra["hash_of"] = ctx.digest_of
    report.bundle = report.bundle.model_copy(update=extra)
    assign_fingerprints(report.findings, _line_reader(ctx))
    return report


# Files larger than this are not read again just to fingerprint a finding's line.
_FINGERPRINT_READ_LIMIT = 4 * 1024 * 1024


def _line_reader(ctx: ScanContext) -> LineReader:
    """``(file, line) -> text`` over the scanned target, each file split once."""
    lines: dict[str, list[str] | None] = {}

    def read(path: str, line: int) -> str | None:
        if path not in lines:
            ok = ctx.has(path) and ctx.size(path) <= _FINGERPRINT_READ_LIMIT
            lines[path] = (
                ctx.read_bytes(path).decode("utf-8", "replace").splitlines() if ok else None
            )
        found = lines[path]
        return found[line - 1] if found is not None and 0 < line <= len(found) else None

    return read
