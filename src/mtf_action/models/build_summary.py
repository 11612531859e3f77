"""The machine-readable result of ``mtf-attest build`` (``--json``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class BuiltFile(BaseModel):
    """One output file of the build."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    sha256: str
    size: int


class BuildSummary(BaseModel):
    """Everything a caller (CLI user, Action adapter, later steps) needs from a build."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    server_type: str
    bundle: BuiltFile
    sbom: BuiltFile
    hashes: BuiltFile
    file_count: int
    component_count: int
    source_date_epoch: int
    source_date_epoch_origin: str
    vendored_with: str | None
    lockfile: str | None
    warnings: list[str]
    # The target of a per-platform bundle (mcpb-pack names); None when not given.
    platform_os: str | None = None
    platform_arch: str | None = None
