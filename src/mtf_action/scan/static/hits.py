"""Raw rule matches, and turning them into findings once suppressions are applied.

Every analysis (Bandit, the JS/TS rules, the CQ-05 pattern tables) produces
:class:`Hit` records; :func:`settle` looks up the ``nosec`` comment covering
each one and yields the control's findings: justified suppressions become info
records that keep the reason, unjustified ones change nothing but are reported
as "unjustified suppression" (WARN) -- MTF CQ-03/CQ-05 require a justification.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtf_action.scan.result import Finding, Severity
from mtf_action.scan.static.suppressions import Suppression, lookup

if TYPE_CHECKING:
    from mtf_action.scan.control import Control

UNJUSTIFIED = "unjustified-suppression"


@dataclass(frozen=True)
class Hit:
    """One match of one rule, before suppressions."""

    rule: str  # the finding's rule slug
    severity: Severity
    title: str
    description: str
    file: str
    line: int
    end_line: int
    blocks_at: int | None
    remediation: str | None = None
    # Names a scoped suppression may use for this rule (Bandit ID, ESLint rule name).
    aliases: tuple[str, ...] = ()


@dataclass
class Settled:
    """Findings after suppressions, and the bare suppressions that were relied on."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    unjustified: dict[tuple[str, int], Suppression] = field(default_factory=dict)


def settle(
    control: Control,
    hits: Iterable[Hit],
    suppressions_of: Callable[[str], Mapping[int, Suppression]],
) -> Settled:
    out = Settled()
    for hit in hits:
        sup = lookup(suppressions_of(hit.file), hit.line, hit.end_line, (hit.rule, *hit.aliases))
        if sup is not None and sup.justified:
            out.suppressed += 1
            out.findings.append(
                control.finding(
                    hit.rule,
                    Severity.INFO,
                    f"suppressed: {sup.reason}",
                    f"{hit.title} ({hit.severity.value}) suppressed inline with the "
                    f"justification {sup.reason!r}. {hit.description}",
                    blocks_at=None,
                    file=hit.file,
                    line=hit.line,
                )
            )
            continue
        if sup is not None:
            out.unjustified[(hit.file, sup.line)] = sup
        out.findings.append(
            control.finding(
                hit.rule,
                hit.severity,
                hit.title,
                hit.description,
                blocks_at=hit.blocks_at,
                file=hit.file,
                line=hit.line,
                remediation=hit.remediation,
            )
        )
    return out


def unjustified_finding(control: Control, file: str, sup: Suppression) -> Finding:
    """WARN for a ``nosec`` without a reason (MTF: "Suppression without justification")."""
    comment = "// nosec" if not file.endswith(".py") else "# nosec"
    return control.finding(
        UNJUSTIFIED,
        Severity.MEDIUM,
        "unjustified suppression",
        f"A `{comment}` comment without a justification; MTF accepts inline "
        "suppressions only with a reason, so it does not hide any finding.",
        blocks_at=None,
        file=file,
        line=sup.line,
        remediation=f"Write the reason after the marker: `{comment}: <why this is safe>`, "
        "or fix the code and remove the comment.",
    )
