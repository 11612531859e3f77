"""Turning what a check found (or raised) into a :class:`CheckResult`.

A check is a function that returns a passing :class:`CheckResult` or raises:

* :class:`CheckFailed` (our own comparisons: digests, names, bytes) or
  :class:`~mtf_action.signing.verify.VerificationFailure` (signature, identity,
  subject...) -> ``fail`` with the failed part as ``cause``;
* :class:`~mtf_action.errors.InvalidInputError` (a missing asset, malformed
  JSON, a hostile archive) -> ``fail`` marked ``unreadable`` (exit code 3);
* anything else propagates: an unreachable service is exit code 4 for the
  whole run, not a verdict about one check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mtf_action.errors import InvalidInputError
from mtf_action.models.verification import CheckName, CheckResult
from mtf_action.signing.verify import VerificationFailure


class MissingAsset(InvalidInputError):
    """A release asset the check needs is not in the assets directory (exit code 3)."""


class CheckFailed(Exception):
    """Something we compared did not match; ``cause`` names which comparison."""

    def __init__(self, cause: str, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.cause = cause
        self.reason = reason
        self.details = details


def passed(name: CheckName, reason: str, **details: Any) -> CheckResult:
    return CheckResult(name=name, status="pass", reason=reason, details=details)


def skipped(name: CheckName, reason: str, **details: Any) -> CheckResult:
    return CheckResult(name=name, status="skip", reason=reason, details=details)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run_check(name: CheckName, check: Callable[[], CheckResult]) -> CheckResult:
    """Run one check and map its outcome (module docstring)."""
    try:
        return check()
    except CheckFailed as exc:
        return CheckResult(
            name=name,
            status="fail",
            reason=_one_line(exc.reason),
            cause=exc.cause,
            details=exc.details,
        )
    except VerificationFailure as exc:
        where = f"{exc.path}: " if exc.path else ""
        return CheckResult(
            name=name,
            status="fail",
            reason=_one_line(f"{where}{exc.check} check failed: {exc.reason}"),
            cause=str(exc.check),
        )
    except InvalidInputError as exc:
        return CheckResult(
            name=name,
            status="fail",
            reason=exc.one_line(),
            cause="missing" if isinstance(exc, MissingAsset) else "unreadable",
            unreadable=True,
        )
