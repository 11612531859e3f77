"""Result of validating one manifest.json (AI-01 Manifest Validation, CD-01 Tool Declaration)."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mtf_action.models.manifest import Manifest

Control = Literal["AI-01", "CD-01"]


class Severity(enum.StrEnum):
    """Finding-to-action mapping of MTF section 3.1 (BLOCK / WARN), plus notes."""

    BLOCK = "block"
    WARN = "warn"
    INFO = "info"


class ManifestIssue(BaseModel):
    """One finding, addressed by a JSON pointer into manifest.json."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(description="stable identifier, e.g. 'version-not-semver'")
    control: Control
    severity: Severity
    pointer: str = Field(description="RFC 6901 JSON pointer; '' is the whole document")
    message: str
    remediation: str | None = None
    line: int | None = Field(default=None, description="1-based line of the key, when known")


class ManifestReport(BaseModel):
    """Outcome of :func:`mtf_action.manifest.validation.validate_manifest`.

    ``mcpb_valid``: the manifest declares a known MCPB version and passes that
    schema. ``mtf_valid``: no blocking issue at ``level_checked`` (which implies
    ``mcpb_valid``). ``manifest`` is the typed view for later controls; it is not
    part of the JSON output, which describes the findings, not the input.
    """

    model_config = ConfigDict(extra="forbid")

    source: str
    manifest_version: str | None
    schema_id: str | None = Field(description="e.g. 'mcpb-manifest-v0.4'; None if unknown")
    level_claimed: int | None
    level_checked: int
    mcpb_valid: bool
    mtf_valid: bool
    issues: list[ManifestIssue] = Field(default_factory=list)
    manifest: Manifest | None = Field(default=None, exclude=True)

    def with_severity(self, severity: Severity) -> list[ManifestIssue]:
        return [issue for issue in self.issues if issue.severity is severity]

    @property
    def blocking(self) -> list[ManifestIssue]:
        return self.with_severity(Severity.BLOCK)

    def blocking_codes(self) -> list[str]:
        """Sorted, de-duplicated codes of blocking issues (handy for policies and tests)."""
        return sorted({issue.code for issue in self.blocking})
