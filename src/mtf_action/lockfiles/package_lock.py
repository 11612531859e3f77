"""npm ``package-lock.json`` / ``npm-shrinkwrap.json`` reader (lockfile v1, v2, v3).

v2/v3 list every installed folder in ``packages`` keyed by its path
(``node_modules/a/node_modules/@s/b``); those paths are the lock keys. v1 only has
the nested ``dependencies`` tree, from which the same paths are rebuilt.
Dependency edges are resolved the way Node resolves ``require``: nearest
``node_modules`` folder first, then each parent up to the root.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import (
    TextSource,
    expect_type,
    file_exists,
    is_commit,
    load_text,
    sri_to_hashes,
)
from mtf_action.lockfiles.model import LockedPackage, Lockfile

_NM = "node_modules/"
_DEP_TABLES = ("dependencies", "optionalDependencies", "peerDependencies")
_ROOT_TABLES = (*_DEP_TABLES, "devDependencies")
_PACKAGES_KEY = re.compile(r'^    "((?:[^"\\]|\\.)*)": \{')


def read_package_lock(path: Path, *, text_source: TextSource | None = None) -> Lockfile:
    """Read ``package-lock.json`` (or ``npm-shrinkwrap.json``) of any lockfile version."""
    text = load_text(path, text_source)
    data = _load_json(path, text)
    version = data.get("lockfileVersion")
    if version not in (1, 2, 3):
        raise InvalidInputError(f"unsupported lockfileVersion {version!r}", path=path)
    notes: list[str] = []
    if version == 1 or "packages" not in data:
        notes.append("package-lock v1 (npm 6): re-lock with npm 7+ for a complete lockfile")
        entries = dict(
            _flatten_v1(expect_type(data.get("dependencies", {}), dict, "'dependencies'", path), "")
        )
        root = _sibling_package_json(path, text_source)
        lines: dict[str, int] = {}
    else:
        entries = expect_type(data["packages"], dict, "'packages'", path)
        root = entries.get("", {})
        lines = _entry_lines(text)
    root_names = {n for t in _ROOT_TABLES for n in (root.get(t) or {})}

    keys = {k for k in entries if _NM in k}
    packages = []
    for key in sorted(keys):
        entry = expect_type(entries[key], dict, f"entry {key!r}", path)
        if entry.get("link"):
            notes.append(f"{key} is a link to {entry.get('resolved')!r} (workspace), not a package")
            continue
        name = entry.get("name") or key.rpartition(_NM)[2]
        resolved = entry.get("resolved")
        integrity = entry.get("integrity")
        deps = {n for t in (*_DEP_TABLES, "requires") for n in (entry.get(t) or {})}
        targets = sorted(
            {t for n in deps if (t := resolve_node_dependency(key, n, keys)) is not None}
        )
        packages.append(
            LockedPackage(
                name=str(name),
                version=str(entry.get("version", "")),
                ecosystem="npm",
                hashes=sri_to_hashes(str(integrity), path) if integrity else (),
                source=str(resolved) if resolved else None,
                dev=bool(entry.get("dev")),
                optional=bool(entry.get("optional") or entry.get("devOptional")),
                direct=key.startswith(_NM) and key[len(_NM) :] in root_names,
                dependencies=tuple(targets),
                line=lines.get(key),
                pinned=_pinned(entry),
                lock_key=key,
            )
        )
    return Lockfile(
        path=path,
        kind="package-lock.json",
        packages=tuple(packages),
        format_version=str(version),
        projects=(str(root["name"]),) if root.get("name") else (),
        notes=tuple(notes),
    )


def resolve_node_dependency(from_key: str, name: str, keys: Collection[str]) -> str | None:
    """The folder Node would load ``name`` from, seen from the package at ``from_key``."""
    base = from_key
    while True:
        candidate = f"{base}/{_NM}{name}" if base else f"{_NM}{name}"
        if candidate in keys:
            return candidate
        if not base:
            return None
        cut = base.rfind(_NM)
        base = base[:cut].rstrip("/") if cut > 0 else ""


def _pinned(entry: dict[str, Any]) -> bool:
    version = str(entry.get("version", ""))
    resolved = str(entry.get("resolved", ""))
    if resolved.startswith("git") or version.startswith("git"):
        ref = (resolved or version).rpartition("#")[2]
        return is_commit(ref)
    return bool(version)


def _load_json(path: Path, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", path=path
        ) from exc
    return expect_type(data, dict, "the document", path)  # type: ignore[no-any-return]


def _flatten_v1(tree: dict[str, Any], parent: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """v1 nested ``dependencies`` -> (v2-style key, entry) pairs."""
    for name, entry in tree.items():
        if not isinstance(entry, dict):
            continue
        key = f"{parent}/{_NM}{name}" if parent else f"{_NM}{name}"
        version = str(entry.get("version", ""))
        flat = dict(entry)
        if version.startswith("npm:"):  # alias: "npm:real-name@1.2.3"
            real, _, flat["version"] = version[4:].rpartition("@")
            flat["name"] = real
        yield key, flat
        yield from _flatten_v1(entry.get("dependencies") or {}, key)


def _sibling_package_json(path: Path, text_source: TextSource | None) -> dict[str, Any]:
    manifest = path.with_name("package.json")
    if not file_exists(manifest, text_source):
        return {}
    return _load_json(manifest, load_text(manifest, text_source))


def _entry_lines(text: str) -> dict[str, int]:
    """Line of each ``packages`` key, as npm formats the file (2-space indent)."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _PACKAGES_KEY.match(line)
        if match:
            found.setdefault(json.loads(f'"{match.group(1)}"'), number)
    return found
