"""Checks ``provenance``, ``sbom-attestation`` and ``vsa``: signed statements about the bundle.

Each is a DSSE Sigstore bundle whose in-toto statement must (via
:func:`~mtf_action.signing.verify.verify_statement`): carry a valid signature by
the expected identity (keyless: certificate chain, SCT, Rekor inclusion proof
and signed time under the trusted root, then the identity policy; key mode: the
given public key), have the in-toto payload type, exactly one subject whose
sha256 is this bundle's (sigstore-python's ``verify_dsse`` does not compare
subjects: that is ours), and the expected predicate type. Then each predicate
is checked for what it asserts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mtf_action.attest.assets import (
    CYCLONEDX_BOM,
    SBOM_MEMBER,
    SLSA_PROVENANCE_V1,
    SLSA_VSA_V1,
    load_provenance_predicate,
)
from mtf_action.attest.verifiers import bundle_mode
from mtf_action.errors import InvalidInputError
from mtf_action.models.verification import CheckResult
from mtf_action.signing.canonical import load_strict_json
from mtf_action.signing.verify import (
    BundleVerifier,
    SignatureCheck,
    VerifiedStatement,
    verify_statement,
)
from mtf_action.verify.context import VerifyContext
from mtf_action.verify.result import CheckFailed, passed

OUR_VERIFIER = "https://github.com/mtf/attest@"
MTF_LEVEL_PREFIX = "MTF_LEVEL_"


class PayloadRecorder:
    """A :class:`BundleVerifier` that keeps the verified DSSE payload bytes.

    ``verify_statement`` returns the parsed statement; the claim check also needs
    the exact signed bytes (the claim file must equal them).
    """

    def __init__(self, inner: BundleVerifier) -> None:
        self._inner = inner
        self.payload: bytes | None = None

    def verify_blob(
        self, data: bytes, bundle: bytes, *, source: str | Path | None = None
    ) -> SignatureCheck:
        return self._inner.verify_blob(data, bundle, source=source)

    def verify_dsse(
        self, bundle: bytes, *, source: str | Path | None = None
    ) -> tuple[str, bytes, SignatureCheck]:
        payload_type, payload, check = self._inner.verify_dsse(bundle, source=source)
        self.payload = payload
        return payload_type, payload, check


def require_mode(ctx: VerifyContext, bundle: bytes, source: str) -> None:
    """A key-signed bundle under an identity policy, or the reverse, is a clear failure."""
    expected = ctx.verification.used.mode
    actual = bundle_mode(bundle, source=source)
    if actual != expected:
        how = (
            "with a key: verify with --key PUB.pem"
            if actual == "key"
            else "keyless (Fulcio certificate): verify with --repository or --identity/--issuer"
        )
        raise CheckFailed("mode", f"{source}: signed {how}")


def verify_attestation(
    ctx: VerifyContext, asset: str, predicate_type: str
) -> tuple[VerifiedStatement, bytes]:
    """Verify the DSSE bundle ``asset`` about this bundle; the statement and its exact bytes."""
    release = ctx.release
    data = release.read_asset(asset)
    require_mode(ctx, data, release.asset_path(asset).name)
    recorder = PayloadRecorder(ctx.verification.verifier)
    verified = verify_statement(
        recorder,
        data,
        artifact_sha256=release.bundle_sha256,
        source=release.asset_path(asset).name,
        predicate_type=predicate_type,
    )
    assert recorder.payload is not None  # verify_statement returned, so verify_dsse ran
    return verified, recorder.payload


def signer_details(check: SignatureCheck) -> dict[str, Any]:
    """What the signature established, for the JSON result."""
    return check.model_dump(mode="json", exclude_none=True)


def _who(check: SignatureCheck) -> str:
    return f"signed by {check.signer_identity}"


def check_provenance(ctx: VerifyContext) -> CheckResult:
    """PR-03: SLSA Provenance v1 about exactly this bundle, by the expected builder identity."""
    verified, _ = verify_attestation(ctx, "provenance", SLSA_PROVENANCE_V1)
    name = ctx.release.names.provenance
    try:
        predicate = load_provenance_predicate(verified.statement.predicate, source=name)
    except InvalidInputError as exc:
        raise CheckFailed("predicate", exc.one_line()) from None
    builder = predicate.run_details.builder.id
    commits = predicate.source_commits
    metadata = predicate.run_details.metadata
    return passed(
        "provenance",
        f"{_who(verified.signature)}; SLSA Provenance v1 for this bundle "
        f"(sha256 {ctx.release.bundle_sha256[:12]}…), builder {builder}"
        + (f", source commit {commits[0]}" if commits else ", no source commit recorded"),
        subject=verified.statement.only_subject.name,
        builder_id=builder,
        build_type=predicate.build_definition.build_type,
        source_commits=commits,
        invocation_id=metadata.invocation_id if metadata else None,
        signature=signer_details(verified.signature),
    )


def check_sbom_attestation(ctx: VerifyContext) -> CheckResult:
    """SC-01: a signed CycloneDX statement whose predicate is exactly the bundle's SBOM."""
    verified, _ = verify_attestation(ctx, "sbom_attestation", CYCLONEDX_BOM)
    embedded = ctx.release.required_member(SBOM_MEMBER)
    try:
        sbom = load_strict_json(embedded, source=f"{ctx.release.bundle_path.name}!{SBOM_MEMBER}")
    except InvalidInputError as exc:
        raise CheckFailed("sbom", exc.one_line()) from None
    if verified.statement.predicate != sbom:
        raise CheckFailed(
            "predicate",
            f"the SBOM attested in {ctx.release.names.sbom_attestation} differs from the "
            f"bundle's {SBOM_MEMBER}",
        )
    return passed(
        "sbom-attestation",
        f"{_who(verified.signature)}; the attested CycloneDX SBOM equals the bundle's "
        f"{SBOM_MEMBER}",
        signature=signer_details(verified.signature),
    )


def _vsa_field(predicate: dict[str, Any], key: str) -> Any:
    value = predicate.get(key)
    if value is None:
        raise CheckFailed("predicate", f"the VSA predicate has no {key}")
    return value


def check_vsa(ctx: VerifyContext) -> CheckResult:
    """A SLSA VSA v1 by our verifier, about this bundle, consistent with the verified claim."""
    verified, _ = verify_attestation(ctx, "vsa", SLSA_VSA_V1)
    predicate = verified.statement.predicate
    verifier = _vsa_field(predicate, "verifier")
    verifier_id = verifier.get("id") if isinstance(verifier, dict) else None
    if not isinstance(verifier_id, str) or not verifier_id.startswith(OUR_VERIFIER):
        raise CheckFailed(
            "verifier", f"VSA verifier.id is {verifier_id!r}, expected {OUR_VERIFIER}<version>"
        )
    resource = _vsa_field(predicate, "resourceUri")
    bundle_name = ctx.release.names.bundle
    if not isinstance(resource, str) or not (
        resource == bundle_name or resource.endswith("/" + bundle_name)
    ):
        raise CheckFailed("resource", f"VSA resourceUri is {resource!r}, not {bundle_name}")
    result = _vsa_field(predicate, "verificationResult")
    levels = _vsa_field(predicate, "verifiedLevels")
    if not isinstance(levels, list) or not all(isinstance(x, str) for x in levels):
        raise CheckFailed("predicate", "VSA verifiedLevels is not a list of strings")
    mtf_levels = [x for x in levels if x.startswith(MTF_LEVEL_PREFIX)]
    claim = ctx.claim
    if claim is not None:
        level = claim.predicate.level
        expected = f"{MTF_LEVEL_PREFIX}{level.verified}"
        if mtf_levels != [expected]:
            raise CheckFailed(
                "levels",
                f"VSA verifiedLevels {mtf_levels} disagree with the claim's verified level "
                f"({expected})",
            )
        should_pass = level.claimed is None or level.verified >= level.claimed
        if (result == "PASSED") != should_pass:
            raise CheckFailed(
                "result",
                f"VSA verificationResult {result} contradicts the claim (verified level "
                f"{level.verified}, claimed {level.claimed})",
            )
    if result != "PASSED":
        raise CheckFailed(
            "result",
            f"the VSA records verificationResult {result!r}: the bundle did not reach the "
            "MTF level its manifest claims",
            verified_levels=levels,
        )
    return passed(
        "vsa",
        f"{_who(verified.signature)}; verificationResult PASSED, verifiedLevels "
        f"{', '.join(levels)}"
        + ("" if claim is not None else " (not compared: the claim did not verify)"),
        verifier_id=verifier_id,
        verified_levels=levels,
        policy=predicate.get("policy"),
        signature=signer_details(verified.signature),
    )
