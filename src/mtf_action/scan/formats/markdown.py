"""A compact Markdown summary for a PR comment or the Actions step summary."""

from __future__ import annotations

from mtf_action.models.report import Report, ReportControl

_ICON = {
    "pass": "✅",
    "warn": "⚠️",
    "fail": "❌",
    "error": "💥",
    "skip": "➖",
    "not_evaluated": "·",
}
_LEVEL_COLOUR = {0: "red", 1: "orange", 2: "yellow", 3: "green", 4: "brightgreen"}
TOP_FINDINGS = 10


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def consent_required(report: Report) -> list[str]:
    """UP-01 consent-required changes against the previous release (from UP-02's details)."""
    for domain in report.domains.values():
        control = domain.controls.get("UP-02")
        if control is not None and control.details:
            items = control.details.get("consent_required")
            if isinstance(items, list):
                return [str(i) for i in items]
    return []


def consent_lines(report: Report) -> list[str]:
    """A paragraph naming the consent-required changes, or nothing when there are none."""
    items = consent_required(report)
    if not items:
        return []
    previous = next(
        (
            c.details.get("previous", {}).get("version")
            for d in report.domains.values()
            for cid, c in d.controls.items()
            if cid == "UP-02" and c.details and isinstance(c.details.get("previous"), dict)
        ),
        None,
    )
    since = f" since {_escape(str(previous))}" if previous else ""
    return [
        "",
        f"**Consent required before an automatic update (UP-01){since}:** "
        + "; ".join(_escape(i) for i in items),
    ]


def render_markdown(report: Report) -> str:
    level = report.level_verified
    name = report.compliance.level_name
    badge = (
        f"![MTF level](https://img.shields.io/badge/MTF-L{level}%20{name}-{_LEVEL_COLOUR[level]})"
    )
    claimed = report.level_claimed
    lines = [
        f"### MTF scan: `{_escape(report.bundle.name)}` {_escape(report.bundle.version)}",
        "",
        badge,
        "",
        f"**Verified level: L{level} ({name})**"
        + (f", claimed L{claimed}" if claimed is not None else ", no level claimed")
        + (
            " — the claim exceeds what was verified"
            if report.compliance.claim_exceeds_verified
            else ""
        ),
        *(
            [
                "",
                f"L{level + 1} is not verified because of: "
                + ", ".join(report.compliance.next_level_blocked_by),
            ]
            if report.compliance.next_level_blocked_by
            else []
        ),
        *consent_lines(report),
        "",
        "| control | name | level | status | findings |",
        "|---|---|---|---|---|",
    ]
    not_evaluated: list[ReportControl] = []
    for summary in report.controls:
        control = next(
            c for d in report.domains.values() for cid, c in d.controls.items() if cid == summary.id
        )
        if control.mtf_status == "not_evaluated":
            not_evaluated.append(control)
            continue
        advisory = "" if control.counts_toward_level else " (advisory)"
        lines.append(
            f"| {control.id} | {control.name} | L{control.level} | "
            f"{_ICON[control.mtf_status]} {control.mtf_status}{advisory} | "
            f"{len(control.findings)} |"
        )
    if any(
        not c.counts_toward_level
        for d in report.domains.values()
        for c in d.controls.values()
        if c.mtf_status != "not_evaluated"
    ):
        legend = (
            "_(advisory): enforced by a registry or client; checked here for information, "
            "not counted in the level._"
        )
        lines += ["", legend]
    scanner_gaps = [c.id for c in not_evaluated if c.enforcement == "scanner"]
    elsewhere = [c.id for c in not_evaluated if c.enforcement != "scanner"]
    if scanner_gaps:
        lines += [
            "",
            f"Scanner controls not evaluated yet (they cap the level): {', '.join(scanner_gaps)}.",
        ]
    if elsewhere:
        where = "Enforced by a registry or client, not by a publisher-side scan"
        lines += ["", f"{where}: {', '.join(elsewhere)}."]
    ranked = sorted(
        report.findings,
        key=lambda f: (
            not f.blocking,
            ["critical", "high", "medium", "low", "info"].index(f.severity),
        ),
    )
    if ranked:
        lines += ["", "<details><summary>Top findings</summary>", ""]
        for f in ranked[:TOP_FINDINGS]:
            where = f" `{_escape(f.file)}{':' + str(f.line) if f.line else ''}`" if f.file else ""
            flag = "**blocking** " if f.blocking else ""
            lines.append(f"- {flag}{f.severity} {f.control}{where}: {_escape(f.title)}")
        if len(ranked) > TOP_FINDINGS:
            lines.append(f"- … and {len(ranked) - TOP_FINDINGS} more")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
