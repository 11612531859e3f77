"""Renderers of a scan report: json, sarif, markdown, text."""

from __future__ import annotations

import json

from mtf_action.models.report import Report
from mtf_action.scan.formats.markdown import render_markdown
from mtf_action.scan.formats.sarif import render_sarif
from mtf_action.scan.formats.text import render_text

FORMATS = ("text", "json", "sarif", "markdown")


def render(report: Report, fmt: str, *, color: bool = False, uri_base: str = "") -> str:
    """The report as ``fmt`` (one of :data:`FORMATS`), ending with a newline.

    ``color`` applies to ``text`` only; ``uri_base`` prefixes SARIF locations
    (the scanned directory relative to the repository root).
    """
    if fmt == "json":
        return json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        sarif = render_sarif(report, uri_base=uri_base)
        return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "text":
        return render_text(report, color=color)
    raise ValueError(f"unknown report format {fmt!r}")
