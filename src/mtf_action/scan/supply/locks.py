"""Lockfiles and declared dependencies of a scan target, read through the context.

Lockfiles are looked for where ``lockfiles.detect`` looks: at the top of the
server tree (or bundle). They are parsed by the same readers as ``build``, fed
with the bytes the scan context holds, so each file is still read once per scan.
Other ``requirements-*.txt`` files are development extras by convention and are
listed, not evaluated; lockfiles of formats without a reader here (``yarn.lock``,
``go.sum``, ``Cargo.lock``...) are listed so controls can say what they could
not inspect rather than pass silently.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import MAX_LOCKFILE_BYTES, TextSource
from mtf_action.lockfiles.detect import NODE_LOCKFILES, PYTHON_LOCKFILES, read_lockfile
from mtf_action.lockfiles.model import Ecosystem, Lockfile
from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.memo import memo

# Lockfile formats this project has no reader for, and their ecosystem.
UNREAD_LOCKFILES: dict[str, str] = {
    "yarn.lock": "npm",
    "bun.lock": "npm",
    "bun.lockb": "npm",
    "Pipfile.lock": "pypi",
    "pdm.lock": "pypi",
    "go.sum": "go",
    "Cargo.lock": "cargo",
}
# Project files of ecosystems without a reader, and the lockfile each needs.
OTHER_PROJECTS: dict[str, str] = {"go.mod": "go.sum", "Cargo.toml": "Cargo.lock"}


@dataclass(frozen=True)
class LockProblem:
    """A lockfile that could not be parsed: bundle path and one-line reason."""

    path: str
    message: str


@dataclass(frozen=True)
class LockView:
    """What the target says about its pinned dependencies."""

    lockfiles: tuple[Lockfile, ...] = ()
    unreadable: tuple[LockProblem, ...] = ()
    unread_formats: tuple[str, ...] = ()  # present, but no reader (yarn.lock, go.sum, ...)
    extra_requirements: tuple[str, ...] = ()  # requirements-*.txt, not evaluated

    def of(self, ecosystem: Ecosystem) -> tuple[Lockfile, ...]:
        return tuple(lock for lock in self.lockfiles if ecosystem_of(lock) == ecosystem)


@dataclass(frozen=True)
class Declared:
    """Direct runtime dependencies the project files declare (name -> what was written)."""

    pypi: dict[str, str] = field(default_factory=dict)
    npm: dict[str, str] = field(default_factory=dict)
    pypi_file: str | None = None  # pyproject.toml
    npm_file: str | None = None  # package.json
    problems: tuple[LockProblem, ...] = ()


def ecosystem_of(lock: Lockfile) -> Ecosystem:
    return "npm" if lock.kind in ("package-lock.json", "pnpm-lock.yaml") else "pypi"


def rel_path(ctx: ScanContext, lock: Lockfile) -> str:
    """The lockfile's path inside the target (what findings name)."""
    try:
        return lock.path.relative_to(ctx.base).as_posix()
    except ValueError:
        return lock.path.name


def text_source(ctx: ScanContext) -> TextSource:
    """A lockfile-reader text source backed by the context (read-once, no size cap
    below the readers' own): paths outside the target or not in it do not exist."""
    root = ctx.base.resolve()

    def read(path: Path) -> str | None:
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            return None
        if not ctx.has(rel):
            return None
        if ctx.size(rel) > MAX_LOCKFILE_BYTES:
            raise InvalidInputError(f"too large for a lockfile ({ctx.size(rel)} bytes)", path=rel)
        try:
            return ctx.read_bytes(rel).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(f"not UTF-8 text ({exc.reason})", path=rel) from None

    return read


def lock_view(ctx: ScanContext) -> LockView:
    """The target's lockfiles, parsed once per scan."""
    return memo(ctx, "supply.locks", lambda: _read_locks(ctx))


def _read_locks(ctx: ScanContext) -> LockView:
    source = text_source(ctx)
    names = [n for n in (*PYTHON_LOCKFILES, *NODE_LOCKFILES) if ctx.has(n)]
    top = [f for f in ctx.files if "/" not in f]
    extra = tuple(
        f
        for f in top
        if f.startswith("requirements") and f.endswith(".txt") and f != "requirements.txt"
    )
    parsed: list[Lockfile] = []
    problems: list[LockProblem] = []
    for name in names:
        try:
            parsed.append(read_lockfile(ctx.base / name, text_source=source))
        except InvalidInputError as exc:
            problems.append(LockProblem(name, " ".join(exc.message.split())))
    return LockView(
        lockfiles=tuple(parsed),
        unreadable=tuple(problems),
        unread_formats=tuple(n for n in top if n in UNREAD_LOCKFILES),
        extra_requirements=extra,
    )


def declared(ctx: ScanContext) -> Declared:
    """Direct dependencies from ``package.json`` and ``pyproject.toml``, once per scan."""
    return memo(ctx, "supply.declared", lambda: _read_declared(ctx))


def _read_declared(ctx: ScanContext) -> Declared:
    problems: list[LockProblem] = []
    npm: dict[str, str] = {}
    pypi: dict[str, str] = {}
    if ctx.has("package.json"):
        try:
            data = ctx.json_document("package.json")
        except InvalidInputError as exc:
            problems.append(LockProblem("package.json", exc.message))
            data = {}
        if isinstance(data, dict):
            for table in ("dependencies", "optionalDependencies"):
                entries = data.get(table)
                if isinstance(entries, dict):
                    npm.update({str(k): str(v) for k, v in entries.items()})
    if ctx.has("pyproject.toml"):
        pypi = _pyproject_deps(ctx, problems)
    return Declared(
        pypi=pypi,
        npm=npm,
        pypi_file="pyproject.toml" if ctx.has("pyproject.toml") else None,
        npm_file="package.json" if ctx.has("package.json") else None,
        problems=tuple(problems),
    )


def _pyproject_deps(ctx: ScanContext, problems: list[LockProblem]) -> dict[str, str]:
    try:
        data: dict[str, Any] = tomllib.loads(ctx.read_bytes("pyproject.toml").decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(LockProblem("pyproject.toml", f"cannot parse: {exc}"))
        return {}
    out: dict[str, str] = {}
    project = data.get("project")
    lines = project.get("dependencies") if isinstance(project, dict) else None
    for line in lines if isinstance(lines, list) else []:
        try:
            out[Requirement(str(line)).name] = str(line)
        except InvalidRequirement:
            problems.append(LockProblem("pyproject.toml", f"invalid dependency {line!r}"))
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    table = poetry.get("dependencies") if isinstance(poetry, dict) else None
    for name, spec in table.items() if isinstance(table, dict) else []:
        if str(name).lower() != "python":
            out.setdefault(str(name), f"{name} {spec}")
    return out
