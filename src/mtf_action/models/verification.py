"""What ``mtf-attest verify`` found: one entry per check, in the order they ran.

The checks and their order are fixed by the attest/verify contract (issue 4):
``bundle-digest``, ``provenance``, ``claim``, ``sbom-attestation``, ``vsa``,
``embedded-signature``, ``rescan``, ``min-level``. Each entry says ``pass``,
``fail`` or ``skip`` with a one-line reason; a failure also names its
``cause`` (the part of the check that failed: ``subject``, ``identity``,
``claim-bytes``...), so scripts can branch on it without parsing prose.

This is a document we write (``--format json``), so unknown members are refused
when it is read back (``extra="forbid"``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CheckName = Literal[
    "bundle-digest",
    "provenance",
    "claim",
    "sbom-attestation",
    "vsa",
    "embedded-signature",
    "rescan",
    "min-level",
]
CHECK_ORDER: tuple[CheckName, ...] = (
    "bundle-digest",
    "provenance",
    "claim",
    "sbom-attestation",
    "vsa",
    "embedded-signature",
    "rescan",
    "min-level",
)
CheckStatus = Literal["pass", "fail", "skip"]
Level = Annotated[int, Field(ge=0, le=4)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckResult(_Model):
    """One check: its verdict, why, and what it looked at."""

    name: CheckName
    status: CheckStatus
    reason: str
    # The failed part of the check (``None`` unless ``status == "fail"``).
    cause: str | None = None
    # True when the check could not run because an input was missing or unreadable
    # (exit code 3) rather than because something did not verify (exit code 1).
    unreadable: bool = False
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def failed(self) -> bool:
        return self.status == "fail"


class TrustUsed(_Model):
    """What the signatures were checked against."""

    mode: Literal["sigstore", "key"]
    trust: str  # e.g. "Sigstore production (TUF)", "trusted root FILE", "public key sha256:..."
    policy: str  # the identity a signature had to carry


class VerificationResult(_Model):
    """The whole verdict for one bundle and its release assets."""

    bundle: str
    bundle_sha256: str | None
    assets_dir: str
    trust: TrustUsed
    verified: bool
    # 0: every check holds; 1: a check failed; 3: an input was missing or unreadable.
    exit_code: Literal[0, 1, 3]
    # The level a consumer may rely on: the signed claim's verified level, lowered
    # to the rescan's when one ran; None unless every check passed.
    level: Level | None = None
    checks: list[CheckResult]

    def check(self, name: CheckName) -> CheckResult:
        """The entry of one check (every check always has one)."""
        for entry in self.checks:
            if entry.name == name:
                return entry
        raise KeyError(name)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if c.failed]
