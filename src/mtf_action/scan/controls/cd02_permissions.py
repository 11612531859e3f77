"""CD-02 Permission Correlation (MTF-0.1 section 3.5, L2, scanner).

What the server does -- found by static analysis of its own Python and
JavaScript/TypeScript code (:mod:`mtf_action.scan.capabilities`), by the
compiled binaries in the bundle (vendored ones included: native code runs
whoever wrote it) and by ``server.mcp_config`` -- is compared with
``_meta["org.mpaktrust"].permissions`` (:mod:`~mtf_action.scan.capabilities.declared`
fixes what each declared value covers). Behaviour analysis covers the server's
own code only: what a vendored dependency *can* do is not what the server does.

Severity by context (the spec's table), for uses the declaration does not cover:

=========================== ============================== ========================
undeclared                  context                        finding
=========================== ============================== ========================
subprocess or native        any                            CRITICAL, blocks from L2
network                     initialization (import/start)  HIGH, blocks from L2
network                     runtime (tool handlers)        MEDIUM, warns
environment                 secret-like name, whole env    HIGH, blocks from L2
environment                 general configuration          INFO (spec: "LOW (info)")
filesystem                  credential stores              HIGH, blocks from L2
filesystem                  other paths                    MEDIUM, warns
=========================== ============================== ========================

No ``permissions`` object: blocks from L2 (MTF 4.3.1 requires it at L2), and
the code is compared with "none" everywhere so the report says what to declare.
Constructs whose capabilities cannot be known statically (a computed import or
``require``, ``getattr(os, <computed>)``) and server files that could not be
parsed are MEDIUM warnings: not analysed is not passed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from mtf_action.errors import ManifestError
from mtf_action.scan.capabilities.analysis import analyse
from mtf_action.scan.capabilities.declared import (
    Declared,
    covers,
    declared_permissions,
    minimal_declaration,
)
from mtf_action.scan.capabilities.launch import launch_uses
from mtf_action.scan.capabilities.model import Category, Opaque, Phase, Use
from mtf_action.scan.capabilities.native import native_file_uses
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, mtf_extension, raw_manifest
from mtf_action.scan.controls.ai01_manifest import MANIFEST
from mtf_action.scan.result import ControlOutcome, Finding, Severity

BLOCKS_AT = 2  # the control's level: "block" rows of the table block from L2
_SHOWN = 5  # places listed per finding


def verdict(use: Use) -> tuple[str, Severity, int | None]:
    """(rule, severity, blocks_at) of an undeclared use: the spec's severity table."""
    category = use.category
    if category in (Category.SUBPROCESS, Category.NATIVE):
        return f"undeclared-{category.value}", Severity.CRITICAL, BLOCKS_AT
    if category is Category.NETWORK:
        if use.phase is Phase.INIT:
            return "undeclared-network-init", Severity.HIGH, BLOCKS_AT
        return "undeclared-network-runtime", Severity.MEDIUM, None
    if category is Category.ENVIRONMENT:
        if use.sensitive:
            return "undeclared-environment-secret", Severity.HIGH, BLOCKS_AT
        return "undeclared-environment", Severity.INFO, None
    if use.sensitive:
        return "undeclared-filesystem-sensitive", Severity.HIGH, BLOCKS_AT
    return "undeclared-filesystem", Severity.MEDIUM, None


def _where(use: Use) -> str:
    place = f"{use.file}:{use.line}" if use.line else use.file
    target = f" on {use.target}" if use.target else ""
    evasive = ", reached through an evasive spelling" if use.evasive else ""
    return f"{use.api}{target} ({place}, {use.phase.value}{evasive})"


class PermissionCorrelation(Control):
    """CD-02: declared permissions cover what the code and its launch configuration do."""

    id: ClassVar[str] = "CD-02"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        findings: list[Finding] = []
        try:
            raw = raw_manifest(ctx)
        except ManifestError as exc:
            raw = {}
            findings.append(self._missing(f"manifest.json is not readable ({exc.one_line()})"))
        declared = declared_permissions(mtf_extension(raw))
        if raw and not declared.present:
            findings.append(self._missing('_meta["org.mpaktrust"].permissions is missing'))
        findings.extend(self._invalid(ctx, declared))
        analysis = analyse(ctx)
        launch = launch_uses(raw, lambda ptr: line_of(ctx, ptr)) if raw else []
        uses = [*analysis.uses, *native_file_uses(ctx), *launch]
        undeclared = [u for u in uses if not covers(declared.values[u.category], u)]
        findings.extend(self._undeclared(declared, undeclared, uses))
        findings.extend(self._opaque(analysis.opaque))
        findings.extend(self._unparsed(path) for path in analysis.unparsed)
        observed = {c.value: minimal_declaration(c, uses) for c in Category}
        details: dict[str, object] = {
            "declared": {c.value: v for c, v in declared.values.items()},
            "observed": observed,
            "declared_not_observed": [
                c.value for c, v in declared.values.items() if v != "none" and observed[c] == "none"
            ],
            "uses": [u.as_dict() for u in uses[:500]],
            "uses_total": len(uses),
            "undeclared_total": len(undeclared),
            "opaque": [o.__dict__ | {"phase": o.phase.value} for o in analysis.opaque],
            **analysis.scope.details(),
            "files_analysed": analysis.analysed,
            "analysis_ms": analysis.duration_ms,
        }
        return ControlOutcome(findings=findings, details=details)

    def _missing(self, why: str) -> Finding:
        return self.finding(
            "permissions-missing",
            Severity.HIGH,
            "Permissions not declared",
            f"{why}; MTF requires the permission declaration from L2 (section 4.3.1), and "
            "without it nothing the code does is declared.",
            blocks_at=BLOCKS_AT,
            file=MANIFEST,
            remediation='declare _meta["org.mpaktrust"].permissions with filesystem, network, '
            "environment, subprocess and native (see the observed values in the details)",
        )

    def _invalid(self, ctx: ScanContext, declared: Declared) -> list[Finding]:
        return [
            self.finding(
                "permission-value-invalid",
                Severity.MEDIUM,
                f"Permission {category!r} has an unknown value",
                f"{category} = {value!r} is not an MTF 4.3.2 value; it is treated as 'none'.",
                blocks_at=None,
                file=MANIFEST,
                line=line_of(ctx, f"/_meta/org.mpaktrust/permissions/{category}"),
            )
            for category, value in declared.invalid.items()
        ]

    def _undeclared(
        self, declared: Declared, undeclared: list[Use], uses: list[Use]
    ) -> list[Finding]:
        groups: dict[tuple[str, str], list[Use]] = defaultdict(list)
        for use in undeclared:
            rule, _, _ = verdict(use)
            # native binaries anywhere in the bundle are one finding, not one per file
            key = "(bundle)" if use.api == "compiled binary in the bundle" else use.file
            groups[(rule, key)].append(use)
        findings = []
        for (rule, _), group in sorted(groups.items()):
            first = min(group, key=lambda u: (u.file, u.line or 0))
            _, severity, blocks_at = verdict(first)
            category = first.category
            have = declared.values[category]
            need = minimal_declaration(category, [u for u in uses if u.category is category])
            listed = "; ".join(_where(u) for u in group[:_SHOWN])
            more = f"; and {len(group) - _SHOWN} more" if len(group) > _SHOWN else ""
            findings.append(
                self.finding(
                    rule,
                    severity,
                    f"Undeclared {category.value} use ({first.phase.value})",
                    f"declared {category.value}: {have!r}, but the server needs at least "
                    f"{need!r}: {listed}{more}.",
                    blocks_at=blocks_at,
                    file=first.file,
                    line=first.line,
                    remediation=f'declare "{category.value}": "{need}" in '
                    '_meta["org.mpaktrust"].permissions, or remove the behaviour',
                )
            )
        return findings

    def _opaque(self, opaque: list[Opaque]) -> list[Finding]:
        return [
            self.finding(
                "capability-not-determinable",
                Severity.MEDIUM,
                "Capabilities hidden behind computed names",
                f"{item.what} ({item.phase.value}): what it loads or calls is decided at run time, "
                "so the declared permissions cannot be checked against it.",
                blocks_at=None,
                file=item.file,
                line=item.line,
                remediation="import modules and call functions by literal name",
            )
            for item in opaque
        ]

    def _unparsed(self, path: str) -> Finding:
        return self.finding(
            "server-file-not-analysed",
            Severity.MEDIUM,
            "Server file could not be parsed",
            "what this file does could not be compared with the declared permissions",
            blocks_at=None,
            file=path,
        )
