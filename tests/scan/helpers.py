"""Building scan contexts for control tests.

``make_ctx`` writes a small tree into ``tmp_path`` and returns a
directory-kind :class:`ScanContext` over exactly those files (no ignore rules,
so a test sees precisely what it wrote). ``make_bundle`` zips files into a
``.mcpb`` and ``bundle_ctx`` opens one the way ``scan`` does (safe extraction
into a private temporary directory).
"""

from __future__ import annotations

import copy
import json
import zipfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from mtf_action.bundle.reader import BundleLimits
from mtf_action.scan.context import ScanContext, ScanOptions

Files = dict[str, str | bytes]

# A manifest valid for MCPB v0.4 and MTF L2 (claims level 2); tests copy and edit it.
BASE_MANIFEST: dict[str, Any] = {
    "manifest_version": "0.4",
    "name": "@acme/demo",
    "version": "1.0.0",
    "description": "Demo server",
    "author": {"name": "Acme", "email": "mcp@acme.example"},
    "repository": {"type": "git", "url": "https://github.com/acme/demo"},
    "server": {
        "type": "python",
        "entry_point": "server.py",
        "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]},
    },
    "tools": [{"name": "echo", "description": "Echo the input back"}],
    "_meta": {
        "org.mpaktrust": {
            "mtf_version": "0.1",
            "level": 2,
            "permissions": {
                "filesystem": "none",
                "network": "none",
                "environment": "none",
                "subprocess": "none",
                "native": "none",
            },
        }
    },
}


def manifest(**overrides: Any) -> dict[str, Any]:
    """A fresh copy of :data:`BASE_MANIFEST` with top-level keys replaced (None deletes)."""
    data = copy.deepcopy(BASE_MANIFEST)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def mtf_block(raw: dict[str, Any]) -> dict[str, Any]:
    """The ``_meta["org.mpaktrust"]`` object of a manifest dict (to edit in place)."""
    block: dict[str, Any] = raw.setdefault("_meta", {}).setdefault("org.mpaktrust", {})
    return block


def scan_options(**options: Any) -> ScanOptions:
    """ScanOptions from keyword arguments; limit fields (max_ratio, ...) go to BundleLimits."""
    limit_names = {f.name for f in fields(BundleLimits)}
    limits = {k: options.pop(k) for k in list(options) if k in limit_names}
    if limits:
        options["limits"] = BundleLimits(**limits)
    return ScanOptions(**options)


def write_files(root: Path, files: Files, manifest: dict[str, Any] | None = None) -> list[str]:
    """Write ``files`` (and manifest.json) under ``root``; returns the relative paths."""
    if manifest is not None:
        files = {"manifest.json": json.dumps(manifest, indent=2), **files}
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return sorted(files)


def make_ctx(
    tmp_path: Path,
    files: Files,
    manifest: dict[str, Any] | None = None,
    **options: Any,
) -> ScanContext:
    """A directory-kind context over exactly ``files`` (+ manifest.json) written to ``tmp_path``.

    ``options`` are :class:`ScanOptions` fields (``level``, ``allow_sources``,
    ``scorecard``, ``source_dir``) or :class:`BundleLimits` fields.
    """
    names = write_files(tmp_path, files, manifest)
    return ScanContext(tmp_path, names, kind="directory", options=scan_options(**options))


def make_bundle(
    path: Path,
    files: Files,
    manifest: dict[str, Any] | None = None,
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Zip ``files`` (+ manifest.json) into ``path`` (a ``.mcpb``); returns ``path``."""
    if manifest is not None:
        files = {"manifest.json": json.dumps(manifest, indent=2), **files}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return path


def bundle_ctx(
    tmp_path: Path,
    files: Files,
    manifest: dict[str, Any] | None = None,
    **options: Any,
) -> ScanContext:
    """A bundle-kind context: ``files`` zipped to ``tmp_path/demo.mcpb`` and opened safely.

    Close it (or use it as a context manager) to remove the extraction directory.
    """
    bundle = make_bundle(tmp_path / "demo.mcpb", files, manifest)
    return ScanContext.for_bundle(bundle, scan_options(**options))


def build_bundle_of(tree: Path, output_dir: Path) -> Path:
    """``build --no-vendor`` of a server tree (its deps/ or node_modules/ as they are)."""
    from mtf_action.build import BuildOptions, build_bundle
    from mtf_action.console import Reporter

    summary = build_bundle(
        BuildOptions(
            source_dir=tree,
            output_dir=output_dir,
            vendor=False,
            source_date_epoch=1700000000,
            env={},
        ),
        Reporter(quiet=True),
    )
    return Path(summary.bundle.path)


# A server before and after a pull request (PR diff tests): the shell=True call
# moves down three lines (not new), eval() goes (fixed), and a second identical
# shell=True call comes (new: same snippet text, second occurrence).
BASE_SERVER = """import subprocess


def run(cmd):
    return subprocess.run(cmd, shell=True)


def calc(expr):
    return eval(expr)
"""
HEAD_SERVER = """import subprocess

# a comment
# that moves
# everything down


def run(cmd):
    return subprocess.run(cmd, shell=True)


def run_again(cmd):
    return subprocess.run(cmd, shell=True)
"""
