"""The MTF v0.1 control catalog (Appendix A.1), as data.

Every control of the spec is listed, implemented or not, so reports can say
truthfully which ones a publisher-side scan evaluated, which it could not yet
evaluate, and which belong to a registry or a client.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Enforcement(enum.StrEnum):
    """Who enforces a control (MTF section 3.1)."""

    SCANNER = "scanner"
    REGISTRY = "registry"
    CLIENT = "client"
    REGISTRY_CLIENT = "registry+client"


class Domain(enum.StrEnum):
    """Control domains; the values are the report's ``domains`` keys."""

    AI = "artifact_integrity"
    SC = "supply_chain"
    CQ = "code_quality"
    CD = "capability_declaration"
    PR = "provenance"
    RG = "registry_operations"
    PK = "publisher_identity"
    IN = "installation"
    UP = "update_lifecycle"


@dataclass(frozen=True)
class ControlSpec:
    """One row of the spec's master control index."""

    id: str
    name: str
    level: int
    enforcement: Enforcement

    @property
    def domain(self) -> Domain:
        return Domain[self.id.split("-")[0]]


_S, _R, _C, _RC = (
    Enforcement.SCANNER,
    Enforcement.REGISTRY,
    Enforcement.CLIENT,
    Enforcement.REGISTRY_CLIENT,
)

CATALOG: tuple[ControlSpec, ...] = (
    ControlSpec("AI-01", "Manifest Validation", 1, _S),
    ControlSpec("AI-03", "Bundle Signing", 3, _S),
    ControlSpec("AI-04", "Reproducible Builds", 4, _S),
    ControlSpec("AI-05", "Bundle Completeness", 2, _C),
    ControlSpec("SC-01", "SBOM Generation", 1, _S),
    ControlSpec("SC-02", "Vulnerability Scanning", 2, _S),
    ControlSpec("SC-03", "Dependency Pinning", 2, _S),
    ControlSpec("SC-04", "Lockfile Integrity", 2, _C),
    ControlSpec("SC-05", "Trusted Sources", 3, _S),
    ControlSpec("CQ-01", "Secret Detection", 1, _S),
    ControlSpec("CQ-02", "Malware Patterns", 1, _S),
    ControlSpec("CQ-03", "Static Analysis", 2, _S),
    ControlSpec("CQ-04", "Input Validation", 3, _S),
    ControlSpec("CQ-05", "Safe Execution Patterns", 3, _S),
    ControlSpec("CQ-06", "Behavioral Analysis", 4, _R),
    ControlSpec("CD-01", "Tool Declaration", 1, _S),
    ControlSpec("CD-02", "Permission Correlation", 2, _S),
    ControlSpec("CD-03", "Description Safety", 2, _S),
    ControlSpec("CD-04", "Credential Scope Declaration", 3, _S),
    ControlSpec("CD-05", "Token Lifetime Limits", 3, _S),
    ControlSpec("PR-01", "Source Repository", 2, _S),
    ControlSpec("PR-02", "Author Identity", 2, _R),
    ControlSpec("PR-03", "Build Attestation", 3, _S),
    ControlSpec("PR-04", "Commit Linkage", 4, _S),
    ControlSpec("PR-05", "Repository Health", 3, _S),
    ControlSpec("RG-01", "Namespace Governance", 2, _R),
    ControlSpec("RG-02", "Name Pattern Review", 2, _R),
    ControlSpec("RG-03", "Index Integrity", 3, _R),
    ControlSpec("RG-04", "Freshness Guarantees", 3, _R),
    ControlSpec("RG-05", "Revocation Feed", 2, _R),
    ControlSpec("RG-06", "Transparency Log", 3, _R),
    ControlSpec("RG-07", "Bundle Digest", 2, _R),
    ControlSpec("PK-01", "Identity Tiers", 2, _R),
    ControlSpec("PK-02", "Key Rotation", 3, _R),
    ControlSpec("PK-03", "Compromise Recovery", 3, _R),
    ControlSpec("PK-04", "Account Succession", 3, _R),
    ControlSpec("IN-01", "Pre-Installation Checks", 1, _C),
    ControlSpec("IN-02", "Post-Download Verification", 2, _C),
    ControlSpec("IN-03", "User Transparency", 1, _C),
    ControlSpec("IN-04", "Rollback Capability", 2, _C),
    ControlSpec("UP-01", "Update Notification", 2, _RC),
    ControlSpec("UP-02", "Breaking Change Policy", 2, _R),
    ControlSpec("UP-03", "Deprecation Process", 2, _R),
    ControlSpec("UP-04", "Version Monotonicity", 2, _R),
)

BY_ID: dict[str, ControlSpec] = {c.id: c for c in CATALOG}

LEVEL_NAMES = {0: "None", 1: "Basic", 2: "Standard", 3: "Verified", 4: "Attested"}

# MTF section 6.6: these run first, in this order; everything else follows.
ENFORCEMENT_ORDER: tuple[str, ...] = ("AI-01", "SC-01", "CQ-01", "CQ-02", "CD-01")


def spec(control_id: str) -> ControlSpec:
    """The catalog row of one control ID (KeyError for an unknown ID)."""
    return BY_ID[control_id]
