"""MTF SC-02 blocking criteria and non-blocking table, at every boundary."""

from __future__ import annotations

import pytest

from mtf_action.scan.result import Severity
from mtf_action.vulns.prioritise import decide


@pytest.mark.parametrize(
    ("cvss", "epss", "kev", "rule", "blocks_at", "severity"),
    [
        (9.0, None, False, "cvss-critical", 2, Severity.CRITICAL),
        (10.0, 0.0, False, "cvss-critical", 2, Severity.CRITICAL),
        (8.9, 0.11, False, "cvss-high-epss", 2, Severity.HIGH),
        (7.0, 0.1001, False, "cvss-high-epss", 2, Severity.HIGH),
        (7.0, 0.10, False, "cvss-high-low-epss", None, Severity.HIGH),  # "EPSS > 0.10" is strict
        (8.9, 0.0, False, "cvss-high-low-epss", None, Severity.HIGH),
        (8.9, None, False, "cvss-high-epss-unknown", None, Severity.HIGH),
        (6.9, 0.99, False, "cvss-medium", None, Severity.MEDIUM),  # EPSS only counts from 7.0
        (4.0, None, False, "cvss-medium", None, Severity.MEDIUM),
        (3.9, 0.5, False, "cvss-low", None, Severity.INFO),
        (0.0, None, False, "cvss-low", None, Severity.INFO),
        (None, 0.9, False, "cvss-unknown", None, Severity.MEDIUM),
        (None, None, True, "kev-listed", 2, Severity.CRITICAL),
        (2.0, 0.0, True, "kev-listed", 2, Severity.CRITICAL),  # KEV blocks whatever the score
    ],
)
def test_sc02_decision_table(
    cvss: float | None,
    epss: float | None,
    kev: bool,
    rule: str,
    blocks_at: int | None,
    severity: Severity,
) -> None:
    decision = decide(cvss, epss, kev)
    assert (decision.rule, decision.blocks_at, decision.severity) == (rule, blocks_at, severity)
    assert decision.blocking is (blocks_at is not None)
    assert ("BLOCK" in decision.reason) is decision.blocking
