"""What every lockfile reader returns: the packages it pins, in one shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Ecosystem = Literal["pypi", "npm"]


@dataclass(frozen=True)
class LockedPackage:
    """One package pinned by a lockfile.

    ``hashes`` are ``"<alg>:<hex>"`` strings (npm SRI integrity is converted to
    hex, e.g. ``"sha512:..."``). ``source`` is where the lockfile says the
    artifact comes from (registry URL, git URL, local path), or ``None`` when
    the lockfile does not say. ``line`` is the 1-based line of the entry in the
    lockfile where the reader can tell, for findings that point at it.
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


@dataclass(frozen=True)
class Lockfile:
    """A parsed lockfile: its path, format and pinned packages."""

    path: Path
    kind: Literal["uv.lock", "poetry.lock", "requirements.txt", "package-lock.json", "pnpm-lock.yaml"]
    packages: tuple[LockedPackage, ...] = field(default_factory=tuple)

    def runtime_packages(self) -> tuple[LockedPackage, ...]:
        """Packages that ship at run time (dev-only ones left out)."""
        return tuple(p for p in self.packages if not p.dev)
