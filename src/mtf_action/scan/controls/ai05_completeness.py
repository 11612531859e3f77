"""AI-05 Bundle Completeness (MTF-0.1 section 3.2): no executable content the manifest
does not account for.

MTF makes AI-05 a client-side check (before installation); it is evaluated
here, publisher-side, so a publisher learns before publishing what a client
would refuse. The catalog still lists it as client-enforced, so the level
computation does not count it.

What is executable: the spec's "Disallowed Unless Referenced" patterns
(``*.py *.js *.ts *.go *.rs *.sh *.bash *.zsh *.exe *.dll *.so *.dylib
postinstall* preinstall*``), the same kinds under other names (``.mjs .cjs
.jsx .tsx .mts .cts .pyc .pyo .pyd .pyz .bat .cmd .ps1 .node``, versioned
``.so.N``), and any file with an executable mode bit (bundles record modes).

What is expected (see :mod:`~mtf_action.scan.supply.expected` and
:mod:`~mtf_action.scan.supply.owned`): what the manifest starts and what that
imports, the entry point's own directory tree, dependency manifests and
lockfiles, files of installed packages (Python ``RECORD``, npm package
folders), and the spec's "Always Allowed" files plus this project's SBOM.
An always-allowed name (``README*``, ``LICENSE*``...) is accepted whatever its
mode bits, but never when its name also makes it code (``README.sh``).

Severity: unexpected executable BLOCK (L2, ``blocks_at=2``); unexpected
non-executable WARN. Install hooks (``preinstall``/``install``/``postinstall``
scripts in the server's own ``package.json``) are the ``postinstall*`` row in
another form: an execution path the manifest does not declare, BLOCK (L2).
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from typing import Any, ClassVar

from mtf_action.errors import InvalidInputError, ManifestError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import raw_manifest
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.supply.capping import capped
from mtf_action.scan.supply.expected import expected_files
from mtf_action.scan.supply.members import is_executable
from mtf_action.scan.supply.owned import ownership

SPEC_CODE = (".py", ".js", ".ts", ".go", ".rs", ".sh", ".bash", ".zsh", ".exe", ".dll", ".so", ".dylib")  # fmt: skip
MORE_CODE = (".mjs", ".cjs", ".jsx", ".tsx", ".mts", ".cts", ".pyc", ".pyo", ".pyd", ".pyz", ".bat", ".cmd", ".ps1", ".node")  # fmt: skip
_VERSIONED_SO = re.compile(r"\.so(\.\d+)+$")
_ANYWHERE = ("README*", "LICENSE*", "LICENCE*", "CHANGELOG*", "NOTICE*", "COPYING*", "*.sig", ".gitignore", ".gitattributes")  # fmt: skip
_AT_ROOT = {"manifest.json", "sbom.cdx.json", "sbom.json", "sbom.spdx.json", "hashes.json", ".mcpbignore"}  # fmt: skip
_HOOKS = ("preinstall", "install", "postinstall")


def code_kind(path: str) -> str | None:
    """Why the file's name makes it executable content, or None."""
    base = posixpath.basename(path).lower()
    if base.startswith(("postinstall", "preinstall")):
        return "install hook"
    if base.endswith(SPEC_CODE) or base.endswith(MORE_CODE) or _VERSIONED_SO.search(base):
        return "code or binary by its name"
    return None


def always_allowed(path: str) -> bool:
    """MTF AI-05 "Always Allowed" (plus our own SBOM files and ignore file)."""
    if path in _AT_ROOT or path.startswith(".sigstore/") or path.endswith(".sigstore.json"):
        return True
    base = posixpath.basename(path)
    return any(fnmatch.fnmatchcase(base, pattern) for pattern in _ANYWHERE)


class BundleCompleteness(Control):
    """AI-05: every executable in the bundle is accounted for by the manifest."""

    id: ClassVar[str] = "AI-05"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        try:
            raw = raw_manifest(ctx)
        except ManifestError as exc:
            return ControlOutcome(error=f"expected files unknown without a manifest: {exc}")
        expected, owned = expected_files(ctx, raw), ownership(ctx)
        findings: list[Finding] = []
        counts = {"expected": 0, "dependency": 0, "always_allowed": 0}
        for path in ctx.files:
            code = code_kind(path)
            executable = code or ("executable mode bit" if is_executable(ctx, path) else None)
            if code is None and always_allowed(path):
                counts["always_allowed"] += 1
            elif owned.enforced(path):
                if owned.owns(path):
                    counts["dependency"] += 1
                else:
                    findings.append(self._unowned(path, executable))
            elif expected.covers(path):
                counts["expected"] += 1
            else:
                findings.append(self._unexpected(path, executable))
        findings += self._hooks(ctx)
        details: dict[str, Any] = {
            "enforcement": "client (evaluated publisher-side; not counted toward the level)",
            "files": len(ctx.files),
            **counts,
            "unexpected_executables": sum(f.blocks_at is not None for f in findings),
            "expected_trees": sorted(expected.trees),
            "python_site_dirs": list(owned.site_dirs),
            "limits": "npm records no per-file list: files inside a package folder are "
            "attributed to that package",
        }
        return ControlOutcome(findings=capped(findings), details=details)

    def _unexpected(self, path: str, executable: str | None) -> Finding:
        if executable:
            return self.finding(
                "unexpected-executable",
                Severity.HIGH,
                f"Executable content not referenced by the manifest: {path}",
                f"{path} is executable ({executable}) but is neither started by the manifest, "
                "imported by what it starts, nor part of an installed dependency",
                blocks_at=2,
                file=path,
                remediation="remove it from the bundle (.mcpbignore) or reference it from "
                "the manifest",
            )
        return self.finding(
            "unexpected-file",
            Severity.LOW,
            f"File not accounted for by the manifest: {path}",
            f"{path} is not referenced by the manifest, not part of the server's tree and not "
            "documentation, a lockfile or a dependency",
            blocks_at=None,
            file=path,
            remediation="remove it from the bundle (.mcpbignore) if the server does not need it",
        )

    def _unowned(self, path: str, executable: str | None) -> Finding:
        what = f"executable ({executable})" if executable else "a file"
        return self.finding(
            "unowned-dependency-file" if executable else "unowned-dependency-data",
            Severity.HIGH if executable else Severity.LOW,
            f"{path} belongs to no installed package",
            f"{path} is {what} inside a dependency directory, but no installed package "
            "records it (Python RECORD, npm package folder), so no SBOM entry covers it",
            blocks_at=2 if executable else None,
            file=path,
            remediation="re-vendor the dependencies from the lockfile (mtf-attest build)",
        )

    def _hooks(self, ctx: ScanContext) -> list[Finding]:
        out = []
        for path in ctx.server_files("package.json"):
            if posixpath.basename(path) != "package.json":
                continue
            try:
                data = ctx.json_document(path)
            except InvalidInputError:
                continue  # SC-03 reports unreadable package.json files
            scripts = data.get("scripts") if isinstance(data, dict) else None
            if not isinstance(scripts, dict):
                continue
            lines = (ctx.read_text(path) or "").splitlines()
            for hook in _HOOKS:
                if isinstance(scripts.get(hook), str):
                    needle = json.dumps(hook) + ":"
                    line = next((i for i, t in enumerate(lines, 1) if needle in t), None)
                    out.append(
                        self.finding(
                            "install-hook",
                            Severity.HIGH,
                            f"Install hook '{hook}' in {path}",
                            f"{path} runs {scripts[hook]!r} on install; the manifest does not "
                            "declare it and MCPB hosts install nothing, so it is an undeclared "
                            "execution path",
                            blocks_at=2,
                            file=path,
                            line=line,
                            remediation="run the step before bundling and remove the script",
                        )
                    )
        return out
