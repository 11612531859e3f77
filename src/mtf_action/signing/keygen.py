"""Make a long-lived signing key pair for key mode (MTF AI-03, section 5.2.2).

The private key is written as PKCS#8 PEM with mode 0600 (encrypted with the
best available PEM encryption when a password is given), the public key as a
SubjectPublicKeyInfo PEM. Existing files are never overwritten: a lost key is
a nuisance, an overwritten release key is an incident.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from mtf_action.errors import InvalidInputError, UsageError
from mtf_action.signing.key_algorithms import KeyAlgorithm
from mtf_action.signing.keys import PrivateKey, key_fingerprint, public_key_pem

PRIVATE_KEY_NAME = "mtf-signing.key"
PUBLIC_KEY_NAME = "mtf-signing.pub"


@dataclass(frozen=True)
class KeyPairFiles:
    private_key: Path
    public_key: Path
    algorithm: KeyAlgorithm
    fingerprint: str
    encrypted: bool


def generate_private_key(algorithm: KeyAlgorithm) -> PrivateKey:
    if algorithm is KeyAlgorithm.ECDSA_P256:
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm is KeyAlgorithm.ECDSA_P384:
        return ec.generate_private_key(ec.SECP384R1())
    return ed25519.Ed25519PrivateKey.generate()


def _write_new(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL: refuse to replace a file that appeared since we checked.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)  # the umask must not widen or narrow what we promise
        os.write(fd, data)
    finally:
        os.close(fd)


def write_key_pair(
    output_dir: str | Path,
    algorithm: KeyAlgorithm = KeyAlgorithm.ECDSA_P256,
    *,
    password: bytes | None = None,
) -> KeyPairFiles:
    """Generate a key pair into ``output_dir`` (created if missing)."""
    output_dir = Path(output_dir)
    if password is not None and not password:
        raise UsageError("an empty key password is not a password")
    private_path = output_dir / PRIVATE_KEY_NAME
    public_path = output_dir / PUBLIC_KEY_NAME
    for existing in (private_path, public_path):
        if existing.exists() or existing.is_symlink():
            raise InvalidInputError("already exists; refusing to overwrite a key", path=existing)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(
            f"cannot create directory: {exc.strerror or exc}", path=output_dir
        ) from exc
    key = generate_private_key(algorithm)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public = key.public_key()
    try:
        _write_new(private_path, private_pem, 0o600)
        _write_new(public_path, public_key_pem(public), 0o644)
    except FileExistsError as exc:
        raise InvalidInputError(
            "already exists; refusing to overwrite a key", path=exc.filename
        ) from exc
    except OSError as exc:
        raise InvalidInputError(
            f"cannot write key: {exc.strerror or exc}", path=exc.filename
        ) from exc
    return KeyPairFiles(
        private_key=private_path,
        public_key=public_path,
        algorithm=algorithm,
        fingerprint=key_fingerprint(public),
        encrypted=password is not None,
    )
