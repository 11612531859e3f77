"""``verify`` in key mode (MTF 5.2.2): the round trip, the report, exit codes 0/1/2/3.

The release is signed with an ECDSA P-256 key through the committed signing library
(``KeySigner``): AI-03 sealed in the bundle, provenance, claim, SBOM attestation, VSA.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from release_kit import KeyMaterial, ReleaseDir, attest_release, quiet, write_source

from mtf_action._cli import main
from mtf_action.errors import InvalidInputError, UsageError
from mtf_action.models.verification import CHECK_ORDER, VerificationResult
from mtf_action.signing.key_algorithms import KeyAlgorithm
from mtf_action.signing.keygen import generate_private_key
from mtf_action.signing.keys import key_fingerprint, load_public_key, public_key_pem
from mtf_action.signing.policy import IdentityRequirement
from mtf_action.signing.trust import VerifyTrust
from mtf_action.verify import VerifyOptions, verify_release


def _verify(release: ReleaseDir, public_key: Path, **options: object) -> VerificationResult:
    return verify_release(
        VerifyOptions(bundle=release.bundle, key=public_key, **options),  # type: ignore[arg-type]
        quiet(),
    )


def test_key_mode_round_trip_every_check_passes(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    public = key_material.public
    result = _verify(key_release, public, rescan=True, min_level=1)
    assert [c.name for c in result.checks] == list(CHECK_ORDER)
    assert [c.status for c in result.checks] == ["pass"] * len(CHECK_ORDER), [
        c.reason for c in result.checks if c.status != "pass"
    ]
    assert (result.verified, result.exit_code, result.level) == (True, 0, 1)
    fingerprint = key_fingerprint(load_public_key(public))
    assert result.trust.mode == "key" and fingerprint in result.trust.policy
    for name in ("provenance", "claim", "sbom-attestation", "vsa", "embedded-signature"):
        assert result.check(name).details["signature"]["signer_identity"] == fingerprint
    assert result.check("bundle-digest").details["members"] == 5  # 3 files + 2 .sigstore/


def test_rescan_and_min_level_are_skipped_unless_asked(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    result = _verify(key_release, key_material.public)
    assert result.check("rescan").status == "skip"
    assert result.check("min-level").status == "skip"
    assert result.exit_code == 0


def test_cli_prints_one_line_per_check_then_the_verdict(
    key_release: ReleaseDir, key_material: KeyMaterial, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", str(key_release.bundle), "--key", str(key_material.public)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    lines = out[3:]
    assert [line.split()[1] for line in lines[:-1]] == list(CHECK_ORDER)
    assert all(line.startswith("✓ ") for line in lines[:6])
    assert lines[6].startswith("- rescan") and "skipped: not requested" in lines[6]
    assert lines[-1] == "verified: acme-clock-1.0.0.mcpb, MTF level 1 (6 checks passed)"


@pytest.mark.parametrize("flag", [["--format", "json"], ["--json"]])
def test_cli_json_is_the_verification_result(
    key_release: ReleaseDir,
    key_material: KeyMaterial,
    capsys: pytest.CaptureFixture[str],
    flag: list[str],
) -> None:
    code = main(["verify", str(key_release.bundle), "--key", str(key_material.public), *flag])
    result = VerificationResult.model_validate_json(capsys.readouterr().out)
    assert code == 0 and result.verified and result.bundle_sha256 == key_release.sha256


def test_a_different_key_fails_every_signature_with_exit_1(
    key_release: ReleaseDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.pub"
    other.write_bytes(public_key_pem(generate_private_key(KeyAlgorithm.ED25519).public_key()))
    code = main(["verify", str(key_release.bundle), "--key", str(other), "--json"])
    result = VerificationResult.model_validate_json(capsys.readouterr().out)
    assert code == 1
    assert result.check("bundle-digest").status == "pass"
    for name in ("provenance", "claim", "sbom-attestation", "vsa", "embedded-signature"):
        check = result.check(name)
        assert (check.status, check.cause) == ("fail", "signature"), check.reason
        assert "the bundle names another key" in check.reason


def test_assets_dir_finds_assets_elsewhere(
    key_release: ReleaseDir, key_material: KeyMaterial, tmp_path: Path
) -> None:
    moved = tmp_path / "download" / key_release.names.bundle
    moved.parent.mkdir()
    key_release.bundle.rename(moved)
    result = verify_release(
        VerifyOptions(bundle=moved, assets_dir=key_release.out, key=key_material.public), quiet()
    )
    assert result.exit_code == 0, [c.reason for c in result.failed_checks]


@pytest.mark.parametrize(
    ("asset", "check"),
    [
        ("hashes", "bundle-digest"),
        ("sbom", "bundle-digest"),
        ("provenance", "provenance"),
        ("claim", "claim"),
        ("claim_signature", "claim"),
        ("sbom_attestation", "sbom-attestation"),
        ("vsa", "vsa"),
    ],
)
def test_a_missing_asset_is_unreadable_input_exit_3(
    key_release: ReleaseDir, key_material: KeyMaterial, asset: str, check: str
) -> None:
    key_release.path(asset).unlink()
    result = _verify(key_release, key_material.public)
    failed = result.check(check)
    assert (failed.status, failed.cause, failed.unreadable) == ("fail", "missing", True)
    assert failed.reason == f"{key_release.path(asset)}: release asset not found"
    assert result.exit_code == 3


@pytest.mark.parametrize(
    ("asset", "check", "message"),
    [
        ("provenance", "provenance", "not a Sigstore bundle"),
        ("hashes", "bundle-digest", "not a valid hashes document"),
    ],
)
def test_malformed_json_is_unreadable_input_exit_3(
    key_release: ReleaseDir,
    key_material: KeyMaterial,
    asset: str,
    check: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_release.path(asset).write_text("{not json")
    code = main(["verify", str(key_release.bundle), "--key", str(key_material.public)])
    out = capsys.readouterr().out
    assert code == 3
    line = next(x for x in out.splitlines() if x.startswith(f"✗ {check} "))
    assert message in line
    assert out.splitlines()[-1].startswith("unreadable input: acme-clock-1.0.0.mcpb: 1 of 8")


def test_an_unsigned_release_fails_with_cause_unsigned(
    key_material: KeyMaterial, tmp_path: Path
) -> None:
    # attest --sign none: no .sigstore.json assets, no AI-03 members, a claim saying so.
    source = write_source(tmp_path / "src")
    release = attest_release(source, tmp_path / "out", "--sign", "none")
    assert not release.path("provenance").exists()
    result = _verify(release, key_material.public)
    assert [c.name for c in result.checks if c.status == "pass"] == ["bundle-digest"]
    for name in ("provenance", "claim", "sbom-attestation", "vsa"):
        check = result.check(name)
        assert (check.status, check.cause, check.unreadable) == ("fail", "unsigned", False)
        assert "the release was made unsigned" in check.reason
    embedded = result.check("embedded-signature")
    assert (embedded.status, embedded.cause) == ("fail", "missing")
    assert result.exit_code == 1


def test_missing_bundle_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(tmp_path / "x.mcpb"), "--repository", "acme/clock", "--offline"])
    assert code == 3
    assert "x.mcpb: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "keyless verification needs an identity"),
        ({"identity": IdentityRequirement(identity="a@b.c")}, "--identity needs --issuer"),
        ({"min_level": 5}, "MTF levels are 1 to 4"),
    ],
)
def test_usage_errors_come_before_reading_anything(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        verify_release(VerifyOptions(bundle=tmp_path / "absent.mcpb", **options), quiet())  # type: ignore[arg-type]


def test_key_and_identity_options_are_alternatives(
    key_release: ReleaseDir, key_material: KeyMaterial, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "verify",
            str(key_release.bundle),
            "--key",
            str(key_material.public),
            "--repository",
            "a/b",
        ]
    )
    assert code == 2
    assert "--key and the identity options" in capsys.readouterr().err


def test_an_unreadable_public_key_is_invalid_input(tmp_path: Path) -> None:
    bundle = tmp_path / "x.mcpb"
    bundle.write_bytes(b"PK")
    with pytest.raises(InvalidInputError, match="not a PEM public key"):
        verify_release(VerifyOptions(bundle=bundle, key=bundle), quiet())


def test_key_signed_release_under_an_identity_policy_is_a_mode_mismatch(
    key_release: ReleaseDir, production_root: Path
) -> None:
    result = verify_release(
        VerifyOptions(
            bundle=key_release.bundle,
            trust=VerifyTrust(trusted_root=production_root),
            identity=IdentityRequirement(repository="acme/clock"),
        ),
        quiet(),
    )
    for name in ("provenance", "claim", "sbom-attestation", "vsa", "embedded-signature"):
        check = result.check(name)
        assert (check.status, check.cause) == ("fail", "mode")
        assert "signed with a key: verify with --key PUB.pem" in check.reason
    assert result.exit_code == 1
