"""The registry: every implemented MTF control, in catalog order (Appendix A.1).

One explicit tuple, no import-time magic: what a scan evaluates is readable
here. The engine orders the run (MTF section 6.6); catalog controls without an
implementation are reported as not evaluated, which caps the verified level.
"""

from __future__ import annotations

from mtf_action.scan.control import Control
from mtf_action.scan.controls.ai01_manifest import ManifestValidation
from mtf_action.scan.controls.ai03_signature import BundleSigning
from mtf_action.scan.controls.ai04_reproducible import ReproducibleBuilds
from mtf_action.scan.controls.ai05_completeness import BundleCompleteness
from mtf_action.scan.controls.cd01_tools import ToolDeclaration
from mtf_action.scan.controls.cd02_permissions import PermissionCorrelation
from mtf_action.scan.controls.cd03_descriptions import DescriptionSafety
from mtf_action.scan.controls.cd04_scopes import CredentialScopes
from mtf_action.scan.controls.cd05_tokens import TokenLifetime
from mtf_action.scan.controls.cq01_secrets import SecretDetection
from mtf_action.scan.controls.cq02_malware import MalwarePatterns
from mtf_action.scan.controls.cq03_static import StaticAnalysis
from mtf_action.scan.controls.cq04_input_validation import InputValidation
from mtf_action.scan.controls.cq05_safe_execution import SafeExecution
from mtf_action.scan.controls.pr01_repository import SourceRepository
from mtf_action.scan.controls.pr02_author import AuthorIdentity
from mtf_action.scan.controls.pr03_provenance import BuildAttestation
from mtf_action.scan.controls.pr04_commit import CommitLinkage
from mtf_action.scan.controls.pr05_scorecard import RepositoryHealth
from mtf_action.scan.controls.rg02_names import NamePatternReview
from mtf_action.scan.controls.sc01_sbom import SbomGeneration
from mtf_action.scan.controls.sc02_vulns import VulnerabilityScanning
from mtf_action.scan.controls.sc03_pinning import DependencyPinning
from mtf_action.scan.controls.sc05_sources import TrustedSources
from mtf_action.scan.controls.up_updates import BreakingChangePolicy, VersionMonotonicity

CONTROLS: tuple[Control, ...] = (
    ManifestValidation(),  # AI-01
    BundleSigning(),  # AI-03
    ReproducibleBuilds(),  # AI-04
    BundleCompleteness(),  # AI-05 (client-enforced: advisory pre-check)
    SbomGeneration(),  # SC-01
    VulnerabilityScanning(),  # SC-02
    DependencyPinning(),  # SC-03
    TrustedSources(),  # SC-05
    SecretDetection(),  # CQ-01
    MalwarePatterns(),  # CQ-02
    StaticAnalysis(),  # CQ-03
    InputValidation(),  # CQ-04
    SafeExecution(),  # CQ-05
    ToolDeclaration(),  # CD-01
    PermissionCorrelation(),  # CD-02
    DescriptionSafety(),  # CD-03
    CredentialScopes(),  # CD-04
    TokenLifetime(),  # CD-05
    SourceRepository(),  # PR-01
    AuthorIdentity(),  # PR-02 (registry-enforced: advisory pre-check)
    BuildAttestation(),  # PR-03
    CommitLinkage(),  # PR-04
    RepositoryHealth(),  # PR-05
    NamePatternReview(),  # RG-02 (registry-enforced: advisory pre-check)
    BreakingChangePolicy(),  # UP-02 (registry-enforced: advisory pre-check, needs --previous)
    VersionMonotonicity(),  # UP-04 (registry-enforced: advisory pre-check, needs --previous)
)


def all_controls() -> tuple[Control, ...]:
    """The registered controls (instances are stateless and shared between scans)."""
    return CONTROLS
