"""Release asset names and the shared readers of ``attest`` and ``verify``.

For a bundle ``S.mcpb`` (``S`` = ``<name>-<version>``, build's naming) the assets are:

=====================================  ==================================================
``S.mcpb``                             the bundle, with the AI-03 signature inside
``S.sbom.cdx.json``                    CycloneDX 1.6 SBOM (the bundle's ``sbom.cdx.json``)
``S.hashes.json``                      digests of the bundle and of every member
``S.mcpb.provenance.sigstore.json``    DSSE bundle: SLSA Provenance v1
``S.mcpb.mtf-claim.json``              the MTF claim statement (RFC 8785 bytes)
``S.mcpb.mtf-claim.sigstore.json``     DSSE bundle of exactly the claim bytes
``S.mcpb.sbom.sigstore.json``          DSSE bundle: CycloneDX BOM statement
``S.mcpb.vsa.sigstore.json``           DSSE bundle: SLSA Verification Summary v1
=====================================  ==================================================

Inside the bundle, MTF AI-03 lives under ``.sigstore/`` (MTF 5.2.3):
``.sigstore/mtf-payload.json`` (the RFC 8785 payload of MTF 5.1) and
``.sigstore/mtf-payload.sigstore.json`` (a Sigstore bundle over those bytes).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator
from pydantic import ValidationError

from mtf_action.errors import InvalidInputError
from mtf_action.models.claim import CLAIM_PREDICATE_TYPE, Claim
from mtf_action.models.provenance import ProvenancePredicate
from mtf_action.schemas import load_schema
from mtf_action.signing.canonical import canonical_json, load_strict_json

SBOM_MEMBER: Final = "sbom.cdx.json"

SLSA_PROVENANCE_V1: Final = "https://slsa.dev/provenance/v1"
SLSA_VSA_V1: Final = "https://slsa.dev/verification_summary/v1"
CYCLONEDX_BOM: Final = "https://cyclonedx.org/bom"
MTF_CLAIM: Final = CLAIM_PREDICATE_TYPE
CLAIM_SCHEMA_FILE: Final = "mtf-claim.schema.json"

_MAX_CLAIM = 16 * 1024 * 1024


# -- the claim -------------------------------------------------------------------


@cache
def _claim_validator() -> Draft202012Validator:
    schema = load_schema(CLAIM_SCHEMA_FILE)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def claim_schema_errors(document: Any) -> list[str]:
    """Violations of ``schemas/mtf-claim.schema.json``, as ``/pointer: message`` lines."""
    found = sorted(_claim_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [
        "/" + "/".join(str(p) for p in error.absolute_path) + f": {error.message}"
        for error in found
    ]


def load_claim(data: bytes, *, source: str | Path | None = None) -> Claim:
    """Parse claim bytes: strict JSON, the JSON Schema, then the pydantic model.

    Any problem is an ``InvalidInputError`` naming the first violation. Whether the
    bytes are the RFC 8785 form (as ``attest`` writes them) is :func:`is_canonical`.
    """
    if len(data) > _MAX_CLAIM:
        raise InvalidInputError("claim is larger than 16 MiB", path=source)
    raw = load_strict_json(data, source=source)
    errors = claim_schema_errors(raw)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidInputError(f"not an MTF claim: {errors[0]}{more}", path=source)
    try:
        return Claim.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "(root)"
        raise InvalidInputError(
            f"not an MTF claim: /{where}: {first['msg']}", path=source
        ) from None


def claim_bytes(claim: Claim) -> bytes:
    """The RFC 8785 bytes of a claim: the file content and the DSSE payload."""
    return canonical_json(claim.model_dump(mode="json", by_alias=True))


def is_canonical(data: bytes) -> bool:
    """True when ``data`` is already in RFC 8785 form (re-serialising gives the same bytes)."""
    try:
        return canonical_json(load_strict_json(data)) == data
    except InvalidInputError:
        return False


# -- the provenance --------------------------------------------------------------


def load_provenance_predicate(
    predicate: dict[str, Any], *, source: str | Path | None = None
) -> ProvenancePredicate:
    """A SLSA Provenance v1 predicate (from a verified statement) as our model."""
    try:
        return ProvenancePredicate.model_validate(predicate)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "(root)"
        raise InvalidInputError(
            f"not a SLSA Provenance v1 predicate: /{where}: {first['msg']}", path=source
        ) from None
