"""Key helpers shared by the test services: log ids, key details, signatures."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey | ed25519.Ed25519PublicKey


def new_ec_key(curve: ec.EllipticCurve | None = None) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(curve or ec.SECP256R1())


def spki_der(key: PublicKeyTypes) -> bytes:
    """DER SubjectPublicKeyInfo: what `rawBytes` holds in a trusted root."""
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_pem(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(key: PublicKeyTypes) -> bytes:
    """SHA-256 of the DER SubjectPublicKeyInfo: the RFC 6962 LogID and Rekor's logID."""
    return hashlib.sha256(spki_der(key)).digest()


def key_details(key: PublicKey) -> str:
    """The protobuf-specs `PublicKeyDetails` name of a log key."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        names = {
            "secp256r1": "PKIX_ECDSA_P256_SHA_256",
            "secp384r1": "PKIX_ECDSA_P384_SHA_384",
            "secp521r1": "PKIX_ECDSA_P521_SHA_512",
        }
        return names[key.curve.name]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "PKIX_ED25519"
    return f"PKIX_RSA_PKCS1V15_{key.key_size}_SHA256"


def ec_hash(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> hashes.HashAlgorithm:
    """The hash a log signs with for its curve (P-256: SHA-256, P-384: SHA-384, ...)."""
    return {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}[key.curve.key_size]


def sign(key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """An ASN.1 DER ECDSA signature, as Rekor and CT logs produce them."""
    return key.sign(data, ec.ECDSA(ec_hash(key)))


def verify_message(key: PublicKey, signature: bytes, data: bytes) -> bool:
    """Verify a signature over a whole message (DSSE PAE, Fulcio proof of possession)."""
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def verify_digest(
    key: PublicKey, signature: bytes, digest: bytes, algorithm: hashes.HashAlgorithm
) -> bool:
    """Verify a signature over a precomputed digest (Rekor's hashedrekord)."""
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, digest, ec.ECDSA(Prehashed(algorithm)))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, digest, padding.PKCS1v15(), Prehashed(algorithm))
        else:
            return False  # Ed25519 cannot sign a bare digest (Rekor v1 refuses it too)
    except InvalidSignature:
        return False
    return True
