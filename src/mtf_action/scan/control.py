"""The shape every control implementation shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from mtf_action.scan.catalog import ControlSpec, spec
from mtf_action.scan.result import ControlOutcome, Finding, Severity

if TYPE_CHECKING:
    from mtf_action.scan.context import ScanContext


class Control(ABC):
    """One MTF control. Subclasses set ``id`` and implement :meth:`evaluate`.

    Name, level and enforcement point come from the catalog (never restated),
    so an implementation cannot drift from the spec's table.
    """

    id: ClassVar[str]

    @property
    def spec(self) -> ControlSpec:
        return spec(self.id)

    def start(self, ctx: ScanContext) -> None:
        """Begin work that can run on other cores while earlier controls are evaluated.

        The engine calls this for every control before evaluating any; most
        controls have nothing to start. :meth:`evaluate` must give the same
        outcome whether or not ``start`` ran first (tests call it alone).
        """
        del ctx

    @abstractmethod
    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        """Inspect the bundle and return findings (or a skip / error reason)."""

    # Small helpers so controls read like the spec's severity tables.
    def finding(
        self,
        rule: str,
        severity: Severity,
        title: str,
        description: str,
        *,
        blocks_at: int | None,
        file: str | None = None,
        line: int | None = None,
        remediation: str | None = None,
    ) -> Finding:
        return Finding(
            control=self.id,
            rule=rule,
            severity=severity,
            title=title,
            description=description,
            file=file,
            line=line,
            remediation=remediation,
            blocks_at=blocks_at,
        )
