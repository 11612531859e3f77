"""The AI-03 (bundle signing) and PR-03 (build attestation) scan controls.

Positive and negative fixtures: one release made with a key, then bundles and
attestations altered the ways an attacker or a broken pipeline would alter them.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from attest_support import EPOCH, make_tree

from mtf_action.attest.embedded import EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE
from mtf_action.attest.names import asset_names
from mtf_action.attest.pipeline import AttestOptions, attest
from mtf_action.console import Reporter
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.control import Control
from mtf_action.scan.controls.ai03_signature import BundleSigning
from mtf_action.scan.controls.pr03_provenance import BuildAttestation
from mtf_action.scan.result import ControlOutcome, Status
from mtf_action.signing.canonical import canonical_json
from mtf_action.signing.intoto import build_statement
from mtf_action.signing.keygen import write_key_pair
from mtf_action.signing.keys import load_private_key
from mtf_action.signing.payload import build_payload
from mtf_action.signing.signers import KeySigner, NoneSigner

QUIET = Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())
NAMES = asset_names("acme-tiny-1.0.0")


@dataclass(frozen=True)
class Release:
    out: Path
    bundle: Path
    public_key: Path
    other_public_key: Path
    signer: KeySigner


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    root = tmp_path_factory.mktemp("release")
    pair = write_key_pair(root / "keys")
    other = write_key_pair(root / "other-keys")
    key = load_private_key(pair.private_key)
    signer = KeySigner(key)
    tree = make_tree(root / "tree")
    out = root / "out"
    options = AttestOptions(
        source_dir=tree, output_dir=out, vendor=False, source_date_epoch=EPOCH, env={}
    )
    attest(options, signer, QUIET, public_key=key.public_key())
    return Release(out, out / NAMES.bundle, pair.public_key, other.public_key, signer)


def _evaluate(control: Control, bundle: Path, **options: object) -> ControlOutcome:
    with ScanContext.for_bundle(bundle, ScanOptions(**options)) as ctx:  # type: ignore[arg-type]
        return control.evaluate(ctx)


def _rules(outcome: ControlOutcome) -> set[str]:
    return {f.rule for f in outcome.findings}


def _rezip(source: Path, dest: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return dest


# -- AI-03 ---------------------------------------------------------------------------


def test_ai03_valid_signature_passes_at_l3(release: Release) -> None:
    outcome = _evaluate(BundleSigning(), release.bundle, public_key=release.public_key)
    assert outcome.status_at(3) is Status.PASS and outcome.status_at(4) is Status.PASS
    assert _rules(outcome) == {"signer-identity"}
    assert outcome.details["mode"] == "key"
    assert outcome.details["verified_identity"] == release.signer.identity


def test_ai03_unsigned_bundle_blocks_at_l3_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    tree = make_tree(tmp_path / "tree")
    attest(
        AttestOptions(source_dir=tree, output_dir=out, vendor=False, env={}), NoneSigner(), QUIET
    )
    outcome = _evaluate(BundleSigning(), out / NAMES.bundle)
    assert _rules(outcome) == {"signature-missing"}
    assert outcome.status_at(3) is Status.FAIL and outcome.status_at(2) is Status.WARN


def test_ai03_other_signature_locations_are_named(release: Release, tmp_path: Path) -> None:
    def swap(files: dict[str, bytes]) -> None:
        files["manifest.sig.json"] = files.pop(EMBEDDED_SIGNATURE)
        del files[EMBEDDED_PAYLOAD]

    outcome = _evaluate(BundleSigning(), _rezip(release.bundle, tmp_path / "b.mcpb", swap))
    assert _rules(outcome) == {"signature-missing"}
    assert "manifest.sig.json" in outcome.findings[0].description


@pytest.mark.parametrize(
    ("member", "rule"),
    [("manifest.json", "payload-manifest-mismatch"), ("sbom.cdx.json", "payload-sbom-mismatch")],
)
def test_ai03_content_changed_after_signing(
    release: Release, tmp_path: Path, member: str, rule: str
) -> None:
    def edit(files: dict[str, bytes]) -> None:
        document = json.loads(files[member])
        document["description" if member == "manifest.json" else "serialNumber"] = "changed"
        files[member] = json.dumps(document).encode()

    tampered = _rezip(release.bundle, tmp_path / "t.mcpb", edit)
    outcome = _evaluate(BundleSigning(), tampered, public_key=release.public_key)
    assert rule in _rules(outcome)
    assert outcome.status_at(3) is Status.FAIL and outcome.status_at(1) is Status.WARN

    # Reformatting the manifest keeps its canonical hash: not a mismatch.
    def reformat(files: dict[str, bytes]) -> None:
        files["manifest.json"] = json.dumps(json.loads(files["manifest.json"]), indent=7).encode()

    same = _rezip(release.bundle, tmp_path / "r.mcpb", reformat)
    assert _evaluate(BundleSigning(), same, public_key=release.public_key).status_at(3) is (
        Status.PASS
    )


def test_ai03_payload_edited_after_signing(release: Release, tmp_path: Path) -> None:
    def edit(files: dict[str, bytes]) -> None:
        payload = json.loads(files[EMBEDDED_PAYLOAD])
        payload["subject"]["version"] = "9.9.9"
        files[EMBEDDED_PAYLOAD] = canonical_json(payload)

    outcome = _evaluate(
        BundleSigning(),
        _rezip(release.bundle, tmp_path / "t.mcpb", edit),
        public_key=release.public_key,
    )
    assert {"payload-version-mismatch", "signature-invalid"} <= _rules(outcome)


def test_ai03_wrong_key_missing_key_and_broken_payload(release: Release, tmp_path: Path) -> None:
    other = _evaluate(BundleSigning(), release.bundle, public_key=release.other_public_key)
    assert _rules(other) == {"signature-invalid"} and other.status_at(3) is Status.FAIL
    assert "another key" in other.findings[0].description
    no_key = _evaluate(BundleSigning(), release.bundle)
    assert _rules(no_key) == {"signature-not-verified"} and no_key.status_at(3) is Status.FAIL

    def pretty(files: dict[str, bytes]) -> None:
        files[EMBEDDED_PAYLOAD] = json.dumps(json.loads(files[EMBEDDED_PAYLOAD]), indent=2).encode()

    broken = _evaluate(BundleSigning(), _rezip(release.bundle, tmp_path / "p.mcpb", pretty))
    assert _rules(broken) == {"payload-invalid"}
    assert "RFC 8785" in broken.findings[0].description

    def drop(files: dict[str, bytes]) -> None:
        del files[EMBEDDED_SIGNATURE]

    half = _evaluate(BundleSigning(), _rezip(release.bundle, tmp_path / "h.mcpb", drop))
    assert _rules(half) == {"signature-incomplete"}


def test_ai03_payload_naming_another_signer(release: Release, tmp_path: Path) -> None:
    def resign(files: dict[str, bytes]) -> None:
        payload = build_payload(
            name="@acme/tiny",
            version="1.0.0",
            manifest=files["manifest.json"],
            sbom=files["sbom.cdx.json"],
            signer_identity="https://github.com/someone-else",
        )
        files[EMBEDDED_PAYLOAD] = payload.canonical_bytes()
        files[EMBEDDED_SIGNATURE] = release.signer.sign_blob(payload.canonical_bytes())

    outcome = _evaluate(
        BundleSigning(),
        _rezip(release.bundle, tmp_path / "s.mcpb", resign),
        public_key=release.public_key,
    )
    assert _rules(outcome) == {"signer-identity-mismatch"}


def test_ai03_unusable_key_file_is_a_control_error(release: Release, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with (
        ScanContext.for_bundle(release.bundle, ScanOptions(public_key=bad)) as ctx,
        pytest.raises(Exception, match="not a PEM public key"),
    ):
        BundleSigning().evaluate(ctx)


# -- PR-03 ---------------------------------------------------------------------------


def test_pr03_valid_attestation_beside_the_bundle(release: Release) -> None:
    outcome = _evaluate(BuildAttestation(), release.bundle, public_key=release.public_key)
    assert outcome.status_at(3) is Status.WARN  # valid, but no commit outside a git checkout
    assert _rules(outcome) == {"attestation-valid", "source-commit-missing"}
    assert outcome.details["builder_id"].endswith("/builders/local@v0.1.0")


def test_pr03_missing_attestation(release: Release, tmp_path: Path) -> None:
    alone = tmp_path / NAMES.bundle
    shutil.copy(release.bundle, alone)
    outcome = _evaluate(BuildAttestation(), alone, public_key=release.public_key)
    assert _rules(outcome) == {"attestation-missing"}
    assert outcome.status_at(3) is Status.FAIL and outcome.status_at(2) is Status.WARN
    given = _evaluate(BuildAttestation(), alone, provenance=tmp_path / "nope.json")
    assert "nope.json does not exist" in given.findings[0].description


def test_pr03_attestation_of_another_bundle(release: Release, tmp_path: Path) -> None:
    other = _rezip(release.bundle, tmp_path / NAMES.bundle, lambda files: None)
    shutil.copy(release.out / NAMES.provenance, tmp_path / NAMES.provenance)
    outcome = _evaluate(BuildAttestation(), other, public_key=release.public_key)
    assert _rules(outcome) == {"subject-mismatch"}
    assert outcome.status_at(3) is Status.FAIL


def test_pr03_wrong_predicate_key_and_shape(release: Release, tmp_path: Path) -> None:
    sbom = release.out / NAMES.sbom_attestation
    wrong_type = _evaluate(
        BuildAttestation(), release.bundle, public_key=release.public_key, provenance=sbom
    )
    assert _rules(wrong_type) == {"not-slsa-provenance"}
    other_key = _evaluate(BuildAttestation(), release.bundle, public_key=release.other_public_key)
    assert _rules(other_key) == {"signature-invalid"}
    no_key = _evaluate(BuildAttestation(), release.bundle)
    assert _rules(no_key) == {"attestation-not-verified"}
    digest = ScanContext.for_bundle(release.bundle, ScanOptions()).bundle_sha256
    assert digest is not None
    statement = build_statement(
        name=NAMES.bundle,
        sha256=digest,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate={"buildDefinition": {"buildType": "x"}},
    )
    shapeless = tmp_path / "shapeless.json"
    shapeless.write_bytes(release.signer.sign_statement(statement))
    bad_shape = _evaluate(
        BuildAttestation(), release.bundle, public_key=release.public_key, provenance=shapeless
    )
    assert _rules(bad_shape) == {"attestation-invalid"}
    assert "SLSA Provenance v1" in bad_shape.findings[0].description
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    unreadable = _evaluate(BuildAttestation(), release.bundle, provenance=garbage)
    assert _rules(unreadable) == {"attestation-invalid"}


def test_pr03_commit_linked_passes(release: Release, tmp_path: Path) -> None:
    digest = ScanContext.for_bundle(release.bundle, ScanOptions()).bundle_sha256
    assert digest is not None
    predicate = {
        "buildDefinition": {
            "buildType": "https://github.com/mtf/attest/buildtypes/mcpb/v1",
            "externalParameters": {"source_date_epoch": EPOCH, "vendor": False},
            "resolvedDependencies": [
                {
                    "uri": "git+https://github.com/acme/tiny@refs/heads/main",
                    "digest": {"gitCommit": "a" * 40},
                }
            ],
        },
        "runDetails": {"builder": {"id": "https://github.com/acme/tiny/.github/workflows/r.yml@x"}},
    }
    statement = build_statement(
        name=NAMES.bundle,
        sha256=digest,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate=predicate,
    )
    path = tmp_path / "provenance.json"
    path.write_bytes(release.signer.sign_statement(statement))
    outcome = _evaluate(
        BuildAttestation(), release.bundle, public_key=release.public_key, provenance=path
    )
    assert outcome.status_at(3) is Status.PASS
    assert outcome.details["source_commits"] == ["a" * 40]
