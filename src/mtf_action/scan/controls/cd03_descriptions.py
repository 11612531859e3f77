"""CD-03 Description Safety (MTF-0.1 section 3.5): poisoned tool descriptions.

Scans what a client hands the model from manifest.json: tool names and
descriptions, every ``description``/``title`` inside ``inputSchema`` and
``outputSchema``, prompt descriptions and templates, and the server's
``description``/``long_description`` (``scan.descriptions`` holds the rules).

Severity (spec table): instruction override, file exfiltration, data
transmission, obfuscation, hidden instructions and semantic mismatch BLOCK;
CD-03 is an L2 control, so a block is ``blocks_at=2`` (a warning at L1).
Suspicious phrasing of low confidence is a WARN (``blocks_at=None``). Each
finding names its category and quotes the span, invisible characters shown.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from mtf_action.errors import ManifestError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import ChildProcessControl
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest
from mtf_action.scan.result import ControlOutcome, Finding, Severity

if TYPE_CHECKING:  # the rules (and their tables) load where the scan runs: in the child
    from mtf_action.scan.descriptions import Category, Detection

MANIFEST = "manifest.json"


@functools.cache
def _remediations() -> dict[Category, str]:
    from mtf_action.scan.descriptions import Category

    return {
        Category.HIDDEN_TEXT: "remove invisible characters and look-alike letters from the text",
        Category.OBFUSCATION: "write the description in plain text; never encode instructions",
        Category.SECRET: "remove the credential from the manifest and rotate it",
        Category.SEMANTIC_MISMATCH: (
            "describe only what the tool does; rename the tool if it needs file or network access"
        ),
        Category.SUSPICIOUS: "rephrase: descriptions should describe the tool, not direct the model",
    }


_DEFAULT_REMEDIATION = (
    "remove the instruction: a description must say what the tool does, never tell the model "
    "to act against the user, use other tools differently, or send data anywhere"
)


def _where(d: Detection) -> str:
    if d.owner is None:
        return d.pointer
    return f"{d.pointer} ({d.owner!r})"


class DescriptionSafety(ChildProcessControl):
    """CD-03: injection patterns in every text of the manifest the model reads."""

    id: ClassVar[str] = "CD-03"

    def prepare(self, ctx: ScanContext) -> bool:
        """The manifest is parsed here, so the child (where the rules load, their
        regexes compile and detect-secrets loads) reads nothing; unreadable:
        evaluate here."""
        try:
            raw_manifest(ctx)
        except ManifestError:
            return False
        return True

    def evaluate_here(self, ctx: ScanContext) -> ControlOutcome:
        from mtf_action.scan.descriptions import manifest_fields, scan_field

        try:
            raw = raw_manifest(ctx)
        except ManifestError as exc:
            return ControlOutcome(
                skipped=f"no descriptions to scan without a readable manifest ({exc.one_line()})"
            )
        fields = list(manifest_fields(raw))
        if not fields:
            return ControlOutcome(
                skipped="the manifest declares no tools, prompts or descriptions to scan"
            )
        findings = [self._to_finding(ctx, d) for f in fields for d in scan_field(f)]
        findings.extend(self._generated_notes(raw))
        by_category = Counter(
            f.rule.split("/", 1)[0] for f in findings if f.severity is not Severity.INFO
        )
        return ControlOutcome(
            findings=findings,
            details={
                "texts_scanned": len(fields),
                "blocking": sum(f.blocks_at is not None for f in findings),
                "by_category": dict(sorted(by_category.items())),
            },
        )

    def _to_finding(self, ctx: ScanContext, d: Detection) -> Finding:
        via = f" (found after undoing {d.via})" if d.via else ""
        return self.finding(
            f"{d.category.value}/{d.rule}",
            d.severity,
            f"{d.category.label.capitalize()}: {d.title}",
            f"{_where(d)}: “{d.quote}”{via}",
            blocks_at=self.spec.level if d.blocking else None,
            file=MANIFEST,
            line=line_of(ctx, d.pointer),
            remediation=_remediations().get(d.category, _DEFAULT_REMEDIATION),
        )

    def _generated_notes(self, raw: dict[str, Any]) -> list[Finding]:
        notes = []
        for key in ("tools_generated", "prompts_generated"):
            if raw.get(key) is True:
                kind = key.split("_", 1)[0]
                notes.append(
                    self.finding(
                        f"{key.replace('_', '-')}",
                        Severity.INFO,
                        f"Run-time {kind} not scanned",
                        f"{key} is true: the server generates further {kind} at run time, and "
                        "their descriptions are not in the bundle; only the declared ones "
                        "were scanned",
                        blocks_at=None,
                        file=MANIFEST,
                    )
                )
        return notes
