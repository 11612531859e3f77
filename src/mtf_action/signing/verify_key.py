"""Key-mode verification: bundles signed with a long-lived key (MTF 5.2.2).

The trust anchor is the public key the verifier supplies; the bundle's
``publicKey.hint`` is unauthenticated and only used to explain a failure.

Our own key-mode bundles carry no transparency-log entry (air-gapped builds),
and the result says so (``transparency_log="absent"``). Bundles from other
tools may carry one (``cosign sign-blob --key`` with Rekor upload: the
conformance ``managed-key-*`` cases). Given a trusted root, such an entry is
verified: its ``hashedrekord`` body must name this key, this signature and this
artifact's digest, and its inclusion proof, checkpoint and SET must verify
under the trusted root's Rekor keys (sigstore-python's own log-entry checks).
Without a trusted root the entry is reported as ``not-checked``, never as
verified. A key's validity has no time window, so RFC 3161 timestamps are not
needed to establish one and are not checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives import serialization
from sigstore._internal.trust import KeyringPurpose
from sigstore.errors import Error as SigstoreError
from sigstore.errors import VerificationError
from sigstore.models import InvalidBundle, TrustedRoot
from sigstore.models import TransparencyLogEntry as SigstoreLogEntry
from sigstore_models.rekor.v1 import TransparencyLogEntry

from mtf_action.signing.canonical import load_strict_json
from mtf_action.signing.dsse import verify_envelope
from mtf_action.signing.keybundle import KeyBundle, parse_key_bundle
from mtf_action.signing.keys import (
    PublicKey,
    key_fingerprint,
    key_hint,
    load_public_key,
    public_key_der,
    verify_bytes,
)
from mtf_action.signing.trust import load_trusted_root_file
from mtf_action.signing.verify import SignatureCheck, VerificationFailure

LogStatus = Literal["verified", "absent", "not-checked"]
# messageDigest algorithms we can recompute; others are informational only (the
# signature over the artifact is what is verified).
_DIGESTS = {"SHA2_256": hashlib.sha256, "SHA2_384": hashlib.sha384, "SHA2_512": hashlib.sha512}


def _hashedrekord_fields(entry: TransparencyLogEntry) -> tuple[str, bytes, bytes]:
    """(artifact sha256 hex, signature, public key DER) recorded in a hashedrekord 0.0.1 body."""
    body = load_strict_json(entry.canonicalized_body)
    try:
        spec = body["spec"]
        digest = spec["data"]["hash"]
        if digest["algorithm"] != "sha256":
            raise ValueError(f"artifact hash algorithm {digest['algorithm']}")
        signature = base64.b64decode(spec["signature"]["content"], validate=True)
        pem = base64.b64decode(spec["signature"]["publicKey"]["content"], validate=True)
        key = serialization.load_pem_public_key(pem)
        der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return str(digest["value"]), signature, der
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise VerificationFailure(
            "transparency-log", f"malformed hashedrekord entry body ({exc})"
        ) from None


class KeyVerifier:
    """Verifies key-mode bundles against one trusted public key."""

    def __init__(self, public_key: PublicKey, *, trusted_root: TrustedRoot | None = None) -> None:
        self._key = public_key
        self._trusted_root = trusted_root

    @classmethod
    def from_files(
        cls, public_key: str | Path, *, trusted_root: str | Path | None = None
    ) -> KeyVerifier:
        root = load_trusted_root_file(Path(trusted_root)) if trusted_root is not None else None
        return cls(load_public_key(public_key), trusted_root=root)

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self._key)

    def _signed_by_other(self, parsed: KeyBundle) -> str:
        if parsed.hint and parsed.hint != key_hint(self._key):
            return f"; the bundle names another key (hint {parsed.hint})"
        return ""

    def _check_log(
        self,
        parsed: KeyBundle,
        *,
        artifact_sha256: str,
        signature: bytes,
        source: str | Path | None,
    ) -> LogStatus:
        if not parsed.tlog_entries:
            return "absent"
        if self._trusted_root is None:
            return "not-checked"
        for entry in parsed.tlog_entries:
            kind = f"{entry.kind_version.kind}/{entry.kind_version.version}"
            if kind != "hashedrekord/0.0.1":
                raise VerificationFailure(
                    "transparency-log",
                    f"log entries of kind {kind} are not supported in key mode",
                    path=source,
                )
            digest, logged_signature, logged_key = _hashedrekord_fields(entry)
            if (digest, logged_signature, logged_key) != (
                artifact_sha256,
                signature,
                public_key_der(self._key),
            ):
                raise VerificationFailure(
                    "transparency-log",
                    "log entry is inconsistent with the artifact, signature or key",
                    path=source,
                )
            try:
                SigstoreLogEntry(entry)._verify(
                    self._trusted_root.rekor_keyring(KeyringPurpose.VERIFY)
                )
            except (VerificationError, InvalidBundle, SigstoreError, ValueError) as exc:
                raise VerificationFailure(
                    "transparency-log", " ".join(str(exc).split()), path=source
                ) from None
        return "verified"

    def _result(self, transparency_log: LogStatus, parsed: KeyBundle) -> SignatureCheck:
        entry = (
            parsed.tlog_entries[0]
            if parsed.tlog_entries and transparency_log == "verified"
            else None
        )
        return SignatureCheck(
            mode="key",
            signer_identity=self.fingerprint,
            key_fingerprint=self.fingerprint,
            transparency_log=transparency_log,
            log_index=entry.log_index if entry else None,
        )

    def verify_blob(
        self, data: bytes, bundle: bytes, *, source: str | Path | None = None
    ) -> SignatureCheck:
        parsed = parse_key_bundle(bundle, source=source)
        if parsed.signature is None:
            raise VerificationFailure(
                "bundle", "bundle holds a DSSE envelope, not a message signature", path=source
            )
        recorded = parsed.message_digest
        hasher = _DIGESTS.get(recorded[0]) if recorded else None
        if recorded is not None and hasher is not None and hasher(data).digest() != recorded[1]:
            raise VerificationFailure(
                "artifact",
                f"the artifact's {recorded[0]} digest differs from the one recorded in the bundle",
                path=source,
            )
        if not verify_bytes(self._key, parsed.signature, data):
            raise VerificationFailure(
                "signature",
                f"signature does not verify with key {self.fingerprint}{self._signed_by_other(parsed)}",
                path=source,
            )
        log = self._check_log(
            parsed,
            artifact_sha256=hashlib.sha256(data).hexdigest(),
            signature=parsed.signature,
            source=source,
        )
        return self._result(log, parsed)

    def verify_dsse(
        self, bundle: bytes, *, source: str | Path | None = None
    ) -> tuple[str, bytes, SignatureCheck]:
        parsed = parse_key_bundle(bundle, source=source)
        envelope = parsed.envelope
        if envelope is None:
            raise VerificationFailure(
                "bundle", "bundle holds a message signature, not a DSSE envelope", path=source
            )
        if not verify_envelope(self._key, envelope):
            raise VerificationFailure(
                "signature",
                f"DSSE signature does not verify with key {self.fingerprint}{self._signed_by_other(parsed)}",
                path=source,
            )
        if parsed.tlog_entries and self._trusted_root is not None:
            raise VerificationFailure(
                "transparency-log",
                "log entries of key-mode DSSE bundles are not supported",
                path=source,
            )
        log: LogStatus = "not-checked" if parsed.tlog_entries else "absent"
        return envelope.payload_type, envelope.payload_bytes, self._result(log, parsed)
