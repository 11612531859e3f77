"""Sigstore bundles v0.3 signed with a long-lived key (key mode, air-gapped builds).

Shape (protobuf-specs ``sigstore.bundle.v1.Bundle``, JSON form)::

    {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
     "verificationMaterial": {"publicKey": {"hint": "<base64 sha256 of DER SPKI>"},
                              "tlogEntries": []},
     "messageSignature": {"messageDigest": {"algorithm": "SHA2_256", "digest": "..."},
                          "signature": "..."}}      # or "dsseEnvelope": {...}

This is what ``cosign sign-blob --key K --new-bundle-format --tlog-upload=false``
writes (cosign PR #3796); cosign verifies it with ``cosign verify-blob --key K.pub
--bundle B --new-bundle-format --insecure-ignore-tlog=true --use-signed-timestamps=false``.
The hint is computed as cosign computes it, and it is only a hint: verification
uses the public key the verifier supplies.

``sigstore.models.Bundle.from_json`` refuses such bundles (sigstore-python
requires a signing certificate and exactly one log entry), so documents are built
and read with ``sigstore_models.bundle.v1.Bundle``, the pydantic mirror of the
protobuf-specs that sigstore-python itself is built on, and verified by
:mod:`mtf_action.signing.verify`. The protobuf-specs mark ``messageDigest`` as
informational; the signature is over the artifact itself, with the scheme of
:mod:`mtf_action.signing.keys`, and ``messageDigest`` uses that scheme's hash
(SHA-384 for P-384 keys), as cosign writes it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sigstore_models.bundle.v1 import Bundle as BundleDocument
from sigstore_models.rekor.v1 import TransparencyLogEntry

from mtf_action.errors import InvalidInputError
from mtf_action.signing.dsse import DsseEnvelope, DsseSignature

BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _to_json(document: dict[str, object]) -> bytes:
    # Validate through the protobuf-specs model so we only ever emit what it accepts
    # (in JSON mode: the model is strict, so enums arrive as their JSON strings).
    return BundleDocument.from_json(json.dumps(document)).to_json().encode()


def message_signature_bundle(
    *, hint: str, digest_algorithm: str, digest: bytes, signature: bytes
) -> bytes:
    """A key-mode bundle over a blob (``messageSignature``, no transparency-log entry)."""
    return _to_json(
        {
            "mediaType": BUNDLE_V03,
            "verificationMaterial": {"publicKey": {"hint": hint}, "tlogEntries": []},
            "messageSignature": {
                "messageDigest": {"algorithm": digest_algorithm, "digest": _b64(digest)},
                "signature": _b64(signature),
            },
        }
    )


def dsse_bundle(*, hint: str, envelope: DsseEnvelope) -> bytes:
    """A key-mode bundle carrying a DSSE envelope (no transparency-log entry)."""
    return _to_json(
        {
            "mediaType": BUNDLE_V03,
            "verificationMaterial": {"publicKey": {"hint": hint}, "tlogEntries": []},
            "dsseEnvelope": envelope.to_json_dict(),
        }
    )


@dataclass(frozen=True)
class KeyBundle:
    """A parsed key-mode bundle: exactly one of ``signature`` / ``envelope`` is set."""

    hint: str | None
    signature: bytes | None
    message_digest: tuple[str, bytes] | None  # (protobuf-specs algorithm, digest)
    envelope: DsseEnvelope | None
    tlog_entries: list[TransparencyLogEntry]
    timestamps: int


def parse_key_bundle(data: bytes, *, source: str | Path | None = None) -> KeyBundle:
    """Read a bundle signed with a public key; keyless (certificate) bundles are refused."""
    try:
        document = BundleDocument.from_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(root)"
        raise InvalidInputError(
            f"not a Sigstore bundle: {where}: {first['msg']}", path=source
        ) from exc
    material = document.verification_material
    if material.public_key is None:
        raise InvalidInputError(
            "bundle is signed with a Fulcio certificate, not a key: verify it with an identity "
            "policy (--repository or --identity), not --key",
            path=source,
        )
    envelope = None
    signature = digest = None
    if document.dsse_envelope is not None:
        inner = document.dsse_envelope
        envelope = DsseEnvelope(
            payload_type=inner.payload_type,
            payload=_b64(inner.payload),
            signatures=[DsseSignature(keyid=s.keyid, sig=_b64(s.sig)) for s in inner.signatures],
        )
    elif document.message_signature is not None:
        signature = document.message_signature.signature
        md = document.message_signature.message_digest
        if md is not None:
            digest = (md.algorithm.value, md.digest)
    timestamps = material.timestamp_verification_data
    return KeyBundle(
        hint=material.public_key.hint,
        signature=signature,
        message_digest=digest,
        envelope=envelope,
        tlog_entries=list(material.tlog_entries),
        timestamps=len(timestamps.rfc3161_timestamps) if timestamps else 0,
    )
