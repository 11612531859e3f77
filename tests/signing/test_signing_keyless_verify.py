"""MTF AI-03 / PR-03 keyless verification of real Sigstore bundles, offline.

The bundles, artifacts and the production trusted root are byte-for-byte upstream
copies in ``shared/data/sigstore`` (see its SOURCES.md). Nothing here reaches the
network: the trusted root is pinned (``--trusted-root``) or the one embedded in
sigstore-python (``--offline``, with an empty TUF cache).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mtf_action.errors import InvalidInputError, RemoteServiceError, UsageError
from mtf_action.signing.policy import (
    GITHUB_ISSUER,
    GitHubPublisher,
    IdentityRequirement,
    build_policy,
)
from mtf_action.signing.trust import VerifyTrust
from mtf_action.signing.verify import VerificationFailure, verify_statement
from mtf_action.signing.verify_keyless import KeylessVerifier

WHEEL = Path("sigstore-python") / "bundle_v3_github.whl"
RFC8785_REPO = "trailofbits/rfc8785.py"
BEACON_REPO = "sigstore-conformance/extremely-dangerous-public-oidc-beacon"
BEACON_SAN = f"https://github.com/{BEACON_REPO}/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
CONFORMANCE = Path("conformance") / "bundle-verify"
HAPPY_BLOBS = [
    "happy-path-v0.1",
    "happy-path-v0.2",
    "happy-path-v0.3",
    "happy-path-v0.3-new-mediaType",
]


def _verifier(trust: VerifyTrust, **requirement: str) -> KeylessVerifier:
    return KeylessVerifier.from_options(trust, IdentityRequirement(**requirement))


@pytest.fixture(params=["trusted-root-file", "embedded-offline"])
def trust(request: pytest.FixtureRequest, production_root: Path) -> VerifyTrust:
    if request.param == "trusted-root-file":
        return VerifyTrust(trusted_root=production_root)
    return VerifyTrust(offline=True)


def _read(sigstore_data: Path, relative: Path | str) -> bytes:
    return (sigstore_data / relative).read_bytes()


def test_ai03_github_release_bundle_verifies(sigstore_data: Path, trust: VerifyTrust) -> None:
    artifact = _read(sigstore_data, WHEEL)
    bundle = _read(sigstore_data, f"{WHEEL}.sigstore")
    verifier = _verifier(trust, repository=RFC8785_REPO, workflow="release.yml", ref="refs/tags/v*")
    check = verifier.verify_blob(artifact, bundle, source="wheel.sigstore")
    assert (
        check.signer_identity
        == f"https://github.com/{RFC8785_REPO}/.github/workflows/release.yml@refs/tags/v0.1.2"
    )
    assert check.issuer == GITHUB_ISSUER
    assert check.source_ref == "refs/tags/v0.1.2"
    assert check.transparency_log == "verified" and check.log_index == 79605083


@pytest.mark.parametrize(
    ("requirement", "check", "detail"),
    [
        (
            {"repository": "trailofbits/not-rfc8785"},
            "repository",
            "expected 'https://github.com/trailofbits/not-rfc8785'",
        ),
        ({"repository": RFC8785_REPO, "workflow": "ci.yml"}, "workflow", "ci.yml@*"),
        (
            {"repository": RFC8785_REPO, "workflow": "release.yml@refs/tags/v0.1.1"},
            "workflow",
            "@refs/tags/v0.1.1",
        ),
        (
            {"repository": RFC8785_REPO, "ref": "refs/heads/*"},
            "ref",
            "'refs/tags/v0.1.2', which does not match",
        ),
        (
            {"repository": RFC8785_REPO, "issuer": "https://gitlab.com"},
            "issuer",
            "expected 'https://gitlab.com'",
        ),
        (
            {"identity": "someone@example.com", "issuer": GITHUB_ISSUER},
            "identity",
            "expected someone@example.com",
        ),
        (
            {"identity": BEACON_SAN, "issuer": "https://accounts.google.com"},
            "issuer",
            "accounts.google.com",
        ),
    ],
)
def test_ai03_wrong_publisher_is_rejected_with_the_failed_check(
    sigstore_data: Path, production_root: Path, requirement: dict[str, str], check: str, detail: str
) -> None:
    verifier = _verifier(VerifyTrust(trusted_root=production_root), **requirement)
    with pytest.raises(VerificationFailure) as caught:
        verifier.verify_blob(
            _read(sigstore_data, WHEEL),
            _read(sigstore_data, f"{WHEEL}.sigstore"),
            source="w.sigstore",
        )
    assert caught.value.check == check
    assert detail in str(caught.value)
    assert str(caught.value).startswith(f"w.sigstore: {check} check failed: ")


def test_ai03_one_byte_change_to_the_artifact_is_rejected(
    sigstore_data: Path, trust: VerifyTrust
) -> None:
    artifact = bytearray(_read(sigstore_data, WHEEL))
    artifact[len(artifact) // 2] ^= 0x01
    verifier = _verifier(trust, repository=RFC8785_REPO)
    with pytest.raises(VerificationFailure) as caught:
        verifier.verify_blob(bytes(artifact), _read(sigstore_data, f"{WHEEL}.sigstore"))
    assert caught.value.check == "artifact"
    assert "the artifact differs from what was signed" in str(caught.value)


@pytest.mark.parametrize("case", HAPPY_BLOBS)
def test_conformance_happy_paths_verify_and_reject_tampering(
    sigstore_data: Path, trust: VerifyTrust, case: str
) -> None:
    artifact = _read(sigstore_data, CONFORMANCE / "a.txt")
    bundle = _read(sigstore_data, CONFORMANCE / case / "bundle.sigstore.json")
    by_identity = _verifier(trust, identity=BEACON_SAN, issuer=GITHUB_ISSUER)
    assert by_identity.verify_blob(artifact, bundle).signer_identity == BEACON_SAN
    by_repo = _verifier(
        trust,
        repository=BEACON_REPO,
        workflow="extremely-dangerous-oidc-beacon.yml",
        ref="refs/heads/main",
    )
    assert (
        by_repo.verify_blob(artifact, bundle).source_repository
        == f"https://github.com/{BEACON_REPO}"
    )
    with pytest.raises(VerificationFailure) as caught:
        by_identity.verify_blob(
            artifact.replace(b"a", b"b", 1) if b"a" in artifact else artifact + b"!", bundle
        )
    assert caught.value.check == "artifact"


def test_pr03_intoto_dsse_bundle_verifies_and_checks_the_subject(
    sigstore_data: Path, trust: VerifyTrust
) -> None:
    bundle = _read(
        sigstore_data, CONFORMANCE / "happy-path-intoto-in-dsse-v3" / "bundle.sigstore.json"
    )
    digest = hashlib.sha256(_read(sigstore_data, CONFORMANCE / "a.txt")).hexdigest()
    verifier = _verifier(trust, repository=BEACON_REPO)
    verified = verify_statement(
        verifier, bundle, artifact_sha256=digest, predicate_type="https://slsa.dev/provenance/v1"
    )
    assert verified.statement.only_subject.name == "a.txt"
    assert verified.signature.signer_identity == BEACON_SAN
    # sigstore-python's verify_dsse does not compare the subject with the artifact: we do.
    with pytest.raises(VerificationFailure) as caught:
        verify_statement(
            verifier, bundle, artifact_sha256=hashlib.sha256(b"another artifact").hexdigest()
        )
    assert caught.value.check == "subject"
    with pytest.raises(VerificationFailure) as wrong_repo:
        verify_statement(
            _verifier(trust, repository="octo-org/octo-repo"), bundle, artifact_sha256=digest
        )
    assert wrong_repo.value.check == "repository"


@pytest.mark.parametrize(
    ("bundle", "artifact", "repository", "issuer"),
    [
        (
            "gh-cli/custom-issuer.sigstore.json",
            "gh-cli/custom-issuer-artifact",
            "too-legit/attest",
            f"{GITHUB_ISSUER}/hammer-time",
        ),
        (
            "gh-cli/reusable-workflow-attestation.sigstore.json",
            "gh-cli/reusable-workflow-artifact",
            "malancas/attest-demo",
            GITHUB_ISSUER,
        ),
        (
            "pypi-attestations/pypi_attestation_models-0.0.4a2.tar.gz.sigstore",
            "pypi-attestations/pypi_attestation_models-0.0.4a2.tar.gz",
            "trailofbits/pypi-attestation-models",
            GITHUB_ISSUER,
        ),
    ],
)
def test_pr03_real_attestations_verify(
    sigstore_data: Path,
    production_root: Path,
    bundle: str,
    artifact: str,
    repository: str,
    issuer: str,
) -> None:
    digest = hashlib.sha256(_read(sigstore_data, artifact)).hexdigest()
    verifier = _verifier(
        VerifyTrust(trusted_root=production_root), repository=repository, issuer=issuer
    )
    verified = verify_statement(verifier, _read(sigstore_data, bundle), artifact_sha256=digest)
    assert verified.statement.only_subject.sha256 == digest
    with pytest.raises(VerificationFailure) as wrong_issuer:
        _verifier(
            VerifyTrust(trusted_root=production_root),
            repository=repository,
            issuer="https://example.com",
        ).verify_dsse(_read(sigstore_data, bundle))
    assert wrong_issuer.value.check == "issuer"


def test_reusable_workflow_is_pinned_by_owner_repo_path(
    sigstore_data: Path, production_root: Path
) -> None:
    bundle = _read(sigstore_data, "gh-cli/reusable-workflow-attestation.sigstore.json")
    trust = VerifyTrust(trusted_root=production_root)
    reusable = "github/artifact-attestations-workflows/.github/workflows/attest.yml"
    _verifier(trust, repository="malancas/attest-demo", workflow=reusable).verify_dsse(bundle)
    with pytest.raises(VerificationFailure) as caught:
        _verifier(trust, repository="malancas/attest-demo", workflow="shared.yml").verify_dsse(
            bundle
        )
    assert caught.value.check == "workflow"


def test_key_bundle_needs_a_key_not_an_identity(sigstore_data: Path, production_root: Path) -> None:
    # conformance managed-key-no-key_fail: a key-signed bundle and no key to verify it with.
    bundle = _read(sigstore_data, CONFORMANCE / "managed-key-no-key_fail" / "bundle.sigstore.json")
    verifier = _verifier(
        VerifyTrust(trusted_root=production_root), identity=BEACON_SAN, issuer=GITHUB_ISSUER
    )
    with pytest.raises(VerificationFailure, match=r"signed with a key.*--key"):
        verifier.verify_blob(_read(sigstore_data, CONFORMANCE / "a.txt"), bundle)


def test_staging_bundle_is_rejected_under_the_production_root(
    sigstore_data: Path, production_root: Path
) -> None:
    verifier = _verifier(
        VerifyTrust(trusted_root=production_root),
        identity="william@yossarian.net",
        issuer="https://github.com/login/oauth",
    )
    with pytest.raises(VerificationFailure) as caught:
        verifier.verify_blob(
            _read(sigstore_data, "sigstore-python/bundle_v3.txt"),
            _read(sigstore_data, "sigstore-python/bundle_v3.txt.sigstore"),
        )
    assert caught.value.check in {"certificate", "transparency-log", "timestamp"}


def test_policy_construction_refuses_empty_or_contradictory_requirements() -> None:
    with pytest.raises(UsageError, match="needs an identity"):
        build_policy(IdentityRequirement())
    with pytest.raises(UsageError, match="alternatives"):
        build_policy(
            IdentityRequirement(repository="a/b", identity="x@example.com", issuer="https://i")
        )
    with pytest.raises(UsageError, match="--identity needs --issuer"):
        build_policy(IdentityRequirement(identity="x@example.com"))
    with pytest.raises(UsageError, match="expected OWNER/REPO"):
        build_policy(IdentityRequirement(repository="just-a-name"))
    with pytest.raises(UsageError, match="--workflow"):
        build_policy(IdentityRequirement(repository="a/b", workflow="../../evil"))
    policy = build_policy(
        IdentityRequirement(
            repository="https://github.com/Octo-Org/Repo.git", workflow=".github/workflows/r.yml"
        )
    )
    assert isinstance(policy, GitHubPublisher)
    assert policy.repository == "Octo-Org/Repo"
    assert policy.workflow == ("https://github.com/Octo-Org/Repo/.github/workflows/r.yml@", False)


def test_unreachable_tuf_repository_is_a_remote_service_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The refresh goes to a closed port on loopback; with no cached metadata it must
    # fail as "remote service" (exit 4), not as a verification failure.
    import sigstore.models

    monkeypatch.setattr(sigstore.models, "DEFAULT_TUF_URL", "http://127.0.0.1:9")
    with pytest.raises(RemoteServiceError, match="TUF repository unreachable"):
        _verifier(VerifyTrust(), repository=RFC8785_REPO)


def test_unreadable_and_broken_bundles(sigstore_data: Path, production_root: Path) -> None:
    verifier = _verifier(VerifyTrust(trusted_root=production_root), repository=RFC8785_REPO)
    with pytest.raises(InvalidInputError, match=r"b\.json: not a Sigstore bundle: not JSON"):
        verifier.verify_blob(b"", b"{not json", source="b.json")
    # Upstream "invalid" case: readable, but missing the checkpoint sigstore-python requires.
    broken = _read(sigstore_data, "sigstore-python/bundle_no_checkpoint.txt.sigstore")
    with pytest.raises(VerificationFailure) as caught:
        verifier.verify_blob(
            _read(sigstore_data, "sigstore-python/bundle_no_checkpoint.txt"), broken
        )
    assert caught.value.check == "bundle"
    dsse = _read(
        sigstore_data, CONFORMANCE / "happy-path-intoto-in-dsse-v3" / "bundle.sigstore.json"
    )
    with pytest.raises(VerificationFailure, match="not a message signature"):
        verifier.verify_blob(b"", dsse)


def test_trust_inputs_are_checked(tmp_path: Path, production_root: Path) -> None:
    (tmp_path / "junk.json").write_text('{"mediaType": "nope"}')
    with pytest.raises(InvalidInputError, match=r"junk\.json: not a Sigstore trusted root"):
        _verifier(VerifyTrust(trusted_root=tmp_path / "junk.json"), repository=RFC8785_REPO)
    with pytest.raises(InvalidInputError, match=r"junk\.json: not a Sigstore client trust config"):
        _verifier(VerifyTrust(trust_config=tmp_path / "junk.json"), repository=RFC8785_REPO)
    with pytest.raises(InvalidInputError, match="cannot read"):
        _verifier(VerifyTrust(trusted_root=tmp_path / "missing.json"), repository=RFC8785_REPO)
    with pytest.raises(UsageError, match="choose one"):
        _verifier(VerifyTrust(trusted_root=production_root, staging=True), repository=RFC8785_REPO)
