"""pip requirements files (``requirements*.txt``) read as a lockfile.

Handles what pip-compile / ``uv export`` / hand-written files contain: ``\\``
continuations, comments, ``--hash`` options, markers, ``-e``, direct URLs and VCS
refs, version ranges (kept as ``specifier`` with ``pinned=False`` for SC-03), and
``-r`` includes relative to the including file, never outside ``root``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import (
    TextSource,
    file_exists,
    is_commit,
    load_text,
    python_keys,
)
from mtf_action.lockfiles.model import LockedPackage, Lockfile

_COMMENT = re.compile(r"(^|\s+)#.*$")
_VCS = ("git+", "hg+", "svn+", "bzr+")


@dataclass
class _State:
    root: Path
    top: Path
    text_source: TextSource | None = None
    index_url: str | None = None
    seen: set[Path] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    found: list[LockedPackage] = field(default_factory=list)


def read_requirements(
    path: Path, *, root: Path | None = None, text_source: TextSource | None = None
) -> Lockfile:
    """Read a requirements file and its ``-r`` includes (which must stay under ``root``,
    by default the file's directory)."""
    state = _State(
        root=(root or path.parent).resolve(), top=path.resolve(), text_source=text_source
    )
    _read_file(path, state)
    keys = python_keys((p.name, p.version) for p in state.found)
    # pip treats --index-url as global wherever it appears in the files.
    packages = [
        replace(p, lock_key=k, source=p.source or state.index_url)
        for p, k in zip(state.found, keys, strict=True)
    ]
    return Lockfile(
        path=path, kind="requirements.txt", packages=tuple(packages), notes=tuple(state.notes)
    )


def _read_file(path: Path, state: _State) -> None:
    resolved = path.resolve()
    if resolved in state.seen:
        return
    state.seen.add(resolved)
    for number, line in _logical_lines(load_text(path, state.text_source)):
        _read_line(path, number, line, state)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line number, joined text) with comments stripped."""
    out: list[tuple[int, str]] = []
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not buffer:
            start = number
        line = _COMMENT.sub("", raw)
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            out.append((start, buffer.strip()))
        buffer = ""
    if buffer.strip():
        out.append((start, buffer.strip()))
    return out


def _read_line(path: Path, number: int, line: str, state: _State) -> None:
    where = f"{path}:{number}"
    if not line.startswith("-"):
        _add_requirement(path, number, line, state)
        return
    try:
        tokens = shlex.split(line, posix=True)
    except ValueError as exc:
        raise InvalidInputError(f"line {number}: cannot split ({exc})", path=path) from exc
    head, _, inline = tokens[0].partition("=")
    value = inline or (tokens[1] if len(tokens) > 1 else "")
    if head in ("-r", "--requirement") or (head.startswith("-r") and len(head) > 2):
        target = value if head in ("-r", "--requirement") else head[2:]
        _include(path, number, target, state)
    elif head in ("-e", "--editable"):
        _add_editable(path, number, value, state)
    elif head in ("-i", "--index-url"):
        state.index_url = value
    elif head in ("-c", "--constraint"):
        state.notes.append(f"{where}: constraints file {value!r} not read (pins nothing)")
    # other global options (--find-links, --pre, ...) pin nothing


def _include(path: Path, number: int, target: str, state: _State) -> None:
    if "://" in target:
        raise InvalidInputError(f"line {number}: remote include {target!r} not read", path=path)
    included = (path.parent / target).resolve()
    if not included.is_relative_to(state.root):
        raise InvalidInputError(
            f"line {number}: include {target!r} points outside {state.root}", path=path
        )
    if not file_exists(included, state.text_source):
        raise InvalidInputError(f"line {number}: included file {target!r} not found", path=path)
    _read_file(included, state)


def _add_editable(path: Path, number: int, target: str, state: _State) -> None:
    name, version, _, _ = _from_url(target)
    state.found.append(
        LockedPackage(
            name=name or target,
            version=version,
            ecosystem="pypi",
            source=target if "://" in target else f"file:{target}",
            direct=True,
            pinned=False,
            specifier=f"-e {target}",
            line=number if path.resolve() == state.top else None,
        )
    )


def _add_requirement(path: Path, number: int, line: str, state: _State) -> None:
    # Like pip: the requirement runs up to the first word starting with "-";
    # per-requirement options (--hash, --config-settings) follow.
    words = line.split()
    cut = next((i for i, w in enumerate(words) if w.startswith("-")), len(words))
    text = " ".join(words[:cut])
    hashes: list[str] = []
    options = iter(words[cut:])
    for option in options:
        if option.startswith("--hash"):
            value = option.partition("=")[2] or next(options, "")
            alg, sep, digest = value.partition(":")
            if not sep or not digest:
                raise InvalidInputError(f"line {number}: malformed --hash {value!r}", path=path)
            hashes.append(f"{alg.lower()}:{digest.lower()}")
    line_number = number if path.resolve() == state.top else None
    source: str | None
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        url, _, marker = text.partition(" ;")
        if "://" not in url and not url.startswith((".", "/")):
            raise InvalidInputError(f"line {number}: {exc}", path=path) from exc
        req_name, version, pinned, source = _from_url(url.strip())
        name, marker_text = req_name or url.strip(), marker.strip(" ;") or None
        specifier = None if pinned else text
    else:
        name, marker_text = req.name, str(req.marker) if req.marker else None
        if req.url:
            _, version, pinned, source = _from_url(req.url)
        else:
            version, source = _exact(req), None
            pinned = bool(version)
        pinned = pinned or bool(req.url and hashes)
        specifier = None if pinned else text
    state.found.append(
        LockedPackage(
            name=name,
            version=version,
            ecosystem="pypi",
            hashes=tuple(hashes),
            source=source,
            direct=True,
            pinned=pinned,
            specifier=specifier,
            markers=marker_text,
            line=line_number,
        )
    )


def _exact(req: Requirement) -> str:
    """The version when the specifier pins exactly one (``==1.2`` / ``===1.2``)."""
    specs = list(req.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return specs[0].version
    return ""


def _from_url(url: str) -> tuple[str, str, bool, str]:
    """(name, version, pinned, source) guessed from a direct reference or path."""
    parts = urlsplit(url)
    fragment = dict(p.partition("=")[::2] for p in parts.fragment.split("&") if p)
    name = fragment.get("egg", "")
    filename = parts.path.rstrip("/").rpartition("/")[2]
    version = ""
    try:
        wheel_name, wheel_version, _, _ = parse_wheel_filename(filename)
        name, version = name or str(wheel_name), str(wheel_version)
    except InvalidWheelFilename:
        try:
            sdist_name, sdist_version = parse_sdist_filename(filename)
            name, version = name or str(sdist_name), str(sdist_version)
        except InvalidSdistFilename:
            pass
    if url.startswith(_VCS):
        ref = parts.path.rpartition("@")[2] if "@" in parts.path else ""
        return name, version, is_commit(ref), url
    if "://" not in url:
        return name, version, False, f"file:{url}"
    if url.startswith("file:"):
        return name, version, False, url
    has_hash = any(k in fragment for k in ("sha256", "sha384", "sha512"))
    return name, version, has_hash or bool(version), url
