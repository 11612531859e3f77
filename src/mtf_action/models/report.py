"""The scan report: MTF ``report.schema.json`` plus the per-control detail of MTF 5.5.

Where the two disagree we keep the schema valid and carry the extra meaning in
additional fields (the schema allows them; ``docs/spec-decisions.md`` has
the reasoning):

* the schema's control status has no ``warn``: a warning control is reported
  as ``status: "pass"`` with ``mtf_status: "warn"``; a control this scan did not
  evaluate is ``status: "skip"`` with ``mtf_status: "not_evaluated"`` and the
  reason (the verified level is given explicitly: an unimplemented scanner
  control caps it, so do not recompute the level from ``status``);
* registry- or client-enforced controls that this scanner checks anyway are
  advisory (``counts_toward_level: false``): shown with their findings, left
  out of the level and the pass/fail counts;
* ``bundle.placeholders`` names manifest fields that were missing or unusable
  and replaced by stand-ins, so a broken bundle still gets a valid report;
* the schema's top-level ``version`` is the report-format version, so the
  package version of section 5.5 lives in ``bundle.version``; 5.5's other
  fields (``package``, ``verified_at``, ``verifier``, ``level_claimed``,
  ``level_verified``, ``controls``) are added at the top level.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_FORMAT_VERSION = "1.0.0"
REPORT_SCHEMA_ID = "https://mpaktrust.org/schemas/mtf/v0.1/report.json"

SchemaStatus = Literal["pass", "fail", "skip", "error"]
MtfStatus = Literal["pass", "fail", "warn", "skip", "error", "not_evaluated"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ReportFinding(_Model):
    id: str
    control: str
    rule: str
    severity: Literal["critical", "high", "medium", "low", "info"]
    title: str
    description: str
    file: str | None = None
    line: int | None = None
    remediation: str | None = None
    blocking: bool
    blocks_at: int | None = None
    # Line-independent identity for PR diffs and SARIF (scan/fingerprint.py).
    fingerprint: str | None = None


class ReportControl(_Model):
    id: str
    name: str
    level: int
    enforcement: str
    status: SchemaStatus
    mtf_status: MtfStatus
    findings: list[ReportFinding] = Field(default_factory=list)
    error: str | None = None
    reason: str | None = None
    duration_ms: int = 0
    details: dict[str, Any] | None = None
    # False for registry/client-enforced controls checked as advisory pre-checks.
    counts_toward_level: bool = True


class ReportDomain(_Model):
    controls: dict[str, ReportControl]


class ReportBundle(_Model):
    name: str
    version: str
    hash: str
    # Fields the manifest could not supply ("name", "version"): stand-ins were used.
    placeholders: list[str] | None = None
    version_declared: str | None = None  # a declared version the schema's pattern rejects
    hash_of: str | None = None  # what ``hash`` is the SHA-256 of (bundle file, or a build)


class ReportScan(_Model):
    timestamp: str
    scanner: str
    scanner_version: str
    duration_ms: int
    target: str
    target_kind: Literal["directory", "bundle"]
    level_evaluated: int


class ReportCompliance(_Model):
    level: int
    level_name: str
    controls_passed: int
    controls_failed: int
    controls_total: int
    level_claimed: int | None = None
    claim_exceeds_verified: bool = False
    # Why the level is not higher: "<control> (<status at the next level>)".
    next_level_blocked_by: list[str] | None = None


class ReportSbom(_Model):
    format: Literal["cyclonedx", "spdx"]
    component_count: int
    location: str


class Verifier(_Model):
    name: str
    version: str


class ControlSummary(_Model):
    """One row of the MTF 5.5 ``controls`` list."""

    id: str
    name: str
    status: MtfStatus
    details: dict[str, Any] | None = None


class Report(_Model):
    schema_: str = Field(default=REPORT_SCHEMA_ID, alias="$schema")
    version: str = REPORT_FORMAT_VERSION
    bundle: ReportBundle
    scan: ReportScan
    compliance: ReportCompliance
    risk_score: Literal["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
    domains: dict[str, ReportDomain]
    findings: list[ReportFinding]
    sbom: ReportSbom | None = None
    # MTF section 5.5
    package: str
    verified_at: str
    verifier: Verifier
    level_claimed: int | None
    level_verified: int
    controls: list[ControlSummary]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
