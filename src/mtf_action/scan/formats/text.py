"""A terminal table (rich): findings grouped by control; colour only on a TTY."""

from __future__ import annotations

import io

from mtf_action.models.report import Report

_STYLE = {
    "pass": "green",
    "warn": "yellow",
    "fail": "bold red",
    "error": "bold magenta",
    "skip": "dim",
    "not_evaluated": "dim",
}


def render_text(report: Report, *, color: bool) -> str:
    # rich is loaded for this format only: JSON, SARIF and Markdown scans skip it.
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=110, highlight=False
    )
    console.print(
        f"{report.bundle.name} {report.bundle.version}  "
        f"verified L{report.level_verified} ({report.compliance.level_name})"
        + (f", claimed L{report.level_claimed}" if report.level_claimed is not None else ""),
        markup=False,
    )
    table = Table(show_lines=False, expand=False)
    for column in ("control", "name", "level", "enforced by", "status", "findings"):
        table.add_column(column)
    # Catalog order (the domains are filled in catalog order).
    controls = [c for d in report.domains.values() for c in d.controls.values()]
    elsewhere = [
        c.id for c in controls if c.mtf_status == "not_evaluated" and c.enforcement != "scanner"
    ]
    for c in controls:
        if c.id in elsewhere:
            continue
        table.add_row(
            c.id,
            c.name,
            f"L{c.level}",
            c.enforcement,
            f"[{_STYLE[c.mtf_status]}]{c.mtf_status}[/]"
            + ("" if c.counts_toward_level else " (advisory)"),
            str(len(c.findings)) if c.findings else "",
        )
    console.print(table)
    compliance = report.compliance
    console.print(
        f"{compliance.controls_passed} passed, {compliance.controls_failed} failed of "
        f"{compliance.controls_total} counted controls at L{report.scan.level_evaluated}. "
        "(advisory): enforced by a registry or client, shown but not counted.",
        markup=False,
        style="dim",
    )
    if elsewhere:
        console.print(
            "Enforced by a registry or client, not evaluated by a publisher-side scan: "
            + ", ".join(elsewhere),
            markup=False,
            style="dim",
        )
    for c in controls:
        if not c.findings and not c.error:
            continue
        console.print(f"\n{c.id} {c.name}", style="bold", markup=False)
        if c.error:
            console.print(f"  error: {c.error}", markup=False)
        for f in c.findings:
            where = f" {f.file}:{f.line}" if f.file and f.line else (f" {f.file}" if f.file else "")
            flag = "BLOCKING " if f.blocking else ""
            console.print(f"  {flag}{f.severity}{where}: {f.title}", markup=False)
            console.print(f"    {f.description}", markup=False)
            if f.remediation:
                console.print(f"    fix: {f.remediation}", markup=False)
    blockers = report.compliance.next_level_blocked_by
    if blockers:
        console.print(
            f"\nL{report.level_verified + 1} is not verified because of: " + ", ".join(blockers),
            markup=False,
        )
    if report.compliance.claim_exceeds_verified:
        console.print(
            f"\nThe manifest claims L{report.level_claimed} but only L{report.level_verified} "
            "was verified: this blocks publication.",
            style="bold red",
            markup=False,
        )
    return buffer.getvalue()
