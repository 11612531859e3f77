"""One interface for the three signing modes of issue 4: sigstore, key and none.

A :class:`Signer` turns bytes into a Sigstore bundle (JSON bytes):

* ``sign_blob(data)``: a ``messageSignature`` bundle over ``data`` (the MTF AI-03
  payload, any file);
* ``sign_statement(statement)``: a ``dsseEnvelope`` bundle whose payload is the
  in-toto statement (SLSA provenance, the MTF claim, the SBOM attestation).

Signers are context managers so that a keyless signer can hold one Fulcio
certificate for all the signatures of a release and drop it afterwards.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

from mtf_action.signing.dsse import sign_envelope
from mtf_action.signing.intoto import INTOTO_PAYLOAD_TYPE, Statement
from mtf_action.signing.keybundle import dsse_bundle, message_signature_bundle
from mtf_action.signing.keys import (
    PrivateKey,
    describe_key,
    key_fingerprint,
    key_hint,
    load_private_key,
    message_digest,
    sign_bytes,
)

SigningMode = Literal["sigstore", "key", "none"]


class UnsignedError(RuntimeError):
    """Asked a :class:`NoneSigner` for a signature: a programming error, not user input."""


class Signer(ABC):
    """Produces Sigstore bundles; ``identity`` is what the MTF payload records as signer."""

    mode: SigningMode

    @property
    @abstractmethod
    def identity(self) -> str:
        """OIDC identity URI (keyless), ``sha256:<hex>`` key fingerprint, or ``unsigned``."""

    @abstractmethod
    def sign_blob(self, data: bytes) -> bytes:
        """A Sigstore bundle (JSON) with a message signature over ``data``."""

    @abstractmethod
    def sign_statement(self, statement: Statement) -> bytes:
        """A Sigstore bundle (JSON) with a DSSE envelope carrying ``statement``."""

    @property
    def signed(self) -> bool:
        return True

    def close(self) -> None:  # noqa: B027 - optional hook, a no-op for most signers
        """Release held credentials (the keyless certificate and key); idempotent."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class NoneSigner(Signer):
    """No signature at all; callers record "unsigned" and cap the verified level."""

    mode: SigningMode = "none"

    @property
    def identity(self) -> str:
        return "unsigned"

    @property
    def signed(self) -> bool:
        return False

    def sign_blob(self, data: bytes) -> bytes:
        raise UnsignedError("signing mode 'none' produces no signatures")

    def sign_statement(self, statement: Statement) -> bytes:
        raise UnsignedError("signing mode 'none' produces no signatures")


class KeySigner(Signer):
    """A long-lived key (MTF 5.2.2): bundles v0.3 with ``publicKey.hint``, no log entry."""

    mode: SigningMode = "key"

    def __init__(self, key: PrivateKey) -> None:
        self._key = key
        self._public = key.public_key()

    @classmethod
    def from_file(cls, path: str | Path, *, password_env: str | None = None) -> KeySigner:
        return cls(load_private_key(path, password_env=password_env))

    @property
    def identity(self) -> str:
        return key_fingerprint(self._public)

    @property
    def algorithm(self) -> str:
        return describe_key(self._public)

    def sign_blob(self, data: bytes) -> bytes:
        algorithm, digest = message_digest(self._key, data)
        return message_signature_bundle(
            hint=key_hint(self._public),
            digest_algorithm=algorithm,
            digest=digest,
            signature=sign_bytes(self._key, data),
        )

    def sign_statement(self, statement: Statement) -> bytes:
        envelope = sign_envelope(
            self._key, INTOTO_PAYLOAD_TYPE, statement.to_bytes(), keyid=self.identity
        )
        return dsse_bundle(hint=key_hint(self._public), envelope=envelope)
