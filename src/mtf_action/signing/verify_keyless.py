"""Keyless verification with sigstore-python's ``Verifier`` and our identity policies.

sigstore-python checks, in order: a verified signing time (Rekor integrated time
with its SET, or RFC 3161 timestamps), the certificate chain to the trusted
root's Fulcio CAs at that time, the embedded SCT against the CT log keys, the
code-signing key usage, the identity policy, the Rekor inclusion proof and
checkpoint (and SET), that the time lies within the certificate's validity,
the signature, and that the log entry matches the bundle. Its
``VerificationError`` messages are mapped to our ``check`` names so the user
learns which of these failed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sigstore.errors import CertValidationError, VerificationError
from sigstore.errors import Error as SigstoreError
from sigstore.models import Bundle, InvalidBundle, TrustedRoot
from sigstore.verify import Verifier
from sigstore.verify.policy import VerificationPolicy

from mtf_action.errors import InvalidInputError
from mtf_action.signing.policy import (
    OID_BUILD_SIGNER_URI,
    OID_RUN_INVOCATION_URI,
    OID_SOURCE_REPOSITORY_DIGEST,
    OID_SOURCE_REPOSITORY_REF,
    OID_SOURCE_REPOSITORY_URI,
    IdentityRequirement,
    PolicyMismatch,
    build_policy,
    certificate_issuer,
    certificate_sans,
    extension_text,
)
from mtf_action.signing.trust import VerifyTrust, verification_trusted_root
from mtf_action.signing.verify import SignatureCheck, VerificationFailure

# Substrings of sigstore-python 4.x VerificationError messages -> our check names.
_MESSAGE_CHECKS: tuple[tuple[str, str], ...] = (
    ("message digest mismatch", "artifact"),
    ("signature is invalid", "signature"),
    ("dsse: invalid signature", "signature"),
    ("dsse: exactly", "signature"),
    ("sct", "certificate"),
    ("expired at time of signing", "certificate"),
    ("key usage", "certificate"),
    ("extended usage", "certificate"),
    ("not enough sources of verified time", "timestamp"),
    ("timestamp", "timestamp"),
    ("log entry", "transparency-log"),
    ("inclusion", "transparency-log"),
    ("checkpoint", "transparency-log"),
    ("integrated time", "transparency-log"),
    ("sans do not match", "identity"),
)


def _failure(exc: VerificationError, source: str | Path | None) -> VerificationFailure:
    check = classify(exc)
    text = " ".join(str(exc).split())
    if check == "artifact":
        text = f"the artifact differs from what was signed ({text})"
    return VerificationFailure(check, text, path=source)


def classify(exc: VerificationError) -> str:
    """The check a sigstore ``VerificationError`` stands for."""
    if isinstance(exc, PolicyMismatch):
        return exc.check
    if isinstance(exc, CertValidationError):
        return "certificate"
    text = str(exc).lower()
    for needle, check in _MESSAGE_CHECKS:
        if needle in text:
            return check
    return "signature"


def load_bundle(data: bytes, *, source: str | Path | None = None) -> Bundle:
    """A sigstore ``Bundle``; malformed JSON is unreadable input, broken invariants a failure."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"not a Sigstore bundle: not JSON ({exc})", path=source) from None
    material = raw.get("verificationMaterial") if isinstance(raw, dict) else None
    if isinstance(material, dict) and "publicKey" in material:
        raise VerificationFailure(
            "bundle",
            "bundle is signed with a key, not a Fulcio certificate: verify it with --key",
            path=source,
        )
    try:
        return Bundle.from_json(data)
    except InvalidBundle as exc:
        raise VerificationFailure("bundle", " ".join(str(exc).split()), path=source) from None


def describe_certificate(bundle: Bundle) -> SignatureCheck:
    cert = bundle.signing_certificate
    entry = bundle.log_entry._inner
    sans = certificate_sans(cert)
    return SignatureCheck(
        mode="sigstore",
        signer_identity=sans[0] if sans else "(no SAN)",
        issuer=certificate_issuer(cert),
        source_repository=extension_text(cert, OID_SOURCE_REPOSITORY_URI),
        source_ref=extension_text(cert, OID_SOURCE_REPOSITORY_REF),
        source_digest=extension_text(cert, OID_SOURCE_REPOSITORY_DIGEST),
        build_signer_uri=extension_text(cert, OID_BUILD_SIGNER_URI),
        run_invocation_uri=extension_text(cert, OID_RUN_INVOCATION_URI),
        transparency_log="verified",
        log_index=entry.log_index,
        integrated_time=datetime.fromtimestamp(entry.integrated_time, UTC)
        if entry.integrated_time
        else None,
    )


class KeylessVerifier:
    """Fulcio-certificate bundles under one trusted root and one identity policy."""

    def __init__(self, trusted_root: TrustedRoot, policy: VerificationPolicy) -> None:
        try:
            self._verifier = Verifier(trusted_root=trusted_root)
        except SigstoreError as exc:
            raise InvalidInputError(f"unusable trusted root: {exc}") from None
        self._policy = policy

    @classmethod
    def from_options(cls, trust: VerifyTrust, requirement: IdentityRequirement) -> KeylessVerifier:
        policy = build_policy(requirement)  # usage errors before any network access
        return cls(verification_trusted_root(trust), policy)

    def verify_blob(
        self, data: bytes, bundle: bytes, *, source: str | Path | None = None
    ) -> SignatureCheck:
        loaded = load_bundle(bundle, source=source)
        if loaded._inner.message_signature is None:
            raise VerificationFailure(
                "bundle", "bundle holds a DSSE envelope, not a message signature", path=source
            )
        try:
            self._verifier.verify_artifact(input_=data, bundle=loaded, policy=self._policy)
        except VerificationError as exc:
            raise _failure(exc, source) from None
        return describe_certificate(loaded)

    def verify_dsse(
        self, bundle: bytes, *, source: str | Path | None = None
    ) -> tuple[str, bytes, SignatureCheck]:
        loaded = load_bundle(bundle, source=source)
        if loaded._inner.dsse_envelope is None:
            raise VerificationFailure(
                "bundle", "bundle holds a message signature, not a DSSE envelope", path=source
            )
        try:
            payload_type, payload = self._verifier.verify_dsse(bundle=loaded, policy=self._policy)
        except VerificationError as exc:
            raise _failure(exc, source) from None
        return payload_type, payload, describe_certificate(loaded)
