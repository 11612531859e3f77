"""``pnpm-lock.yaml`` reader (lockfile v6 and v9; v5 best effort).

v6 lists packages as ``/name@version(peers)`` with their dependencies and a
``dev`` flag. v9 splits metadata (``packages``, keyed ``name@version``) from the
graph (``snapshots``, keyed ``name@version(peers)``) and drops ``dev``: dev-only
packages are those not reachable from the importers' production dependencies.
Lock keys are the graph keys without v6's leading ``/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import (
    TextSource,
    expect_type,
    is_commit,
    load_text,
    sri_to_hashes,
)
from mtf_action.lockfiles.model import LockedPackage, Lockfile

_PROD = ("dependencies", "optionalDependencies")
_TOP_KEY = re.compile(r"^  (?P<q>['\"]?)(?P<key>[^\s'\"].*?)(?P=q):(?: |$)")


def read_pnpm_lock(path: Path, *, text_source: TextSource | None = None) -> Lockfile:
    """Read ``pnpm-lock.yaml``."""
    import yaml  # only pnpm bundles need it; every scan imports this module

    text = load_text(path, text_source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InvalidInputError(f"not valid YAML: {problem}{where}", path=path) from exc
    data = expect_type(data, dict, "the document", path)
    raw_version = str(data.get("lockfileVersion", ""))
    try:
        major = int(float(raw_version))
    except ValueError as exc:
        raise InvalidInputError(f"unknown lockfileVersion {raw_version!r}", path=path) from exc
    notes = [f"pnpm lockfile v{major}: read best-effort"] if major not in (6, 9) else []

    metadata = expect_type(data.get("packages") or {}, dict, "'packages'", path)
    graph = expect_type(data.get("snapshots") or {}, dict, "'snapshots'", path) or metadata
    nodes = {_clean_key(k, major): v or {} for k, v in graph.items()}
    meta = {_clean_key(k, major): v or {} for k, v in metadata.items()}
    importers = data.get("importers") or {".": data}
    direct_refs = [
        _ref(n, r, major)
        for imp in importers.values()
        for t in (*_PROD, "devDependencies")
        for n, r in (imp.get(t) or {}).items()
    ]
    prod_refs = [
        _ref(n, r, major)
        for imp in importers.values()
        for t in _PROD
        for n, r in (imp.get(t) or {}).items()
    ]
    runtime = _closure((r for r in prod_refs if r), nodes, major)
    lines = _key_lines(text, "snapshots" if "snapshots" in data else "packages")

    packages = []
    for key in sorted(nodes):
        node = expect_type(nodes[key], dict, f"entry {key!r}", path)
        base = key.split("(", 1)[0]
        info = meta.get(base) or meta.get(key) or node
        name, version = _split(base)
        resolution = info.get("resolution") or {}
        source, pinned = _source(resolution)
        integrity = resolution.get("integrity")
        dev = node.get("dev") is True if "dev" in node else key not in runtime
        packages.append(
            LockedPackage(
                name=str(info.get("name") or name),
                version=str(info.get("version") or version),
                ecosystem="npm",
                hashes=sri_to_hashes(str(integrity), path) if integrity else (),
                source=source,
                dev=dev,
                optional=bool(node.get("optional") or info.get("optional")),
                direct=key in direct_refs,
                dependencies=tuple(sorted(set(_deps(node, major, nodes)))),
                line=lines.get(key),
                pinned=pinned,
                lock_key=key,
            )
        )
    return Lockfile(
        path=path,
        kind="pnpm-lock.yaml",
        packages=tuple(packages),
        format_version=raw_version,
        notes=tuple(notes),
    )


def _clean_key(key: Any, major: int) -> str:
    text = str(key).lstrip("/")
    if major < 6 and "@" not in text.lstrip("@"):  # v5: "name/1.0.0" or "@s/name/1.0.0"
        name, _, version = text.rpartition("/")
        text = f"{name}@{version}"
    return text


def _ref(name: str, ref: Any, major: int) -> str | None:
    """Graph key a dependency reference points at (``None`` for ``link:`` folders)."""
    if isinstance(ref, dict):  # importer entries: {specifier, version}
        ref = ref.get("version")
    text = str(ref)
    if text.startswith(("link:", "file:")) and "@" not in text:
        return None
    if text.startswith("/") or ("@" in text.split("(", 1)[0].lstrip("@")):
        return _clean_key(text, major)  # alias or tarball: already a full key
    return f"{name}@{text}"


def _deps(node: dict[str, Any], major: int, nodes: dict[str, Any]) -> Iterable[str]:
    for table in _PROD:
        for name, ref in (node.get(table) or {}).items():
            key = _ref(str(name), ref, major)
            if key is not None and key in nodes:
                yield key


def _closure(starts: Iterable[str], nodes: dict[str, Any], major: int) -> set[str]:
    todo, seen = list(starts), set[str]()
    while todo:
        key = todo.pop()
        if key in seen or key not in nodes:
            continue
        seen.add(key)
        todo.extend(_deps(nodes[key] or {}, major, nodes))
    return seen


def _split(base: str) -> tuple[str, str]:
    """``@scope/name@1.0.0`` -> (``@scope/name``, ``1.0.0``)."""
    scoped = base.startswith("@")
    name, _, version = base[1:].partition("@") if scoped else base.partition("@")
    return (f"@{name}" if scoped else name), version


def _source(resolution: dict[str, Any]) -> tuple[str | None, bool]:
    if resolution.get("type") == "git" or "commit" in resolution:
        commit = str(resolution.get("commit", ""))
        return f"git+{resolution.get('repo', '')}#{commit}", is_commit(commit)
    if resolution.get("tarball"):
        return str(resolution["tarball"]), True
    if resolution.get("directory"):
        return f"file:{resolution['directory']}", False
    return None, True


def _key_lines(text: str, section: str) -> dict[str, int]:
    found: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if line and not line[0].isspace():
            inside = line.rstrip() == f"{section}:"
            continue
        match = _TOP_KEY.match(line) if inside else None
        if match:
            found.setdefault(match.group("key").lstrip("/"), number)
    return found
