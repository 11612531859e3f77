"""Small manifests for the manifest tests, built per test so each one can change them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from mtf_action.manifest.loader import LoadedManifest, parse_manifest_bytes
from mtf_action.manifest.validation import validate_manifest
from mtf_action.models.manifest_report import ManifestReport

_L1: dict[str, Any] = {
    "manifest_version": "0.4",
    "name": "weather",
    "version": "1.0.0",
    "description": "Weather lookup",
    "author": {"name": "Acme", "email": "mcp@acme.example"},
    "server": {
        "type": "python",
        "entry_point": "weather/server.py",
        "mcp_config": {"command": "python", "args": ["-m", "weather.server"]},
    },
    "tools": [{"name": "get_weather", "description": "Get current weather for a location"}],
}

_L2_EXTRA: dict[str, Any] = {
    "name": "@acme/weather",
    "repository": {"type": "git", "url": "https://github.com/acme/weather"},
    "_meta": {
        "org.mpaktrust": {
            "mtf_version": "0.1",
            "level": 2,
            "permissions": {
                "filesystem": "none",
                "network": "outbound",
                "environment": "read",
                "subprocess": "none",
                "native": "none",
            },
        }
    },
}


def l1_manifest() -> dict[str, Any]:
    """A manifest valid for MCPB v0.4 and MTF L1 (no MTF extension)."""
    return copy.deepcopy(_L1)


def l2_manifest() -> dict[str, Any]:
    """A manifest valid for MCPB v0.4 and MTF L2 (it claims level 2)."""
    return {**copy.deepcopy(_L1), **copy.deepcopy(_L2_EXTRA)}


def extension(raw: dict[str, Any]) -> dict[str, Any]:
    block: dict[str, Any] = raw["_meta"]["org.mpaktrust"]
    return block


def load(raw: dict[str, Any], source: str = "manifest.json") -> LoadedManifest:
    data = json.dumps(raw, indent=2).encode()
    return LoadedManifest(raw=parse_manifest_bytes(data, source), data=data, source=source)


def check(raw: dict[str, Any], level: int | None = None) -> ManifestReport:
    return validate_manifest(load(raw), level=level)


def codes(report: ManifestReport, severity: str | None = None) -> set[str]:
    return {i.code for i in report.issues if severity is None or i.severity.value == severity}


def write(directory: Path, raw: dict[str, Any] | str | bytes) -> Path:
    """Write manifest.json into ``directory``; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "manifest.json"
    if isinstance(raw, dict):
        path.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    elif isinstance(raw, str):
        path.write_text(raw, encoding="utf-8")
    else:
        path.write_bytes(raw)
    return path
