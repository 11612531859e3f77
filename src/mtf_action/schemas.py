"""Bundled JSON Schemas (MCPB manifest v0.1-v0.4, MTF extension, MTF report, ours).

In an installed wheel they live in ``mtf_action/_schemas``; in a source checkout
they are read from the repository's top-level ``schemas/`` directory, so there
is one copy of each file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_REPO_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def schema_dir() -> Path:
    """Directory holding the bundled schemas."""
    packaged = resources.files("mtf_action").joinpath("_schemas")
    if packaged.is_dir():
        return Path(str(packaged))
    return _REPO_SCHEMAS


@cache
def load_schema(filename: str) -> dict[str, Any]:
    """Parse one bundled schema by file name (cached: schemas never change at run time)."""
    with (schema_dir() / filename).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


MCPB_MANIFEST_VERSIONS = ("0.1", "0.2", "0.3", "0.4")


def mcpb_schema(manifest_version: str) -> dict[str, Any]:
    """The MCPB manifest schema of one ``manifest_version`` (0.1 to 0.4)."""
    return load_schema(f"mcpb-manifest-v{manifest_version}.schema.json")


def mtf_extension_schema() -> dict[str, Any]:
    """Schema of ``_meta["org.mpaktrust"]`` (MTF v0.1, section 4.5)."""
    return load_schema("mtf-extension.schema.json")
