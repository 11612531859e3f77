"""Checks every attest test makes on a release directory, with whichever verifier fits."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from mtf_action.attest.assets import (
    CYCLONEDX_BOM,
    MTF_CLAIM,
    SLSA_PROVENANCE_V1,
    SLSA_VSA_V1,
    claim_schema_errors,
    is_canonical,
    load_claim,
)
from mtf_action.attest.embedded import EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE
from mtf_action.attest.names import AssetNames
from mtf_action.bundle.hashes import read_hashes
from mtf_action.models.claim import Claim
from mtf_action.models.provenance import ProvenancePredicate, VsaPredicate
from mtf_action.signing.payload import canonical_manifest_sha256, parse_payload
from mtf_action.signing.verify import BundleVerifier, verify_statement


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def dsse_payload(bundle_json: bytes) -> bytes:
    """The DSSE payload bytes of a Sigstore bundle (unverified: for comparisons only)."""
    import base64

    return base64.b64decode(json.loads(bundle_json)["dsseEnvelope"]["payload"])


def check_release(out: Path, names: AssetNames, verifier: BundleVerifier | None) -> dict[str, Any]:
    """Assert the contract's invariants; returns the parsed statements by kind.

    ``verifier`` None: an unsigned release (no ``.sigstore.json`` assets at all).
    """
    bundle = out / names.bundle
    digest = sha256(bundle.read_bytes())
    inside = members(bundle)
    # The SBOM beside the bundle is the packed one; hashes.json describes the archive.
    assert (out / names.sbom).read_bytes() == inside["sbom.cdx.json"]
    hashes = read_hashes(out / names.hashes)
    assert hashes.bundle.name == names.bundle and hashes.bundle.sha256 == digest
    assert {f.path: f.sha256 for f in hashes.files} == {n: sha256(d) for n, d in inside.items()}
    claim_data = (out / names.claim).read_bytes()
    assert is_canonical(claim_data)
    assert claim_schema_errors(json.loads(claim_data)) == []
    claim = load_claim(claim_data)
    assert claim.only_subject.name == names.bundle and claim.only_subject.sha256 == digest
    predicate = claim.predicate
    assert predicate.digests.manifest == canonical_manifest_sha256(inside["manifest.json"])
    assert predicate.digests.sbom == sha256(inside["sbom.cdx.json"])
    found: dict[str, Any] = {"claim": claim, "members": inside, "digest": digest}
    if verifier is None:
        assert predicate.signing.mode == "none" and predicate.signing.identity is None
        assert not any(name.startswith(".sigstore/") for name in inside)
        assert not any((out / n).exists() for n in names.signatures)
        assert predicate.assets.provenance is None and predicate.assets.vsa is None
        return found
    assert predicate.assets.provenance == names.provenance
    # AI-03: the embedded payload covers this manifest and SBOM and is signed.
    payload = parse_payload(inside[EMBEDDED_PAYLOAD])
    assert payload.subject.manifest_sha256 == predicate.digests.manifest
    assert payload.subject.sbom_sha256 == predicate.digests.sbom
    assert payload.signer_identity == predicate.signing.identity
    check = verifier.verify_blob(inside[EMBEDDED_PAYLOAD], inside[EMBEDDED_SIGNATURE])
    assert check.signer_identity == predicate.signing.identity
    kinds = {
        "provenance": (names.provenance, SLSA_PROVENANCE_V1),
        "claim_signature": (names.claim_signature, MTF_CLAIM),
        "sbom_attestation": (names.sbom_attestation, CYCLONEDX_BOM),
        "vsa": (names.vsa, SLSA_VSA_V1),
    }
    for kind, (name, predicate_type) in kinds.items():
        signed = (out / name).read_bytes()
        verified = verify_statement(
            verifier, signed, artifact_sha256=digest, predicate_type=predicate_type
        )
        assert verified.statement.only_subject.name == names.bundle
        found[kind] = verified
    # The claim file is exactly the signed DSSE payload.
    assert dsse_payload((out / names.claim_signature).read_bytes()) == claim_data
    assert found["sbom_attestation"].statement.predicate == json.loads(inside["sbom.cdx.json"])
    found["provenance_predicate"] = ProvenancePredicate.model_validate(
        found["provenance"].statement.predicate
    )
    found["vsa_predicate"] = VsaPredicate.model_validate(found["vsa"].statement.predicate)
    return found


def control(claim: Claim, control_id: str) -> tuple[str, dict[str, int]]:
    for item in claim.predicate.controls:
        if item.id == control_id:
            return item.status, item.findings.model_dump()
    raise AssertionError(f"{control_id} not in the claim")
