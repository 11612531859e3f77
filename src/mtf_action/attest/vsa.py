"""The SLSA Verification Summary Attestation v1 of the verdict, and the SBOM statement.

Values (https://slsa.dev/spec/v1.1/verification_summary):

* ``verifier.id``: ``https://github.com/mtf/attest@v<version>``;
* ``resourceUri``: the bundle's file name (the release asset URL is not known
  when ``attest`` runs);
* ``policy.uri``: ``https://mpaktrust.org/spec/v0.1#level-<n>``, ``n`` the level
  the manifest claims, else the level verified;
* ``verificationResult``: ``PASSED`` when the verified level reaches the claimed
  one (or nothing is claimed), else ``FAILED``;
* ``verifiedLevels``: ``MTF_LEVEL_<verified>`` (a custom value, allowed because it
  does not start with ``SLSA_``), plus ``SLSA_BUILD_LEVEL_2`` only when the
  provenance was made and signed keyless on a GitHub-hosted runner: a step in
  the author's own job, on a hosted platform, with provenance the platform's
  OIDC identity authenticates. Never L3: the job could tamper with the step.
  Nothing is listed for a verified level of 0;
* ``inputAttestations``: the provenance and the claim, by file name and SHA-256;
* ``dependencyLevels`` omitted (dependencies are not verified to a SLSA level).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mtf_action import __version__
from mtf_action.attest.assets import CYCLONEDX_BOM, SLSA_VSA_V1
from mtf_action.attest.names import AssetNames
from mtf_action.attest.provenance import format_time
from mtf_action.errors import InvalidInputError
from mtf_action.models.provenance import ResourceDescriptor, VsaPredicate, VsaVerifier
from mtf_action.signing.canonical import load_strict_json, sha256_hex
from mtf_action.signing.intoto import Statement, build_statement

VERIFIER_ID = "https://github.com/mtf/attest@v{version}"
POLICY_URI = "https://mpaktrust.org/spec/v0.1#level-{level}"
SLSA_VERSION = "1.1"


def vsa_predicate(
    *,
    resource_uri: str,
    claimed: int | None,
    verified: int,
    time_verified: datetime,
    slsa_build_l2: bool,
    inputs: tuple[ResourceDescriptor, ...] = (),
) -> VsaPredicate:
    levels = [f"MTF_LEVEL_{verified}"] if verified > 0 else []
    if slsa_build_l2:
        levels.append("SLSA_BUILD_LEVEL_2")
    passed = claimed is None or verified >= claimed
    return VsaPredicate(
        verifier=VsaVerifier(
            id=VERIFIER_ID.format(version=__version__), version={"mtf-attest": __version__}
        ),
        time_verified=format_time(time_verified),
        resource_uri=resource_uri,
        policy=ResourceDescriptor(
            uri=POLICY_URI.format(level=claimed if claimed is not None else verified)
        ),
        input_attestations=inputs or None,
        verification_result="PASSED" if passed else "FAILED",
        verified_levels=tuple(levels),
        slsa_version=SLSA_VERSION,
    )


def vsa_statement(bundle_name: str, bundle_sha256: str, predicate: VsaPredicate) -> Statement:
    return build_statement(
        name=bundle_name,
        sha256=bundle_sha256,
        predicate_type=SLSA_VSA_V1,
        predicate=predicate.to_json_dict(),
    )


def input_attestations(
    out: Path, names: AssetNames, claim: bytes
) -> tuple[ResourceDescriptor, ...]:
    """The provenance (as written in ``out``) and the claim, by name and SHA-256."""
    provenance = (out / names.provenance).read_bytes()
    return (
        ResourceDescriptor(uri=names.provenance, digest={"sha256": sha256_hex(provenance)}),
        ResourceDescriptor(uri=names.claim, digest={"sha256": sha256_hex(claim)}),
    )


def sbom_statement(names: AssetNames, bundle_sha256: str, sbom: bytes) -> Statement:
    """The SBOM attestation: predicate type CycloneDX BOM, predicate = the packed SBOM."""
    document = load_strict_json(sbom, source=names.sbom)
    if not isinstance(document, dict):
        raise InvalidInputError("the SBOM is not a JSON object", path=names.sbom)
    return build_statement(
        name=names.bundle, sha256=bundle_sha256, predicate_type=CYCLONEDX_BOM, predicate=document
    )
