"""PR-03: real SLSA Provenance v1 attestations through verify's ``provenance`` check, offline.

The DSSE bundles, their artifacts and the production trusted root are byte-for-byte
upstream copies (shared/data/sigstore, see its SOURCES.md): a sigstore-conformance
statement about ``a.txt`` and two GitHub artifact attestations from the gh CLI's test
data (a custom-issuer one and one signed by a reusable workflow). Each artifact is
laid out as a release would be (``X.mcpb`` + ``X.mcpb.provenance.sigstore.json``) and
verified by ``verify_release``, the code path of ``mtf-attest verify``; the other
checks fail for want of the other assets, which is not what these tests are about.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from mtf_action._cli import main
from mtf_action.console import Reporter
from mtf_action.models.verification import CheckResult, VerificationResult
from mtf_action.signing.policy import GITHUB_ISSUER, IdentityRequirement
from mtf_action.signing.trust import VerifyTrust
from mtf_action.verify import VerifyOptions, verify_release

BEACON = "sigstore-conformance/extremely-dangerous-public-oidc-beacon"
BEACON_SAN = (
    f"https://github.com/{BEACON}/.github/workflows/extremely-dangerous-oidc-beacon.yml"
    "@refs/heads/main"
)


@dataclass(frozen=True)
class RealCase:
    id: str
    artifact: str
    provenance: str
    requirement: IdentityRequirement
    builder_id: str
    commit: str


CASES = [
    RealCase(
        "conformance-dsse-a.txt",
        "conformance/bundle-verify/a.txt",
        "conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json",
        IdentityRequirement(repository=BEACON, ref="refs/heads/main"),
        "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main",
        "ebff8dfbd609b7b22237c7719ce07f2dc7934f5f",
    ),
    RealCase(
        "gh-cli-custom-issuer",
        "gh-cli/custom-issuer-artifact",
        "gh-cli/custom-issuer.sigstore.json",
        IdentityRequirement(
            repository="too-legit/attest",
            workflow="integration.yml",
            issuer=f"{GITHUB_ISSUER}/hammer-time",
        ),
        "https://github.com/too-legit/attest/.github/workflows/integration.yml@refs/heads/main",
        "283bf967fa3c591925dd25e6a6e8e781542117bf",
    ),
    RealCase(
        "gh-cli-reusable-workflow",
        "gh-cli/reusable-workflow-artifact",
        "gh-cli/reusable-workflow-attestation.sigstore.json",
        IdentityRequirement(
            repository="malancas/attest-demo",
            workflow="github/artifact-attestations-workflows/.github/workflows/attest.yml",
            ref="refs/heads/*",
        ),
        "https://github.com/actions/runner/github-hosted",
        "95baf27389e83e6a5c48f42e190d48d7abcea19e",
    ),
]


def _release(sigstore_data: Path, case: RealCase, tmp_path: Path) -> Path:
    """``tmp/artifact.mcpb`` + ``tmp/artifact.mcpb.provenance.sigstore.json``."""
    bundle = tmp_path / "artifact.mcpb"
    shutil.copyfile(sigstore_data / case.artifact, bundle)
    shutil.copyfile(
        sigstore_data / case.provenance, tmp_path / (bundle.name + ".provenance.sigstore.json")
    )
    return bundle


def _quiet() -> Reporter:
    return Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())


def _provenance(bundle: Path, requirement: IdentityRequirement, trust: VerifyTrust) -> CheckResult:
    result = verify_release(
        VerifyOptions(bundle=bundle, trust=trust, identity=requirement), _quiet()
    )
    return result.check("provenance")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_pr03_real_provenance_verifies_with_the_production_root(
    sigstore_data: Path, production_root: Path, tmp_path: Path, case: RealCase
) -> None:
    bundle = _release(sigstore_data, case, tmp_path)
    check = _provenance(bundle, case.requirement, VerifyTrust(trusted_root=production_root))
    assert check.status == "pass", check.reason
    assert check.details["builder_id"] == case.builder_id
    assert check.details["source_commits"] == [case.commit]
    assert check.details["signature"]["transparency_log"] == "verified"
    assert case.builder_id in check.reason


@pytest.mark.parametrize(
    ("case", "requirement", "cause", "detail"),
    [
        (
            CASES[0],
            IdentityRequirement(repository="sigstore-conformance/other"),
            "repository",
            "expected 'https://github.com/sigstore-conformance/other'",
        ),
        (
            CASES[0],
            IdentityRequirement(repository=BEACON, ref="refs/tags/v*"),
            "ref",
            "'refs/heads/main', which does not match 'refs/tags/v*'",
        ),
        (
            CASES[0],
            IdentityRequirement(repository=BEACON, workflow="release.yml"),
            "workflow",
            "release.yml@*",
        ),
        (
            CASES[0],
            IdentityRequirement(identity=BEACON_SAN, issuer="https://accounts.google.com"),
            "issuer",
            "expected 'https://accounts.google.com'",
        ),
        (
            CASES[0],
            IdentityRequirement(identity="someone@example.com", issuer=GITHUB_ISSUER),
            "identity",
            "expected someone@example.com",
        ),
        # The custom issuer is not GitHub's: the default --issuer refuses it.
        (CASES[1], IdentityRequirement(repository="too-legit/attest"), "issuer", "hammer-time"),
        # A reusable workflow signs for the calling repository, not for its own.
        (
            CASES[2],
            IdentityRequirement(repository="github/artifact-attestations-workflows"),
            "repository",
            "malancas/attest-demo",
        ),
    ],
    ids=["repository", "ref", "workflow", "issuer", "identity", "custom-issuer", "reusable-caller"],
)
def test_pr03_real_provenance_under_a_wrong_identity_names_the_failed_part(
    sigstore_data: Path,
    production_root: Path,
    tmp_path: Path,
    case: RealCase,
    requirement: IdentityRequirement,
    cause: str,
    detail: str,
) -> None:
    bundle = _release(sigstore_data, case, tmp_path)
    check = _provenance(bundle, requirement, VerifyTrust(trusted_root=production_root))
    assert (check.status, check.cause) == ("fail", cause)
    assert check.reason.startswith(f"artifact.mcpb.provenance.sigstore.json: {cause} check failed")
    assert detail in check.reason


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_pr03_one_byte_change_to_the_artifact_fails_the_subject(
    sigstore_data: Path, production_root: Path, tmp_path: Path, case: RealCase
) -> None:
    bundle = _release(sigstore_data, case, tmp_path)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    check = _provenance(bundle, case.requirement, VerifyTrust(trusted_root=production_root))
    assert (check.status, check.cause) == ("fail", "subject")
    assert "but the artifact's sha256 is" in check.reason


def test_pr03_one_byte_change_to_the_signed_statement_fails_the_signature(
    sigstore_data: Path, production_root: Path, tmp_path: Path
) -> None:
    case = CASES[1]
    bundle = _release(sigstore_data, case, tmp_path)
    attestation = tmp_path / (bundle.name + ".provenance.sigstore.json")
    document = json.loads(attestation.read_bytes())
    payload = bytearray(base64.b64decode(document["dsseEnvelope"]["payload"]))
    payload[payload.index(b"too-legit")] ^= 0x20  # "too-legit" -> "Too-legit"
    document["dsseEnvelope"]["payload"] = base64.b64encode(bytes(payload)).decode()
    attestation.write_text(json.dumps(document))
    check = _provenance(bundle, case.requirement, VerifyTrust(trusted_root=production_root))
    assert check.status == "fail"
    assert check.cause in {"signature", "transparency-log"}, check.reason


def test_pr03_cli_offline_uses_the_embedded_production_root(
    sigstore_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = _release(sigstore_data, CASES[0], tmp_path)
    code = main(["verify", str(bundle), "--offline", "--repository", BEACON, "--format", "json"])
    result = VerificationResult.model_validate_json(capsys.readouterr().out)
    assert result.check("provenance").status == "pass"
    assert "offline" in result.trust.trust
    # Only the provenance is here: the hashes, claim and other attestations are missing.
    assert result.check("bundle-digest").cause == "missing"
    assert code == 3 and result.exit_code == 3
