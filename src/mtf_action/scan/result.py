"""What a control produces: findings, and a status derived from them at a level.

A finding records the lowest level at which it blocks (``blocks_at``), because
MTF makes the same finding a warning at one level and a failure at another
(CD-01 "WARN (L1), BLOCK (L2+)"). The status of a control is therefore a
function of the level being asked about, not a fixed property.
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Status(enum.StrEnum):
    """Control status (MTF section 5.5) plus ``not_evaluated``."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"
    ERROR = "error"
    # Scanner control this version cannot evaluate yet, or one enforced by a
    # registry or client: it never counts as passed.
    NOT_EVALUATED = "not_evaluated"


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Finding(BaseModel):
    """One observation of a control, with where it is and what to do about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    control: str
    rule: str = Field(description="stable slug of the check that fired")
    severity: Severity
    title: str
    description: str
    file: str | None = None
    line: int | None = Field(default=None, ge=1)
    remediation: str | None = None
    blocks_at: int | None = Field(
        default=None, ge=1, le=4, description="lowest MTF level at which this finding blocks"
    )

    def blocks(self, level: int) -> bool:
        return self.blocks_at is not None and level >= self.blocks_at


class ControlOutcome(BaseModel):
    """The raw result of evaluating one control, before a level is applied."""

    model_config = ConfigDict(extra="forbid")

    findings: list[Finding] = Field(default_factory=list)
    skipped: str | None = None  # reason the control does not apply
    error: str | None = None  # reason the control could not run
    details: dict[str, Any] = Field(default_factory=dict)

    def status_at(self, level: int) -> Status:
        if self.error is not None:
            return Status.ERROR
        if self.skipped is not None:
            return Status.SKIP
        if any(f.blocks(level) for f in self.findings):
            return Status.FAIL
        if any(f.severity is not Severity.INFO for f in self.findings):
            return Status.WARN
        return Status.PASS
