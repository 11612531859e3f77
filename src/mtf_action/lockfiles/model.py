"""What every lockfile reader returns: the packages it pins, in one shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from packaging.markers import InvalidMarker, Marker, default_environment

Ecosystem = Literal["pypi", "npm"]
LockKind = Literal[
    "uv.lock", "poetry.lock", "requirements.txt", "package-lock.json", "pnpm-lock.yaml"
]


@dataclass(frozen=True)
class LockedPackage:
    """One package pinned by a lockfile.

    ``hashes`` are ``"<alg>:<hex>"`` strings (npm SRI integrity is converted to
    hex, e.g. ``"sha512:..."``). ``source`` is where the lockfile says the
    artifact comes from, or ``None`` when the lockfile does not say (the
    ecosystem's default registry): a registry index URL, a download URL,
    ``git+<url>`` for VCS sources, or ``file:<path>`` for local paths.
    ``line`` is the 1-based line of the entry in the lockfile where the reader
    can tell, for findings that point at it.

    ``dev`` means "not installed at run time": development groups, and Python
    extras or groups nobody asked for. ``optional`` means installed when the
    platform allows but allowed to be absent (npm ``optional``/``devOptional``).
    ``pinned`` is false when the entry does not fix one exact version (a range
    in requirements.txt, a git ref that is not a commit, an editable path);
    ``specifier`` then keeps what was written (SC-03 reports it).
    ``key`` identifies the entry inside its lockfile (npm: the
    ``node_modules/...`` path; Python: the normalised name, or
    ``name==version`` when a lock holds several versions of one name);
    ``dependencies`` holds such keys. ``markers`` is the PEP 508 marker that
    guards a direct dependency (or a requirements.txt line);
    ``dependency_markers`` maps a dependency key to the marker of that edge.
    """

    name: str
    version: str
    ecosystem: Ecosystem
    hashes: tuple[str, ...] = ()
    source: str | None = None
    dev: bool = False
    direct: bool = False
    dependencies: tuple[str, ...] = ()
    line: int | None = None
    optional: bool = False
    pinned: bool = True
    specifier: str | None = None
    markers: str | None = None
    dependency_markers: tuple[tuple[str, str], ...] = ()
    lock_key: str | None = None

    @property
    def key(self) -> str:
        return self.lock_key if self.lock_key is not None else self.name


@dataclass(frozen=True)
class Lockfile:
    """A parsed lockfile: its path, format and pinned packages.

    ``format_version`` is the lockfile's own version field where it has one
    (``"3"`` for package-lock v3, ``"2.1"`` for poetry...). ``projects`` names
    the project(s) the lockfile belongs to (never dependencies themselves).
    ``notes`` are remarks a user should see (e.g. "package-lock v1").
    """

    path: Path
    kind: LockKind
    packages: tuple[LockedPackage, ...] = field(default_factory=tuple)
    format_version: str | None = None
    projects: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def runtime_packages(self) -> tuple[LockedPackage, ...]:
        """Packages that ship at run time (dev-only ones left out)."""
        return tuple(p for p in self.packages if not p.dev)

    def installable_packages(
        self, environment: Mapping[str, str] | None = None
    ) -> tuple[LockedPackage, ...]:
        """Runtime packages an install on ``environment`` would actually get.

        Python locks pin packages for every platform; a Linux install skips
        ``colorama; sys_platform == 'win32'``. Starting from the direct runtime
        packages (or every runtime package when the lockfile does not say which
        are direct), follow the edges whose markers hold. ``environment``
        defaults to the running interpreter's (PEP 508 names).
        """
        env = {k: str(v) for k, v in default_environment().items()}
        env["extra"] = ""
        env.update(environment or {})
        by_key = {p.key: p for p in self.runtime_packages()}
        starts = [p for p in by_key.values() if p.direct] or list(by_key.values())
        todo = [p.key for p in starts if _holds(p.markers, env)]
        seen: set[str] = set()
        while todo:
            key = todo.pop()
            if key in seen or key not in by_key:
                continue
            seen.add(key)
            package = by_key[key]
            edge_markers = dict(package.dependency_markers)
            todo.extend(dep for dep in package.dependencies if _holds(edge_markers.get(dep), env))
        return tuple(p for p in by_key.values() if p.key in seen)


def _holds(marker: str | None, env: Mapping[str, str]) -> bool:
    if not marker:
        return True
    try:
        return Marker(marker).evaluate(dict(env))
    except InvalidMarker:
        # A marker we cannot read: keep the package rather than hide it.
        return True
