"""The registry: every implemented MTF control, in catalog order (Appendix A.1).

One explicit tuple, no import-time magic: what a scan evaluates is readable
here. The engine orders the run (MTF section 6.6); catalog controls without an
implementation are reported as not evaluated, which caps the verified level.

Entries name their module and class rather than import them: a scan loads the
controls that start work on other cores (``starts_work``) first, and the
others' imports then run beside that work instead of before it.
"""

from __future__ import annotations

import functools

from mtf_action.scan.control import Control, ControlRef

REGISTRY: tuple[ControlRef, ...] = (
    ControlRef("AI-01", "ai01_manifest", "ManifestValidation"),
    ControlRef("AI-03", "ai03_signature", "BundleSigning"),
    ControlRef("AI-04", "ai04_reproducible", "ReproducibleBuilds"),
    # AI-05 is client-enforced: an advisory pre-check.
    ControlRef("AI-05", "ai05_completeness", "BundleCompleteness"),
    ControlRef("SC-01", "sc01_sbom", "SbomGeneration", starts_work=True),
    ControlRef("SC-02", "sc02_vulns", "VulnerabilityScanning", starts_work=True),
    ControlRef("SC-03", "sc03_pinning", "DependencyPinning"),
    ControlRef("SC-05", "sc05_sources", "TrustedSources"),
    ControlRef("CQ-01", "cq01_secrets", "SecretDetection", starts_work=True),
    ControlRef("CQ-02", "cq02_malware", "MalwarePatterns", starts_work=True),
    ControlRef("CQ-03", "cq03_static", "StaticAnalysis", starts_work=True),
    ControlRef("CQ-04", "cq04_input_validation", "InputValidation"),
    ControlRef("CQ-05", "cq05_safe_execution", "SafeExecution"),
    ControlRef("CD-01", "cd01_tools", "ToolDeclaration"),
    ControlRef("CD-02", "cd02_permissions", "PermissionCorrelation"),
    ControlRef("CD-03", "cd03_descriptions", "DescriptionSafety", starts_work=True),
    ControlRef("CD-04", "cd04_scopes", "CredentialScopes"),
    ControlRef("CD-05", "cd05_tokens", "TokenLifetime"),
    ControlRef("PR-01", "pr01_repository", "SourceRepository"),
    # PR-02 is registry-enforced: an advisory pre-check.
    ControlRef("PR-02", "pr02_author", "AuthorIdentity"),
    ControlRef("PR-03", "pr03_provenance", "BuildAttestation"),
    ControlRef("PR-04", "pr04_commit", "CommitLinkage"),
    ControlRef("PR-05", "pr05_scorecard", "RepositoryHealth"),
    # Registry-enforced, advisory pre-checks (UP-02 and UP-04 need --previous).
    ControlRef("RG-02", "rg02_names", "NamePatternReview"),
    ControlRef("UP-02", "up_updates", "BreakingChangePolicy"),
    ControlRef("UP-04", "up_updates", "VersionMonotonicity"),
)


def registered() -> tuple[ControlRef, ...]:
    """The registered controls, unloaded (what ``run_scan`` takes for a full scan)."""
    return REGISTRY


@functools.cache
def all_controls() -> tuple[Control, ...]:
    """Every registered control, loaded (instances are stateless and shared between scans)."""
    return tuple(ref.load() for ref in REGISTRY)
