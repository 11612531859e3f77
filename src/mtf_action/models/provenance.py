"""SLSA Provenance v1 (https://slsa.dev/provenance/v1) and our build type's parameters.

Two layers:

* the SLSA predicate itself (:class:`ProvenancePredicate`): the field names and
  shapes of the v1 spec, camelCase on the wire, unknown fields refused. Fields
  the spec leaves to the build type (``externalParameters``,
  ``internalParameters``) are open JSON objects here;
* the parameters of our build type ``https://github.com/mtf/attest/buildtypes/mcpb/v1``
  (:class:`McpbExternalParameters`, :class:`McpbInternalParameters`): what
  ``attest`` writes into those objects, closed models so a typo cannot slip in.

Timestamps are RFC 3339 in UTC with a ``Z`` suffix, as the SLSA spec's examples.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

MCPB_BUILD_TYPE: Final = "https://github.com/mtf/attest/buildtypes/mcpb/v1"
_RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")

NonEmpty = Annotated[str, Field(min_length=1)]


class _Slsa(BaseModel):
    """camelCase on the wire, snake_case in Python, unknown fields refused."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


def _uri(value: str) -> str:
    if not _URI.match(value):
        raise ValueError(f"not a URI: {value!r}")
    return value


class ResourceDescriptor(_Slsa):
    """in-toto ResourceDescriptor v1: at least one of ``uri``, ``digest``, ``content``."""

    name: str | None = None
    uri: str | None = None
    digest: dict[str, NonEmpty] | None = None
    content: str | None = None
    download_location: str | None = None
    media_type: str | None = None
    annotations: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _identifies_something(self) -> ResourceDescriptor:
        if not (self.uri or self.digest or self.content):
            raise ValueError("a resource descriptor needs uri, digest or content")
        return self


class BuildDefinition(_Slsa):
    build_type: NonEmpty
    external_parameters: dict[str, Any]
    internal_parameters: dict[str, Any] | None = None
    resolved_dependencies: tuple[ResourceDescriptor, ...] | None = None

    _check_type = field_validator("build_type")(_uri)


class Builder(_Slsa):
    id: NonEmpty
    version: dict[str, str] | None = None
    builder_dependencies: tuple[ResourceDescriptor, ...] | None = None

    _check_id = field_validator("id")(_uri)


class BuildMetadata(_Slsa):
    invocation_id: str | None = None
    started_on: str | None = None
    finished_on: str | None = None

    @field_validator("started_on", "finished_on")
    @classmethod
    def _timestamp(cls, value: str | None) -> str | None:
        if value is not None and not _RFC3339_UTC.match(value):
            raise ValueError("must be an RFC 3339 UTC timestamp, e.g. 2026-02-06T12:00:00Z")
        return value


class RunDetails(_Slsa):
    builder: Builder
    metadata: BuildMetadata | None = None
    byproducts: tuple[ResourceDescriptor, ...] | None = None


class ProvenancePredicate(_Slsa):
    """The ``predicate`` of a statement with ``predicateType`` SLSA Provenance v1."""

    build_definition: BuildDefinition
    run_details: RunDetails

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @property
    def source_commits(self) -> list[str]:
        """``gitCommit`` digests of the resolved dependencies (the source, for us)."""
        found = self.build_definition.resolved_dependencies or ()
        return [d.digest["gitCommit"] for d in found if d.digest and "gitCommit" in d.digest]


# -- our build type's parameters ------------------------------------------------------


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkflowParameters(_Params):
    """The GitHub Actions workflow that ran (GITHUB_REF, repository URL, workflow file)."""

    ref: NonEmpty
    repository: NonEmpty
    path: NonEmpty


class McpbExternalParameters(_Params):
    """Inputs the person starting the build controls."""

    workflow: WorkflowParameters | None = None
    source_path: str | None = Field(
        default=None, description="the server directory, relative to the repository root"
    )
    source_date_epoch: Annotated[int, Field(ge=0)]
    vendor: bool


class GitHubParameters(_Params):
    event_name: str | None = None
    repository_id: str | None = None
    repository_owner_id: str | None = None
    runner_environment: str | None = None


class LocalParameters(_Params):
    """A build outside GitHub Actions, described without host names or user names."""

    os: str
    python: str
    tools: dict[str, str]


class McpbInternalParameters(_Params):
    github: GitHubParameters | None = None
    local: LocalParameters | None = None


# -- SLSA Verification Summary Attestation v1 -------------------------------------------

SLSA_VSA_V1: Final = "https://slsa.dev/verification_summary/v1"
_LEVEL_NAME = re.compile(r"^(SLSA_(BUILD|SOURCE)_LEVEL_[0-4]|(?!SLSA_)[A-Z][A-Z0-9_]*)$")


class VsaVerifier(_Slsa):
    id: NonEmpty
    version: dict[str, str] | None = None

    _check_id = field_validator("id")(_uri)


class VsaPredicate(_Slsa):
    """https://slsa.dev/verification_summary/v1 (field names and values of that spec).

    ``verifiedLevels`` may hold custom values as long as they do not start with
    ``SLSA_``; the SLSA ones are checked for the spec's spelling.
    """

    verifier: VsaVerifier
    time_verified: str
    resource_uri: NonEmpty
    policy: ResourceDescriptor
    input_attestations: tuple[ResourceDescriptor, ...] | None = None
    verification_result: Literal["PASSED", "FAILED"]
    verified_levels: tuple[str, ...]
    dependency_levels: dict[str, Annotated[int, Field(ge=0)]] | None = None
    slsa_version: str | None = Field(default=None, pattern=r"^\d+\.\d+$")

    @field_validator("time_verified")
    @classmethod
    def _timestamp(cls, value: str) -> str:
        if not _RFC3339_UTC.match(value):
            raise ValueError("must be an RFC 3339 UTC timestamp, e.g. 2026-02-06T12:00:00Z")
        return value

    @field_validator("verified_levels")
    @classmethod
    def _levels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for level in value:
            if not _LEVEL_NAME.match(level):
                raise ValueError(f"{level!r}: custom levels must not start with SLSA_")
        return value

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)
