"""The local Sigstore stack against sigstore-python's real signer and verifier (issue 4).

Everything goes through sigstore-python's public API (`ClientTrustConfig`, `SigningContext`,
`IdentityToken`, `Signer`, `Verifier`, `policy`, `Bundle`): nothing is patched, so a bundle
that verifies here has passed the same SCT, chain, SET, inclusion-proof and checkpoint checks
a production bundle does, only under the test trusted root. The negative cases each break
exactly one of those proofs.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sigstore import dsse
from sigstore._internal.fulcio.client import FulcioClientError
from sigstore._internal.rekor import RekorClientError
from sigstore.errors import VerificationError
from sigstore.models import Bundle, ClientTrustConfig, TrustedRoot
from sigstore.oidc import IdentityToken
from sigstore.sign import SigningContext
from sigstore.verify import Verifier, policy

from sigstore_stack import GITHUB_ISSUER, SigstoreStack, der, merkle, tamper

ARTIFACT = b"an MCPB bundle, or any bytes\n"
REPO_SAN = "https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.0.0"


def _context(stack: SigstoreStack, trust_config_json: str | None = None) -> SigningContext:
    config = ClientTrustConfig.from_json(trust_config_json or stack.trust_config_json)
    return SigningContext.from_trust_config(config)


def _verifier(stack: SigstoreStack) -> Verifier:
    return Verifier(trusted_root=TrustedRoot.from_file(str(stack.trusted_root_path)))


def _sign(stack: SigstoreStack, data: bytes = ARTIFACT, token: str | None = None) -> Bundle:
    identity = IdentityToken(token or stack.mint_token("github"))
    with _context(stack).signer(identity) as signer:
        return signer.sign_artifact(data)


def _statement(data: bytes) -> dsse.Statement:
    subject = dsse.Subject(
        name="server-1.0.0.mcpb", digest={"sha256": hashlib.sha256(data).hexdigest()}
    )
    return (
        dsse.StatementBuilder()
        .subjects([subject])
        .predicate_type("https://slsa.dev/provenance/v1")
        .predicate({"buildDefinition": {"buildType": "https://example.test/mcpb/v1"}})
        .build()
    )


def _identity() -> policy.Identity:
    return policy.Identity(identity=REPO_SAN, issuer=None)


# -- trust material -------------------------------------------------------------------------


def test_trust_config_points_sigstore_python_at_the_local_services(
    sigstore_stack: SigstoreStack,
) -> None:
    config = ClientTrustConfig.from_json(sigstore_stack.trust_config_json)
    signing = config.signing_config
    assert signing.get_fulcio().url == sigstore_stack.fulcio_url
    assert signing.get_oidc_url() == sigstore_stack.issuer_url
    document = json.loads(sigstore_stack.trusted_root_path.read_text())
    assert document["mediaType"] == "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
    assert document["tlogs"][0]["baseUrl"] == sigstore_stack.rekor_url
    assert document["timestampAuthorities"] == []
    assert json.loads(sigstore_stack.trust_config_path.read_text()) == json.loads(
        sigstore_stack.trust_config_json
    )
    assert sigstore_stack.signing_config_path.is_file()


# -- keyless signing, end to end ------------------------------------------------------------


def test_artifact_signed_with_github_token_verifies_with_github_policies(
    sigstore_stack: SigstoreStack, tmp_path: Path
) -> None:
    token = sigstore_stack.mint_token("github")
    bundle = _sign(sigstore_stack, token=token)
    assert sigstore_stack.identity_of(token) == (REPO_SAN, sigstore_stack.issuer_url)
    github_policy = policy.AllOf(
        [
            policy.Identity(identity=REPO_SAN, issuer=sigstore_stack.issuer_url),
            policy.OIDCIssuerV2(sigstore_stack.issuer_url),
            policy.OIDCSourceRepositoryURI("https://github.com/octo-org/octo-repo"),
            policy.OIDCBuildSignerURI(REPO_SAN),
            policy.OIDCSourceRepositoryRef("refs/tags/v1.0.0"),
            policy.OIDCBuildTrigger("push"),
            policy.OIDCRunnerEnvironment("github-hosted"),
            policy.OIDCRunInvocationURI(
                "https://github.com/octo-org/octo-repo/actions/runs/4000000004/attempts/1"
            ),
            policy.GitHubWorkflowRepository("octo-org/octo-repo"),
        ]
    )
    _verifier(sigstore_stack).verify_artifact(ARTIFACT, bundle, github_policy)

    # The bundle survives a trip through its JSON file, and verifies again from there.
    path = tmp_path / "artifact.sigstore.json"
    path.write_text(bundle.to_json())
    reloaded = Bundle.from_json(path.read_bytes())
    _verifier(sigstore_stack).verify_artifact(ARTIFACT, reloaded, github_policy)


def test_dsse_statement_verifies_and_returns_the_signed_payload(
    sigstore_stack: SigstoreStack, tmp_path: Path
) -> None:
    statement = _statement(ARTIFACT)
    identity = IdentityToken(sigstore_stack.mint_token("github"))
    with _context(sigstore_stack).signer(identity) as signer:
        bundle = signer.sign_dsse(statement)
    assert bundle.log_entry._inner.kind_version.kind == "dsse"
    path = tmp_path / "provenance.sigstore.json"
    path.write_text(bundle.to_json())
    payload_type, payload = _verifier(sigstore_stack).verify_dsse(
        Bundle.from_json(path.read_text()),
        policy.OIDCSourceRepositoryURI("https://github.com/octo-org/octo-repo"),
    )
    assert payload_type == "application/vnd.in-toto+json"
    assert (
        json.loads(payload)["subject"][0]["digest"]["sha256"]
        == hashlib.sha256(ARTIFACT).hexdigest()
    )


def test_email_token_certifies_the_email_address(sigstore_stack: SigstoreStack) -> None:
    token = sigstore_stack.mint_token("email", email="maintainer@example.org")
    bundle = _sign(sigstore_stack, token=token)
    _verifier(sigstore_stack).verify_artifact(
        ARTIFACT,
        bundle,
        policy.Identity(identity="maintainer@example.org", issuer=sigstore_stack.email_issuer_url),
    )
    with pytest.raises(VerificationError, match="SANs do not match"):
        _verifier(sigstore_stack).verify_artifact(
            ARTIFACT,
            bundle,
            policy.Identity(identity="someone@example.org", issuer=sigstore_stack.email_issuer_url),
        )


def test_token_with_the_real_github_issuer_string(sigstore_stack: SigstoreStack) -> None:
    """The default-issuer path: the certificate names token.actions.githubusercontent.com."""
    token = sigstore_stack.mint_token("github", iss=GITHUB_ISSUER, repository="acme/server")
    san = "https://github.com/acme/server/.github/workflows/release.yml@refs/tags/v1.0.0"
    bundle = _sign(sigstore_stack, token=token)
    _verifier(sigstore_stack).verify_artifact(
        ARTIFACT, bundle, policy.Identity(identity=san, issuer=GITHUB_ISSUER)
    )


def test_reusable_workflow_is_the_signer_and_the_caller_the_build_config(
    sigstore_stack: SigstoreStack,
) -> None:
    reusable = "shared-org/workflows/.github/workflows/attest.yml@refs/heads/main"
    token = sigstore_stack.mint_token("github", job_workflow_ref=reusable)
    bundle = _sign(sigstore_stack, token=token)
    _verifier(sigstore_stack).verify_artifact(
        ARTIFACT,
        bundle,
        policy.AllOf(
            [
                policy.Identity(identity=f"https://github.com/{reusable}", issuer=None),
                policy.OIDCBuildSignerURI(f"https://github.com/{reusable}"),
                policy.OIDCBuildConfigURI(REPO_SAN),
            ]
        ),
    )


def test_many_entries_give_inclusion_proofs_that_verify_at_every_position(
    sigstore_stack: SigstoreStack,
) -> None:
    identity = IdentityToken(sigstore_stack.mint_token("github"))
    with _context(sigstore_stack).signer(identity) as signer:
        bundles = [signer.sign_artifact(bytes([i]) * 10) for i in range(6)]
    verifier = _verifier(sigstore_stack)
    for i, bundle in enumerate(bundles):
        verifier.verify_artifact(bytes([i]) * 10, bundle, _identity())
    assert len(bundles[-1].log_entry._inner.inclusion_proof.hashes) > 0


# -- rejections, one broken proof each ------------------------------------------------------


def test_wrong_identity_issuer_or_repository_is_rejected(sigstore_stack: SigstoreStack) -> None:
    bundle = _sign(sigstore_stack)
    verifier = _verifier(sigstore_stack)
    other = REPO_SAN.replace("octo-repo", "other-repo")
    with pytest.raises(VerificationError, match="SANs do not match"):
        verifier.verify_artifact(ARTIFACT, bundle, policy.Identity(identity=other))
    with pytest.raises(VerificationError, match="OIDCIssuer"):
        verifier.verify_artifact(
            ARTIFACT, bundle, policy.Identity(identity=REPO_SAN, issuer=GITHUB_ISSUER)
        )
    with pytest.raises(VerificationError, match="OIDCSourceRepositoryURI"):
        verifier.verify_artifact(
            ARTIFACT, bundle, policy.OIDCSourceRepositoryURI("https://github.com/octo-org/other")
        )


def test_one_byte_change_to_the_artifact_is_rejected(sigstore_stack: SigstoreStack) -> None:
    bundle = _sign(sigstore_stack)
    changed = bytes([ARTIFACT[0] ^ 0x01]) + ARTIFACT[1:]
    with pytest.raises(VerificationError):
        _verifier(sigstore_stack).verify_artifact(changed, bundle, _identity())


def test_tampered_inclusion_proof_is_rejected(sigstore_stack: SigstoreStack) -> None:
    _sign(sigstore_stack, b"make the tree bigger than one leaf")
    bundle = _sign(sigstore_stack)
    assert bundle.log_entry._inner.inclusion_proof.hashes, "expected a non-empty audit path"
    broken = Bundle.from_json(tamper.corrupt_inclusion_proof(bundle.to_json()))
    with pytest.raises(VerificationError, match="inclusion proof"):
        _verifier(sigstore_stack).verify_artifact(ARTIFACT, broken, _identity())


def test_checkpoint_signed_by_another_key_is_rejected(sigstore_stack: SigstoreStack) -> None:
    bundle = _sign(sigstore_stack)
    forged = tamper.resign_checkpoint(bundle.to_json(), sigstore_stack.rogue_key)
    with pytest.raises(VerificationError, match="checkpoint"):
        _verifier(sigstore_stack).verify_artifact(ARTIFACT, Bundle.from_json(forged), _identity())


def test_set_signed_by_another_key_is_rejected(sigstore_stack: SigstoreStack) -> None:
    bundle = _sign(sigstore_stack)
    forged = tamper.resign_set(bundle.to_json(), sigstore_stack.rogue_key)
    with pytest.raises(VerificationError, match="SET"):
        _verifier(sigstore_stack).verify_artifact(ARTIFACT, Bundle.from_json(forged), _identity())
    # Control: the same payload re-signed with the log's own key passes, so the key is the cause.
    resigned = tamper.resign_set(bundle.to_json(), sigstore_stack.rekor_log.key)
    _verifier(sigstore_stack).verify_artifact(ARTIFACT, Bundle.from_json(resigned), _identity())


def test_sct_from_a_log_outside_the_trusted_root_is_rejected(
    sigstore_stack: SigstoreStack,
) -> None:
    # At signing time: sigstore-python checks Fulcio's SCT before using the certificate.
    with sigstore_stack.use_rogue_ct_log(), pytest.raises(VerificationError, match="SCT"):
        _sign(sigstore_stack)
    # At verification time: sign under a config that trusts the rogue log, verify without it.
    lenient = sigstore_stack.trust_config(ctlogs=("trusted", "rogue"))
    identity = IdentityToken(sigstore_stack.mint_token("github"))
    with sigstore_stack.use_rogue_ct_log(), _context(sigstore_stack, lenient).signer(identity) as s:
        bundle = s.sign_artifact(ARTIFACT)
    with pytest.raises(VerificationError, match="SCT"):
        _verifier(sigstore_stack).verify_artifact(ARTIFACT, bundle, _identity())


def test_root_without_the_ct_key_rejects_a_good_bundle(
    sigstore_stack: SigstoreStack, tmp_path: Path
) -> None:
    bundle = _sign(sigstore_stack)
    root_file = tmp_path / "trusted_root.json"
    root_file.write_text(json.dumps(sigstore_stack.trusted_root(ctlogs=("rogue",))))
    verifier = Verifier(trusted_root=TrustedRoot.from_file(str(root_file)))
    with pytest.raises(VerificationError, match="SCT"):
        verifier.verify_artifact(ARTIFACT, bundle, _identity())


def test_precertificate_and_final_certificate_share_the_signed_tbs(
    sigstore_stack: SigstoreStack,
) -> None:
    """RFC 6962 3.2: the TBS the SCT signs is the same from either certificate."""
    bundle = _sign(sigstore_stack)
    precert = x509.load_der_x509_certificate(sigstore_stack.ct_log.entries[-1])
    poison = precert.extensions.get_extension_for_class(x509.PrecertPoison).oid
    stripped = der.remove_extension(precert.tbs_certificate_bytes, poison)
    assert stripped == bundle.signing_certificate.tbs_precertificate_bytes


# -- Fulcio refuses what the real one refuses ------------------------------------------------


def _csr_body(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([]))
        .sign(key, hashes.SHA256())
    )
    pem = csr.public_bytes(serialization.Encoding.PEM)
    return {"certificateSigningRequest": base64.b64encode(pem).decode()}


@pytest.mark.parametrize(
    ("claims", "status", "message"),
    [
        ({"untrusted_key": True}, 401, "invalid identity token"),
        ({"aud": "not-sigstore"}, 401, "invalid identity token"),
        ({"expires_in": -60}, 401, "expired"),
        ({"iss": "https://issuer.invalid"}, 401, "unsupported OIDC issuer"),
        ({"job_workflow_ref": None}, 400, "job_workflow_ref"),
        ({"run_attempt": None}, 400, "run_attempt"),
    ],
)
def test_fulcio_rejects_bad_github_tokens(
    sigstore_stack: SigstoreStack, claims: dict[str, object], status: int, message: str
) -> None:
    token = sigstore_stack.mint_token("github", **claims)
    answer = requests.post(
        f"{sigstore_stack.fulcio_url}/api/v2/signingCert",
        json=_csr_body(ec.generate_private_key(ec.SECP256R1())),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == status
    assert message in answer.json()["message"]


def test_fulcio_requires_a_verified_email(sigstore_stack: SigstoreStack) -> None:
    token = sigstore_stack.mint_token("email", email_verified=False)
    with pytest.raises(FulcioClientError):
        _sign(sigstore_stack, token=token)


def test_fulcio_public_key_request_checks_the_proof_of_possession(
    sigstore_stack: SigstoreStack,
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    token = sigstore_stack.mint_token("email")
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def request(signed: bytes) -> requests.Response:
        proof = key.sign(signed, ec.ECDSA(hashes.SHA256()))
        body: dict[str, Any] = {
            "credentials": {"oidcIdentityToken": token},
            "publicKeyRequest": {
                "publicKey": {"algorithm": "ECDSA", "content": pem.decode()},
                "proofOfPossession": base64.b64encode(proof).decode(),
            },
        }
        return requests.post(
            f"{sigstore_stack.fulcio_url}/api/v2/signingCert", json=body, timeout=10
        )

    assert request(b"someone-else@example.com").status_code == 400
    answer = request(b"signer@example.com")
    assert answer.status_code == 201
    chain = answer.json()["signedCertificateEmbeddedSct"]["chain"]["certificates"]
    leaf = x509.load_pem_x509_certificate(chain[0].encode())
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["signer@example.com"]
    assert len(chain) == 3  # leaf, intermediate, root


# -- Rekor API details -----------------------------------------------------------------------


def test_rekor_refuses_a_duplicate_and_serves_entries_and_log_info(
    sigstore_stack: SigstoreStack,
) -> None:
    bundle = _sign(sigstore_stack)
    entry = bundle.log_entry._inner
    proposed = json.loads(entry.canonicalized_body)
    api = f"{sigstore_stack.rekor_url}/api/v1/log"
    duplicate = requests.post(f"{api}/entries", json=proposed, timeout=10)
    assert duplicate.status_code == 409
    uuid = duplicate.headers["Location"].rsplit("/", 1)[1]
    by_uuid = requests.get(f"{api}/entries/{uuid}", timeout=10).json()
    by_index = requests.get(f"{api}/entries", params={"logIndex": entry.log_index}, timeout=10)
    # The SET is signed afresh on each read (ECDSA is randomized); the entry is the same.
    assert by_uuid[uuid]["body"] == by_index.json()[uuid]["body"]
    assert base64.b64decode(by_uuid[uuid]["body"]) == entry.canonicalized_body
    info = requests.get(api, timeout=10).json()
    assert info["treeSize"] >= entry.log_index + 1
    assert info["signedTreeHead"].startswith(f"rekor.sigstore.test - {info['treeID']}\n")


def test_rekor_refuses_a_signature_that_does_not_match_the_digest(
    sigstore_stack: SigstoreStack,
) -> None:
    bundle = _sign(sigstore_stack)
    proposed = json.loads(bundle.log_entry._inner.canonicalized_body)
    proposed["spec"]["data"]["hash"]["value"] = hashlib.sha256(b"other").hexdigest()
    answer = requests.post(
        f"{sigstore_stack.rekor_url}/api/v1/log/entries", json=proposed, timeout=10
    )
    assert answer.status_code == 400
    assert "signature" in answer.json()["message"]


def test_merkle_proofs_match_an_independent_rfc9162_check() -> None:
    """RFC 9162 section 2.1.3.2 verification, written out here, over trees of 1 to 20 leaves."""
    tree = merkle.MerkleTree()
    for n in range(1, 21):
        tree.append(f"leaf {n}".encode())
        for index in range(n):
            proof = tree.inclusion_proof(index)
            fn, sn = index, n - 1
            r = merkle.leaf_hash(f"leaf {index + 1}".encode())
            for p in proof.hashes:
                assert sn > 0
                if fn & 1 or fn == sn:
                    r = merkle.node_hash(p, r)
                    while not fn & 1 and fn:
                        fn, sn = fn >> 1, sn >> 1
                else:
                    r = merkle.node_hash(r, p)
                fn, sn = fn >> 1, sn >> 1
            assert sn == 0
            assert r == proof.root == tree.root()


# -- fault injection -------------------------------------------------------------------------


def test_injected_fulcio_503_reaches_the_client_then_service_recovers(
    sigstore_stack: SigstoreStack,
) -> None:
    faults = sigstore_stack.faults.fulcio
    faults.fail(503, times=2, path="/api/v2/signingCert")
    for _ in range(2):
        with pytest.raises(FulcioClientError):
            _sign(sigstore_stack)
    _sign(sigstore_stack)  # the third attempt goes through
    assert [r.status for r in faults.requests] == [503, 503, 201]
    assert faults.pending == 0


def test_injected_rekor_502_and_dropped_connection(sigstore_stack: SigstoreStack) -> None:
    rekor = sigstore_stack.faults.rekor
    rekor.fail(502, method="POST")
    with pytest.raises(RekorClientError, match="502"):
        _sign(sigstore_stack)
    rekor.drop(method="POST")
    with pytest.raises(requests.ConnectionError):
        _sign(sigstore_stack)
    assert [r.status for r in rekor.requests] == [502, None]
    _verifier(sigstore_stack).verify_artifact(ARTIFACT, _sign(sigstore_stack), _identity())


def test_ct_log_outage_makes_fulcio_fail(sigstore_stack: SigstoreStack) -> None:
    sigstore_stack.faults.ct.fail(503)
    with pytest.raises(FulcioClientError):
        _sign(sigstore_stack)
    assert [r.status for r in sigstore_stack.faults.fulcio.requests] == [500]
    assert [r.status for r in sigstore_stack.faults.ct.requests] == [503]


def test_injected_delay_trips_a_client_timeout(sigstore_stack: SigstoreStack) -> None:
    sigstore_stack.faults.rekor.delay(1.0, path="/api/v1/log")
    with pytest.raises(requests.Timeout):
        requests.get(f"{sigstore_stack.rekor_url}/api/v1/log", timeout=0.2)
    assert requests.get(f"{sigstore_stack.rekor_url}/api/v1/log", timeout=5).status_code == 200


def test_actions_token_request_api_answers_the_runtime_token(
    sigstore_stack: SigstoreStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sigstore.oidc import detect_credential

    url, request_token = sigstore_stack.actions_id_token_request(
        iss=GITHUB_ISSUER, repository="octo-org/octo-repo"
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", url)
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", request_token)
    token = detect_credential()  # the same client path as `id` in a real job
    assert token is not None and sigstore_stack.oidc.issued == [token]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == "sigstore" and claims["iss"] == GITHUB_ISSUER
    # Fulcio accepts it like a minted token: a signature under it verifies.
    _verifier(sigstore_stack).verify_artifact(
        ARTIFACT, _sign(sigstore_stack, token=token), _identity()
    )
    # No audience asked: GitHub's default, the owner's URL.
    answer = requests.get(url, headers={"Authorization": f"bearer {request_token}"}, timeout=5)
    assert jwt.decode(answer.json()["value"], options={"verify_signature": False})["aud"] == (
        "https://github.com/octo-org"
    )


def test_actions_token_request_api_refuses_another_runtime_token(
    sigstore_stack: SigstoreStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sigstore.oidc import IdentityError, detect_credential

    url, _ = sigstore_stack.actions_id_token_request(iss=GITHUB_ISSUER)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", url)
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "not-the-runtime-token")
    with pytest.raises(IdentityError, match="code=401"):
        detect_credential()
    sigstore_stack.reset()  # grants end with the test
    assert requests.get(url, headers={"Authorization": "bearer x"}, timeout=5).status_code == 401
    assert sigstore_stack.oidc.issued == []
