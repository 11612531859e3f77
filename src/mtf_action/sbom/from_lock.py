"""Inventory straight from a lockfile, for bundles that do not vendor dependencies.

MCPB 0.4's ``uv`` server type ships ``pyproject.toml`` + ``uv.lock`` and lets
the host install them, so the SBOM (SC-01) lists the lockfile's runtime closure:
every package the host may install, on any platform (markers are not evaluated:
the host's platform is unknown at build time), with all its locked file hashes.
"""

from __future__ import annotations

from mtf_action.lockfiles.model import Lockfile
from mtf_action.sbom.model import Component, DependencyGraph, Inventory


def inventory_from_lockfile(lockfile: Lockfile) -> Inventory:
    """Runtime packages of ``lockfile`` as SBOM components, graph from its edges."""
    runtime = {p.key: p for p in lockfile.runtime_packages()}
    components = {
        key: Component(name=p.name, version=p.version, ecosystem=p.ecosystem, hashes=p.hashes)
        for key, p in runtime.items()
    }
    ref = {k: c.bom_ref for k, c in components.items()}
    edges: dict[str, set[str]] = {r: set() for r in ref.values()}
    for key, package in runtime.items():
        edges[ref[key]] |= {ref[d] for d in package.dependencies if d in ref} - {ref[key]}
    direct = {ref[k] for k, p in runtime.items() if p.direct}
    notes = []
    unpinned = sorted(p.name for p in runtime.values() if not p.version)
    if unpinned:
        notes.append(f"no exact version in {lockfile.path.name} for: {', '.join(unpinned)}")
    unique = {c.bom_ref: c for _, c in sorted(components.items())}
    return Inventory(
        components=tuple(unique[r] for r in sorted(unique)),
        graph=DependencyGraph(
            direct=tuple(sorted(direct or set(ref.values()))),
            edges={r: tuple(sorted(t)) for r, t in sorted(edges.items())},
        ),
        notes=tuple(notes),
    )
