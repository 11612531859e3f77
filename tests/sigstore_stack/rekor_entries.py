"""Rekor v1 entry types: check a proposed entry and produce its canonical body.

hashedrekord 0.0.1 (Rekor `pkg/types/hashedrekord/v0.0.1`): the signature must verify over the
given digest with the key (or the certificate's key); the canonical body keeps
``data.hash`` and ``signature.{content, publicKey.content}``, the key re-encoded as PEM.

dsse 0.0.1 (Rekor `pkg/types/dsse/v0.0.1`): proposed as ``proposedContent = {envelope: the
envelope JSON as a string, verifiers: [base64 PEM]}``; every envelope signature must verify
over PAE(payloadType, payload) with one of the verifiers; the canonical body records
``envelopeHash`` (SHA-256 of the envelope string as sent), ``payloadHash`` (SHA-256 of the
decoded payload) and the signatures sorted by signature, each with its verifier.

Canonical bodies are serialized with RFC 8785 (JCS), as Rekor does before storing a leaf.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .keys import PublicKey, public_pem, verify_digest, verify_message
from .server import HttpError

_DIGESTS: dict[str, tuple[hashes.HashAlgorithm, int]] = {
    "sha256": (hashes.SHA256(), 64),
    "sha384": (hashes.SHA384(), 96),
    "sha512": (hashes.SHA512(), 128),
}


def canonical_body(proposed: Any) -> bytes:
    """Validate a proposed entry and return the leaf Rekor stores for it."""
    if not isinstance(proposed, dict):
        raise HttpError(400, "the proposed entry must be a JSON object")
    kind, version, spec = proposed.get("kind"), proposed.get("apiVersion"), proposed.get("spec")
    if not isinstance(spec, dict):
        raise HttpError(400, "the proposed entry has no spec")
    try:
        if (kind, version) == ("hashedrekord", "0.0.1"):
            canonical = _hashedrekord(spec)
        elif (kind, version) == ("dsse", "0.0.1"):
            canonical = _dsse(spec)
        else:
            raise HttpError(400, f"unsupported entry type {kind}/{version}")
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise HttpError(400, f"malformed {kind} entry: {exc}") from exc
    return rfc8785.dumps({"apiVersion": version, "kind": kind, "spec": canonical})


def _hashedrekord(spec: dict[str, Any]) -> dict[str, Any]:
    algorithm = spec["data"]["hash"]["algorithm"]
    value = spec["data"]["hash"]["value"]
    if algorithm not in _DIGESTS:
        raise HttpError(400, f"unsupported hash algorithm {algorithm!r}")
    hash_alg, hex_len = _DIGESTS[algorithm]
    if len(value) != hex_len:
        raise HttpError(400, f"{algorithm} digest must be {hex_len} hex characters")
    digest = bytes.fromhex(value)
    signature = base64.b64decode(spec["signature"]["content"], validate=True)
    pem = base64.b64decode(spec["signature"]["publicKey"]["content"], validate=True)
    key, canonical_pem = _load_verifier(pem)
    if not verify_digest(key, signature, digest, hash_alg):
        raise HttpError(400, "verifying signature: invalid signature when validating ASN.1")
    return {
        "data": {"hash": {"algorithm": algorithm, "value": value.lower()}},
        "signature": {
            "content": base64.b64encode(signature).decode(),
            "publicKey": {"content": base64.b64encode(canonical_pem).decode()},
        },
    }


def _dsse(spec: dict[str, Any]) -> dict[str, Any]:
    # The server computes envelopeHash, payloadHash and signatures; a client may send them
    # only as null (rekor-types serializes unset fields that way), never with values.
    if any(spec.get(k) is not None for k in ("envelopeHash", "payloadHash", "signatures")):
        raise HttpError(400, "a new dsse entry carries proposedContent only")
    envelope_text: str = spec["proposedContent"]["envelope"]
    envelope = json.loads(envelope_text)
    payload = base64.b64decode(envelope["payload"], validate=True)
    pae = _pae(envelope["payloadType"], payload)
    verifiers = [
        _load_verifier(base64.b64decode(v, validate=True))
        for v in spec["proposedContent"]["verifiers"]
    ]
    signatures = []
    for sig in envelope["signatures"]:
        raw = base64.b64decode(sig["sig"], validate=True)
        match = next((pem for key, pem in verifiers if verify_message(key, raw, pae)), None)
        if match is None:
            raise HttpError(400, "all signatures must have a key that verifies it")
        signatures.append({"signature": sig["sig"], "verifier": base64.b64encode(match).decode()})
    signatures.sort(key=lambda s: s["signature"])
    return {
        "envelopeHash": {"algorithm": "sha256", "value": _sha256(envelope_text.encode())},
        "payloadHash": {"algorithm": "sha256", "value": _sha256(payload)},
        "signatures": signatures,
    }


def _pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: "DSSEv1 <len> <type> <len> <body>"."""
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(payload), payload)


def _load_verifier(pem: bytes) -> tuple[PublicKey, bytes]:
    """A certificate or public key PEM, and its canonical PEM (Rekor's CanonicalValue)."""
    if b"CERTIFICATE" in pem:
        cert = x509.load_pem_x509_certificate(pem)
        key: object = cert.public_key()
        canonical = cert.public_bytes(serialization.Encoding.PEM)
    else:
        key = serialization.load_pem_public_key(pem)
        canonical = b""
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey | ed25519.Ed25519PublicKey):
        raise HttpError(400, "unsupported verifier key type")
    return key, canonical or public_pem(key)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
