"""The scan report of a run as the job shows it: step summary, SARIF, annotations.

Release mode reports on the sealed bundle (the same controls, signatures and
provenance the claim's scan saw; ``attest`` does not hand its report out, so the
bundle is scanned once more), pull-request mode on the source directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mtf_action.models.report import Report, ReportFinding
from mtf_action.scan.engine import ScanResult

if TYPE_CHECKING:
    from mtf_action.action.main import Run
    from mtf_action.action.previous import PreviousRelease
    from mtf_action.signing.keys import PublicKey

# GitHub shows at most 10 error and 10 warning annotations per step; more are noise.
MAX_ANNOTATIONS = 20
_LEVELS: dict[str, Literal["error", "warning", "notice"]] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}


@dataclass(frozen=True)
class ScanSummary:
    result: ScanResult
    report: Report
    markdown: str
    sarif: str
    root: Path  # what finding paths are relative to (the source directory)


def scan_summary(
    run: Run,
    target: Path,
    *,
    kind: Literal["bundle", "directory"],
    public_key: PublicKey | None = None,
    trusted_root: Path | None = None,
    previous: PreviousRelease | None = None,
    source: Path | None = None,
) -> ScanSummary:
    """Scan ``target`` with the run's options.

    ``previous``: the release UP-02/UP-04 compare with (or why there is none);
    ``source``: the source directory (default: the ``directory`` input), which
    pull-request mode sets to the base branch's exported tree for its scan.
    """
    import tempfile

    from mtf_action.scan.context import ScanOptions
    from mtf_action.scan.controls import registered
    from mtf_action.scan.engine import run_scan
    from mtf_action.scan.formats import render
    from mtf_action.scan.report import scan_report
    from mtf_action.scan.target import open_target
    from mtf_action.signing.keys import public_key_pem

    source = source or run.path(run.inputs.directory)
    with tempfile.TemporaryDirectory(prefix="mtf-attest-scan-") as tmp:
        key = None
        if public_key is not None:
            key = Path(tmp) / "signer.pub.pem"
            key.write_bytes(public_key_pem(public_key))
        options = ScanOptions(
            level=run.inputs.min_level,
            source_dir=source if kind == "directory" else None,
            public_key=key,
            trusted_root=trusted_root,
            previous=previous.path if previous is not None else None,
            previous_missing=previous.note if previous is not None and not previous.path else None,
            vulns=run.vulns,
        )
        controls = registered()
        with open_target(target, options, reporter=run.reporter) as ctx:
            with run.reporter.step(f"scanned {len(ctx.files)} files ({len(controls)} controls)"):
                result = run_scan(ctx, controls)
            report = scan_report(ctx, result, level=run.inputs.min_level)
    base = run.shown(source)
    return ScanSummary(
        result=result,
        report=report,
        markdown=render(report, "markdown") + _previous_line(previous),
        sarif=render(report, "sarif", uri_base="" if base == "." else base),
        root=source,
    )


def _previous_line(previous: PreviousRelease | None) -> str:
    """Which release UP-02/UP-04 compared with, or why none, under the summary's table."""
    if previous is None:
        return ""
    from mtf_action.scan.formats.markdown import _escape

    return f"\nPrevious release for UP-02/UP-04: {_escape(previous.note)}.\n"


def annotation_file(run: Run, summary: ScanSummary, finding: ReportFinding) -> str | None:
    """The finding's file relative to the repository (annotations need that), or None."""
    if not finding.file:
        return None
    return run.shown(summary.root / finding.file)


def publish_report(run: Run, summary: ScanSummary) -> None:
    """Step summary, SARIF file (``sarif-path`` output) and annotations."""
    from mtf_action.bundle.atomic import atomic_write_bytes

    run.workflow.summary(summary.markdown)
    sarif_path = ""
    if run.inputs.sarif_file:
        path = run.path(run.inputs.sarif_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, summary.sarif.encode("utf-8"))
        sarif_path = run.shown(path)
    run.output("sarif-path", sarif_path)
    ranked = sorted(summary.report.findings, key=lambda f: (not f.blocking, f.severity))
    for finding in ranked[:MAX_ANNOTATIONS]:
        level = "error" if finding.blocking else _LEVELS[finding.severity]
        run.workflow.annotate(
            level,
            f"{finding.title}: {finding.description}",
            file=annotation_file(run, summary, finding),
            line=finding.line,
            title=f"MTF {finding.control} ({finding.severity})",
        )
