"""Pick the right inventory for a bundle and turn it into its SBOM (SC-01).

* vendored now: read what pip/npm actually installed (plus the digests they
  verified), rooted at the project's declared dependencies;
* ``--no-vendor``: read the tree's own ``deps/`` or ``node_modules/`` and the
  lockfile beside it;
* ``server.type: uv`` (MCPB 0.4): nothing is bundled, the host installs from
  ``uv.lock``, so the SBOM lists that lockfile's runtime closure;
* ``binary`` or no dependencies: an SBOM with the bundle alone.

Whatever the source, a lockfile that disagrees with what ships is reported.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtf_action.lockfiles.detect import node_lockfile, python_lockfile
from mtf_action.lockfiles.model import Lockfile
from mtf_action.models.manifest import Manifest
from mtf_action.sbom.cyclonedx import build_sbom
from mtf_action.sbom.from_lock import inventory_from_lockfile
from mtf_action.sbom.lock_compare import compare_lock
from mtf_action.sbom.model import DependencyGraph, Inventory
from mtf_action.sbom.node_modules import read_node_modules
from mtf_action.sbom.python_env import read_python_env
from mtf_action.vendor.model import VendorResult


@dataclass(frozen=True)
class SbomInput:
    manifest: Manifest
    name: str
    version: str
    server_type: str
    source_dir: Path
    vendored: VendorResult | None
    epoch: int


@dataclass(frozen=True)
class SbomOutput:
    document: bytes
    component_count: int
    discrepancies: list[str]
    lockfile: str | None


def _declared_python(source_dir: Path) -> tuple[str, ...]:
    pyproject = source_dir / "pyproject.toml"
    if not pyproject.is_file():
        return ()
    try:
        data: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ()  # the lockfile readers report malformed project files precisely
    deps = data.get("project", {}).get("dependencies", [])
    return tuple(d for d in deps if isinstance(d, str))


def _declared_node(source_dir: Path) -> tuple[str, ...]:
    try:
        data = json.loads((source_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return ()
    if not isinstance(data, dict):
        return ()
    names = {*data.get("dependencies", {}), *data.get("optionalDependencies", {})}
    return tuple(sorted(names))


def _inventory(inp: SbomInput) -> tuple[Inventory | None, Lockfile | None]:
    server_type = inp.server_type
    vendored = inp.vendored
    if vendored is not None:
        if vendored.arc_prefix == "deps":
            inv = read_python_env(
                vendored.root, direct=vendored.direct, artifacts=vendored.artifacts
            )
        else:
            inv = read_node_modules(
                vendored.root, lockfile=vendored.lockfile, direct=vendored.direct
            )
        return inv, vendored.lockfile
    if server_type == "python":
        lock = python_lockfile(inp.source_dir)
        deps = inp.source_dir / "deps"
        if deps.is_dir():
            return read_python_env(deps, direct=_declared_python(inp.source_dir)), lock
        return None, lock
    if server_type == "node":
        lock = node_lockfile(inp.source_dir)
        modules = inp.source_dir / "node_modules"
        if modules.is_dir():
            inv = read_node_modules(modules, lockfile=lock, direct=_declared_node(inp.source_dir))
            return inv, lock
        return None, lock
    if server_type == "uv":
        lock = python_lockfile(inp.source_dir)
        return (inventory_from_lockfile(lock) if lock else None), lock
    return None, None


def sbom_for_bundle(inp: SbomInput) -> SbomOutput:
    """The bundle's CycloneDX 1.6 SBOM and any lockfile/vendored disagreements."""
    inventory, lockfile = _inventory(inp)
    notes: list[str] = []
    if inventory is None:
        inventory = Inventory(components=(), graph=DependencyGraph())
        if lockfile is not None and lockfile.runtime_packages():
            notes.append(
                f"{lockfile.path.name} pins runtime packages but no vendored dependencies "
                "were found (use vendoring, or vendor into deps/ / node_modules/ first)"
            )
    else:
        notes += inventory.notes
        if lockfile is not None and inp.server_type != "uv":
            notes += compare_lock(lockfile, inventory)
    document = build_sbom(
        bundle_name=inp.name,
        bundle_version=inp.version,
        description=inp.manifest.description,
        components=list(inventory.components),
        dependencies=inventory.graph,
        lockfile=lockfile,
        epoch=inp.epoch,
    )
    return SbomOutput(
        document=document,
        component_count=len(inventory.components),
        discrepancies=notes,
        lockfile=str(lockfile.path) if lockfile else None,
    )
