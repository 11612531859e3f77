"""Verifying Sigstore bundles: the common vocabulary and the in-toto statement checks.

Two verifiers implement :class:`BundleVerifier`: keyless
(:class:`~mtf_action.signing.verify_keyless.KeylessVerifier`, certificate chain,
SCT, Rekor inclusion and an identity policy) and key mode
(:class:`~mtf_action.signing.verify_key.KeyVerifier`, one trusted public key).

:func:`verify_statement` adds what sigstore-python's ``verify_dsse`` leaves to the
caller: the payload type must be in-toto, the payload must be a statement with
exactly one subject, and that subject's SHA-256 must be the artifact's.

Every failed check raises :class:`VerificationFailure` (exit 1) whose ``check``
names what failed (``signature``, ``identity``, ``subject``...) and whose message
is one line; unreadable input raises ``InvalidInputError`` (exit 3) and an
unreachable TUF repository ``RemoteServiceError`` (exit 4).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from mtf_action.errors import InvalidInputError, PolicyFailure
from mtf_action.signing.intoto import INTOTO_PAYLOAD_TYPE, Statement, parse_statement

Check = Literal[
    "bundle",
    "signature",
    "artifact",
    "certificate",
    "timestamp",
    "transparency-log",
    "identity",
    "issuer",
    "repository",
    "workflow",
    "ref",
    "payload-type",
    "statement",
    "subject",
    "predicate-type",
]


class VerificationFailure(PolicyFailure):
    """A signature or attestation check failed; ``check`` names which one."""

    def __init__(self, check: Check | str, message: str, *, path: str | Path | None = None) -> None:
        super().__init__(f"{check} check failed: {message}", path=path)
        self.check = check
        self.reason = message


class SignatureCheck(BaseModel):
    """What a successful verification established about the signer."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["sigstore", "key"]
    signer_identity: str
    issuer: str | None = None
    source_repository: str | None = None
    source_ref: str | None = None
    source_digest: str | None = None
    build_signer_uri: str | None = None
    run_invocation_uri: str | None = None
    key_fingerprint: str | None = None
    transparency_log: Literal["verified", "absent", "not-checked"]
    log_index: int | None = None
    integrated_time: datetime | None = None


class VerifiedStatement(BaseModel):
    """A DSSE bundle that verified, with its statement about the expected artifact."""

    model_config = ConfigDict(extra="forbid")

    signature: SignatureCheck
    statement: Statement


class BundleVerifier(Protocol):
    """Verifies Sigstore bundles against one trust anchor and identity requirement."""

    def verify_blob(
        self, data: bytes, bundle: bytes, *, source: str | Path | None = None
    ) -> SignatureCheck:
        """Check a ``messageSignature`` bundle over ``data``."""
        ...

    def verify_dsse(
        self, bundle: bytes, *, source: str | Path | None = None
    ) -> tuple[str, bytes, SignatureCheck]:
        """Check a ``dsseEnvelope`` bundle; returns payload type, payload and signer."""
        ...


def verify_statement(
    verifier: BundleVerifier,
    bundle: bytes,
    *,
    artifact_sha256: str,
    source: str | Path | None = None,
    predicate_type: str | None = None,
) -> VerifiedStatement:
    """Verify a DSSE bundle and that its single-subject statement is about this artifact."""
    payload_type, payload, check = verifier.verify_dsse(bundle, source=source)
    if payload_type != INTOTO_PAYLOAD_TYPE:
        raise VerificationFailure(
            "payload-type",
            f"DSSE payload type is {payload_type!r}, expected {INTOTO_PAYLOAD_TYPE!r}",
            path=source,
        )
    try:
        statement = parse_statement(payload, source=source)
    except InvalidInputError as exc:
        raise VerificationFailure("statement", exc.message, path=source) from None
    subject = statement.only_subject
    if subject.sha256 != artifact_sha256.lower():
        raise VerificationFailure(
            "subject",
            f"statement subject {subject.name!r} has sha256 {subject.sha256}, "
            f"but the artifact's sha256 is {artifact_sha256.lower()}",
            path=source,
        )
    if predicate_type is not None and statement.predicate_type != predicate_type:
        raise VerificationFailure(
            "predicate-type",
            f"predicate type is {statement.predicate_type!r}, expected {predicate_type!r}",
            path=source,
        )
    return VerifiedStatement(signature=check, statement=statement)
