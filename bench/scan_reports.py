"""Read the JSON reports of ``mtf-attest scan`` and ``mpak-scanner scan`` into one shape.

Both tools group controls as ``domains -> <domain> -> controls -> <ID>`` with a
``status`` and ``findings``, but their statuses mean different things:

- mtf-attest: ``mtf_status`` is pass / warn / fail (the control ran), error (it
  tried and could not finish), skip (does not apply, or no data) or
  not_evaluated (not implemented yet, or enforced by the registry/client).
- mpak-scanner: pass / fail (it ran), error (it could not run, most often an
  external tool is missing), skip (not implemented, or nothing to inspect).

A control counts as *evaluated* only with a real verdict (pass, warn, fail).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

EVALUATED = "evaluated"
ERROR = "error"
NOT_EVALUATED = "not evaluated"
_VERDICTS = {"pass", "warn", "fail"}
# MTF control families in the spec's catalog order, for sorting tables.
_FAMILY_ORDER = ("AI", "SC", "CQ", "CD", "PR", "RG", "PK", "IN", "UP")


@dataclass(frozen=True)
class ControlOutcome:
    control: str
    status: str  # the tool's own word
    state: str  # EVALUATED, ERROR or NOT_EVALUATED
    findings: int
    severities: dict[str, int]
    reason: str | None = None


@dataclass
class ReportSummary:
    tool: str
    level: int | None
    risk_score: str | None
    controls: dict[str, ControlOutcome] = field(default_factory=dict)

    def ids(self, state: str) -> list[str]:
        return sorted((c for c, o in self.controls.items() if o.state == state), key=control_key)

    @property
    def findings(self) -> int:
        return sum(o.findings for o in self.controls.values())


def control_key(control_id: str) -> tuple[int, str]:
    family = control_id.split("-", 1)[0]
    rank = _FAMILY_ORDER.index(family) if family in _FAMILY_ORDER else len(_FAMILY_ORDER)
    return rank, control_id


def _state(status: str) -> str:
    if status in _VERDICTS:
        return EVALUATED
    return ERROR if status == "error" else NOT_EVALUATED


def _one_line(text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return re.sub(r"\s+", " ", text.strip())[:160]


def _controls(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    domains = doc.get("domains")
    if not isinstance(domains, dict):
        raise TypeError("report has no 'domains' object")
    found: list[tuple[str, dict[str, Any]]] = []
    for domain in domains.values():
        controls = domain.get("controls", {}) if isinstance(domain, dict) else {}
        found.extend((cid, body) for cid, body in controls.items() if isinstance(body, dict))
    return found


def _outcome(cid: str, status: str, body: dict[str, Any], reason: object) -> ControlOutcome:
    findings = [f for f in body.get("findings", []) if isinstance(f, dict)]
    severities = Counter(str(f.get("severity", "unknown")) for f in findings)
    return ControlOutcome(
        control=cid,
        status=status,
        state=_state(status),
        findings=len(findings),
        severities=dict(sorted(severities.items())),
        reason=_one_line(reason),
    )


def read_mtf(doc: dict[str, Any]) -> ReportSummary:
    """An ``mtf-attest scan --format json`` report."""
    summary = ReportSummary("mtf-attest", _level(doc), _str(doc.get("risk_score")))
    for cid, body in _controls(doc):
        status = str(body.get("mtf_status") or body.get("status"))
        reason = body.get("reason") or body.get("error")
        summary.controls[cid] = _outcome(cid, status, body, reason)
    return summary


def read_mpak(doc: dict[str, Any]) -> ReportSummary:
    """An ``mpak-scanner scan --json`` report."""
    summary = ReportSummary("mpak-scanner", _level(doc), _str(doc.get("risk_score")))
    for cid, body in _controls(doc):
        status = str(body.get("status"))
        summary.controls[cid] = _outcome(cid, status, body, body.get("error"))
    return summary


def _level(doc: dict[str, Any]) -> int | None:
    compliance = doc.get("compliance")
    level = compliance.get("level") if isinstance(compliance, dict) else None
    return level if isinstance(level, int) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def cell(outcome: ControlOutcome | None) -> str:
    """A compact table cell: ``pass``, ``warn·3``, ``error``, ``-`` (not evaluated)."""
    if outcome is None or outcome.state == NOT_EVALUATED:
        return "-"
    if outcome.state == ERROR:
        return "error"
    return f"{outcome.status}·{outcome.findings}" if outcome.findings else outcome.status
