"""Renderers of a scan report: json, sarif, markdown, text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtf_action.models.report import Report

# The CLI lists these before it scans; the renderers (and the report models
# they import) load when a report is rendered.
FORMATS = ("text", "json", "sarif", "markdown")


def render(report: Report, fmt: str, *, color: bool = False, uri_base: str = "") -> str:
    """The report as ``fmt`` (one of :data:`FORMATS`), ending with a newline.

    ``color`` applies to ``text`` only; ``uri_base`` prefixes SARIF locations
    (the scanned directory relative to the repository root).
    """
    if fmt == "json":
        return json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        from mtf_action.scan.formats.sarif import render_sarif

        sarif = render_sarif(report, uri_base=uri_base)
        return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from mtf_action.scan.formats.markdown import render_markdown

        return render_markdown(report)
    if fmt == "text":
        from mtf_action.scan.formats.text import render_text

        return render_text(report, color=color)
    raise ValueError(f"unknown report format {fmt!r}")
