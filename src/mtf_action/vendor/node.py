"""Vendor a Node server's runtime dependencies into ``node_modules/`` with ``npm ci``.

``package.json`` and its lockfile are copied into a staging directory and
``npm ci --omit=dev --ignore-scripts`` runs there, so the user's source tree is
never written to. Choices, and why:

- a lockfile is required (``npm ci`` refuses to run without one, and an
  unlocked ``npm install`` would bundle whatever the registry serves today);
  a missing one is a :class:`VendorError` telling how to create it;
- install scripts are not run: MTF CQ-02 treats install hooks as suspicious. A
  server whose dependencies need them (native addons) must be built beforehand
  and bundled with ``--no-vendor``;
- ``--bin-links=false``: ``node_modules/.bin`` would hold symlinks, which a
  bundle cannot carry;
- the project's ``.npmrc`` is not copied (it may hold registry tokens); the
  registry and cache come from the caller's environment (``npm_config_*``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError, VendorError
from mtf_action.lockfiles.package_lock import read_package_lock
from mtf_action.vendor._run import DEFAULT_TIMEOUT, run_tool
from mtf_action.vendor.model import VendoredArtifact, VendorResult

NPM_LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json")
_NPM_CI = (
    "ci",
    "--omit=dev",
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--bin-links=false",
    "--no-update-notifier",
)


def vendor_node(
    source_dir: Path, staging: Path, *, reporter: Reporter, timeout: float = DEFAULT_TIMEOUT
) -> VendorResult:
    """``npm ci`` the server in ``source_dir`` inside ``staging`` (empty or absent)."""
    source_dir, staging = source_dir.resolve(), staging.resolve()
    manifest_path = source_dir / "package.json"
    manifest = _read_manifest(manifest_path)
    lock_path = next((source_dir / n for n in NPM_LOCKFILES if (source_dir / n).is_file()), None)
    if lock_path is None:
        other = (
            " (pnpm-lock.yaml cannot be installed by npm ci)"
            if (source_dir / "pnpm-lock.yaml").is_file()
            else ""
        )
        raise VendorError(
            f"no package-lock.json{other}: npm ci needs one to install exact versions; "
            "run 'npm install --package-lock-only' and commit it, or pre-vendor "
            "node_modules/ and use --no-vendor",
            path=manifest_path,
        )
    if manifest.get("workspaces"):
        raise VendorError(
            "npm workspaces are not vendored (members live outside package.json); "
            "pre-vendor node_modules/ and use --no-vendor",
            path=manifest_path,
        )
    lockfile = read_package_lock(lock_path)
    local = sorted(
        p.name for p in lockfile.runtime_packages() if (p.source or "").startswith("file:")
    )
    if local:
        raise VendorError(
            f"local dependencies cannot be installed from a copy of the manifest: "
            f"{', '.join(local)}; pre-vendor node_modules/ and use --no-vendor",
            path=lock_path,
        )
    if staging.exists() and (not staging.is_dir() or any(staging.iterdir())):
        raise VendorError("staging directory exists and is not empty", path=staging)
    staging.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(manifest_path, staging / "package.json")
    shutil.copyfile(lock_path, staging / lock_path.name)
    notes = list(lockfile.notes)
    if (source_dir / ".npmrc").is_file():
        notes.append(
            "the project's .npmrc was not used (it may hold tokens); configure npm via env"
        )
    # No reporter.step: the build wraps vendoring in one (rich cannot nest them).
    run_tool(
        ["npm", *_NPM_CI],
        cwd=staging,
        about=lock_path,
        reporter=reporter,
        missing_hint="needed to vendor a node server; use --no-vendor for a pre-vendored tree",
        timeout=timeout,
    )
    root = staging / "node_modules"
    root.mkdir(exist_ok=True)  # npm creates nothing when there is nothing to install
    links = sorted(str(p.relative_to(staging)) for p in root.rglob("*") if p.is_symlink())
    if links:
        raise VendorError(
            f"npm left symlinks in node_modules: {', '.join(links[:5])}", path=lock_path
        )
    installed = {p.key: p for p in lockfile.runtime_packages() if (staging / p.key).is_dir()}
    artifacts = [
        VendoredArtifact(name=p.name, version=p.version, hashes=p.hashes, url=p.source)
        for _, p in sorted(installed.items())
    ]
    direct = sorted({*manifest.get("dependencies", {}), *manifest.get("optionalDependencies", {})})
    return VendorResult(
        root=root,
        arc_prefix="node_modules",
        tool="npm ci",
        lockfile=lockfile,
        notes=tuple(notes),
        artifacts=tuple(artifacts),
        direct=tuple(direct),
    )


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInputError("no package.json: not a node server", path=path) from exc
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"unreadable package.json: {exc}", path=path) from exc
    if not isinstance(data, dict):
        raise InvalidInputError("package.json is not a JSON object", path=path)
    return data
