"""Run the controls in the spec's order and compute the verified level.

MTF section 6.6 orders AI-01, SC-01, CQ-01/CQ-02, CD-01 first. Unlike the
spec's "stop on blocking failure", every control still runs: a publisher wants
the whole list of what to fix in one go, and the level computation only needs
the outcomes. A control that raises is reported as ``error`` (never ``pass``),
and an error caps the level exactly like a failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mtf_action.errors import BundleError, MtfError
from mtf_action.scan.catalog import CATALOG, ENFORCEMENT_ORDER, ControlSpec, Enforcement
from mtf_action.scan.context import ScanContext, is_vendored
from mtf_action.scan.control import Control, ControlRef, loaded, starts_work
from mtf_action.scan.result import ControlOutcome, Finding, Severity, Status

_logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Evaluated:
    """One catalog control and what the scan made of it."""

    spec: ControlSpec
    outcome: ControlOutcome | None  # None: not evaluated by this scan
    duration_ms: int = 0

    def status_at(self, level: int) -> Status:
        if self.outcome is None:
            return Status.NOT_EVALUATED
        return self.outcome.status_at(level)

    def satisfied_at(self, level: int) -> bool:
        return self.status_at(level) in (Status.PASS, Status.WARN, Status.SKIP)


@dataclass(frozen=True)
class ScanResult:
    """All catalog controls with outcomes, and the levels that follow."""

    controls: tuple[Evaluated, ...]
    level_claimed: int | None
    level_verified: int
    duration_ms: int

    @property
    def level_evaluated(self) -> int:
        """The level statuses are reported at: the claim, else what was verified (min 1)."""
        return self.level_claimed or max(self.level_verified, 1)


C = TypeVar("C", Control, Control | ControlRef)


def ordered(controls: Sequence[C]) -> list[C]:
    """Controls in MTF 6.6 dependency order, then catalog order."""
    catalog_index = {c.id: i for i, c in enumerate(CATALOG)}

    def key(control: C) -> tuple[int, int]:
        if control.id in ENFORCEMENT_ORDER:
            return (0, ENFORCEMENT_ORDER.index(control.id))
        return (1, catalog_index[control.id])

    return sorted(controls, key=key)


def _not_analysed(control: Control, ctx: ScanContext) -> list[Finding]:
    """Findings for files this control asked for but the text-size cap withheld.

    Unanalysed server code is a blind spot an attacker could use, so it is a
    (non-blocking) warning; a vendored dependency is only noted.
    """
    refused = dict(ctx.text_refused)
    ctx.text_refused.clear()
    return [
        control.finding(
            "file-not-analysed",
            Severity.INFO if is_vendored(path) else Severity.LOW,
            "File too large for text analysis",
            f"{size} bytes exceed the per-file analysis limit of "
            f"{ctx.options.max_text_size} bytes; {control.id} did not analyse this file.",
            blocks_at=None,
            file=path,
            remediation="review the file by hand, or raise the limit with --max-text-size",
        )
        for path, size in sorted(refused.items())
    ]


@dataclass
class _Started:
    """What a control's :meth:`~Control.start` left for its evaluation."""

    refused: list[tuple[str, int]]  # files the text-size cap withheld from it
    error: str | None = None
    duration: float = 0.0


def _call(control: Control, step: Callable[[ScanContext], T], ctx: ScanContext) -> T | str:
    """``step(ctx)``, or the one-line error that makes the control ``error``."""
    try:
        return step(ctx)
    except BundleError:
        raise  # a corrupt or hostile member refuses the bundle, not just one control
    except MtfError as exc:
        return exc.one_line()
    except Exception as exc:  # a crashed check must never read as a pass
        _logger.debug("control %s crashed", control.id, exc_info=True)
        return f"{type(exc).__name__}: {exc}"


def _start_one(control: Control, ctx: ScanContext) -> _Started:
    began = time.monotonic()
    ctx.text_refused.clear()
    error = _call(control, control.start, ctx)
    refused = list(ctx.text_refused)
    ctx.text_refused.clear()
    return _Started(refused, error, time.monotonic() - began)


def _run_one(control: Control, ctx: ScanContext, started: _Started) -> tuple[ControlOutcome, int]:
    began = time.monotonic() - started.duration
    ctx.text_refused[:] = started.refused
    result: ControlOutcome | str = (
        started.error if started.error is not None else _call(control, control.evaluate, ctx)
    )
    outcome = ControlOutcome(error=result) if isinstance(result, str) else result
    outcome.findings.extend(_not_analysed(control, ctx))
    return outcome, int((time.monotonic() - began) * 1000)


def verified_level(evaluated: Sequence[Evaluated]) -> int:
    """Highest L where every scanner-enforced control required at L or below is satisfied."""
    level = 0
    for candidate in (1, 2, 3, 4):
        required = [
            e
            for e in evaluated
            if e.spec.enforcement is Enforcement.SCANNER and e.spec.level <= candidate
        ]
        if not all(e.satisfied_at(candidate) for e in required):
            break
        level = candidate
    return level


def run_scan(ctx: ScanContext, controls: Sequence[Control | ControlRef]) -> ScanResult:
    """Evaluate ``controls`` against ``ctx``; catalog controls without one are not evaluated.

    ``controls`` may name registered controls (:class:`ControlRef`): each loads
    when its turn to start comes.
    """
    began = time.monotonic()
    # Work a control can hand to other cores starts first, in the spec's order,
    # and runs while the other controls load and are evaluated (CQ-01 / CQ-02
    # text passes, Bandit, SC-02, CD-03).
    items = ordered(controls)
    run_order: list[Control] = []
    starts: dict[str, _Started] = {}

    def load_and_start(group: list[Control | ControlRef]) -> None:
        for item in group:
            control = loaded(item)
            run_order.append(control)
            starts[control.id] = _start_one(control, ctx)

    load_and_start([c for c in items if starts_work(c)])
    ctx.start_verification()  # members no text pass read (binaries), on another core
    load_and_start([c for c in items if not starts_work(c)])
    run_order = ordered(run_order)
    # Controls whose work is still running elsewhere are collected last: this
    # core evaluates the others meanwhile instead of waiting. They started in
    # the spec's order above, and no control reads another's outcome.
    collect_last = [c for c in run_order if c.id in ctx.started]
    outcomes: dict[str, tuple[ControlOutcome, int]] = {}
    for control in [c for c in run_order if c not in collect_last] + collect_last:
        outcomes[control.id] = _run_one(control, ctx, starts[control.id])
    ctx.verify_unread()
    evaluated = tuple(
        Evaluated(spec, *outcomes[spec.id]) if spec.id in outcomes else Evaluated(spec, None)
        for spec in CATALOG
    )
    manifest = ctx.manifest if ctx.has("manifest.json") else None
    claimed = manifest.mtf.level if manifest is not None and manifest.mtf is not None else None
    return ScanResult(
        controls=evaluated,
        level_claimed=claimed,
        level_verified=verified_level(evaluated),
        duration_ms=int((time.monotonic() - began) * 1000),
    )
