"""The MTF AI-03 signature embedded in a bundle: reading it and checking what it covers.

``attest`` seals two members into the bundle (MTF 5.2.3 lists ``.sigstore/`` as a
signature location): the RFC 8785 payload of MTF 5.1 and a Sigstore bundle over
exactly those bytes. This module compares the payload with the bundle that
carries it; the signature itself is checked by a verifier from
:mod:`mtf_action.attest.verifiers` (scan) or the identity policy of ``verify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mtf_action.signing.canonical import sha256_hex
from mtf_action.signing.payload import BundleSignaturePayload, canonical_manifest_sha256

# MTF 5.2.3: where AI-03 lives inside the bundle (defined here, not with the
# release asset names, so a scan reads them without the claim/provenance models).
EMBEDDED_DIR: Final = ".sigstore/"
EMBEDDED_PAYLOAD: Final = ".sigstore/mtf-payload.json"
EMBEDDED_SIGNATURE: Final = ".sigstore/mtf-payload.sigstore.json"
# Other signature locations of MTF 3.2 / 5.2.3: recognised, so a scan can say why
# they do not satisfy AI-03 here (they sign manifest.json alone, not the SBOM).
OTHER_LOCATIONS = ("manifest.sig", "manifest.sig.json", "manifest.ci.sig")


@dataclass(frozen=True)
class Mismatch:
    """One way the payload does not describe the bundle that carries it."""

    rule: str
    description: str


def payload_mismatches(
    payload: BundleSignaturePayload,
    *,
    name: str | None,
    version: str | None,
    manifest: bytes,
    sbom: bytes | None,
) -> list[Mismatch]:
    """Differences between the signed payload and this bundle's manifest and SBOM.

    ``manifest`` and ``sbom`` are the member bytes; the manifest hash is the
    canonical one (MTF 5.1), the SBOM hash is over the file bytes.
    """
    subject = payload.subject
    found: list[Mismatch] = []
    if name is not None and subject.name != name:
        found.append(
            Mismatch("payload-name-mismatch", f"signed name {subject.name!r}, manifest {name!r}")
        )
    if version is not None and subject.version != version:
        found.append(
            Mismatch(
                "payload-version-mismatch",
                f"signed version {subject.version!r}, manifest {version!r}",
            )
        )
    actual_manifest = canonical_manifest_sha256(manifest)
    if subject.manifest_sha256 != actual_manifest:
        found.append(
            Mismatch(
                "payload-manifest-mismatch",
                f"signed manifest_sha256 {subject.manifest_sha256}, but the canonical "
                f"manifest.json of this bundle hashes to {actual_manifest}",
            )
        )
    if sbom is None:
        found.append(
            Mismatch("payload-sbom-missing", "the payload signs an SBOM, but the bundle has none")
        )
    elif subject.sbom_sha256 != sha256_hex(sbom):
        found.append(
            Mismatch(
                "payload-sbom-mismatch",
                f"signed sbom_sha256 {subject.sbom_sha256}, but this bundle's SBOM hashes "
                f"to {sha256_hex(sbom)}",
            )
        )
    return found


__all__ = [
    "EMBEDDED_PAYLOAD",
    "EMBEDDED_SIGNATURE",
    "OTHER_LOCATIONS",
    "Mismatch",
    "payload_mismatches",
]
