"""Collects the issues of one validation run, with line numbers and without duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtf_action.manifest.loader import LoadedManifest
from mtf_action.models.manifest_report import Control, ManifestIssue, Severity

AI01: Control = "AI-01"
CD01: Control = "CD-01"


@dataclass
class Findings:
    loaded: LoadedManifest
    issues: list[ManifestIssue] = field(default_factory=list)
    # Pointers already reported as missing, so the MCPB schema and the MTF
    # required-field table never report the same absence twice.
    missing: set[str] = field(default_factory=set)
    _seen: set[ManifestIssue] = field(default_factory=set, repr=False)

    def add(
        self,
        code: str,
        severity: Severity,
        pointer: str,
        message: str,
        remediation: str | None = None,
        *,
        control: Control = AI01,
    ) -> None:
        issue = ManifestIssue(
            code=code,
            control=control,
            severity=severity,
            pointer=pointer,
            message=message,
            remediation=remediation,
            line=self.loaded.line_of(pointer) if pointer else None,
        )
        if issue not in self._seen:  # ManifestIssue is frozen, hence hashable
            self._seen.add(issue)
            self.issues.append(issue)

    def add_missing(
        self,
        pointer: str,
        message: str,
        remediation: str | None = None,
        *,
        code: str = "required-field-missing",
        control: Control = AI01,
    ) -> None:
        """A required field is absent (AI-01 severity table: BLOCK)."""
        if pointer in self.missing:
            return
        self.missing.add(pointer)
        self.add(code, Severity.BLOCK, pointer, message, remediation, control=control)

    def has_blocking(self) -> bool:
        return any(issue.severity is Severity.BLOCK for issue in self.issues)
