"""The pull-request comment: this change's scan against the base branch's.

Verified against claimed level (and the base's), the findings this change
introduces and the ones it fixes (capped lists with full counts), the control
table with each status before and after, and the link to the run. GitHub
refuses comments over 65,536 characters, so the lists shrink until the body
fits ``limit`` (measured in UTF-8 bytes, never fewer than GitHub's characters).
"""

from __future__ import annotations

from typing import Final

from mtf_action.models.report import Report, ReportFinding
from mtf_action.scan.diff import ControlChange, ScanDiff, rank_findings
from mtf_action.scan.formats.markdown import _ICON, _LEVEL_COLOUR, _escape, consent_lines

COMMENT_LIMIT: Final = 65536
LIST_CAP: Final = 30
_ARROW: Final = {"worse": " ⬇️", "better": " ⬆️", "changed": " ↔️", "same": ""}


def _level_line(level: int, claimed: int | None) -> str:
    return f"L{level}" + (f", claimed L{claimed}" if claimed is not None else ", no level claimed")


def _finding_line(f: ReportFinding) -> str:
    where = f" `{_escape(f.file)}{':' + str(f.line) if f.line else ''}`" if f.file else ""
    flag = "**blocking** " if f.blocking else ""
    return f"- {flag}{f.severity} {f.control}{where}: {_escape(f.title)}"


def _finding_list(title: str, findings: list[ReportFinding], cap: int) -> list[str]:
    blocking = sum(f.blocking for f in findings)
    heading = f"#### {title}: {len(findings)}" + (f" ({blocking} blocking)" if blocking else "")
    if not findings:
        return ["", heading, "", "None."]
    lines = ["", heading, ""]
    lines += [_finding_line(f) for f in findings[:cap]]
    if len(findings) > cap:
        lines.append(f"- … and {len(findings) - cap} more (all of them are in the SARIF report)")
    return lines


def _status(status: str | None) -> str:
    return "—" if status is None else f"{_ICON[status]} {status}"


def _control_table(report: Report, diff: ScanDiff | None) -> list[str]:
    controls = {cid: c for d in report.domains.values() for cid, c in d.controls.items()}
    changes: dict[str, ControlChange] = {c.id: c for c in diff.controls} if diff else {}
    shown = [c for c in controls.values() if c.mtf_status != "not_evaluated"]
    if diff is not None:
        changed = len(diff.changed_controls)
        lines = ["", f"#### Controls ({changed} changed against the base branch)", ""]
        lines += ["| control | name | level | base | this PR |", "|---|---|---|---|---|"]
    else:
        lines = [
            "",
            "#### Controls",
            "",
            "| control | name | level | status |",
            "|---|---|---|---|",
        ]
    for c in shown:
        advisory = "" if c.counts_toward_level else " (advisory)"
        row = f"| {c.id} | {_escape(c.name)}{advisory} | L{c.level} | "
        if diff is not None:
            change = changes.get(c.id)
            base = change.base if change is not None else None
            arrow = _ARROW[change.direction] if change is not None else ""
            row += f"{_status(base)} | {_status(c.mtf_status)}{arrow} |"
        else:
            row += f"{_status(c.mtf_status)} |"
        lines.append(row)
    gaps = [c.id for c in controls.values() if c.mtf_status == "not_evaluated"]
    if gaps:
        lines += ["", f"Not evaluated by this scan: {', '.join(gaps)}."]
    return lines


def _body(
    report: Report,
    diff: ScanDiff | None,
    *,
    base_note: str | None,
    previous_note: str | None,
    run_url: str | None,
    cap: int,
) -> str:
    level = report.level_verified
    name = report.compliance.level_name
    version = _escape(report.bundle.version)
    lines = [
        f"### MTF scan: `{_escape(report.bundle.name)}` {version}, pull request",
        "",
        f"![MTF level](https://img.shields.io/badge/MTF-L{level}%20{name}-{_LEVEL_COLOUR[level]})",
        "",
        f"**Verified level: L{level} ({name})**"
        + _level_line(level, report.level_claimed).removeprefix(f"L{level}")
        + (
            " — the claim exceeds what was verified"
            if report.compliance.claim_exceeds_verified
            else ""
        ),
    ]
    if diff is not None:
        step = diff.head_level_verified - diff.base_level_verified
        trend = "unchanged" if step == 0 else ("up" if step > 0 else "down")
        base = _level_line(diff.base_level_verified, diff.base_level_claimed)
        lines += ["", f"Base branch (`{diff.base_ref[:12]}`): {base}; verified level {trend}."]
    blockers = report.compliance.next_level_blocked_by
    if blockers:
        lines += ["", f"L{level + 1} is not verified because of: " + ", ".join(blockers)]
    lines += consent_lines(report)
    if previous_note:
        lines += ["", f"Previous release for UP-02/UP-04: {_escape(previous_note)}."]
    if base_note:
        lines += ["", f"> {_escape(base_note)}"]
    if diff is not None:
        lines += _finding_list("New in this PR", diff.new, cap)
        lines += _finding_list("Fixed by this PR", diff.fixed, cap)
        lines += ["", f"{diff.unchanged} findings are the same as on the base branch."]
    else:
        lines += _finding_list("Findings", rank_findings(list(report.findings)), cap)
    lines += _control_table(report, diff)
    if run_url:
        lines += ["", f"[The run with the full report]({run_url})"]
    return "\n".join(lines) + "\n"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def render_pull_request(
    report: Report,
    diff: ScanDiff | None,
    *,
    base_note: str | None = None,
    previous_note: str | None = None,
    run_url: str | None = None,
    limit: int = COMMENT_LIMIT,
) -> str:
    """The comment body; ``diff`` None: the base was not scanned (``base_note`` says why).

    ``previous_note``: which release UP-02/UP-04 compared with, or why none.
    """
    cap = LIST_CAP
    while True:
        body = _body(
            report,
            diff,
            base_note=base_note,
            previous_note=previous_note,
            run_url=run_url,
            cap=cap,
        )
        if _size(body) <= limit or cap == 0:
            break
        cap //= 2
    if _size(body) <= limit:
        return body
    note = "\n\n_(cut to fit GitHub's comment size limit; the run has the full report)_\n"
    room = max(0, limit - _size(note))
    return body.encode("utf-8")[:room].decode("utf-8", "ignore") + note
