"""in-toto Statement v1 with exactly one subject (MTF PR-03, section 5.3; issue 4).

One subject per statement: a verifier that accepts "one of N subjects matches"
invites confused-deputy attacks (a statement about artifact A reused for B), so
we neither write nor accept statements with zero or several subjects, and the
single subject must carry a SHA-256 digest.

Writing: :meth:`Statement.to_bytes` is the RFC 8785 form, so the same statement
always yields the same bytes (and the same DSSE payload). Sigstore signing wraps
those exact bytes in ``sigstore.dsse.Statement`` (see ``signers``), not the
protobuf statement of ``in-toto-attestation``, whose ``Struct`` turns integers
into floats. ``in-toto-attestation`` is still used as a second opinion: every
statement we build or read is also loaded into its protobuf ``Statement`` and
checked with its ``validate()`` (type URI, subjects with digests, predicate type
and predicate present), so we never emit or accept what the reference
implementation rejects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import in_toto_attestation.v1.statement as intoto_statement
import in_toto_attestation.v1.statement_pb2 as intoto_pb
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mtf_action.errors import InvalidInputError
from mtf_action.signing.canonical import canonical_json, load_strict_json

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
_HEX64 = r"^[0-9a-f]{64}$"


class Subject(BaseModel):
    """An in-toto ResourceDescriptor reduced to what a subject needs: name and digests."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = Field(min_length=1)
    digest: dict[str, str]

    @field_validator("digest")
    @classmethod
    def _has_sha256(cls, digest: dict[str, str]) -> dict[str, str]:
        value = digest.get("sha256")
        if value is None:
            raise ValueError("subject digest has no sha256")
        if (
            value != value.lower()
            or len(value) != 64
            or any(c not in "0123456789abcdef" for c in value)
        ):
            raise ValueError("subject sha256 is not 64 lowercase hex digits")
        return digest

    @property
    def sha256(self) -> str:
        return self.digest["sha256"]


class Statement(BaseModel):
    """An in-toto Statement v1 about exactly one subject."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type_: Literal["https://in-toto.io/Statement/v1"] = Field(
        "https://in-toto.io/Statement/v1", alias="_type"
    )
    subject: list[Subject] = Field(min_length=1, max_length=1)
    predicate_type: str = Field(alias="predicateType", min_length=1)
    predicate: dict[str, Any] = Field(default_factory=dict)

    @property
    def only_subject(self) -> Subject:
        return self.subject[0]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def to_bytes(self) -> bytes:
        """Deterministic serialisation (RFC 8785): the DSSE payload when signed."""
        return canonical_json(self.to_json_dict())


def _intoto_validate(raw: dict[str, Any], *, source: str | Path | None, reading: bool) -> None:
    """Second opinion from in-toto-attestation's own rules (see module docstring).

    One rule is relaxed when reading: ``validate()`` requires a non-empty predicate,
    but the Statement v1 spec makes ``predicate`` optional ("unset is treated the
    same as set-but-empty"), and real attestations (PyPI publish/v1) omit it. We
    never *write* such a statement.
    """
    try:
        proto = json_format.ParseDict(raw, intoto_pb.Statement())
        intoto_statement.Statement.copy_from_pb(proto).validate()
    except ValueError as exc:
        if reading and not raw.get("predicate") and str(exc) == "Predicate object required":
            return
        raise InvalidInputError(
            f"in-toto statement rejected by in-toto-attestation: {exc}", path=source
        ) from exc
    except json_format.ParseError as exc:
        raise InvalidInputError(
            f"in-toto statement rejected by in-toto-attestation: {exc}", path=source
        ) from exc


def build_statement(
    *, name: str, sha256: str, predicate_type: str, predicate: dict[str, Any]
) -> Statement:
    """A single-subject statement; validated by our model and by in-toto-attestation."""
    try:
        statement = Statement(
            subject=[Subject(name=name, digest={"sha256": sha256})],
            predicate_type=predicate_type,
            predicate=predicate,
        )
    except ValidationError as exc:
        raise InvalidInputError(f"invalid in-toto statement: {_first_error(exc)}") from exc
    _intoto_validate(statement.to_json_dict(), source=None, reading=False)
    return statement


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(root)"
    return f"{where}: {first['msg']}"


def parse_statement(data: bytes, *, source: str | Path | None = None) -> Statement:
    """Read a statement (e.g. a verified DSSE payload); refuses 0 or several subjects."""
    raw = load_strict_json(data, source=source)
    if not isinstance(raw, dict):
        raise InvalidInputError("in-toto statement is not a JSON object", path=source)
    subjects = raw.get("subject")
    if isinstance(subjects, list) and len(subjects) != 1:
        raise InvalidInputError(
            f"in-toto statement has {len(subjects)} subjects; exactly one is required", path=source
        )
    try:
        statement = Statement.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInputError(
            f"invalid in-toto statement: {_first_error(exc)}", path=source
        ) from exc
    _intoto_validate(raw, source=source, reading=True)
    return statement
