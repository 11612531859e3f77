"""CD-01 Tool Declaration (MTF-0.1 section 3.5): the manifest side.

From the manifest rules: ``tools`` missing or not an array, a tool without a
name (BLOCK at every level), a tool without a description (WARN at L1, BLOCK
from L2). The severity row "implemented tool not in manifest" needs an
analysis of the server's tool registrations, which this control does not do
yet; it says so in an ``info`` finding rather than passing silently.
"""

from __future__ import annotations

from typing import ClassVar

from mtf_action.errors import ManifestError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import raw_manifest, report_at
from mtf_action.scan.controls.ai01_manifest import MANIFEST, issue_findings
from mtf_action.scan.result import ControlOutcome, Severity


class ToolDeclaration(Control):
    """CD-01: every tool declared with a name and a description."""

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
        tools = raw_manifest(ctx).get("tools")
        declared = len(tools) if isinstance(tools, list) else 0
        if isinstance(tools, list):
            findings.append(
                self.finding(
                    "implemented-tools-not-compared",
                    Severity.INFO,
                    "Implemented tools not compared with the declaration",
                    "this version checks the declared tools only; it does not yet find the "
                    "tools the server registers, so an undeclared tool would not be reported",
                    blocks_at=None,
                    file=MANIFEST,
                )
            )
        return ControlOutcome(
            findings=findings,
            details={
                "tools_declared": declared,
                "tools_generated": raw_manifest(ctx).get("tools_generated") is True,
            },
        )
