"""attest --sign key end to end on small trees: every asset, every invariant of the contract."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from attest_checks import check_release, control
from attest_support import EPOCH, REPO, SHA, TAG, Run, make_tree
from sigstore_models.bundle.v1 import Bundle as BundleDocument

from mtf_action.attest.names import AssetNames
from mtf_action.signing.keybundle import BUNDLE_V03
from mtf_action.signing.keygen import KeyPairFiles
from mtf_action.signing.verify_key import KeyVerifier


def _attest(run_cli: Callable[..., Run], tree: Path, out: Path, key: Path, *extra: str) -> Run:
    return run_cli(
        "attest",
        tree,
        "-o",
        out,
        "--key",
        key,
        "--no-vendor",
        "--source-date-epoch",
        str(EPOCH),
        "--json",
        *extra,
    )


def test_key_mode_local_release_is_complete_and_verifies(
    tiny: Path,
    tmp_path: Path,
    key_pair: KeyPairFiles,
    names: AssetNames,
    run_cli: Callable[..., Run],
) -> None:
    out = tmp_path / "out"
    result = _attest(run_cli, tiny, out, key_pair.private_key, "--level", "1")
    assert result.code == 0, result.err
    summary = result.summary
    assert summary["signing_mode"] == "key" and summary["ok"] is True
    assert summary["signer_identity"] == key_pair.fingerprint
    assert set(summary["assets"]) == {
        "bundle",
        "sbom",
        "hashes",
        "provenance",
        "claim",
        "claim_signature",
        "sbom_attestation",
        "vsa",
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [names.bundle, names.sbom, names.hashes, names.claim, *names.signatures]
    )
    found = check_release(out, names, KeyVerifier.from_files(key_pair.public_key))
    claim = found["claim"]
    predicate = claim.predicate
    assert predicate.signing.mode == "key" and predicate.signing.identity == key_pair.fingerprint
    assert predicate.package.name == "@acme/tiny" and predicate.package.version == "1.0.0"
    assert predicate.build.builder_id == "https://github.com/mtf/attest/builders/local@v0.1.0"
    assert predicate.build.source_date_epoch == EPOCH and predicate.build.commit is None
    # AI-03 and PR-03 were evaluated on the sealed bundle and hold.
    assert control(claim, "AI-03")[0] == "pass"
    status, counts = control(claim, "PR-03")
    assert status == "warn" and counts["low"] == 1  # no source commit outside a checkout
    assert [c.id for c in predicate.controls][:3] == ["AI-01", "AI-03", "AI-04"]  # catalog order
    provenance = found["provenance_predicate"]
    assert provenance.run_details.builder.id == predicate.build.builder_id
    assert provenance.build_definition.internal_parameters is not None
    assert set(provenance.build_definition.internal_parameters) == {"local"}
    vsa = found["vsa_predicate"]
    assert vsa.verification_result == "PASSED"  # nothing claimed
    assert vsa.verified_levels == (f"MTF_LEVEL_{predicate.level.verified}",)
    assert vsa.resource_uri == names.bundle
    # Key-mode bundles are protobuf-specs v0.3 documents (sigstore-python itself
    # only reads certificate bundles; cosign reads these with --key).
    for name in names.signatures:
        document = BundleDocument.from_json((out / name).read_bytes())
        assert document.media_type == BUNDLE_V03
        assert document.verification_material.public_key is not None


def test_key_mode_in_github_actions_names_the_run_but_claims_no_slsa_level(
    tiny: Path,
    tmp_path: Path,
    key_pair: KeyPairFiles,
    names: AssetNames,
    run_cli: Callable[..., Run],
    github_env: dict[str, str],
) -> None:
    out = tmp_path / "out"
    result = _attest(run_cli, tiny, out, key_pair.private_key, "--sign", "key")
    assert result.code == 0, result.err
    found = check_release(out, names, KeyVerifier.from_files(key_pair.public_key))
    build = found["claim"].predicate.build
    assert build.builder_id == f"https://github.com/{REPO}/.github/workflows/release.yml@{TAG}"
    assert build.invocation_id == f"https://github.com/{REPO}/actions/runs/13579246810/attempts/2"
    assert build.commit == SHA
    assert control(found["claim"], "PR-03")[0] == "pass"  # the commit is linked
    # A long-lived key is not the platform's identity: no SLSA Build level is claimed.
    assert "SLSA_BUILD_LEVEL_2" not in found["vsa_predicate"].verified_levels


def test_claimed_level_not_reached_exits_1_with_every_output_written(
    tmp_path: Path,
    key_pair: KeyPairFiles,
    names: AssetNames,
    run_cli: Callable[..., Run],
) -> None:
    meta = {"org.mpaktrust": {"mtf_version": "0.1", "level": 4}}
    tree = make_tree(tmp_path / "tree", _meta=meta)
    out = tmp_path / "out"
    result = _attest(run_cli, tree, out, key_pair.private_key)
    assert result.code == 1
    summary = result.summary
    assert summary["ok"] is False and summary["level_claimed"] == 4
    assert any("claims L4" in p for p in summary["problems"])
    found = check_release(out, names, KeyVerifier.from_files(key_pair.public_key))
    level = found["claim"].predicate.level
    assert level.claimed == 4 and level.verified < 4
    assert found["vsa_predicate"].verification_result == "FAILED"
    assert found["vsa_predicate"].policy.uri == "https://mpaktrust.org/spec/v0.1#level-4"
    # At the claimed level the signature controls are satisfied.
    assert control(found["claim"], "AI-03")[0] == "pass"


def test_level_option_sets_the_exit_code(
    tiny: Path, tmp_path: Path, key_pair: KeyPairFiles, run_cli: Callable[..., Run]
) -> None:
    result = _attest(run_cli, tiny, tmp_path / "out", key_pair.private_key, "--level", "4")
    assert result.code == 1
    assert any("below --level 4" in p for p in result.summary["problems"])


def test_rerun_replaces_every_asset(
    tiny: Path,
    tmp_path: Path,
    key_pair: KeyPairFiles,
    names: AssetNames,
    run_cli: Callable[..., Run],
) -> None:
    out = tmp_path / "out"
    assert _attest(run_cli, tiny, out, key_pair.private_key).code == 0
    first = json.loads((out / names.claim).read_bytes())
    # A second signed run over the same tree: the bundle differs (signing time) and
    # every asset follows it.
    assert _attest(run_cli, tiny, out, key_pair.private_key).code == 0
    check_release(out, names, KeyVerifier.from_files(key_pair.public_key))
    second = json.loads((out / names.claim).read_bytes())
    assert first["predicate"]["controls"] == second["predicate"]["controls"]
