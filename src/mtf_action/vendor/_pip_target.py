"""After ``pip install --target``: make the tree machine-independent, read the report.

pip's output under ``--target`` is byte-for-byte repeatable for the same wheels
(``--no-compile`` keeps ``.pyc`` out; ``INSTALLER`` and ``REQUESTED`` are fixed;
``RECORD`` rows are sorted) except for what points back at the build machine:

- console scripts in ``bin/`` carry a ``#!/abs/path/to/python`` shebang of the
  interpreter that ran pip. They cannot run inside a bundle anyway (the host
  imports ``deps/`` via ``PYTHONPATH``), so they are removed;
- ``*.dist-info/direct_url.json`` (PEP 610) records ``file:///abs/path`` for
  wheels installed from a local path, so that file is removed in that case.

The ``RECORD`` rows of removed files are dropped so ``RECORD`` stays truthful.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path
from typing import Any

from mtf_action.vendor.model import VendoredArtifact

_BUILD_MACHINE_DIRS = ("bin",)


def make_reproducible(target: Path) -> list[str]:
    """Remove machine-specific files from a ``--target`` tree; returns notes."""
    notes: list[str] = []
    removed: set[Path] = set()
    for name in _BUILD_MACHINE_DIRS:
        folder = target / name
        if folder.is_dir() and not folder.is_symlink():
            removed.update(p.resolve() for p in folder.rglob("*"))
            shutil.rmtree(folder)
            notes.append(
                f"removed {name}/ (console scripts with this machine's interpreter path; "
                "a bundle imports deps/ instead)"
            )
    for direct_url in sorted(target.glob("*.dist-info/direct_url.json")):
        if _is_local(direct_url):
            removed.add(direct_url.resolve())
            direct_url.unlink()
            notes.append(f"removed {direct_url.relative_to(target)} (local file path)")
    for cache in sorted(target.rglob("__pycache__"), reverse=True):
        if cache.is_dir():
            shutil.rmtree(cache)
    if removed:
        for record in sorted(target.glob("*.dist-info/RECORD")):
            _drop_rows(record, target, removed)
    return notes


def _is_local(direct_url: Path) -> bool:
    try:
        data = json.loads(direct_url.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True  # unreadable: do not ship what we cannot vouch for
    return not isinstance(data, dict) or str(data.get("url", "")).startswith("file:")


def _drop_rows(record: Path, target: Path, removed: set[Path]) -> None:
    """Rewrite ``RECORD`` without rows for removed files or paths outside ``target``."""
    base = record.parent.parent  # RECORD paths are relative to the install dir
    raw = record.read_bytes().decode("utf-8")
    kept: list[str] = []
    for line in raw.splitlines(keepends=True):
        fields = next(csv.reader([line]), [])
        if fields:
            where = Path(os.path.normpath(base / fields[0])).resolve()
            if where in removed or not where.is_relative_to(target.resolve()):
                continue
        kept.append(line)
    record.write_bytes("".join(kept).encode("utf-8"))


def binary_wheel_tags(target: Path) -> list[str]:
    """Wheel tags in ``target`` that tie it to one Python/platform (not ``*-none-any``)."""
    tags: set[str] = set()
    for wheel in target.glob("*.dist-info/WHEEL"):
        for line in wheel.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Tag" and not value.strip().endswith("-none-any"):
                tags.add(value.strip())
    return sorted(tags)


def read_pip_report(report: Path) -> list[VendoredArtifact]:
    """Installed items of ``pip install --report`` with the archive digests pip checked."""
    try:
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    artifacts = []
    for item in data.get("install", []):
        metadata = item.get("metadata", {})
        info = item.get("download_info", {})
        archive = info.get("archive_info", {})
        hashes = archive.get("hashes") or {}
        if not hashes and "=" in str(archive.get("hash", "")):
            alg, _, digest = str(archive["hash"]).partition("=")
            hashes = {alg: digest}
        artifacts.append(
            VendoredArtifact(
                name=str(metadata.get("name", "")),
                version=str(metadata.get("version", "")),
                hashes=tuple(sorted(f"{a.lower()}:{h.lower()}" for a, h in hashes.items())),
                url=str(info["url"]) if info.get("url") else None,
            )
        )
    return sorted(artifacts, key=lambda a: (a.name.lower(), a.version))
