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


def _previous(run: Run) -> Path | None:
    """``previous-release``: a path in the workspace; ``auto``/empty: none given.

    ``auto`` (the latest earlier release) needs the release listing of the API
    layer; until it is wired, UP-02/UP-04 see no previous release and say so.
    """
    value = run.inputs.previous_release
    if value in ("", "auto", "none"):
        return None
    return run.path(value)


def scan_summary(
    run: Run,
    target: Path,
    *,
    kind: Literal["bundle", "directory"],
    public_key: PublicKey | None = None,
    trusted_root: Path | None = None,
) -> ScanSummary:
    import tempfile

    from mtf_action.scan.context import ScanOptions
    from mtf_action.scan.controls import all_controls
    from mtf_action.scan.engine import run_scan
    from mtf_action.scan.formats import render
    from mtf_action.scan.report import scan_report
    from mtf_action.scan.target import open_target
    from mtf_action.signing.keys import public_key_pem

    source = run.path(run.inputs.directory)
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
            previous=_previous(run),
        )
        controls = all_controls()
        with open_target(target, options, reporter=run.reporter) as ctx:
            with run.reporter.step(f"scanned {len(ctx.files)} files ({len(controls)} controls)"):
                result = run_scan(ctx, controls)
            report = scan_report(ctx, result, level=run.inputs.min_level)
    base = run.shown(source)
    return ScanSummary(
        result=result,
        report=report,
        markdown=render(report, "markdown"),
        sarif=render(report, "sarif", uri_base="" if base == "." else base),
        root=source,
    )


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
