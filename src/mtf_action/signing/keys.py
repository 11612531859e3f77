"""Long-lived signing keys (MTF AI-03, section 5.2.2): load, check, fingerprint, sign.

MTF accepts ECDSA P-256/P-384, Ed25519 and RSA with at least 4096 bits; RSA-2048
is explicitly not acceptable, and anything else (P-521, Ed448, DSA) is outside
the list, so it is refused too. One signature scheme per key type, the one the
Sigstore ``PublicKeyDetails`` name for it, so cosign and sigstore-go verify
our key-mode bundles the same way we do:

=============  =================================  ===========================
key            scheme                             Sigstore key details
=============  =================================  ===========================
ECDSA P-256    ECDSA, SHA-256, DER signature      PKIX_ECDSA_P256_SHA_256
ECDSA P-384    ECDSA, SHA-384, DER signature      PKIX_ECDSA_P384_SHA_384
Ed25519        pure Ed25519 over the message      PKIX_ED25519
RSA >= 4096    PKCS#1 v1.5, SHA-256               PKIX_RSA_PKCS1V15_4096_SHA256
=============  =================================  ===========================
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    PrivateKeyTypes,
    PublicKeyTypes,
)

from mtf_action.errors import InvalidInputError, UsageError

PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | rsa.RSAPublicKey

MIN_RSA_BITS = 4096
_ACCEPTED = "use ECDSA P-256/P-384, Ed25519 or RSA >= 4096"
_MAX_KEY_FILE = 64 * 1024  # a PEM key is a few KiB; anything bigger is not a key


def describe_key(key: PrivateKeyTypes | PublicKeyTypes) -> str:
    """A short human name for a key type: ``RSA-2048``, ``ECDSA P-256``, ``Ed25519``."""
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"ECDSA {names.get(key.curve.name, key.curve.name)}"
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "Ed25519"
    return type(key).__name__.removeprefix("_").replace("PrivateKey", "").replace("PublicKey", "")


def _acceptable(key: PrivateKeyTypes | PublicKeyTypes) -> bool:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return key.key_size >= MIN_RSA_BITS
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return isinstance(key.curve, ec.SECP256R1 | ec.SECP384R1)
    return isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey)


def check_acceptable_private(key: PrivateKeyTypes, *, path: str | Path) -> PrivateKey:
    """The key itself when MTF AI-03 accepts its algorithm, else a one-line error."""
    if _acceptable(key) and isinstance(
        key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
    ):
        return key
    raise InvalidInputError(
        f"{describe_key(key)} is not acceptable under MTF AI-03: {_ACCEPTED}", path=path
    )


def check_acceptable_public(key: PublicKeyTypes, *, path: str | Path) -> PublicKey:
    """The key itself when MTF AI-03 accepts its algorithm, else a one-line error."""
    if _acceptable(key) and isinstance(
        key, ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | rsa.RSAPublicKey
    ):
        return key
    raise InvalidInputError(
        f"{describe_key(key)} is not acceptable under MTF AI-03: {_ACCEPTED}", path=path
    )


def _read_pem(path: Path) -> bytes:
    try:
        if path.stat().st_size > _MAX_KEY_FILE:
            raise InvalidInputError("too large to be a PEM key", path=path)
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read key: {exc.strerror or exc}", path=path) from exc


def password_from_env(variable: str | None) -> bytes | None:
    """The key password held in environment variable ``variable`` (never on the command line)."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise UsageError(f"environment variable {variable} (the key password) is not set or empty")
    return value.encode()


def load_private_key(path: str | Path, *, password_env: str | None = None) -> PrivateKey:
    """Load a PEM private key (optionally encrypted) and check MTF accepts its algorithm."""
    path = Path(path)
    data = _read_pem(path)
    password = password_from_env(password_env)
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError as exc:  # encrypted without a password, or a password for a plain key
        if password is None:
            raise InvalidInputError(
                "the private key is encrypted: name the environment variable that holds "
                "its password (--password-env)",
                path=path,
            ) from exc
        raise InvalidInputError(
            "the private key is not encrypted but a password was given", path=path
        ) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        reason = "wrong password or not a PEM private key" if password else "not a PEM private key"
        raise InvalidInputError(reason, path=path) from exc
    return check_acceptable_private(key, path=path)


def load_public_key(path: str | Path) -> PublicKey:
    """Load a PEM public key (SubjectPublicKeyInfo) and check MTF accepts its algorithm."""
    path = Path(path)
    data = _read_pem(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidInputError("not a PEM public key", path=path) from exc
    return check_acceptable_public(key, path=path)


def public_key_der(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_pem(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_fingerprint(key: PublicKey) -> str:
    """``sha256:<hex>`` of the DER SubjectPublicKeyInfo: the signer identity in key mode."""
    return "sha256:" + hashlib.sha256(public_key_der(key)).hexdigest()


def key_hint(key: PublicKey) -> str:
    """The same digest in standard base64: what cosign writes as ``publicKey.hint``."""
    return base64.b64encode(hashlib.sha256(public_key_der(key)).digest()).decode()


def _ec_hash(curve: ec.EllipticCurve) -> hashes.HashAlgorithm:
    return hashes.SHA384() if isinstance(curve, ec.SECP384R1) else hashes.SHA256()


def message_digest(key: PrivateKey | PublicKey, data: bytes) -> tuple[str, bytes]:
    """The bundle's ``messageDigest`` (protobuf-specs algorithm name, digest) for ``data``.

    The digest uses the hash of the key's scheme, as cosign records it (SHA-384 for
    P-384, SHA-256 otherwise; Ed25519 signs the message itself).
    """
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and isinstance(
        key.curve, ec.SECP384R1
    ):
        return "SHA2_384", hashlib.sha384(data).digest()
    return "SHA2_256", hashlib.sha256(data).digest()


def sign_bytes(key: PrivateKey, data: bytes) -> bytes:
    """Sign ``data`` with the scheme fixed for this key type (module docstring)."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(_ec_hash(key.curve)))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def verify_bytes(key: PublicKey, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` over ``data`` verifies under ``key``'s scheme."""
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(_ec_hash(key.curve)))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        else:
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
