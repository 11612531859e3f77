"""Check ``claim``: the signed MTF claim is about this bundle and tells the truth about it.

In order (the first that fails is reported):

1. ``S.mcpb.mtf-claim.sigstore.json`` verifies (signature, identity, single
   subject == this bundle's sha256, predicate type MTF claim v0.1);
2. ``S.mcpb.mtf-claim.json`` is byte-for-byte the signed payload (a claim
   edited after signing fails here, whatever the edit);
3. it is schema-valid (``schemas/mtf-claim.schema.json``) and parses as our model;
4. its package name and version are the bundle manifest's;
5. its digests are the bundle's sha256, the canonical manifest hash (MTF 5.1)
   and the sha256 of the bundle's ``sbom.cdx.json``;
6. its ``signing`` block names the mode and identity that actually signed it.
"""

from __future__ import annotations

from mtf_action.attest.assets import MTF_CLAIM, SBOM_MEMBER, load_claim
from mtf_action.errors import InvalidInputError
from mtf_action.models.claim import Claim
from mtf_action.models.verification import CheckResult
from mtf_action.signing.canonical import sha256_hex
from mtf_action.signing.payload import canonical_manifest_sha256
from mtf_action.signing.verify import SignatureCheck
from mtf_action.verify.attestations import signer_details, verify_attestation
from mtf_action.verify.context import VerifyContext
from mtf_action.verify.result import CheckFailed, passed


def _compare(cause: str, what: str, claimed: str, actual: str) -> None:
    if claimed != actual:
        raise CheckFailed(cause, f"the claim's {what} is {claimed}, the bundle's is {actual}")


def _check_package(ctx: VerifyContext, claim: Claim) -> None:
    manifest, _ = ctx.release.manifest()
    package = claim.predicate.package
    name, version = manifest.get("name"), manifest.get("version")
    if (package.name, package.version) != (name, version):
        raise CheckFailed(
            "package",
            f"the claim is about {package.name} {package.version}, the bundle's manifest "
            f"says {name} {version}",
        )


def _check_digests(ctx: VerifyContext, claim: Claim) -> None:
    release = ctx.release
    digests = claim.predicate.digests
    _compare("digest-bundle", "bundle sha256", digests.bundle, release.bundle_sha256)
    _, manifest_bytes = release.manifest()
    manifest_hash = canonical_manifest_sha256(
        manifest_bytes, source=f"{release.bundle_path.name}!manifest.json"
    )
    _compare("digest-manifest", "canonical manifest sha256", digests.manifest, manifest_hash)
    sbom = release.required_member(SBOM_MEMBER)
    _compare("digest-sbom", "SBOM sha256", digests.sbom, sha256_hex(sbom))


def _check_signing(claim: Claim, signature: SignatureCheck) -> None:
    signing = claim.predicate.signing
    if signing.mode != signature.mode or signing.identity != signature.signer_identity:
        raise CheckFailed(
            "signing",
            f"the claim says it was signed in {signing.mode} mode by {signing.identity}, "
            f"but the signature is {signature.mode} by {signature.signer_identity}",
        )


def check_claim(ctx: VerifyContext) -> CheckResult:
    release = ctx.release
    names = release.names
    verified, payload = verify_attestation(ctx, "claim_signature", MTF_CLAIM)
    data = release.read_asset("claim")
    if data != payload:
        raise CheckFailed(
            "claim-bytes",
            f"{names.claim} is not the payload signed in {names.claim_signature} "
            "(edited after signing, or the signature of another claim)",
        )
    try:
        claim = load_claim(data, source=names.claim)
    except InvalidInputError as exc:
        raise CheckFailed("schema", exc.one_line()) from None
    _check_package(ctx, claim)
    _check_digests(ctx, claim)
    _check_signing(claim, verified.signature)
    ctx.claim = claim
    level = claim.predicate.level
    claimed = "none" if level.claimed is None else str(level.claimed)
    return passed(
        "claim",
        f"signed by {verified.signature.signer_identity}; {claim.predicate.package.name} "
        f"{claim.predicate.package.version}, MTF level {level.verified} verified "
        f"(claimed: {claimed}); digests match the bundle, its manifest and SBOM",
        package=claim.predicate.package.model_dump(),
        level=level.model_dump(),
        generator=claim.predicate.generator.model_dump(),
        signature=signer_details(verified.signature),
    )
