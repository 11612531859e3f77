"""AI-04 Reproducible Builds (MTF-0.1 section 3.2), an L4 control.

The declaration (``_meta["org.mpaktrust"].build``) is always checked:

* ``reproducible`` absent: "Manifest MUST declare reproducibility status",
  BLOCK at L4;
* ``reproducible: false``: BLOCK at L4 (severity table);
* ``instructions`` absent: WARN.

The build itself is checked when a source tree is at hand (see
:mod:`~mtf_action.scan.supply.rebuild`): a directory is built twice, a bundle
scanned with ``--source DIR`` is rebuilt from DIR and compared byte for byte.
"``reproducible: true`` but build differs" blocks at the control's level (L4,
``blocks_at=4``), like every row of an L4 control; because it also means the
manifest states something false, it is a ``high`` finding, visible as a
warning at lower levels. A difference with no ``reproducible: true`` claim is
reported without blocking again (the declaration finding already blocks L4).

Without a source tree the declaration is all that can be checked: the
control says that the rebuild was not verified (a ``low`` finding, so the
status is ``warn``, never a silent ``pass``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from mtf_action.errors import ManifestError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import mtf_extension, raw_manifest
from mtf_action.scan.result import ControlOutcome, Finding, Severity

if TYPE_CHECKING:
    from mtf_action.scan.supply.rebuild import Rebuild

MANIFEST = "manifest.json"
_MAX_LISTED = 10


class ReproducibleBuilds(Control):
    """AI-04: the reproducibility declaration, and a rebuild when the source is at hand."""

    id: ClassVar[str] = "AI-04"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        try:
            raw = raw_manifest(ctx)
        except ManifestError as exc:
            return ControlOutcome(error=f"no declaration to check: {exc}")
        block = mtf_extension(raw).get("build")
        build = block if isinstance(block, dict) else {}
        claimed = build.get("reproducible")
        findings = self._declaration(claimed, build.get("instructions"))
        rebuild = self._rebuild(ctx)
        findings += self._verdict(rebuild, claimed is True)
        details: dict[str, Any] = {
            "declared_reproducible": claimed if isinstance(claimed, bool) else None,
            "rebuild": _details(rebuild) if rebuild is not None else "no source tree",
        }
        return ControlOutcome(findings=findings, details=details)

    @staticmethod
    def _rebuild(ctx: ScanContext) -> Rebuild | None:
        # The build machinery (~0.2 s of imports) only loads when a rebuild runs.
        if ctx.kind == "directory":
            from mtf_action.scan.supply.rebuild import rebuild_directory

            return rebuild_directory(ctx.root)
        if ctx.options.source_dir is not None:
            from mtf_action.scan.supply.rebuild import rebuild_bundle

            return rebuild_bundle(ctx, ctx.options.source_dir)
        return None  # a bundle without its source tree: nothing to rebuild

    def _declaration(self, claimed: Any, instructions: Any) -> list[Finding]:
        out = []
        if not isinstance(claimed, bool):
            out.append(
                self.finding(
                    "reproducibility-undeclared",
                    Severity.MEDIUM,
                    "Reproducibility status not declared",
                    'MTF AI-04: the manifest MUST declare _meta["org.mpaktrust"].build.'
                    "reproducible",
                    blocks_at=4,
                    file=MANIFEST,
                    remediation='declare "build": {"reproducible": true, "instructions": "<url>"}',
                )
            )
        elif claimed is False:
            out.append(
                self.finding(
                    "declared-not-reproducible",
                    Severity.MEDIUM,
                    "Build declared not reproducible",
                    "the manifest declares build.reproducible: false, which MTF AI-04 blocks at L4",
                    blocks_at=4,
                    file=MANIFEST,
                    remediation="make the build reproducible (mtf-attest build is) and declare it",
                )
            )
        if not (isinstance(instructions, str) and instructions.strip()):
            out.append(
                self.finding(
                    "build-instructions-missing",
                    Severity.LOW,
                    "No build instructions",
                    "build.instructions should point at how to rebuild the bundle (OS, "
                    "toolchain versions, commands)",
                    blocks_at=None,
                    file=MANIFEST,
                    remediation="add build.instructions with a URL to BUILD.md or similar",
                )
            )
        return out

    def _verdict(self, rebuild: Rebuild | None, claimed: bool) -> list[Finding]:
        if rebuild is None or not rebuild.attempted or rebuild.reason:
            why = "no source tree (scan the bundle with --source DIR to rebuild it)"
            if rebuild is not None:
                why = rebuild.reason
            return [
                self.finding(
                    "rebuild-not-verified",
                    Severity.LOW,
                    "Rebuild not verified",
                    f"only the declaration was checked: {why}",
                    blocks_at=None,
                )
            ]
        if rebuild.identical:
            return [
                self.finding(
                    "rebuild-identical",
                    Severity.INFO,
                    "Rebuild is bit-identical",
                    f"sha256 {rebuild.rebuilt} at SOURCE_DATE_EPOCH {rebuild.epoch} "
                    f"({rebuild.epoch_origin})",
                    blocks_at=None,
                )
            ]
        listed = ", ".join(rebuild.differing[:_MAX_LISTED]) or "only the compressed bytes"
        more = len(rebuild.differing) - _MAX_LISTED
        listed += f" and {more} more" if more > 0 else ""
        return [
            self.finding(
                "build-differs",
                Severity.HIGH if claimed else Severity.LOW,
                "Manifest claims a reproducible build, but the rebuild differs"
                if claimed
                else "Rebuild differs",
                f"sha256 {rebuild.rebuilt} instead of {rebuild.reference}; differing members: "
                f"{listed}",
                blocks_at=4 if claimed else None,
                remediation="build from a clean tree at a fixed SOURCE_DATE_EPOCH with the "
                "same tools; only same-zlib rebuilds compare byte for byte",
            )
        ]


def _details(rebuild: Rebuild) -> dict[str, Any]:
    return {
        "attempted": rebuild.attempted,
        "identical": rebuild.identical,
        "reference_sha256": rebuild.reference or None,
        "rebuilt_sha256": rebuild.rebuilt or None,
        "source_date_epoch": rebuild.epoch,
        "epoch_origin": rebuild.epoch_origin or None,
        "differing_members": list(rebuild.differing[:_MAX_LISTED]),
        "reason": rebuild.reason or None,
    }
