"""MTF SC-02 "Blocking Criteria" and "Non-Blocking" tables as one decision function.

A vulnerability blocks (from L2, SC-02's level) if ANY of:

* listed in CISA KEV (``kev-listed``);
* CVSS >= 9.0 (``cvss-critical``);
* CVSS >= 7.0 and EPSS > 0.10 (``cvss-high-epss``).

Otherwise: CVSS 7.0-8.9 with EPSS <= 0.10 warns (``cvss-high-low-epss``),
4.0-6.9 warns (``cvss-medium``), < 4.0 is information (``cvss-low``).

Cases the tables do not cover, decided here and named in every finding:

* EPSS unknown (no feed, or FIRST has not scored the CVE): the EPSS rule cannot
  be applied, so 7.0-8.9 warns (``cvss-high-epss-unknown``); the missing feed
  itself is reported by the control;
* no CVSS vector in any advisory of the group (older PYSEC records, PyPI's
  API): a warning (``cvss-unknown``); KEV membership still blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtf_action.scan.result import Severity

BLOCK_LEVEL = 2  # SC-02 is an L2 control: "BLOCK" applies from L2 on
EPSS_THRESHOLD = 0.10


@dataclass(frozen=True)
class Decision:
    rule: str
    severity: Severity
    blocks_at: int | None
    reason: str

    @property
    def blocking(self) -> bool:
        return self.blocks_at is not None


def decide(cvss: float | None, epss: float | None, kev: bool) -> Decision:
    """The rule that applies, the finding's severity and the level it blocks from."""
    if kev:
        return Decision(
            "kev-listed",
            Severity.CRITICAL,
            BLOCK_LEVEL,
            "listed in CISA KEV (known active exploitation): BLOCK",
        )
    if cvss is None:
        return Decision(
            "cvss-unknown",
            Severity.MEDIUM,
            None,
            "no CVSS vector in the advisories, so the CVSS thresholds cannot be applied; "
            "not in KEV: WARN",
        )
    if cvss >= 9.0:
        return Decision("cvss-critical", Severity.CRITICAL, BLOCK_LEVEL, "CVSS >= 9.0: BLOCK")
    if cvss >= 7.0:
        if epss is None:
            return Decision(
                "cvss-high-epss-unknown",
                Severity.HIGH,
                None,
                "CVSS 7.0-8.9 and no EPSS score, so the EPSS rule cannot be applied: WARN",
            )
        if epss > EPSS_THRESHOLD:
            return Decision(
                "cvss-high-epss", Severity.HIGH, BLOCK_LEVEL, "CVSS >= 7.0 and EPSS > 0.10: BLOCK"
            )
        return Decision(
            "cvss-high-low-epss", Severity.HIGH, None, "CVSS 7.0-8.9 with EPSS <= 0.10: WARN"
        )
    if cvss >= 4.0:
        return Decision("cvss-medium", Severity.MEDIUM, None, "CVSS 4.0-6.9: WARN")
    return Decision("cvss-low", Severity.INFO, None, "CVSS < 4.0: INFO")
