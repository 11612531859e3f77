"""The human report of ``verify``: one line per check, then the verdict."""

from __future__ import annotations

from pathlib import Path

from mtf_action.models.verification import VerificationResult

_MARKS = {"pass": "✓", "fail": "✗", "skip": "-"}
_WIDTH = max(len(n) for n in ("bundle-digest", "embedded-signature"))


def human_lines(result: VerificationResult) -> list[str]:
    name = Path(result.bundle).name
    lines = [
        f"bundle:  {name} (sha256 {result.bundle_sha256})",
        f"trust:   {result.trust.trust}",
        f"policy:  {result.trust.policy}",
    ]
    for check in result.checks:
        reason = f"skipped: {check.reason}" if check.status == "skip" else check.reason
        lines.append(f"{_MARKS[check.status]} {check.name:<{_WIDTH}}  {reason}")
    failed = result.failed_checks
    if not failed:
        ran = sum(c.status == "pass" for c in result.checks)
        level = f", MTF level {result.level}" if result.level is not None else ""
        lines.append(f"verified: {name}{level} ({ran} checks passed)")
    else:
        kind = "unreadable input" if result.exit_code == 3 else "FAILED"
        lines.append(
            f"{kind}: {name}: {len(failed)} of {len(result.checks)} checks failed "
            f"({', '.join(c.name for c in failed)})"
        )
    return lines
