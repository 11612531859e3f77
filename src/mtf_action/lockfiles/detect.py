"""Which lockfiles a server source tree has, and which one governs an install.

Only the top of the server directory is looked at: that is where uv, poetry,
pip and npm keep the lockfile of the project being bundled (nested lockfiles
belong to examples, tests or vendored code).

Precedence when several exist:
- Python: ``uv.lock``, then ``poetry.lock``, then ``requirements.txt``
  (other ``requirements*.txt`` files are development extras by convention);
- Node: ``npm-shrinkwrap.json`` (npm prefers it when both exist), then
  ``package-lock.json``, then ``pnpm-lock.yaml`` (read for the SBOM and SC-03;
  ``npm ci`` cannot install from it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles._common import TextSource
from mtf_action.lockfiles.model import Lockfile
from mtf_action.lockfiles.package_lock import read_package_lock
from mtf_action.lockfiles.pnpm import read_pnpm_lock
from mtf_action.lockfiles.poetry import read_poetry_lock
from mtf_action.lockfiles.requirements import read_requirements
from mtf_action.lockfiles.uv import read_uv_lock

PYTHON_LOCKFILES = ("uv.lock", "poetry.lock", "requirements.txt")
NODE_LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml")


class _Reader(Protocol):
    def __call__(self, path: Path, *, text_source: TextSource | None = None) -> Lockfile: ...


_READERS: dict[str, _Reader] = {
    "uv.lock": read_uv_lock,
    "poetry.lock": read_poetry_lock,
    "requirements.txt": read_requirements,
    "npm-shrinkwrap.json": read_package_lock,
    "package-lock.json": read_package_lock,
    "pnpm-lock.yaml": read_pnpm_lock,
}


def read_lockfile(path: Path, *, text_source: TextSource | None = None) -> Lockfile:
    """Parse ``path`` with the reader its file name calls for.

    ``text_source`` serves file text instead of the disk (the scanner passes the
    bytes its scan context holds); the readers' default is the disk.
    """
    reader = _READERS.get(path.name)
    if reader is None:
        if path.name.startswith("requirements") and path.suffix == ".txt":
            return read_requirements(path, text_source=text_source)
        raise InvalidInputError("not a lockfile name mtf-attest knows", path=path)
    return reader(path, text_source=text_source)


def find_lockfiles(root: Path) -> list[Lockfile]:
    """Every known lockfile at the top of ``root``, parsed, Python ones first."""
    return [
        read_lockfile(root / name)
        for name in (*PYTHON_LOCKFILES, *NODE_LOCKFILES)
        if (root / name).is_file()
    ]


def python_lockfile_path(root: Path) -> Path | None:
    """The lockfile a Python install of ``root`` follows, or ``None``."""
    return next((root / n for n in PYTHON_LOCKFILES if (root / n).is_file()), None)


def node_lockfile_path(root: Path) -> Path | None:
    """The lockfile a Node install of ``root`` follows, or ``None``."""
    return next((root / n for n in NODE_LOCKFILES if (root / n).is_file()), None)


def python_lockfile(root: Path) -> Lockfile | None:
    """The governing Python lockfile of ``root``, parsed."""
    path = python_lockfile_path(root)
    return read_lockfile(path) if path else None


def node_lockfile(root: Path) -> Lockfile | None:
    """The governing Node lockfile of ``root``, parsed."""
    path = node_lockfile_path(root)
    return read_lockfile(path) if path else None
