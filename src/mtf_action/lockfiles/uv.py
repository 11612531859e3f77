"""uv.lock reader (TOML, lock ``version = 1``).

uv locks every package the workspace could need, for every platform, dev groups
included. The runtime set is the closure of the project's ``dependencies`` (plus
the extras/groups the caller asks for) over the ``[[package]].dependencies``
graph, following ``extra = [...]`` into ``[package.optional-dependencies]``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import (
    TextSource,
    expect_type,
    is_commit,
    load_text,
    load_toml,
    normalize,
    python_keys,
    table_header_lines,
)
from mtf_action.lockfiles.model import LockedPackage, Lockfile

_PROJECT_SOURCES = ("editable", "virtual")


@dataclass(frozen=True)
class _Edge:
    target: str  # lock key
    extras: tuple[str, ...]
    marker: str | None


def read_uv_lock(
    path: Path,
    *,
    extras: Sequence[str] = (),
    groups: Sequence[str] = (),
    text_source: TextSource | None = None,
) -> Lockfile:
    """Read ``uv.lock``; ``extras``/``groups`` of the project count as runtime."""
    text = load_text(path, text_source)
    data = load_toml(path, text)
    version = data.get("version")
    if not isinstance(version, int):
        raise InvalidInputError("not a uv lockfile (no integer 'version')", path=path)
    raw = expect_type(data.get("package", []), list, "'package'", path)
    lines = table_header_lines(text, "package")
    entries = [_entry(p, i, path) for i, p in enumerate(raw)]
    keys = python_keys((e["name"], str(e.get("version", ""))) for e in entries)
    index = _Index(entries, keys, path)

    projects = _project_keys(data, entries, keys)
    notes: list[str] = []
    if version != 1:
        notes.append(f"uv.lock version {version} (this reader knows version 1)")
    runtime_extras: dict[str, set[str]] = defaultdict(set)
    direct_markers: dict[str, list[str | None]] = defaultdict(list)
    if projects:
        starts: list[_Edge] = []
        for key in projects:
            entry = index.entry(key)
            starts += index.edges(entry.get("dependencies", []))
            optional = entry.get("optional-dependencies", {})
            dev = entry.get("dev-dependencies", {})
            for extra in extras:
                starts += index.edges(optional.get(extra, []))
            for group in groups:
                starts += index.edges(dev.get(group, []))
        for edge in starts:
            if edge.target not in projects:
                direct_markers[edge.target].append(edge.marker)
        runtime = _closure(starts, index, runtime_extras)
    else:
        notes.append("uv.lock names no project (editable/virtual source): all packages runtime")
        runtime = set(keys)
        for key in keys:
            runtime_extras[key] = set()

    packages = []
    for i, (entry, key) in enumerate(zip(entries, keys, strict=True)):
        if key in projects:
            continue
        dep_edges = index.edges(entry.get("dependencies", []))
        optional = entry.get("optional-dependencies", {})
        for extra in sorted(runtime_extras.get(key, ())):
            dep_edges += index.edges(optional.get(extra, []))
        source, pinned = _source(entry.get("source", {}))
        marks = direct_markers.get(key)
        packages.append(
            LockedPackage(
                name=entry["name"],
                version=str(entry.get("version", "")),
                ecosystem="pypi",
                hashes=_hashes(entry),
                source=source,
                dev=key not in runtime,
                direct=marks is not None,
                dependencies=tuple(sorted({e.target for e in dep_edges})),
                dependency_markers=tuple(
                    sorted({(e.target, e.marker) for e in dep_edges if e.marker})
                ),
                markers=None if not marks or None in marks else " or ".join(map(str, marks)),
                line=lines[i] if i < len(lines) else None,
                pinned=pinned,
                lock_key=key,
            )
        )
    return Lockfile(
        path=path,
        kind="uv.lock",
        packages=tuple(packages),
        format_version=f"{version}.{data.get('revision', 0)}",
        projects=tuple(index.entry(k)["name"] for k in sorted(projects)),
        notes=tuple(notes),
    )


class _Index:
    """Resolves a dependency entry ``{name, version?, extra?, marker?}`` to lock keys."""

    def __init__(self, entries: list[dict[str, Any]], keys: list[str], path: Path) -> None:
        self._path = path
        self._by_key = dict(zip(keys, entries, strict=True))
        self._by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for entry, key in zip(entries, keys, strict=True):
            self._by_name[normalize(entry["name"])].append((key, str(entry.get("version", ""))))

    def entry(self, key: str) -> dict[str, Any]:
        return self._by_key[key]

    def edges(self, raw: Any) -> list[_Edge]:
        out: list[_Edge] = []
        for dep in expect_type(raw, list, "a dependency list", self._path):
            dep = expect_type(dep, dict, "a dependency entry", self._path)
            name = dep.get("name")
            if not isinstance(name, str):
                raise InvalidInputError("dependency entry without a name", path=self._path)
            candidates = self._by_name.get(normalize(name), [])
            if "version" in dep:
                candidates = [c for c in candidates if c[1] == str(dep["version"])]
            if not candidates:
                raise InvalidInputError(
                    f"dependency {name!r} has no [[package]] entry", path=self._path
                )
            extra = tuple(str(x) for x in dep.get("extra", []))
            marker = dep.get("marker")
            out += [_Edge(key, extra, str(marker) if marker else None) for key, _ in candidates]
        return out


def _closure(starts: Iterable[_Edge], index: _Index, extras: dict[str, set[str]]) -> set[str]:
    """Keys reachable from ``starts``; records which extras got activated where."""
    seen: set[tuple[str, str | None]] = set()
    todo = [(e.target, x) for e in starts for x in (None, *e.extras)]
    reached: set[str] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        key, extra = node
        reached.add(key)
        entry = index.entry(key)
        if extra is None:
            deps = entry.get("dependencies", [])
        else:
            extras[key].add(extra)
            deps = entry.get("optional-dependencies", {}).get(extra, [])
        for edge in index.edges(deps):
            todo += [(edge.target, x) for x in (None, *edge.extras)]
    return reached


def _project_keys(data: dict[str, Any], entries: list[dict[str, Any]], keys: list[str]) -> set[str]:
    members = data.get("manifest", {}).get("members")
    if isinstance(members, list) and members:
        wanted = {normalize(str(m)) for m in members}
        return {k for e, k in zip(entries, keys, strict=True) if normalize(e["name"]) in wanted}
    local = [
        (k, e["source"])
        for e, k in zip(entries, keys, strict=True)
        if isinstance(e.get("source"), dict) and any(s in e["source"] for s in _PROJECT_SOURCES)
    ]
    at_root = {k for k, s in local if any(s.get(x) == "." for x in _PROJECT_SOURCES)}
    return at_root or {k for k, _ in local}


def _entry(raw: Any, i: int, path: Path) -> dict[str, Any]:
    entry: dict[str, Any] = expect_type(raw, dict, f"[[package]] #{i + 1}", path)
    if not isinstance(entry.get("name"), str):
        raise InvalidInputError(f"[[package]] #{i + 1} has no name", path=path)
    where = f"package {entry['name']!r}"
    expect_type(entry.get("dependencies", []), list, f"{where} 'dependencies'", path)
    for table in ("optional-dependencies", "dev-dependencies"):
        expect_type(entry.get(table, {}), dict, f"{where} '{table}'", path)
    return entry


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    files = [entry.get("sdist") or {}, *(entry.get("wheels") or [])]
    found = {str(f["hash"]).lower() for f in files if isinstance(f, dict) and f.get("hash")}
    return tuple(sorted(found))


def _source(source: Any) -> tuple[str | None, bool]:
    """(source string, pinned) for a uv ``source = {...}`` table."""
    if not isinstance(source, dict):
        return None, True
    if "registry" in source:
        return str(source["registry"]), True
    if "git" in source:
        url = str(source["git"])
        commit = url.rpartition("#")[2] if "#" in url else ""
        return f"git+{url}", is_commit(commit)
    if "url" in source:
        return str(source["url"]), True
    for kind in ("path", "directory", *_PROJECT_SOURCES):
        if kind in source:
            return f"file:{source[kind]}", kind == "path"
    return None, True
