"""Check ``embedded-signature``: the AI-03 signature sealed inside the bundle (MTF 5.1, 5.2.3).

The payload (``.sigstore/mtf-payload.json``) must be the RFC 8785 form of an MTF
5.1 ``bundle_signature`` payload; the Sigstore bundle beside it
(``.sigstore/mtf-payload.sigstore.json``) must verify over exactly those bytes
with the expected identity (keyless) or key; the payload must name this
bundle's package, the SHA-256 of its canonical manifest and of its packed SBOM;
and the ``signer_identity`` it records must be the one that signed it.

A bundle without these members, or with a malformed payload, fails this check
(it is readable, it just is not signed as MTF AI-03 requires).
"""

from __future__ import annotations

from mtf_action.attest.assets import SBOM_MEMBER
from mtf_action.attest.embedded import EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE
from mtf_action.errors import InvalidInputError
from mtf_action.models.verification import CheckResult
from mtf_action.signing.payload import canonical_manifest_sha256, parse_payload, sbom_sha256
from mtf_action.verify.attestations import require_mode, signer_details
from mtf_action.verify.context import VerifyContext
from mtf_action.verify.result import CheckFailed, passed


def check_embedded_signature(ctx: VerifyContext) -> CheckResult:
    release = ctx.release
    bundle_name = release.bundle_path.name
    payload_bytes = release.member(EMBEDDED_PAYLOAD)
    signature = release.member(EMBEDDED_SIGNATURE)
    if payload_bytes is None or signature is None:
        absent = EMBEDDED_PAYLOAD if payload_bytes is None else EMBEDDED_SIGNATURE
        raise CheckFailed(
            "missing", f"the bundle has no {absent}: it carries no MTF AI-03 signature"
        )
    try:
        payload = parse_payload(payload_bytes, source=f"{bundle_name}!{EMBEDDED_PAYLOAD}")
    except InvalidInputError as exc:
        raise CheckFailed("payload", exc.one_line()) from None
    source = f"{bundle_name}!{EMBEDDED_SIGNATURE}"
    try:
        require_mode(ctx, signature, source)
        check = ctx.verification.verifier.verify_blob(payload_bytes, signature, source=source)
    except InvalidInputError as exc:  # bundle content, not an input we were handed: a failure
        raise CheckFailed("bundle", exc.one_line()) from None
    manifest, manifest_bytes = release.manifest()
    subject = payload.subject
    if (subject.name, subject.version) != (manifest.get("name"), manifest.get("version")):
        raise CheckFailed(
            "package",
            f"the signed payload is about {subject.name} {subject.version}, the bundle's "
            f"manifest says {manifest.get('name')} {manifest.get('version')}",
        )
    manifest_hash = canonical_manifest_sha256(manifest_bytes)
    if subject.manifest_sha256 != manifest_hash:
        raise CheckFailed(
            "manifest-digest",
            f"the signed payload covers manifest sha256 {subject.manifest_sha256}, the "
            f"bundle's canonical manifest hashes to {manifest_hash}",
        )
    sbom_hash = sbom_sha256(release.required_member(SBOM_MEMBER))
    if subject.sbom_sha256 != sbom_hash:
        raise CheckFailed(
            "sbom-digest",
            f"the signed payload covers SBOM sha256 {subject.sbom_sha256}, the bundle's "
            f"{SBOM_MEMBER} hashes to {sbom_hash}",
        )
    if payload.signer_identity != check.signer_identity:
        raise CheckFailed(
            "signer-identity",
            f"the payload names signer {payload.signer_identity}, but it was signed by "
            f"{check.signer_identity}",
        )
    return passed(
        "embedded-signature",
        f"signed by {check.signer_identity} at {payload.timestamp}; covers this bundle's "
        f"manifest and {SBOM_MEMBER}",
        timestamp=payload.timestamp,
        manifest_sha256=manifest_hash,
        sbom_sha256=sbom_hash,
        signature=signer_details(check),
    )
