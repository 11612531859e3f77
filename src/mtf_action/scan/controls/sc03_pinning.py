"""SC-03 Dependency Pinning (MTF-0.1 section 3.3).

Severity table, as encoded here:

* missing lockfile (an ecosystem with declared or vendored dependencies and no
  lockfile): BLOCK from L2 (``blocks_at=2``). A target with no dependencies at
  all passes with an info note: there is nothing to pin.
* dependency without an exact version (a range in requirements.txt, a git ref
  that is not a full commit id, an editable/local directory, a declared
  dependency the lockfile does not pin): BLOCK from L2.
* dependency without an integrity hash: WARN at L2, BLOCK from L3
  (``blocks_at=3``). A git dependency pinned to a full commit id counts as
  hashed (the commit id is its content hash).
* lockfile/SBOM version mismatch: WARN.
* ``package-lock.json`` v1: WARN (the spec asks for v2+). Lockfile formats this
  version cannot read (``yarn.lock``, ``go.sum``...): WARN, because their pins
  were not verified.

Only runtime dependencies are judged; development-only packages are not.
``package.json`` ranges are fine: the lockfile is what pins them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from mtf_action.lockfiles.detect import NODE_LOCKFILES
from mtf_action.lockfiles.model import Ecosystem, LockedPackage, Lockfile
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.supply.capping import capped
from mtf_action.scan.supply.locks import (
    UNREAD_LOCKFILES,
    Declared,
    LockView,
    declared,
    ecosystem_of,
    lock_view,
    rel_path,
)
from mtf_action.scan.supply.sbom_doc import package_key, same_version
from mtf_action.scan.supply.sbom_view import sbom_view
from mtf_action.scan.supply.vendored import vendored_packages

_LOCK_HINT = {
    "pypi": "lock with `uv lock` (or poetry lock, or pip-compile --generate-hashes)",
    "npm": "lock with `npm install` (npm 7+) and ship package-lock.json",
}
_LOCAL_SPECS = ("file:", "link:", "workspace:", "portal:")
_ECOSYSTEMS: tuple[Ecosystem, ...] = ("pypi", "npm")


def _vcs(package: LockedPackage) -> bool:
    """A VCS source; the reader sets ``pinned`` only for a full commit id."""
    return (package.source or "").startswith(("git+", "hg+", "svn+", "bzr+"))


class DependencyPinning(Control):
    """SC-03: exact versions and integrity hashes for every runtime dependency."""

    id: ClassVar[str] = "SC-03"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        locks, decl = lock_view(ctx), declared(ctx)
        vendored = vendored_packages(ctx)
        findings = [
            self.finding(
                "lockfile-unreadable",
                Severity.HIGH,
                f"{problem.path} cannot be read",
                problem.message,
                blocks_at=2,
                file=problem.path,
                remediation="regenerate the lockfile with its package manager",
            )
            for problem in (*locks.unreadable, *decl.problems)
        ]
        findings += [
            self.finding(
                "lockfile-not-inspected",
                Severity.LOW,
                f"{name} was not inspected",
                f"mtf-attest has no reader for {name}; its pins and hashes were not verified",
                blocks_at=None,
                file=name,
            )
            for name in locks.unread_formats
        ]
        needs = {
            "pypi": bool(decl.pypi or vendored.of("pypi") or _locked(locks, "pypi")),
            "npm": bool(decl.npm or vendored.of("npm") or _locked(locks, "npm")),
        }
        for ecosystem in _ECOSYSTEMS:
            if needs[ecosystem] and not self._has_lock(locks, ecosystem):
                findings.append(self._missing(ecosystem, decl))
        runtime = 0
        for lock in locks.lockfiles:
            runtime += len(lock.runtime_packages())
            findings += self._lockfile(ctx, lock, decl)
        findings += self._sbom_mismatch(ctx, locks)
        if not any(needs.values()) and not (locks.unread_formats or locks.unreadable):
            findings.append(
                self.finding(
                    "no-dependencies",
                    Severity.INFO,
                    "No third-party dependencies",
                    "nothing is declared (package.json, pyproject.toml), locked or vendored: "
                    "there is nothing to pin",
                    blocks_at=None,
                )
            )
        details: dict[str, Any] = {
            "lockfiles": [rel_path(ctx, lock) for lock in locks.lockfiles],
            "runtime_packages": runtime,
            "not_evaluated": list(locks.extra_requirements),
        }
        return ControlOutcome(findings=capped(findings), details=details)

    @staticmethod
    def _has_lock(locks: LockView, ecosystem: Ecosystem) -> bool:
        unread = [n for n in locks.unread_formats if UNREAD_LOCKFILES[n] == ecosystem]
        broken = [
            p
            for p in locks.unreadable
            if ("npm" if p.path in NODE_LOCKFILES else "pypi") == ecosystem
        ]
        return bool(locks.of(ecosystem) or unread or broken)

    def _missing(self, ecosystem: Ecosystem, decl: Declared) -> Finding:
        where = decl.pypi_file if ecosystem == "pypi" else decl.npm_file
        return self.finding(
            "missing-lockfile",
            Severity.HIGH,
            f"No {'Python' if ecosystem == 'pypi' else 'npm'} lockfile",
            f"the bundle has {ecosystem} dependencies but no lockfile pins them "
            "(uv.lock, poetry.lock, requirements.txt with hashes, package-lock.json v2+ "
            "or pnpm-lock.yaml)",
            blocks_at=2,
            file=where,
            remediation=_LOCK_HINT[ecosystem],
        )

    def _lockfile(self, ctx: ScanContext, lock: Lockfile, decl: Declared) -> list[Finding]:
        file = rel_path(ctx, lock)
        out: list[Finding] = []
        if lock.kind == "package-lock.json" and lock.format_version == "1":
            out.append(
                self.finding(
                    "lockfile-v1",
                    Severity.LOW,
                    f"{file} is lockfile v1",
                    "MTF SC-03 asks for package-lock.json v2+ (npm 7 or later)",
                    blocks_at=None,
                    file=file,
                    remediation="re-lock with npm 7 or later",
                )
            )
        for package in lock.runtime_packages():
            vcs = _vcs(package)
            if not package.pinned or not (package.version or vcs):
                written = package.specifier or package.source or "no version"
                out.append(
                    self.finding(
                        "unpinned-dependency",
                        Severity.HIGH,
                        f"{package.name} is not pinned to an exact version",
                        f"{file} has {written!r}: ranges, branches, tags and local "
                        "directories can change without the lockfile changing",
                        blocks_at=2,
                        file=file,
                        line=package.line,
                        remediation="pin an exact version (==), or a full commit id for git",
                    )
                )
            elif not (package.hashes or vcs):
                out.append(
                    self.finding(
                        "missing-integrity",
                        Severity.MEDIUM,
                        f"{package.name} {package.version} has no integrity hash",
                        f"{file} records no hash for it, so a tampered download would "
                        "install unnoticed",
                        blocks_at=3,
                        file=file,
                        line=package.line,
                        remediation="regenerate the lockfile with hashes (e.g. "
                        "`uv pip compile --generate-hashes`, npm 7+)",
                    )
                )
        out += self._not_locked(lock, file, decl)
        return out

    def _not_locked(self, lock: Lockfile, file: str, decl: Declared) -> list[Finding]:
        """Declared direct dependencies the lockfile does not pin at all."""
        ecosystem = ecosystem_of(lock)
        wanted = decl.pypi if ecosystem == "pypi" else decl.npm
        source = decl.pypi_file if ecosystem == "pypi" else decl.npm_file
        pinned = {package_key(ecosystem, None, p.name) for p in lock.packages}
        # npm aliases ("x": "npm:real@^1") are locked under the alias's folder name.
        pinned |= {p.key.rpartition("node_modules/")[2] for p in lock.packages}
        out = []
        for name, spec in sorted(wanted.items()):
            if spec.startswith(_LOCAL_SPECS) or package_key(ecosystem, None, name) in pinned:
                continue  # local links are SC-05's concern; npm records them as links
            out.append(
                self.finding(
                    "dependency-not-locked",
                    Severity.HIGH,
                    f"{name} is declared but not locked",
                    f"{source} declares {spec!r} but {file} pins no version of {name}; "
                    "an install would resolve it afresh",
                    blocks_at=2,
                    file=source,
                    remediation=f"re-lock so {file} matches {source}",
                )
            )
        return out

    def _sbom_mismatch(self, ctx: ScanContext, locks: LockView) -> list[Finding]:
        listed: dict[tuple[str, str], set[str]] = defaultdict(set)
        for document in sbom_view(ctx).documents:
            for c in document.components:
                if c.purl_type and c.key and c.version:
                    listed[(c.purl_type, c.key)].add(c.version)
        out = []
        for lock in locks.lockfiles:
            file = rel_path(ctx, lock)
            pinned: dict[tuple[str, str], list[LockedPackage]] = defaultdict(list)
            for p in lock.runtime_packages():
                if p.version:
                    pinned[(p.ecosystem, package_key(p.ecosystem, None, p.name))].append(p)
            for (ecosystem, key), packages in sorted(pinned.items()):
                in_sbom = listed.get((ecosystem, key))
                if not in_sbom or any(
                    same_version(ecosystem, p.version, v) for p in packages for v in in_sbom
                ):
                    continue
                first = packages[0]
                out.append(
                    self.finding(
                        "lockfile-sbom-mismatch",
                        Severity.LOW,
                        f"{first.name}: {file} pins {first.version}, the SBOM lists "
                        f"{', '.join(sorted(in_sbom))}",
                        "the SBOM and the lockfile describe different versions; one of them "
                        "is stale",
                        blocks_at=None,
                        file=file,
                        line=first.line,
                        remediation="rebuild so lockfile, vendored packages and SBOM agree",
                    )
                )
        return out


def _locked(locks: LockView, ecosystem: Ecosystem) -> bool:
    return any(lock.runtime_packages() for lock in locks.of(ecosystem))
