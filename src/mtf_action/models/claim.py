"""The MTF claim: what ``attest`` verified about one bundle, as an in-toto Statement v1.

``OUT/<stem>.mcpb.mtf-claim.json`` holds the RFC 8785 bytes of a :class:`Claim`;
``OUT/<stem>.mcpb.mtf-claim.sigstore.json`` is a DSSE Sigstore bundle of exactly
those bytes. The JSON Schema is ``schemas/mtf-claim.schema.json`` (kept in step
with these models by the tests).

Every field is always present (``null`` when it does not apply), so a consumer
never has to tell "absent" from "unknown". Unknown members are refused: this is
our own versioned format (``predicateType`` carries the version).
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mtf_action.signing.intoto import Subject

CLAIM_PREDICATE_TYPE: Final = "https://github.com/mtf/attest/claim/v0.1"

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Level = Annotated[int, Field(ge=0, le=4)]
Count = Annotated[int, Field(ge=0)]
FileName = Annotated[str, Field(min_length=1, pattern=r"^[^/\\]+$")]
ControlStatus = Literal["pass", "fail", "warn", "skip", "error", "not_evaluated"]
SigningModeName = Literal["sigstore", "key", "none"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimPackage(_Model):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)


class ClaimLevel(_Model):
    """``claimed``: the manifest's ``_meta["org.mpaktrust"].level`` (null: none claimed)."""

    claimed: Level | None
    verified: Level


class FindingCounts(_Model):
    critical: Count = 0
    high: Count = 0
    medium: Count = 0
    low: Count = 0
    info: Count = 0


class ClaimControl(_Model):
    """One catalog control: its status at the evaluated level and its findings by severity."""

    id: str = Field(pattern=r"^[A-Z]{2}-\d{2}$")
    name: str = Field(min_length=1)
    level: Annotated[int, Field(ge=1, le=4)]
    enforcement: Literal["scanner", "registry", "client", "registry+client"]
    status: ControlStatus
    findings: FindingCounts


class ClaimDigests(_Model):
    """SHA-256 of the bundle file, of the canonical manifest (MTF 5.1) and of the SBOM file."""

    bundle: Sha256Hex
    manifest: Sha256Hex
    sbom: Sha256Hex


class ClaimGenerator(_Model):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)


class ClaimBuild(_Model):
    """Where and from what the bundle was built (the same values as the provenance)."""

    builder_id: str = Field(min_length=1)
    invocation_id: str | None
    source_date_epoch: Annotated[int, Field(ge=0)]
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None


class ClaimSigning(_Model):
    """``identity``: certificate SAN (sigstore), ``sha256:<hex>`` key fingerprint, null (none)."""

    mode: SigningModeName
    identity: str | None

    @model_validator(mode="after")
    def _identity_iff_signed(self) -> ClaimSigning:
        if (self.mode == "none") != (self.identity is None):
            raise ValueError("identity is null exactly when the signing mode is none")
        if self.identity == "":
            raise ValueError("identity must not be empty")
        return self


class ClaimAssets(_Model):
    """File names (no directories) of the release assets; null when not produced."""

    bundle: FileName
    sbom: FileName
    hashes: FileName
    provenance: FileName | None
    claim_signature: FileName | None
    sbom_attestation: FileName | None
    vsa: FileName | None


class ClaimPredicate(_Model):
    mtf_version: Literal["0.1"] = "0.1"
    package: ClaimPackage
    level: ClaimLevel
    controls: tuple[ClaimControl, ...]
    digests: ClaimDigests
    generator: ClaimGenerator
    build: ClaimBuild
    signing: ClaimSigning
    assets: ClaimAssets


class Claim(BaseModel):
    """The whole claim statement (exactly one subject: the bundle)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type_: Literal["https://in-toto.io/Statement/v1"] = Field(
        "https://in-toto.io/Statement/v1", alias="_type"
    )
    subject: tuple[Subject] = Field(min_length=1, max_length=1)
    predicate_type: Literal["https://github.com/mtf/attest/claim/v0.1"] = Field(
        CLAIM_PREDICATE_TYPE, alias="predicateType"
    )
    predicate: ClaimPredicate

    @model_validator(mode="after")
    def _subject_is_the_bundle(self) -> Claim:
        subject, predicate = self.subject[0], self.predicate
        if subject.name != predicate.assets.bundle:
            raise ValueError(
                f"subject {subject.name!r} is not the bundle asset {predicate.assets.bundle!r}"
            )
        if subject.sha256 != predicate.digests.bundle:
            raise ValueError("subject sha256 differs from digests.bundle")
        return self

    @property
    def only_subject(self) -> Subject:
        return self.subject[0]
