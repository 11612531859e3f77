"""Typed view of an MCPB ``manifest.json`` and its MTF extension ``_meta["org.mpaktrust"]``.

These models *read*; they do not *judge*. Validation against the MCPB and MTF
schemas is done by :mod:`mtf_action.manifest.validation`, which reports every
problem precisely. The models are therefore lenient on purpose:

* every field is optional, so a manifest that misses a required field can still
  be inspected by later controls;
* ``extra="allow"`` everywhere, because MCPB has many optional fields (icons,
  localization, keywords, ...) that no control needs typed access to;
* values that the schemas restrict to an enumeration (permission categories,
  token storage, ...) are plain strings, so one out-of-range value does not hide
  the whole extension from the controls that read it.

A field whose JSON *type* is wrong (``"version": 1``) still fails to build;
:meth:`Manifest.from_raw` turns that into a one-line :class:`ManifestError`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mtf_action.errors import ManifestError

MTF_NAMESPACE = "org.mpaktrust"


class _Lenient(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


# -- MCPB -------------------------------------------------------------------------


class Author(_Lenient):
    name: str | None = None
    email: str | None = None
    url: str | None = None


class Repository(_Lenient):
    type: str | None = None
    url: str | None = None


class PlatformOverride(_Lenient):
    command: str | None = None
    args: list[str] | None = None
    env: dict[str, str] | None = None


class McpConfig(_Lenient):
    command: str | None = None
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    platform_overrides: dict[str, PlatformOverride] = Field(default_factory=dict)


class Server(_Lenient):
    type: str | None = None  # python | node | binary | uv
    entry_point: str | None = None
    mcp_config: McpConfig | None = None


class Tool(_Lenient):
    name: str | None = None
    description: str | None = None


class Prompt(_Lenient):
    name: str | None = None
    description: str | None = None
    arguments: list[str] = Field(default_factory=list)
    text: str | None = None


class UserConfigOption(_Lenient):
    type: str | None = None
    title: str | None = None
    description: str | None = None
    required: bool | None = None
    default: str | float | bool | list[str] | None = None
    multiple: bool | None = None
    sensitive: bool | None = None
    min: float | None = None
    max: float | None = None


class Compatibility(_Lenient):
    claude_desktop: str | None = None
    platforms: list[str] = Field(default_factory=list)
    runtimes: dict[str, str] = Field(default_factory=dict)


# -- MTF extension (MTF-0.1 section 4.3) --------------------------------------------


class Permissions(_Lenient):
    """CD-02 categories; values per section 4.3.2 (``none`` when unspecified)."""

    filesystem: str | None = None
    network: str | None = None
    environment: str | None = None
    subprocess: str | None = None
    native: str | None = None


class TokenHandling(_Lenient):
    """CD-05. ``storage`` is ``memory``/``disk``/``keychain`` (schema) or ``file`` (prose)."""

    storage: str | None = None
    max_lifetime_seconds: int | None = None
    refresh: bool | None = None


class Credential(_Lenient):
    provider: str | None = None
    scopes: list[str] = Field(default_factory=list)
    justification: str | None = None
    token_handling: TokenHandling | None = None


class Source(_Lenient):
    """PR-04 commit linkage; ``tag`` appears in the spec prose only (see spec_gaps)."""

    commit: str | None = None
    signed: bool | None = None
    tag: str | None = None


class Build(_Lenient):
    """PR-03/AI-04; ``instructions`` appears in the spec prose only (see spec_gaps)."""

    builder: str | None = None
    reproducible: bool | None = None
    instructions: str | None = None


class Signature(_Lenient):
    """AI-03. The schema says ``bundle_path``; the section 4.4 example says ``bundle``."""

    type: str | None = None
    bundle_path: str | None = None
    bundle: str | None = None
    signature_path: str | None = None
    public_key: str | None = None
    signer_identity: str | None = None

    @property
    def effective_bundle_path(self) -> str | None:
        """``bundle_path``, or the spec-prose spelling ``bundle`` when only that is given."""
        return self.bundle_path if self.bundle_path is not None else self.bundle


class Attestation(_Lenient):
    type: str | None = None
    bundle_path: str | None = None
    bundle_url: str | None = None


class Scorecard(_Lenient):
    score: float | None = None
    checks: dict[str, float] = Field(default_factory=dict)
    scan_date: str | None = None
    report_url: str | None = None


class MtfExtension(_Lenient):
    mtf_version: str | None = None
    level: int | None = None
    permissions: Permissions | None = None
    credentials: list[Credential] = Field(default_factory=list)
    source: Source | None = None
    build: Build | None = None
    signature: Signature | None = None
    attestation: Attestation | None = None
    scorecard: Scorecard | None = None


# -- the manifest -------------------------------------------------------------------


class Manifest(_Lenient):
    manifest_version: str | None = None
    dxt_version: str | None = None  # deprecated MCPB spelling of manifest_version
    name: str | None = None
    display_name: str | None = None
    version: str | None = None
    description: str | None = None
    long_description: str | None = None
    author: Author | None = None
    repository: Repository | None = None
    server: Server | None = None
    # None means "absent", which CD-01 treats differently from an empty list.
    tools: list[Tool] | None = None
    tools_generated: bool | None = None
    prompts: list[Prompt] | None = None
    user_config: dict[str, UserConfigOption] | None = None
    compatibility: Compatibility | None = None
    meta: dict[str, Any] = Field(default_factory=dict, alias="_meta")

    @property
    def declared_version(self) -> str | None:
        """``manifest_version``, else the legacy ``dxt_version``."""
        return self.manifest_version if self.manifest_version is not None else self.dxt_version

    @cached_property
    def mtf(self) -> MtfExtension | None:
        """The MTF extension, or None when absent or not an object of the right shape."""
        block = self.meta.get(MTF_NAMESPACE)
        if not isinstance(block, dict):
            return None
        try:
            return MtfExtension.model_validate(block)
        except ValidationError:
            return None

    @classmethod
    def from_raw(cls, raw: dict[str, Any], source: str | None = None) -> Manifest:
        """Build the typed view; a field of the wrong JSON type raises :class:`ManifestError`."""
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(part) for part in first["loc"])
            raise ManifestError(
                f"cannot read manifest field /{where}: {first['msg']}", path=source
            ) from None
