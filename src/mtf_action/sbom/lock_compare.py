"""Lockfile versus what was vendored (SC-01 completeness, SC-03 "Lockfile/SBOM mismatch").

The build reports each discrepancy as a warning. Python packages the lockfile
pins only for other platforms (``; sys_platform == 'win32'``) are not expected,
nor are npm ``optional`` packages (they may be skipped on this platform).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mtf_action.lockfiles.model import LockedPackage, Lockfile
from mtf_action.sbom.model import Inventory


def compare_lock(
    lockfile: Lockfile, inventory: Inventory, *, environment: Mapping[str, str] | None = None
) -> list[str]:
    """Human-readable discrepancies between ``lockfile`` and ``inventory``, sorted."""
    lock_name = lockfile.path.name
    python = any(p.ecosystem == "pypi" for p in lockfile.packages)
    expected = lockfile.installable_packages(environment) if python else lockfile.runtime_packages()
    want: dict[str, list[LockedPackage]] = defaultdict(list)
    for package in expected:
        want[_name(package.ecosystem, package.name)].append(package)
    have: dict[str, set[str]] = defaultdict(set)
    for component in inventory.components:
        have[_name(component.ecosystem, component.name)].add(component.version)
    everything = {_name(p.ecosystem, p.name): p for p in lockfile.packages}

    problems: list[str] = []
    for name, packages in sorted(want.items()):
        versions = have.get(name, set())
        for package in packages:
            if not versions:
                if not package.optional:
                    problems.append(
                        f"{package.name} {package.version}: pinned in {lock_name} but not vendored"
                    )
            elif package.version and not any(_same(package.version, v) for v in versions):
                found = ", ".join(sorted(versions))
                problems.append(
                    f"{package.name}: {lock_name} pins {package.version} but {found} was vendored"
                )
    # An incomplete requirements file (no hashes) may leave transitive deps unlisted.
    complete = lockfile.kind != "requirements.txt" or all(p.hashes for p in lockfile.packages)
    for name, versions in sorted(have.items()):
        if name in want or not complete:
            continue
        locked = everything.get(name)
        if locked is None:
            why = f"not in {lock_name}"
        elif locked.dev:
            why = f"a development-only dependency in {lock_name}"
        else:
            why = f"{lock_name} excludes it on this platform"
        problems.append(f"{name} {', '.join(sorted(versions))}: vendored but {why}")
    return sorted(set(problems))


def _name(ecosystem: str, name: str) -> str:
    return str(canonicalize_name(name)) if ecosystem == "pypi" else name


def _same(locked: str, installed: str) -> bool:
    """Equal versions (PEP 440 normalised for Python: ``1.0`` == ``1.0.0``)."""
    if locked == installed:
        return True
    try:
        return Version(locked) == Version(installed)
    except InvalidVersion:
        return False
