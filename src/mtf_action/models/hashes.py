"""``<stem>.hashes.json``: SHA-256 of the bundle and of every member (MTF AI-04, RG-07).

The document lets anyone check a bundle, or a rebuild of it, without unpacking
trust from the bundle itself: the archive digest is what a registry serves
(RG-07), the member digests show *which* file differs when two builds do not
agree (AI-04). Unknown keys are refused (``extra="forbid"``) because this is
our own format, versioned by ``schema_version``; ``files`` must be sorted by
path, unique, and match ``file_count``, so a reader can trust its shape.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

HASHES_SCHEMA_VERSION: Final = 1

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Size = Annotated[int, Field(ge=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BundleDigest(_Model):
    """The archive itself; ``name`` is its file name (no directory)."""

    name: Annotated[str, Field(min_length=1, pattern=r"^[^/\\]+$")]
    sha256: Sha256Hex
    size: Size


class MemberDigest(_Model):
    """One archive member, hashed over its uncompressed content."""

    path: Annotated[str, Field(min_length=1)]
    sha256: Sha256Hex
    size: Size


class Generator(_Model):
    name: str
    version: str


class HashesDocument(_Model):
    """The whole ``hashes.json`` document."""

    schema_version: Literal[1] = HASHES_SCHEMA_VERSION
    algorithm: Literal["sha256"] = "sha256"
    bundle: BundleDigest
    files: tuple[MemberDigest, ...]
    file_count: Size
    generator: Generator

    @model_validator(mode="after")
    def _consistent(self) -> HashesDocument:
        if self.file_count != len(self.files):
            raise ValueError(f"file_count is {self.file_count} but {len(self.files)} files listed")
        paths = [f.path for f in self.files]
        for before, after in pairwise(paths):
            if before >= after:
                problem = "duplicate" if before == after else "out of order"
                raise ValueError(f"files must be sorted by unique path: {after!r} is {problem}")
        return self
