"""Keyless signing end to end against the local Sigstore stack (tests/sigstore_stack).

sigstore-python's real signer talks to a local Fulcio (real certificates with embedded
SCTs from a local CT log) and Rekor v1 (real SETs, inclusion proofs and checkpoints);
sigstore-python's real verifier checks the result under the stack's trusted root. No
part of signing or verification is bypassed. Fault injection drives the retry paths.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import pytest
from sigstore.models import ClientTrustConfig

from mtf_action.errors import InvalidInputError, RemoteServiceError
from mtf_action.signing.intoto import build_statement
from mtf_action.signing.payload import build_payload, parse_payload
from mtf_action.signing.policy import IdentityRequirement
from mtf_action.signing.retry import RetryPolicy
from mtf_action.signing.sigstore_signer import SigstoreSigner
from mtf_action.signing.trust import SigningTrust, VerifyTrust
from mtf_action.signing.verify import VerificationFailure, verify_statement
from mtf_action.signing.verify_keyless import KeylessVerifier
from sigstore_stack import GITHUB_ISSUER, SigstoreStack

ARTIFACT = b"PK\x03\x04 srv-1.0.0.mcpb stand-in"
DIGEST = hashlib.sha256(ARTIFACT).hexdigest()
REPO = "acme/mcp-server"


def _github_token(stack: SigstoreStack, **claims: object) -> str:
    # iss=GITHUB_ISSUER: the stack's Fulcio certifies it as the real GitHub Actions issuer.
    return stack.mint_token(
        "github", iss=GITHUB_ISSUER, repository=REPO, ref="refs/tags/v1.0.0", **claims
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_signer(
    sigstore_stack: SigstoreStack, sleeps: list[float]
) -> Callable[[str], SigstoreSigner]:
    def make(token: str) -> SigstoreSigner:
        config = ClientTrustConfig.from_json(sigstore_stack.trust_config_json)
        return SigstoreSigner(token, config, retry=RetryPolicy(sleep=sleeps.append))

    return make


def _verifier(stack: SigstoreStack, **requirement: str) -> KeylessVerifier:
    return KeylessVerifier.from_options(
        VerifyTrust(trusted_root=stack.trusted_root_path), IdentityRequirement(**requirement)
    )


def test_ai03_pr03_keyless_sign_and_verify(
    sigstore_stack: SigstoreStack, make_signer: Callable[[str], SigstoreSigner]
) -> None:
    token = _github_token(sigstore_stack)
    san, issuer = sigstore_stack.identity_of(token)
    statement = build_statement(
        name="srv-1.0.0.mcpb",
        sha256=DIGEST,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate={"n": 3},
    )
    with make_signer(token) as signer:
        assert (
            signer.identity
            == san
            == f"https://github.com/{REPO}/.github/workflows/release.yml@refs/tags/v1.0.0"
        )
        payload = build_payload(
            name="srv",
            version="1.0.0",
            manifest=b'{"name":"srv"}',
            sbom=b"{}",
            signer_identity=signer.identity,
        )
        blob_bundle = signer.sign_blob(payload.canonical_bytes())
        dsse_bundle = signer.sign_statement(statement)
    assert issuer == GITHUB_ISSUER
    assert sigstore_stack.faults.fulcio.count("POST") == 1  # one certificate for both signatures

    verifier = _verifier(
        sigstore_stack, repository=REPO, workflow="release.yml", ref="refs/tags/v*"
    )
    check = verifier.verify_blob(payload.canonical_bytes(), blob_bundle)
    assert check.signer_identity == san and check.transparency_log == "verified"
    assert parse_payload(payload.canonical_bytes()).signer_identity == san

    verified = verify_statement(verifier, dsse_bundle, artifact_sha256=DIGEST)
    assert verified.statement.predicate == {"n": 3}  # integers stay integers
    with pytest.raises(VerificationFailure) as subject:
        verify_statement(
            verifier, dsse_bundle, artifact_sha256=hashlib.sha256(b"other").hexdigest()
        )
    assert subject.value.check == "subject"
    with pytest.raises(VerificationFailure) as repo:
        verify_statement(
            _verifier(sigstore_stack, repository="acme/other"), dsse_bundle, artifact_sha256=DIGEST
        )
    assert repo.value.check == "repository"
    with pytest.raises(VerificationFailure) as ref:
        _verifier(sigstore_stack, repository=REPO, ref="refs/heads/*").verify_blob(
            payload.canonical_bytes(), blob_bundle
        )
    assert ref.value.check == "ref"
    with pytest.raises(VerificationFailure) as tampered:
        verifier.verify_blob(payload.canonical_bytes().replace(b"1.0.0", b"1.0.1"), blob_bundle)
    assert tampered.value.check == "artifact"


def test_email_identity_signs_and_verifies_exactly(
    sigstore_stack: SigstoreStack, make_signer: Callable[[str], SigstoreSigner]
) -> None:
    token = sigstore_stack.mint_token("email")
    san, issuer = sigstore_stack.identity_of(token)
    with make_signer(token) as signer:
        bundle = signer.sign_blob(ARTIFACT)
    assert (
        _verifier(sigstore_stack, identity=san, issuer=issuer)
        .verify_blob(ARTIFACT, bundle)
        .signer_identity
        == san
    )
    with pytest.raises(VerificationFailure) as other:
        _verifier(sigstore_stack, identity="someone-else@example.com", issuer=issuer).verify_blob(
            ARTIFACT, bundle
        )
    assert other.value.check == "identity"


def test_transient_fulcio_and_rekor_failures_are_retried(
    sigstore_stack: SigstoreStack, make_signer: Callable[[str], SigstoreSigner], sleeps: list[float]
) -> None:
    sigstore_stack.faults.fulcio.fail(503, times=2)
    sigstore_stack.faults.rekor.fail(502, times=1, method="POST")
    token = _github_token(sigstore_stack)
    with make_signer(token) as signer:
        bundle = signer.sign_blob(ARTIFACT)
    assert sigstore_stack.faults.fulcio.count("POST") == 3
    assert sleeps == [1.0, 2.0, 1.0]
    assert (
        _verifier(sigstore_stack, repository=REPO).verify_blob(ARTIFACT, bundle).transparency_log
        == "verified"
    )


def test_persistent_rekor_outage_names_the_service_and_never_the_token(
    sigstore_stack: SigstoreStack,
    make_signer: Callable[[str], SigstoreSigner],
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sigstore_stack.faults.rekor.fail(503, times=10, method="POST")
    token = _github_token(sigstore_stack)
    with make_signer(token) as signer, pytest.raises(RemoteServiceError) as caught:
        signer.sign_blob(ARTIFACT)
    assert caught.value.one_line().startswith("Rekor still failing after 4 attempts")
    assert len(sleeps) == 3
    for text in (caught.value.one_line(), caplog.text):
        assert token not in text
        assert all(segment not in text for segment in token.split("."))


def test_token_refused_by_fulcio_fails_at_once_and_stays_secret(
    sigstore_stack: SigstoreStack, make_signer: Callable[[str], SigstoreSigner], sleeps: list[float]
) -> None:
    token = _github_token(
        sigstore_stack, untrusted_key=True
    )  # signed by a key the issuer never published
    with make_signer(token) as signer, pytest.raises(RemoteServiceError) as caught:
        signer.sign_blob(ARTIFACT)
    text = caught.value.one_line()
    assert text.startswith("Fulcio refused the OIDC identity token (HTTP 401)")
    assert sleeps == []
    assert token not in text and all(segment not in text for segment in token.split("."))


def test_expired_token_is_refused_before_any_request(
    sigstore_stack: SigstoreStack, make_signer: Callable[[str], SigstoreSigner]
) -> None:
    token = _github_token(sigstore_stack, expires_in=-60)
    with pytest.raises(InvalidInputError, match="identity token rejected"):
        make_signer(token)
    assert sigstore_stack.faults.fulcio.count() == 0


def test_signing_trust_from_a_custom_trust_config_file(
    sigstore_stack: SigstoreStack, sleeps: list[float]
) -> None:
    signer = SigstoreSigner.from_options(
        identity_token=_github_token(sigstore_stack),
        trust=SigningTrust(trust_config=sigstore_stack.trust_config_path),
        retry=RetryPolicy(sleep=sleeps.append),
    )
    with signer:
        bundle = signer.sign_blob(ARTIFACT)
    assert (
        _verifier(sigstore_stack, repository=REPO).verify_blob(ARTIFACT, bundle).mode == "sigstore"
    )
