"""The shape every control implementation shares."""

from __future__ import annotations

import functools
import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from mtf_action.scan.catalog import ControlSpec, spec
from mtf_action.scan.parallel import Pending, start_call
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


class ChildProcessControl(Control):
    """A control evaluated whole in a forked child, beside the other controls.

    For controls whose cost is mostly their own imports or waits (regex
    tables, HTTP): :meth:`prepare` reads in the scan's process whatever the
    child needs that other controls read too, so nothing is read twice; the
    child evaluates on its own handle of the bundle and sends back the outcome.
    """

    def prepare(self, ctx: ScanContext) -> bool:
        """Warm the shared views the child will use; False evaluates in-process instead."""
        del ctx
        return True

    @abstractmethod
    def evaluate_here(self, ctx: ScanContext) -> ControlOutcome:
        """The control's check itself, in whichever process runs it."""

    def start(self, ctx: ScanContext) -> None:
        if self.prepare(ctx):
            ctx.started[self.id] = start_call(functools.partial(self._in_child, ctx))

    def _in_child(self, ctx: ScanContext) -> ControlOutcome:
        ctx.detach_reader()
        return self.evaluate_here(ctx)

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        pending: Pending[ControlOutcome] | None = ctx.take_started(self.id)
        return pending.result()[0] if pending is not None else self.evaluate_here(ctx)


@dataclass(frozen=True)
class ControlRef:
    """A registered control by name; its module (and what that imports) loads on first use.

    The engine loads the controls that start work on other cores first, so
    that work begins before the remaining controls' imports run on this core.
    """

    id: str
    module: str  # the defining module, relative to ``mtf_action.scan.controls``
    name: str  # the class
    starts_work: bool = False  # overrides :meth:`Control.start`

    def load(self) -> Control:
        return _instance(self.module, self.name)


@functools.cache
def _instance(module: str, name: str) -> Control:
    """One shared instance per control class (controls are stateless)."""
    cls = getattr(importlib.import_module(f"mtf_action.scan.controls.{module}"), name)
    control: Control = cls()
    return control


def loaded(item: Control | ControlRef) -> Control:
    return item.load() if isinstance(item, ControlRef) else item


def starts_work(item: Control | ControlRef) -> bool:
    """Whether the control hands work to other cores in :meth:`Control.start`."""
    if isinstance(item, ControlRef):
        return item.starts_work
    return type(item).start is not Control.start
