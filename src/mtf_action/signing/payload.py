"""The MTF AI-03 signed payload (MTF v0.1 sections 3.2 AI-03 and 5.1.2).

Definitions this module fixes (the spec names the fields, not their derivation):

* ``subject.manifest_sha256`` ("SHA-256 hash of canonical manifest"): the SHA-256
  of the RFC 8785 serialisation of the *parsed* ``manifest.json`` of the bundle.
  Formatting, key order and escapes of the file therefore do not change it; any
  change of a name, a value or a number does. A manifest that is not I-JSON
  (duplicate names, NaN, huge integers) has no canonical form and is refused.
* ``subject.sbom_sha256`` ("SHA-256 hash of SBOM file"): the SHA-256 of the SBOM
  file's bytes, exactly as stored in the bundle (no re-serialisation: an SBOM is
  consumed as a file, and its hash also appears in the bundle's content hashes).
* ``timestamp``: UTC, ISO 8601 with seconds precision and a ``Z`` suffix.
* ``signer_identity``: the Fulcio certificate's SAN (an OIDC identity URI, for
  GitHub Actions ``https://github.com/OWNER/REPO/.github/workflows/F@REF``) in
  keyless mode, ``sha256:<hex>`` of the public key's DER SubjectPublicKeyInfo in
  key mode.

The bytes that are signed are :meth:`BundleSignaturePayload.canonical_bytes`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mtf_action.errors import InvalidInputError
from mtf_action.signing.canonical import canonical_json, load_strict_json, sha256_hex

MTF_VERSION = "0.1"
PAYLOAD_TYPE: Final = "bundle_signature"
_SHA256 = r"^[0-9a-f]{64}$"
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


class PayloadSubject(BaseModel):
    """What the signature binds: the package and the digests of its manifest and SBOM."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    manifest_sha256: str = Field(pattern=_SHA256)
    sbom_sha256: str = Field(pattern=_SHA256)


class BundleSignaturePayload(BaseModel):
    """The section 5.1.2 payload; unknown members are refused when reading."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mtf_version: str = MTF_VERSION
    payload_type: Literal["bundle_signature"] = "bundle_signature"
    subject: PayloadSubject
    timestamp: str
    signer_identity: str = Field(min_length=1)

    @field_validator("timestamp")
    @classmethod
    def _utc_iso8601(cls, value: str) -> str:
        if not _TIMESTAMP.match(value):
            raise ValueError("must be ISO 8601 UTC, e.g. 2026-02-06T12:00:00Z")
        datetime.fromisoformat(value)  # a real date and time
        return value

    def canonical_bytes(self) -> bytes:
        """The RFC 8785 bytes that are signed (MTF 5.1.1)."""
        return canonical_json(self.model_dump(mode="json"))

    @property
    def signed_at(self) -> datetime:
        return datetime.fromisoformat(self.timestamp)


def format_timestamp(moment: datetime | None = None) -> str:
    """``moment`` (default: now) as ``YYYY-MM-DDTHH:MM:SSZ``; naive datetimes are refused."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("a signing timestamp needs a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_manifest_sha256(
    manifest: bytes | dict[str, Any], *, source: str | Path | None = None
) -> str:
    """SHA-256 (hex) of the RFC 8785 form of the parsed manifest (definition above)."""
    parsed = load_strict_json(manifest, source=source) if isinstance(manifest, bytes) else manifest
    if not isinstance(parsed, dict):
        raise InvalidInputError("manifest.json is not a JSON object", path=source)
    return sha256_hex(canonical_json(parsed, source=source))


def sbom_sha256(sbom: bytes) -> str:
    """SHA-256 (hex) of the SBOM file bytes."""
    return sha256_hex(sbom)


def build_payload(
    *,
    name: str,
    version: str,
    manifest: bytes | dict[str, Any],
    sbom: bytes,
    signer_identity: str,
    timestamp: datetime | None = None,
) -> BundleSignaturePayload:
    """The payload for a bundle's manifest and SBOM, signed now (or at ``timestamp``)."""
    return BundleSignaturePayload(
        subject=PayloadSubject(
            name=name,
            version=version,
            manifest_sha256=canonical_manifest_sha256(manifest),
            sbom_sha256=sbom_sha256(sbom),
        ),
        timestamp=format_timestamp(timestamp),
        signer_identity=signer_identity,
    )


def parse_payload(data: bytes, *, source: str | Path | None = None) -> BundleSignaturePayload:
    """Read signed payload bytes back; they must already be in RFC 8785 form (MTF 5.1.1)."""
    raw = load_strict_json(data, source=source)
    try:
        payload = BundleSignaturePayload.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(root)"
        raise InvalidInputError(
            f"not an MTF bundle_signature payload: {where}: {first['msg']}", path=source
        ) from exc
    if canonical_json(raw) != data:
        raise InvalidInputError(
            "signed payload is not in RFC 8785 canonical form (MTF 5.1.1)", path=source
        )
    return payload
