"""DSSE v1 envelopes signed with a long-lived key (key mode of MTF AI-03 / PR-03).

The signature covers the Pre-Authentication Encoding, never the bare payload::

    PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body

with lengths as ASCII decimal byte counts (DSSE spec, ``protocol.md``). The JSON
shape (``payloadType``, base64 ``payload``, ``signatures[{keyid, sig}]``) is the
one Sigstore bundles embed as ``dsseEnvelope``, so an envelope converts to and
from the bundle field without translation. Keyless DSSE signing is done by
sigstore-python itself (``Signer.sign_dsse``); this module is for key mode.
"""

from __future__ import annotations

import base64
import binascii

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mtf_action.signing.keys import PrivateKey, PublicKey, sign_bytes, verify_bytes


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 Pre-Authentication Encoding of ``payload_type`` and ``payload``."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def _strict_b64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not standard base64") from exc
    return value


class DsseSignature(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    keyid: str | None = None
    sig: str = Field(min_length=1)

    @field_validator("sig")
    @classmethod
    def _check_sig(cls, value: str) -> str:
        return _strict_b64(value)

    @property
    def signature(self) -> bytes:
        return base64.b64decode(self.sig)


class DsseEnvelope(BaseModel):
    """A DSSE envelope as JSON (field names as in the spec and in Sigstore bundles)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    payload_type: str = Field(alias="payloadType", min_length=1)
    payload: str
    signatures: list[DsseSignature] = Field(min_length=1)

    @field_validator("payload")
    @classmethod
    def _check_payload(cls, value: str) -> str:
        return _strict_b64(value)

    @property
    def payload_bytes(self) -> bytes:
        return base64.b64decode(self.payload)

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def sign_envelope(
    key: PrivateKey, payload_type: str, payload: bytes, *, keyid: str | None = None
) -> DsseEnvelope:
    """One-signature envelope over ``PAE(payload_type, payload)``."""
    signature = sign_bytes(key, pae(payload_type, payload))
    return DsseEnvelope(
        payload_type=payload_type,
        payload=base64.b64encode(payload).decode(),
        signatures=[DsseSignature(keyid=keyid, sig=base64.b64encode(signature).decode())],
    )


def verify_envelope(key: PublicKey, envelope: DsseEnvelope) -> bool:
    """True when one of the envelope's signatures verifies under ``key``.

    ``keyid`` is an unauthenticated hint (DSSE spec), so it selects nothing: every
    signature is tried against the one key the caller trusts.
    """
    message = pae(envelope.payload_type, envelope.payload_bytes)
    return any(verify_bytes(key, s.signature, message) for s in envelope.signatures)
