"""SARIF 2.1.0 for GitHub code scanning: one rule per MTF control.

GitHub needs a location on every result, so findings without a file point at
``manifest.json`` (the document that declares the bundle). Paths are
percent-encoded URI references; ``uri_base`` prefixes them so that a scan of
a subdirectory lines up with the repository GitHub checked out. Levels map from
blocking-ness rather than raw severity: a blocking finding is an ``error``,
a non-blocking one a ``warning``, informational ones a ``note``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from mtf_action import __version__
from mtf_action.models.report import Report, ReportFinding

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFO_URI = "https://github.com/mtf-attest/mtf-attest"
SPEC_URI = "https://mpaktrust.org/spec/v0.1"
# GitHub's security-severity scale (0.0-10.0) per MTF severity.
_SECURITY_SEVERITY = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "0.0",
}


def _level(finding: ReportFinding) -> str:
    if finding.blocking:
        return "error"
    return "note" if finding.severity == "info" else "warning"


def _rule(control: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": control["id"],
        "name": "".join(w.capitalize() for w in control["name"].split()),
        "shortDescription": {"text": f"MTF {control['id']} {control['name']}"},
        "fullDescription": {
            "text": f"MTF v0.1 control {control['id']} ({control['name']}), required at "
            f"L{control['level']}, enforced by the {control['enforcement']}."
        },
        "helpUri": SPEC_URI,
        "properties": {
            "tags": ["security", "supply-chain", "mtf", f"mtf-L{control['level']}"],
            "mtf-level": control["level"],
        },
    }


def _uri(path: str, base: str) -> str:
    return quote(base + path, safe="/")


def _result(finding: ReportFinding, rule_index: int, base: str) -> dict[str, Any]:
    text = f"{finding.title}: {finding.description}"
    if finding.remediation:
        text += f" Remediation: {finding.remediation}"
    region = {"startLine": finding.line} if finding.line else None
    physical: dict[str, Any] = {
        "artifactLocation": {
            "uri": _uri(finding.file or "manifest.json", base),
            "uriBaseId": "%SRCROOT%",
        }
    }
    if region:
        physical["region"] = region
    return {
        "ruleId": finding.control,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        # The line-independent fingerprint (scan/fingerprint.py) when the report has one:
        # code scanning then keeps an alert open, not new, when the code moves.
        "partialFingerprints": (
            {"mtfFingerprint/v1": finding.fingerprint}
            if finding.fingerprint
            else {"mtfFindingId/v1": finding.id}
        ),
        "properties": {
            "mtf-rule": finding.rule,
            "severity": finding.severity,
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "blocking": finding.blocking,
        },
    }


def render_sarif(report: Report, *, uri_base: str = "") -> dict[str, Any]:
    """The SARIF 2.1.0 log of one scan (one run, one rule per catalog control)."""
    base = uri_base.strip("/") + "/" if uri_base.strip("/") else ""
    controls = [
        c.model_dump() for domain in report.domains.values() for c in domain.controls.values()
    ]
    controls.sort(key=lambda c: c["id"])
    index = {c["id"]: i for i, c in enumerate(controls)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mtf-attest",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(c) for c in controls],
                    }
                },
                "automationDetails": {"id": f"mtf-attest/{report.bundle.name}/"},
                "results": [_result(f, index[f.control], base) for f in report.findings],
                "properties": {
                    "mtf-level-verified": report.level_verified,
                    "mtf-level-claimed": report.level_claimed,
                },
            }
        ],
    }
