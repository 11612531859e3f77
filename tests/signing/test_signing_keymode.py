"""Key mode (MTF AI-03 5.2.2, PR-03 signed with a key): DSSE, bundles v0.3, verification."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sigstore.models import Bundle, InvalidBundle

from mtf_action.errors import InvalidInputError
from mtf_action.signing.dsse import DsseEnvelope, pae, sign_envelope, verify_envelope
from mtf_action.signing.intoto import build_statement
from mtf_action.signing.keys import PrivateKey, key_fingerprint, key_hint
from mtf_action.signing.signers import KeySigner, NoneSigner, UnsignedError
from mtf_action.signing.verify import VerificationFailure, verify_statement
from mtf_action.signing.verify_key import KeyVerifier

ACCEPTED = ["ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-4096"]
ARTIFACT = b"PK\x03\x04 pretend this is srv-1.0.0.mcpb"
DIGEST = hashlib.sha256(ARTIFACT).hexdigest()


def _statement(sha256: str = DIGEST) -> object:
    return build_statement(
        name="srv-1.0.0.mcpb",
        sha256=sha256,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate={"n": 1},
    )


def test_dsse_pae_matches_the_spec_example() -> None:
    # DSSE protocol.md test vector.
    assert (
        pae("http://example.com/HelloWorld", b"hello world")
        == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_dsse_envelope_sign_verify_and_tamper(make_key: Callable[[str], PrivateKey]) -> None:
    key = make_key("ecdsa-p256")
    envelope = sign_envelope(key, "application/vnd.in-toto+json", b'{"a":1}', keyid="k1")
    assert verify_envelope(key.public_key(), envelope)
    assert envelope.to_json_dict()["signatures"] == [
        {"keyid": "k1", "sig": envelope.signatures[0].sig}
    ]
    tampered = envelope.model_copy(update={"payload": base64.b64encode(b'{"a":2}').decode()})
    assert not verify_envelope(key.public_key(), tampered)
    retyped = envelope.model_copy(update={"payload_type": "text/plain"})
    assert not verify_envelope(key.public_key(), retyped)  # PAE binds the type too
    assert not verify_envelope(make_key("ecdsa-p256").public_key(), envelope)
    with pytest.raises(ValueError, match="base64"):
        DsseEnvelope.model_validate(
            {"payloadType": "t", "payload": "%%%", "signatures": [{"sig": "AA=="}]}
        )


@pytest.mark.parametrize("name", ACCEPTED)
def test_key_mode_blob_round_trip(name: str, make_key: Callable[[str], PrivateKey]) -> None:
    key = make_key(name)
    signer = KeySigner(key)
    bundle = signer.sign_blob(ARTIFACT)
    document = json.loads(bundle)
    assert document["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
    assert document["verificationMaterial"] == {
        "publicKey": {"hint": key_hint(key.public_key())},
        "tlogEntries": [],
    }
    assert set(document) == {"mediaType", "verificationMaterial", "messageSignature"}
    check = KeyVerifier(key.public_key()).verify_blob(ARTIFACT, bundle)
    assert check.mode == "key" and check.transparency_log == "absent"
    assert check.signer_identity == signer.identity == key_fingerprint(key.public_key())


def test_p384_message_digest_uses_sha384_like_cosign(make_key: Callable[[str], PrivateKey]) -> None:
    document = json.loads(KeySigner(make_key("ecdsa-p384")).sign_blob(ARTIFACT))
    digest = document["messageSignature"]["messageDigest"]
    assert digest == {
        "algorithm": "SHA2_384",
        "digest": base64.b64encode(hashlib.sha384(ARTIFACT).digest()).decode(),
    }


@pytest.mark.parametrize("name", ACCEPTED)
def test_key_mode_statement_round_trip(name: str, make_key: Callable[[str], PrivateKey]) -> None:
    key = make_key(name)
    bundle = KeySigner(key).sign_statement(_statement())  # type: ignore[arg-type]
    envelope = json.loads(bundle)["dsseEnvelope"]
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    verified = verify_statement(KeyVerifier(key.public_key()), bundle, artifact_sha256=DIGEST)
    assert verified.statement.only_subject.name == "srv-1.0.0.mcpb"
    assert verified.signature.key_fingerprint == key_fingerprint(key.public_key())


def test_key_mode_rejections(make_key: Callable[[str], PrivateKey]) -> None:
    key = make_key("ecdsa-p256")
    other = make_key("ecdsa-p256")
    signer = KeySigner(key)
    blob = signer.sign_blob(ARTIFACT)

    with pytest.raises(VerificationFailure) as wrong_key:
        KeyVerifier(other.public_key()).verify_blob(ARTIFACT, blob, source="b.json")
    assert wrong_key.value.check == "signature"
    assert "the bundle names another key" in str(wrong_key.value)

    changed = bytearray(ARTIFACT)
    changed[5] ^= 0x01
    with pytest.raises(VerificationFailure) as one_byte:
        KeyVerifier(key.public_key()).verify_blob(bytes(changed), blob)
    assert one_byte.value.check == "artifact"

    # Signature over different content under an honest digest: the signature check catches it.
    document = json.loads(blob)
    document["messageSignature"]["messageDigest"]["digest"] = base64.b64encode(
        hashlib.sha256(bytes(changed)).digest()
    ).decode()
    with pytest.raises(VerificationFailure) as forged:
        KeyVerifier(key.public_key()).verify_blob(bytes(changed), json.dumps(document).encode())
    assert forged.value.check == "signature"


def test_key_mode_dsse_rejections(make_key: Callable[[str], PrivateKey]) -> None:
    key = make_key("ed25519")
    bundle = KeySigner(key).sign_statement(_statement())  # type: ignore[arg-type]
    verifier = KeyVerifier(key.public_key())

    with pytest.raises(VerificationFailure) as other_artifact:
        verify_statement(
            verifier, bundle, artifact_sha256=hashlib.sha256(b"another bundle").hexdigest()
        )
    assert other_artifact.value.check == "subject"

    document = json.loads(bundle)
    statement = json.loads(base64.b64decode(document["dsseEnvelope"]["payload"]))
    statement["subject"][0]["digest"]["sha256"] = hashlib.sha256(b"x").hexdigest()
    document["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    with pytest.raises(VerificationFailure) as tampered:
        verify_statement(verifier, json.dumps(document).encode(), artifact_sha256=DIGEST)
    assert tampered.value.check == "signature"

    with pytest.raises(VerificationFailure) as wrong_type:
        verify_statement(
            verifier,
            bundle,
            artifact_sha256=DIGEST,
            predicate_type="https://mpak.dev/mtf/claim/v0.1",
        )
    assert wrong_type.value.check == "predicate-type"

    with pytest.raises(VerificationFailure, match="not a DSSE envelope"):
        verifier.verify_dsse(KeySigner(key).sign_blob(ARTIFACT))


def test_key_mode_bundle_is_refused_by_sigstore_python_bundle_loader(
    make_key: Callable[[str], PrivateKey],
) -> None:
    # Documented in keybundle.py: sigstore-python needs a certificate and one log entry,
    # so key-mode bundles are verified by our KeyVerifier (or cosign --key).
    with pytest.raises(InvalidBundle, match="expected certificate in bundle"):
        Bundle.from_json(KeySigner(make_key("ecdsa-p256")).sign_blob(ARTIFACT))


def test_key_verifier_refuses_keyless_bundles(
    sigstore_data: Path, make_key: Callable[[str], PrivateKey]
) -> None:
    bundle = (sigstore_data / "sigstore-python" / "bundle_v3_github.whl.sigstore").read_bytes()
    with pytest.raises(InvalidInputError, match="Fulcio certificate, not a key"):
        KeyVerifier(make_key("ecdsa-p256").public_key()).verify_blob(b"", bundle)


def test_none_signer_signs_nothing() -> None:
    signer = NoneSigner()
    assert signer.identity == "unsigned" and not signer.signed
    with pytest.raises(UnsignedError):
        signer.sign_blob(b"x")


# -- the real conformance cases: key-based bundles that also carry a Rekor entry ---------------
CONFORMANCE = Path("conformance") / "bundle-verify"


def test_conformance_managed_key_happy_path(sigstore_data: Path, production_root: Path) -> None:
    case = sigstore_data / CONFORMANCE / "managed-key-happy-path"
    artifact = (sigstore_data / CONFORMANCE / "a.txt").read_bytes()
    bundle = (case / "bundle.sigstore.json").read_bytes()
    # With the production trusted root, its Rekor entry (inclusion proof, checkpoint, SET) verifies.
    check = KeyVerifier.from_files(case / "key.pub", trusted_root=production_root).verify_blob(
        artifact, bundle
    )
    assert check.transparency_log == "verified" and check.log_index == 771488337
    # Without a trusted root, the entry is reported as not checked, never as verified.
    assert (
        KeyVerifier.from_files(case / "key.pub").verify_blob(artifact, bundle).transparency_log
        == "not-checked"
    )
    with pytest.raises(VerificationFailure) as changed:
        KeyVerifier.from_files(case / "key.pub").verify_blob(artifact + b"\n", bundle)
    assert changed.value.check == "artifact"


def test_conformance_managed_key_and_trusted_root(
    sigstore_data: Path, production_root: Path
) -> None:
    case = sigstore_data / CONFORMANCE / "managed-key-and-trusted-root"
    artifact = (sigstore_data / CONFORMANCE / "a.txt").read_bytes()
    bundle = (case / "bundle.sigstore.json").read_bytes()
    own = KeyVerifier.from_files(case / "key.pub", trusted_root=case / "trusted_root.json")
    assert own.verify_blob(artifact, bundle).transparency_log == "verified"
    # Its log is not the production one: the production root must not vouch for the entry.
    with pytest.raises(VerificationFailure) as other_root:
        KeyVerifier.from_files(case / "key.pub", trusted_root=production_root).verify_blob(
            artifact, bundle
        )
    assert other_root.value.check == "transparency-log"


def test_conformance_managed_key_wrong_key_fail(
    sigstore_data: Path, make_key: Callable[[str], PrivateKey]
) -> None:
    case = sigstore_data / CONFORMANCE / "managed-key-wrong-key_fail"
    artifact = (sigstore_data / CONFORMANCE / "a.txt").read_bytes()
    # The case's key.pub is a corrupted PEM: unreadable input, refused before any check.
    with pytest.raises(InvalidInputError, match="not a PEM public key"):
        KeyVerifier.from_files(case / "key.pub")
    # And a well-formed but different key does not verify the bundle.
    with pytest.raises(VerificationFailure) as wrong:
        KeyVerifier(make_key("ecdsa-p256").public_key()).verify_blob(
            artifact, (case / "bundle.sigstore.json").read_bytes()
        )
    assert wrong.value.check == "signature"
