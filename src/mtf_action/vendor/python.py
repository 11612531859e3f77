"""Vendor a Python server's runtime dependencies into ``deps/`` (MCPB ``python`` type).

The lockfile decides what is installed, and pip verifies every file against it:

- ``uv.lock``: ``uv export --frozen --no-dev`` writes a hashed requirements file;
- ``poetry.lock``: the runtime packages for this interpreter become a hashed
  requirements file (written here; poetry is not needed);
- ``requirements.txt``: used as it is (with ``--require-hashes`` when hashed);
- ``pyproject.toml`` without a lockfile: the declared ranges, resolved by pip
  (the result says "no lockfile: versions not pinned").

pip always runs with ``--only-binary=:all:`` (building an sdist would run its
``setup.py``, and builds are not reproducible) and ``--no-compile`` (``.pyc``
files embed source mtimes). Wheels are installed for the running interpreter;
``compatibility.runtimes.python`` in manifest.json is only compared, not acted on
(a note says when the running interpreter does not satisfy it).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from mtf_action.console import Reporter
from mtf_action.errors import VendorError
from mtf_action.lockfiles._common import load_toml
from mtf_action.lockfiles.detect import python_lockfile_path
from mtf_action.lockfiles.model import Lockfile
from mtf_action.lockfiles.poetry import read_poetry_lock
from mtf_action.lockfiles.requirements import read_requirements
from mtf_action.lockfiles.uv import read_uv_lock
from mtf_action.vendor._pip_target import (
    binary_wheel_tags,
    make_reproducible,
    read_pip_report,
)
from mtf_action.vendor._run import DEFAULT_TIMEOUT, run_tool
from mtf_action.vendor.model import VendorResult

_PIP_BASE = (
    "install",
    "--no-compile",
    "--only-binary=:all:",
    "--disable-pip-version-check",
    "--no-input",
)


def vendor_python(
    source_dir: Path, target: Path, *, reporter: Reporter, timeout: float = DEFAULT_TIMEOUT
) -> VendorResult:
    """Install the runtime dependencies of the server in ``source_dir`` into ``target``.

    ``target`` must not exist or be empty; nothing is written to ``source_dir``.
    """
    # pip and uv run from a scratch directory: relative paths would point there.
    source_dir, target = source_dir.resolve(), target.resolve()
    _prepare(target)
    pyproject = _pyproject(source_dir)
    project = pyproject.get("project")
    listed = project.get("dependencies") if isinstance(project, dict) else None
    declared = [str(d) for d in listed] if isinstance(listed, list) else []
    notes = _runtime_note(source_dir)
    lock_path = python_lockfile_path(source_dir)
    with tempfile.TemporaryDirectory(prefix="mtf-vendor-", dir=target.parent) as scratch:
        work = Path(scratch)
        if lock_path is None:
            lockfile = None
            if not declared:
                if pyproject.get("tool", {}).get("poetry", {}).get("dependencies"):
                    raise VendorError(
                        "poetry project without poetry.lock: run 'poetry lock' first",
                        path=source_dir / "pyproject.toml",
                    )
                return VendorResult(root=target, arc_prefix="deps", tool="none", notes=tuple(notes))
            args = ["--target", str(target), *declared]
            notes.append("no lockfile: versions not pinned (resolved by pip at build time)")
            about: Path = source_dir / "pyproject.toml"
            tool = "pip"
        else:
            lockfile, requirements, tool = _requirements_for(lock_path, work, reporter, timeout)
            wanted = read_requirements(requirements).packages
            if not wanted:  # pip refuses an empty requirements file
                notes.append(f"{lock_path.name} pins no runtime dependency")
                return VendorResult(
                    root=target, arc_prefix="deps", tool=tool, lockfile=lockfile, notes=tuple(notes)
                )
            hashed = all(p.hashes for p in wanted)
            args = ["--target", str(target), "--no-deps", "-r", str(requirements)]
            if hashed:
                args.insert(2, "--require-hashes")
            else:
                notes.append(f"{lock_path.name} has no hashes: downloads were not verified")
                args.remove("--no-deps")  # an unhashed list may omit transitive pins
            notes += lockfile.notes
            about = lock_path
        report = work / "pip-report.json"
        # No reporter.step here: the build wraps the whole vendoring in one step
        # (rich cannot nest live progress displays).
        run_tool(
            [sys.executable, "-m", "pip", *_PIP_BASE, "--report", str(report), *args],
            cwd=work,
            about=about,
            reporter=reporter,
            name="pip",
            timeout=timeout,
        )
        artifacts = read_pip_report(report)
    for change in make_reproducible(target):  # routine clean-up, not worth a warning
        reporter.debug(change)
    tags = binary_wheel_tags(target)
    if tags:
        notes.append(
            f"deps/ holds platform-specific wheels ({', '.join(tags[:3])}"
            f"{', ...' if len(tags) > 3 else ''}): the bundle needs a matching Python and platform"
        )
    direct = declared or [p.name for p in (lockfile.packages if lockfile else ()) if p.direct]
    return VendorResult(
        root=target,
        arc_prefix="deps",
        tool=tool,
        lockfile=lockfile,
        notes=tuple(notes),
        artifacts=tuple(artifacts),
        direct=tuple(direct),
    )


def _requirements_for(
    lock_path: Path, work: Path, reporter: Reporter, timeout: float
) -> tuple[Lockfile, Path, str]:
    """(parsed lockfile, requirements file pip should install, tool label)."""
    if lock_path.name == "requirements.txt":
        return read_requirements(lock_path), lock_path, "pip"
    out = work / "requirements.txt"
    if lock_path.name == "uv.lock":
        lockfile = read_uv_lock(lock_path)
        out.write_text(_uv_export(lock_path, work, reporter, timeout), encoding="utf-8")
        _refuse_unhashable(read_requirements(out), lock_path)
        return lockfile, out, "uv export + pip"
    lockfile = read_poetry_lock(lock_path)
    out.write_text(poetry_requirements(lockfile), encoding="utf-8")
    return lockfile, out, "pip"


def _uv_export(lock_path: Path, work: Path, reporter: Reporter, timeout: float) -> str:
    try:
        from uv import find_uv_bin

        uv = find_uv_bin()
    except (ImportError, FileNotFoundError) as exc:
        raise VendorError(
            "the uv binary was not found (install the 'uv' package)", path=lock_path
        ) from exc
    command = [uv, "export", "--frozen", "--offline", "--no-dev", "--no-emit-project"]
    command += ["--no-header", "--format", "requirements-txt", "--project", str(lock_path.parent)]
    result = run_tool(command, cwd=work, about=lock_path, reporter=reporter, timeout=timeout)
    return result.stdout


def _refuse_unhashable(exported: Lockfile, lock_path: Path) -> None:
    """Path, editable and git dependencies cannot be installed with --require-hashes."""
    bad = sorted(p.specifier or p.name for p in exported.packages if not p.hashes)
    if bad:
        raise VendorError(
            f"cannot install with hashes: {', '.join(bad)} (local, editable or git "
            "dependency); pre-vendor deps/ and use --no-vendor",
            path=lock_path,
        )


def poetry_requirements(lockfile: Lockfile) -> str:
    """A hashed requirements file for the packages of ``lockfile`` this interpreter needs."""
    lines: list[str] = []
    for package in sorted(lockfile.installable_packages(), key=lambda p: p.key):
        if not package.hashes or (package.source or "").startswith(("git+", "file:")):
            raise VendorError(
                f"package {package.name} {package.version} has no file hashes "
                f"(source {package.source or 'unknown'}); pre-vendor deps/ and use --no-vendor",
                path=lockfile.path,
            )
        hashes = " ".join(f"--hash={h}" for h in sorted(package.hashes))
        lines.append(f"{package.name}=={package.version} {hashes}")
    return "\n".join(lines) + ("\n" if lines else "")


def _prepare(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VendorError("vendoring target exists and is not an empty directory", path=target)
    target.mkdir(parents=True, exist_ok=True)


def _pyproject(source_dir: Path) -> dict[str, Any]:
    path = source_dir / "pyproject.toml"
    return load_toml(path) if path.is_file() else {}


def _runtime_note(source_dir: Path) -> list[str]:
    """Compare manifest.json's python requirement with the interpreter doing the install."""
    running = ".".join(str(n) for n in sys.version_info[:3])
    notes: list[str] = []
    try:
        manifest = json.loads((source_dir / "manifest.json").read_text(encoding="utf-8"))
        wanted = manifest["compatibility"]["runtimes"]["python"]
    except (OSError, ValueError, KeyError, TypeError):
        return notes
    try:
        ok = SpecifierSet(str(wanted)).contains(running)
    except InvalidSpecifier:
        return [*notes, f"manifest asks for python {wanted!r}; not checked (unreadable range)"]
    if not ok:
        notes.append(f"manifest asks for python {wanted!r} but deps were installed for {running}")
    return notes
