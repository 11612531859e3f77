"""SC-05 Trusted Sources (MTF-0.1 section 3.3): every dependency from an approved registry.

Where sources come from: uv.lock ``source = {registry|url|git|path}``, poetry
``[package.source]``, package-lock ``resolved``, pnpm ``resolution``, and for
requirements files ``--index-url`` and direct URLs; ``--extra-index-url`` and
``--find-links`` lines are judged as sources themselves (pip may take any
package from them). ``file:``/``link:`` dependencies in package.json (npm
records them as links, not packages) are local sources. Vendored Python
distributions no lockfile accounts for are judged by their PEP 610
``direct_url.json``. Classification and the allow-list: see
:mod:`mtf_action.scan.supply.sources`.

Severity table (SC-05 is an L3 control, so BLOCK means ``blocks_at=3``):
restricted source (local path, direct tarball) or private/self-hosted registry
without allow-list: BLOCK; git without attestation: BLOCK (L3+; there is no way
to attach SLSA provenance to a git dependency in MTF v0.1, so a git source
passes only when allow-listed); unknown public registry: WARN. A lockfile that
does not record sources (requirements.txt without ``--index-url``, pnpm
registry packages) is assumed to use the ecosystem's default registry, and the
report says so.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, ClassVar

from packaging.utils import canonicalize_name

from mtf_action.errors import InvalidInputError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.supply.capping import capped
from mtf_action.scan.supply.locks import LockView, declared, lock_view, rel_path
from mtf_action.scan.supply.sources import Verdict, classify
from mtf_action.scan.supply.vendored import VendoredPackage, vendored_packages

_OPTION = re.compile(r"^\s*(--extra-index-url|--find-links|-f)(?:\s+|=)(\S+)")
_RULES: dict[str, tuple[str, Severity, int | None, str]] = {
    "local": ("local-source", Severity.HIGH, 3, "from a local path"),
    "git": ("git-without-attestation", Severity.HIGH, 3, "from git without attestation"),
    "private": ("private-registry", Severity.HIGH, 3, "from a private registry"),
    "tarball": ("direct-tarball", Severity.HIGH, 3, "from a direct archive URL"),
    "unknown": ("unknown-registry", Severity.MEDIUM, None, "from an unapproved registry"),
}
_REMEDY = (
    "take the package from an approved registry, or allow-list this source explicitly "
    "(--allow-source) after organisational review"
)


class TrustedSources(Control):
    """SC-05: dependencies come from approved registries or an explicit allow-list."""

    id: ClassVar[str] = "SC-05"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        allow = ctx.options.allow_sources
        locks = lock_view(ctx)
        counts: Counter[str] = Counter()
        defaults: Counter[str] = Counter()
        allowed: set[str] = set()
        findings: list[Finding] = []

        def judge(name: str, source: str | None, eco: str, file: str, line: int | None) -> None:
            verdict = classify(source, eco, allow)
            counts[verdict.kind] += 1
            if verdict.kind == "default":
                defaults[file] += 1
            elif verdict.kind == "allowed":
                allowed.add(verdict.origin)
            elif verdict.kind != "approved":
                findings.append(self._flag(name, verdict, file, line))

        locked: set[tuple[str, str]] = set()
        for lock in locks.lockfiles:
            file = rel_path(ctx, lock)
            for package in lock.runtime_packages():
                locked.add((package.ecosystem, _key(package.ecosystem, package.name)))
                judge(package.name, package.source, package.ecosystem, file, package.line)
            if lock.kind == "requirements.txt":
                for line_no, url in _extra_indexes(ctx, file):
                    judge(f"index {url}", url, "pypi", file, line_no)
        decl = declared(ctx)
        for name, spec in sorted(decl.npm.items()):
            if spec.startswith(("file:", "link:")):
                judge(name, spec, "npm", decl.npm_file or "package.json", None)
        for shipped in vendored_packages(ctx).packages:
            if (shipped.ecosystem, _key(shipped.ecosystem, shipped.name)) not in locked:
                source = _installed_from(ctx, shipped)
                judge(shipped.name, source, shipped.ecosystem, shipped.metadata, None)

        findings += self._notes(locks, defaults, allowed)
        if not counts and not locks.unreadable and not locks.unread_formats:
            findings.append(
                self.finding(
                    "no-dependencies",
                    Severity.INFO,
                    "No third-party dependencies",
                    "nothing is locked or vendored: there is no source to check",
                    blocks_at=None,
                )
            )
        details: dict[str, Any] = {
            "sources": dict(sorted(counts.items())),
            "allow_list": list(allow),
            "allow_listed_origins": sorted(allowed),
        }
        return ControlOutcome(findings=capped(findings), details=details)

    def _flag(self, name: str, verdict: Verdict, file: str, line: int | None) -> Finding:
        rule, severity, blocks_at, what = _RULES[verdict.kind]
        return self.finding(
            rule,
            severity,
            f"{name} comes {what}",
            f"{verdict.reason}: {verdict.origin}",
            blocks_at=blocks_at,
            file=file,
            line=line,
            remediation=_REMEDY,
        )

    def _notes(self, locks: LockView, defaults: Counter[str], allowed: set[str]) -> list[Finding]:
        out = [
            self.finding(
                "source-not-recorded",
                Severity.INFO,
                f"{count} packages without a recorded source in {file}",
                f"{file} does not say where these packages are downloaded from; assumed the "
                "ecosystem's default registry (PyPI, npm), which is approved",
                blocks_at=None,
                file=file,
            )
            for file, count in sorted(defaults.items())
        ]
        if allowed:
            out.append(
                self.finding(
                    "allow-listed-sources",
                    Severity.INFO,
                    f"{len(allowed)} allow-listed sources used",
                    "accepted by --allow-source: " + ", ".join(sorted(allowed)[:10]),
                    blocks_at=None,
                )
            )
        out += [
            self.finding(
                "sources-unverified",
                Severity.MEDIUM,
                f"Sources in {problem.path} could not be checked",
                problem.message,
                blocks_at=3,
                file=problem.path,
            )
            for problem in locks.unreadable
        ]
        out += [
            self.finding(
                "sources-not-inspected",
                Severity.LOW,
                f"Sources in {name} were not inspected",
                f"mtf-attest has no reader for {name}",
                blocks_at=None,
                file=name,
            )
            for name in locks.unread_formats
        ]
        return out


def _key(ecosystem: str, name: str) -> str:
    return str(canonicalize_name(name)) if ecosystem == "pypi" else name


def _extra_indexes(ctx: ScanContext, file: str) -> list[tuple[int, str]]:
    """``--extra-index-url`` / ``--find-links`` values of a requirements file, with lines."""
    text = ctx.read_bytes(file).decode("utf-8", errors="replace")
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _OPTION.match(line)
        if match:
            found.append((number, match.group(2)))
    return found


def _installed_from(ctx: ScanContext, package: VendoredPackage) -> str | None:
    """PEP 610 ``direct_url.json`` (Python) or npm's legacy ``_resolved`` field."""
    if package.ecosystem == "npm":
        data = ctx.json_document(package.metadata)
        resolved = data.get("_resolved") if isinstance(data, dict) else None
        return resolved if isinstance(resolved, str) and resolved else None
    path = f"{package.folder}/direct_url.json"
    if not ctx.has(path):
        return None
    try:
        data = ctx.json_document(path)
    except InvalidInputError:
        return f"file:{path}"  # unreadable provenance: not a registry install either
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(url, str):
        return None
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict):
        return f"{vcs.get('vcs', 'git')}+{url}"
    return url
