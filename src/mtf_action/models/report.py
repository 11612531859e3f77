"""The scan report: MTF ``report.schema.json`` plus the per-control detail of MTF 5.5.

Where the two disagree we keep the schema valid and carry the extra meaning in
additional fields (the schema allows them):

* the schema's control status has no ``warn``: a warning control is reported
  as ``status: "pass"`` with ``mtf_status: "warn"``; a control this scan did not
  evaluate is ``status: "skip"`` with ``mtf_status: "not_evaluated"`` and the
  reason;
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


class ReportDomain(_Model):
    controls: dict[str, ReportControl]


class ReportBundle(_Model):
    name: str
    version: str
    hash: str


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
