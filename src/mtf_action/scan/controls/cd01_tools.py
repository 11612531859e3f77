"""CD-01 Tool Declaration (MTF-0.1 section 3.5): the manifest and the code, compared.

Manifest rules (from the manifest validator): ``tools`` missing or not an
array, a tool without a name (BLOCK at every level), a tool without a
description (WARN at L1, BLOCK from L2).

Code rules: the tools the server's own Python and JavaScript/TypeScript code
registers, lists or dispatches (:mod:`mtf_action.scan.capabilities.py_tools`,
:mod:`~mtf_action.scan.capabilities.js_tools`) are compared with
``tools[].name``:

- implemented but not declared: "WARN (L1), BLOCK (L2+)" -> HIGH, ``blocks_at=2``;
- declared but not found: a LOW warning (an INFO note when the code also registers
  tools under names only known at run time, which may include it);
- a registration whose name is computed at run time: INFO, saying it could not
  be resolved.

``tools_generated: true`` (MCPB: "the server generates additional tools at
runtime", the declared list being a minimum) covers registrations whose names
only exist at run time -- those are then expected, and noted as such. It does
not cover a tool whose name is written in the code: that name is known when the
bundle is built, so MTF's "manifest MUST declare all tools" still applies and an
undeclared literal tool blocks from L2 with or without the flag (otherwise the
flag would be a switch that turns CD-01 off).
"""

from __future__ import annotations

from typing import ClassVar

from mtf_action.errors import ManifestError
from mtf_action.scan.capabilities.analysis import CodeAnalysis, analyse
from mtf_action.scan.capabilities.model import ToolRef
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest, report_at
from mtf_action.scan.controls.ai01_manifest import MANIFEST, issue_findings
from mtf_action.scan.result import ControlOutcome, Finding, Severity

UNDECLARED_BLOCKS_AT = 2  # "Implemented tool not in manifest: WARN (L1), BLOCK (L2+)"


class ToolDeclaration(Control):
    """CD-01: every tool declared with a name and a description, and none hidden."""

    id: ClassVar[str] = "CD-01"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        try:
            l1, l2 = report_at(ctx, 1), report_at(ctx, 2)
        except ManifestError as exc:
            # No manifest, hence no tools declaration: CD-01's "missing tools" row.
            return ControlOutcome(
                findings=[
                    self.finding(
                        "tools-missing",
                        Severity.HIGH,
                        "No tool declaration",
                        f"tools cannot be read without a readable manifest.json ({exc.one_line()})",
                        blocks_at=1,
                        file=MANIFEST,
                        remediation="fix manifest.json (see AI-01), then declare every tool",
                    )
                ]
            )
        findings = issue_findings(self, l1, l2)
        raw = raw_manifest(ctx)
        tools = raw.get("tools")
        generated = raw.get("tools_generated") is True
        details: dict[str, object] = {
            "tools_declared": len(tools) if isinstance(tools, list) else 0,
            "tools_generated": generated,
        }
        if isinstance(tools, list):
            declared = [
                t["name"] for t in tools if isinstance(t, dict) and isinstance(t.get("name"), str)
            ]
            analysis = analyse(ctx)
            findings.extend(self._compare(ctx, declared, generated, analysis))
            details.update(_details(declared, analysis))
        return ControlOutcome(findings=findings, details=details)

    # -- code against manifest ------------------------------------------------------
    def _compare(
        self, ctx: ScanContext, declared: list[str], generated: bool, analysis: CodeAnalysis
    ) -> list[Finding]:
        findings = [self._unparsed(path) for path in analysis.unparsed]
        if analysis.analysed == 0:
            findings.append(
                self.finding(
                    "implemented-tools-not-compared",
                    Severity.INFO,
                    "Implemented tools not compared with the declaration",
                    "no Python or JavaScript/TypeScript server code could be analysed (compiled "
                    "server, other language, or every file failed to parse), so the tools the "
                    "server really provides were not found",
                    blocks_at=None,
                    file=MANIFEST,
                )
            )
            return findings
        named: dict[str, ToolRef] = {}
        for ref in analysis.tools:
            if ref.name is not None:
                named.setdefault(ref.name, ref)
        dynamic = [r for r in analysis.tools if r.name is None]
        for name, ref in named.items():
            if name not in declared:
                findings.append(self._undeclared(name, ref, generated))
        findings.extend(self._dynamic(ref, generated) for ref in dynamic)
        for index, name in enumerate(declared):
            if name not in named:
                findings.append(self._not_found(ctx, index, name, bool(dynamic)))
        return findings

    def _undeclared(self, name: str, ref: ToolRef, generated: bool) -> Finding:
        flag = (
            " tools_generated: true does not cover it: its name is written in the code, so it "
            "is known at build time and can be declared."
            if generated
            else ""
        )
        return self.finding(
            "tool-not-declared",
            Severity.HIGH,
            f"Tool {name!r} is implemented but not declared",
            f"the server registers tool {name!r} ({ref.style}) but manifest.json does not "
            f"declare it: users would consent to a tool list without it.{flag}",
            blocks_at=UNDECLARED_BLOCKS_AT,
            file=ref.file,
            line=ref.line,
            remediation=f"add {{'name': {name!r}, 'description': ...}} to tools in manifest.json, "
            "or remove the registration",
        )

    def _dynamic(self, ref: ToolRef, generated: bool) -> Finding:
        if generated:
            why = (
                "manifest.json sets tools_generated: true (MCPB: the server generates tools "
                "at run time), so tools beyond the declared list are expected here; they are "
                "shown to users only by tools/list at run time"
            )
        else:
            why = (
                "it cannot be compared with the declaration; if the server generates tools at "
                "run time, set tools_generated: true, otherwise register it under a literal name"
            )
        return self.finding(
            "tool-name-unresolved",
            Severity.INFO,
            "Tool registered under a name computed at run time",
            f"{ref.style} registers a tool named by `{ref.expression}`, which could not be "
            f"resolved statically: {why}.",
            blocks_at=None,
            file=ref.file,
            line=ref.line,
        )

    def _not_found(self, ctx: ScanContext, index: int, name: str, dynamic: bool) -> Finding:
        maybe = (
            " It may be one of the tools registered under a computed name."
            if dynamic
            else " A declared tool the server does not provide misleads users about what it does."
        )
        return self.finding(
            "declared-tool-not-found",
            Severity.INFO if dynamic else Severity.LOW,
            f"Declared tool {name!r} not found in the code",
            f"manifest.json declares tool {name!r}, but no registration of it was found in "
            f"the server's code.{maybe}",
            blocks_at=None,
            file=MANIFEST,
            line=line_of(ctx, f"/tools/{index}"),
            remediation="remove the declaration, or register the tool under exactly this name",
        )

    def _unparsed(self, path: str) -> Finding:
        return self.finding(
            "server-file-not-parsed",
            Severity.LOW,
            "Server file could not be parsed",
            "tools registered in this file could not be found (syntax error or parser limit)",
            blocks_at=None,
            file=path,
        )


def _details(declared: list[str], analysis: CodeAnalysis) -> dict[str, object]:
    if analysis.analysed == 0:
        return {"compared": False, "files_analysed": 0}
    found = sorted({r.name for r in analysis.tools if r.name is not None})
    return {
        "compared": True,
        "tools_found": found,
        "undeclared": [n for n in found if n not in declared],
        "not_found": [n for n in declared if n not in found],
        "unresolved_registrations": sum(r.name is None for r in analysis.tools),
        "registrations": [r.as_dict() for r in analysis.tools],
        "files_analysed": analysis.analysed,
    }
