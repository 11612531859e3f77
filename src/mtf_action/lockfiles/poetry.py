"""poetry.lock reader (TOML, lock-version 1.x and 2.x).

Which packages are runtime: computed from the ``pyproject.toml`` beside the lock
when there is one (main dependencies plus requested extras/groups, followed over
``[package.dependencies]``); else from the lock's own ``groups`` (2.1) or
``category`` (1.x) fields; else every package counts as runtime, and the
returned lockfile says so in its notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import (
    TextSource,
    expect_type,
    file_exists,
    is_commit,
    load_text,
    load_toml,
    normalize,
    python_keys,
    table_header_lines,
)
from mtf_action.lockfiles.model import LockedPackage, Lockfile

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# (dependency name, requested extras, marker, optional-only)
_Dep = tuple[str, tuple[str, ...], str | None, bool]


def read_poetry_lock(
    path: Path,
    *,
    pyproject: Path | None = None,
    extras: Sequence[str] = (),
    groups: Sequence[str] = (),
    text_source: TextSource | None = None,
) -> Lockfile:
    """Read ``poetry.lock``; ``pyproject`` defaults to the file beside it."""
    text = load_text(path, text_source)
    data = load_toml(path, text)
    metadata = expect_type(data.get("metadata", {}), dict, "[metadata]", path)
    raw = expect_type(data.get("package", []), list, "'package'", path)
    entries = [expect_type(p, dict, "[[package]]", path) for p in raw]
    for i, entry in enumerate(entries):
        if not isinstance(entry.get("name"), str) or not isinstance(entry.get("version"), str):
            raise InvalidInputError(f"[[package]] #{i + 1} lacks name or version", path=path)
    keys = python_keys((e["name"], e["version"]) for e in entries)
    by_name: dict[str, list[str]] = defaultdict(list)
    for entry, key in zip(entries, keys, strict=True):
        by_name[normalize(entry["name"])].append(key)
    by_key = dict(zip(keys, entries, strict=True))
    lines = table_header_lines(text, "package")
    old_files = metadata.get("files", {}) if isinstance(metadata.get("files"), dict) else {}

    notes: list[str] = []
    pyproject = pyproject or path.with_name("pyproject.toml")
    starts = (
        _pyproject_deps(pyproject, extras, groups, text_source)
        if file_exists(pyproject, text_source)
        else None
    )
    direct: dict[str, str | None] = {}
    runtime_extras: dict[str, set[str]] = defaultdict(set)
    if starts:
        for name, _, marker, _ in starts:
            for key in by_name.get(normalize(name), []):
                direct[key] = marker
        runtime = _closure(starts, by_name, by_key, runtime_extras, path)
    else:
        runtime = {k for k, e in by_key.items() if not _flagged_dev(e)}
        if not any("groups" in e or "category" in e for e in entries):
            notes.append(
                "poetry.lock has no group information and no pyproject.toml beside it: "
                "every package treated as runtime"
            )

    packages = []
    for i, (entry, key) in enumerate(zip(entries, keys, strict=True)):
        deps = [d for d in _package_deps(entry, path) if not d[3]]
        extras_of = entry.get("extras", {}) if isinstance(entry.get("extras"), dict) else {}
        for extra in runtime_extras.get(key, ()):
            wanted = {_req_name(r) for r in extras_of.get(extra, [])}
            deps += [d for d in _package_deps(entry, path) if d[3] and normalize(d[0]) in wanted]
        targets = {(k, d[2]) for d in deps for k in by_name.get(normalize(d[0]), [])}
        files = entry.get("files") or old_files.get(entry["name"], [])
        source, pinned = _source(entry.get("source"))
        marker = entry.get("markers")
        packages.append(
            LockedPackage(
                name=entry["name"],
                version=entry["version"],
                ecosystem="pypi",
                hashes=tuple(sorted({str(f["hash"]) for f in files if f.get("hash")})),
                source=source,
                dev=key not in runtime,
                direct=key in direct,
                dependencies=tuple(sorted({k for k, _ in targets})),
                dependency_markers=tuple(sorted((k, m) for k, m in targets if m)),
                markers=direct.get(key) or (marker if isinstance(marker, str) else None),
                line=lines[i] if i < len(lines) else None,
                pinned=pinned,
                lock_key=key,
            )
        )
    return Lockfile(
        path=path,
        kind="poetry.lock",
        packages=tuple(packages),
        format_version=str(metadata.get("lock-version")) if "lock-version" in metadata else None,
        notes=tuple(notes),
    )


def _flagged_dev(entry: dict[str, Any]) -> bool:
    if isinstance(entry.get("groups"), list):
        return "main" not in entry["groups"] or bool(entry.get("optional"))
    return entry.get("category") == "dev" or bool(entry.get("optional"))


def _closure(
    starts: Iterable[_Dep],
    by_name: dict[str, list[str]],
    by_key: dict[str, dict[str, Any]],
    activated: dict[str, set[str]],
    path: Path,
) -> set[str]:
    todo = [
        (k, x) for n, ex, _, _ in starts for k in by_name.get(normalize(n), []) for x in (None, *ex)
    ]
    seen: set[tuple[str, str | None]] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        key, extra = node
        entry = by_key[key]
        deps = _package_deps(entry, path)
        if extra is None:
            deps = [d for d in deps if not d[3]]
        else:
            activated[key].add(extra)
            wanted = {_req_name(r) for r in entry.get("extras", {}).get(extra, [])}
            deps = [d for d in deps if normalize(d[0]) in wanted]
        todo += [
            (k, x)
            for n, ex, _, _ in deps
            for k in by_name.get(normalize(n), [])
            for x in (None, *ex)
        ]
    return {k for k, _ in seen}


def _package_deps(entry: dict[str, Any], path: Path) -> list[_Dep]:
    table = expect_type(entry.get("dependencies", {}), dict, "[package.dependencies]", path)
    return [_dep(name, spec) for name, spec in table.items()]


def _dep(name: str, spec: Any) -> _Dep:
    """One poetry dependency spec: a string, a table, or a list of tables."""
    specs = spec if isinstance(spec, list) else [spec]
    tables = [s for s in specs if isinstance(s, dict)]
    extras = tuple(sorted({str(x) for t in tables for x in t.get("extras", [])}))
    markers = [t.get("markers") for t in tables] or [None]
    if len(tables) < len(specs):  # a bare version string: unconditional
        markers.append(None)
    marker = None if None in markers else " or ".join(f"({m})" for m in markers)
    optional = bool(tables) and all(t.get("optional") for t in tables)
    return name, extras, marker, optional


def _pyproject_deps(
    path: Path, extras: Sequence[str], groups: Sequence[str], text_source: TextSource | None
) -> list[_Dep]:
    data = load_toml(path, load_text(path, text_source))
    poetry = data.get("tool", {}).get("poetry", {})
    project = data.get("project", {})
    deps = [_pep508(str(line), path) for line in project.get("dependencies", [])]
    for extra in extras:
        deps += [
            _pep508(str(r), path) for r in project.get("optional-dependencies", {}).get(extra, [])
        ]
    wanted_optional = {normalize(n) for e in extras for n in poetry.get("extras", {}).get(e, [])}
    for name, spec in poetry.get("dependencies", {}).items():
        if name.lower() == "python":
            continue
        dep = _dep(name, spec)
        if not dep[3] or normalize(name) in wanted_optional:
            deps.append((dep[0], dep[1], dep[2], False))
    for group in groups:
        table = poetry.get("group", {}).get(group, {}).get("dependencies", {})
        if group == "dev":
            table = {**poetry.get("dev-dependencies", {}), **table}
        deps += [_dep(n, s) for n, s in table.items()]
    return deps


def _pep508(line: str, path: Path) -> _Dep:
    try:
        req = Requirement(line)
    except InvalidRequirement as exc:
        raise InvalidInputError(f"invalid dependency {line!r}: {exc}", path=path) from exc
    return req.name, tuple(sorted(req.extras)), str(req.marker) if req.marker else None, False


def _req_name(requirement: Any) -> str:
    match = _NAME.match(str(requirement))
    return normalize(match.group(1)) if match else ""


def _source(source: Any) -> tuple[str | None, bool]:
    """(source string, pinned) for ``[package.source]``; none means PyPI."""
    if not isinstance(source, dict):
        return None, True
    kind, url = str(source.get("type", "")), str(source.get("url", ""))
    if kind == "git":
        commit = str(source.get("resolved_reference") or source.get("reference") or "")
        return f"git+{url}#{commit}" if commit else f"git+{url}", is_commit(commit)
    if kind in ("file", "directory"):
        return f"file:{url}", kind == "file"
    return url or None, True
