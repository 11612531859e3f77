"""What ``verify`` was asked to check against, and the signature verifier that follows.

Two modes (MTF 5.2): keyless (Sigstore certificates, checked against a trusted
root and an identity policy: ``--repository``/``--workflow``/``--ref``/``--issuer``
or ``--identity``/``--issuer``) and key (``--key PUB.pem``). The trusted root is
Sigstore production through a TUF refresh by default, the copy embedded in
sigstore-python with ``--offline``, or pinned with ``--trusted-root`` /
``--trust-config``; ``--staging`` picks the staging instance. Usage errors are
raised before any network access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sigstore.models import TrustedRoot

from mtf_action.errors import UsageError
from mtf_action.models.verification import TrustUsed
from mtf_action.signing.keys import load_public_key
from mtf_action.signing.policy import GITHUB_ISSUER, IdentityRequirement, build_policy
from mtf_action.signing.trust import VerifyTrust, load_trusted_root_file, verification_trusted_root
from mtf_action.signing.verify import BundleVerifier
from mtf_action.signing.verify_key import KeyVerifier
from mtf_action.signing.verify_keyless import KeylessVerifier
from mtf_action.vulns.options import VulnOptions

MTF_LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class VerifyOptions:
    """The command line of ``verify``, as a value."""

    bundle: Path
    assets_dir: Path | None = None  # default: the bundle's directory
    trust: VerifyTrust = field(default_factory=VerifyTrust)
    identity: IdentityRequirement = field(default_factory=IdentityRequirement)
    key: Path | None = None
    min_level: int | None = None
    rescan: bool = False
    # SC-02 of the rescan (an offline OSV database where the OSV API is out of reach).
    vulns: VulnOptions = field(default_factory=VulnOptions)


@dataclass(frozen=True)
class Verification:
    """The signature verifier and what it trusts (also handed to the rescan)."""

    verifier: BundleVerifier
    used: TrustUsed
    trusted_root: TrustedRoot | None
    public_key: Path | None


def _has_identity(requirement: IdentityRequirement) -> bool:
    r = requirement
    return any((r.repository, r.workflow, r.ref, r.issuer, r.identity))


def describe_policy(requirement: IdentityRequirement) -> str:
    r = requirement
    if r.identity:
        return f"identity {r.identity} from issuer {r.issuer}"
    parts = [f"GitHub repository {r.repository}"]
    if r.workflow:
        parts.append(f"workflow {r.workflow}")
    if r.ref:
        parts.append(f"ref {r.ref}")
    parts.append(f"issuer {r.issuer or GITHUB_ISSUER}")
    return ", ".join(parts)


def describe_trust(trust: VerifyTrust) -> str:
    if trust.trusted_root is not None:
        return f"trusted root {trust.trusted_root}"
    if trust.trust_config is not None:
        return f"trusted root of the trust config {trust.trust_config}"
    instance = "Sigstore staging" if trust.staging else "Sigstore production"
    if trust.offline:
        return f"{instance} (offline: cached or embedded trusted root, no network)"
    return f"{instance} (trusted root refreshed through TUF)"


def check_options(options: VerifyOptions) -> None:
    """Refuse contradictory options before anything is read or fetched."""
    if options.min_level is not None and options.min_level not in MTF_LEVELS:
        raise UsageError(f"--min-level {options.min_level}: MTF levels are 1 to 4")
    if options.key is not None:
        if _has_identity(options.identity):
            raise UsageError(
                "--key and the identity options (--repository, --identity, ...) are "
                "alternatives: a key-signed release has no OIDC identity"
            )
        if options.trust.staging or options.trust.trust_config is not None:
            raise UsageError("--staging and --trust-config apply to keyless verification only")
    else:
        build_policy(options.identity)  # raises UsageError for missing/contradictory identity


def make_verification(options: VerifyOptions) -> Verification:
    """The verifier for the options (may refresh the trusted root over the network)."""
    check_options(options)
    if options.key is not None:
        root = (
            load_trusted_root_file(options.trust.trusted_root)
            if options.trust.trusted_root is not None
            else None
        )
        key_verifier = KeyVerifier(load_public_key(options.key), trusted_root=root)
        return Verification(
            verifier=key_verifier,
            used=TrustUsed(
                mode="key",
                trust=f"public key {options.key}",
                policy=f"signed by key {key_verifier.fingerprint}",
            ),
            trusted_root=root,
            public_key=options.key,
        )
    policy = build_policy(options.identity)
    root = verification_trusted_root(options.trust)
    return Verification(
        verifier=KeylessVerifier(root, policy),
        used=TrustUsed(
            mode="sigstore",
            trust=describe_trust(options.trust),
            policy=describe_policy(options.identity),
        ),
        trusted_root=root,
        public_key=None,
    )
