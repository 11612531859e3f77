"""PR-05 Repository Health (MTF-0.1 section 3.6), from OpenSSF Scorecard results.

Data: ``--scorecard FILE`` (``scorecard --format json`` output) when given,
else ``_meta["org.mpaktrust"].scorecard``; no data is ``skip`` (the spec's
"Scorecard unavailable: SKIP (not failure)").

Rules (PR-05 is an L3 control):

* aggregate score below 5.0 blocks from L3; below 7.0 blocks at L4;
* each blocking check (Token-Permissions, Dangerous-Workflow,
  Branch-Protection) "fails" below :data:`CHECK_PASS_SCORE` (5 of 10) and then
  blocks from L3. Why 5: Dangerous-Workflow scores 0 or 10; Token-Permissions
  loses most points for write-all tokens; Branch-Protection reaches 6 only from
  Scorecard's tier 2 (required reviews), i.e. below 5 force pushes are blocked
  at best but unreviewed commits are not. A missing blocking check blocks (the
  MUST cannot be shown to hold); -1 (inconclusive / not applicable) warns;
* results older than 30 days warn; a Scorecard of another repository than the
  manifest's ``repository.url`` blocks from L3 (it says nothing about this one).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from mtf_action.models.scorecard import ScorecardData, from_meta, load_scorecard_file
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import mtf_extension, raw_manifest
from mtf_action.scan.controls.pr01_repository import parse_repository_url
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 3
THRESHOLDS = {3: 5.0, 4: 7.0}
BLOCKING_CHECKS = ("Token-Permissions", "Dangerous-Workflow", "Branch-Protection")
CHECK_PASS_SCORE = 5.0
MAX_AGE = timedelta(days=30)


class RepositoryHealth(Control):
    """PR-05: OpenSSF Scorecard score and blocking checks meet the level's thresholds."""

    id: ClassVar[str] = "PR-05"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        data: ScorecardData | None
        if ctx.options.scorecard is not None:
            data = load_scorecard_file(ctx.options.scorecard)
        else:
            block = mtf_extension(raw_manifest(ctx)).get("scorecard")
            if block is None:
                return ControlOutcome(
                    skipped="no OpenSSF Scorecard data (_meta scorecard or --scorecard FILE)"
                )
            try:
                data = from_meta(block)
            except ValueError as exc:
                return ControlOutcome(findings=[self._malformed(str(exc))])
        details: dict[str, Any] = {
            "source": data.origin,
            "score": data.score,
            "date": data.date,
            "repository": data.repo,
            "thresholds": {f"L{lvl}": v for lvl, v in THRESHOLDS.items()},
            "blocking_checks": {name: data.checks.get(name) for name in BLOCKING_CHECKS},
        }
        findings = self._score(data) + self._checks(data) + self._age(data)
        findings += self._repository(ctx, data)
        return ControlOutcome(findings=findings, details=details)

    def _malformed(self, why: str) -> Finding:
        return self.finding(
            "scorecard-malformed",
            Severity.MEDIUM,
            "Scorecard data unusable",
            f'_meta["org.mpaktrust"].scorecard: {why}',
            blocks_at=LEVEL,
            file="manifest.json",
            remediation="embed score, checks and scan_date from a Scorecard run, "
            "or pass --scorecard FILE",
        )

    def _score(self, data: ScorecardData) -> list[Finding]:
        for level, minimum in sorted(THRESHOLDS.items()):
            if data.score < minimum:
                return [
                    self.finding(
                        "score-below-threshold",
                        Severity.HIGH if level == 3 else Severity.MEDIUM,
                        "Scorecard score below the threshold",
                        f"score {data.score:.1f} is below {minimum:.1f}, the minimum for L{level} "
                        f"(L3 >= {THRESHOLDS[3]:.1f}, L4 >= {THRESHOLDS[4]:.1f})",
                        blocks_at=level,
                        remediation="fix the lowest-scoring Scorecard checks of the repository",
                    )
                ]
        return []

    def _checks(self, data: ScorecardData) -> list[Finding]:
        findings: list[Finding] = []
        for name in BLOCKING_CHECKS:
            score = data.checks.get(name)
            if score is None:
                findings.append(
                    self.finding(
                        "blocking-check-missing",
                        Severity.MEDIUM,
                        f"{name} not in the Scorecard results",
                        f"{name} must pass regardless of the score, and the results do not "
                        "include it",
                        blocks_at=LEVEL,
                        remediation="run Scorecard with all default checks",
                    )
                )
            elif score < 0:
                findings.append(
                    self.finding(
                        "blocking-check-inconclusive",
                        Severity.LOW,
                        f"{name} inconclusive",
                        f"Scorecard could not score {name} (-1: not applicable or "
                        "inconclusive); it cannot be shown to pass",
                        blocks_at=None,
                        remediation="rerun Scorecard with a token that can read the setting",
                    )
                )
            elif score < CHECK_PASS_SCORE:
                findings.append(
                    self.finding(
                        "blocking-check-failed",
                        Severity.HIGH,
                        f"{name} check fails",
                        f"{name} scores {score:g}/10 (passing is {CHECK_PASS_SCORE:g} or more); "
                        "PR-05 blocks on it regardless of the overall score",
                        blocks_at=LEVEL,
                        remediation=f"see https://github.com/ossf/scorecard/blob/main/docs/"
                        f"checks.md#{name.lower()}",
                    )
                )
        return findings

    def _age(self, data: ScorecardData) -> list[Finding]:
        when = data.scanned_at()
        if when is None:
            text = f"scan date {data.date!r} is not an ISO 8601 date; its age is unknown"
        else:
            age = datetime.now(UTC) - when
            if age <= MAX_AGE and age >= -timedelta(days=1):
                return []
            text = (
                f"results are {age.days} days old (more than 30)"
                if age > MAX_AGE
                else f"results are dated in the future ({data.date})"
            )
        return [
            self.finding(
                "scorecard-stale",
                Severity.LOW,
                "Scorecard results out of date",
                text,
                blocks_at=None,
                remediation="rerun OpenSSF Scorecard (e.g. the scorecard-action on a schedule)",
            )
        ]

    def _repository(self, ctx: ScanContext, data: ScorecardData) -> list[Finding]:
        if data.repo is None:
            return []
        repository = raw_manifest(ctx).get("repository")
        url = repository.get("url") if isinstance(repository, dict) else None
        parsed = parse_repository_url(url)[0] if isinstance(url, str) else None
        if parsed is None or parsed.slug == data.repo.strip().lower().removesuffix(".git"):
            return []
        return [
            self.finding(
                "scorecard-other-repository",
                Severity.HIGH,
                "Scorecard is for another repository",
                f"the results are for {data.repo}, the manifest's repository is {parsed.slug}",
                blocks_at=LEVEL,
                remediation="run Scorecard on the repository named in the manifest",
            )
        ]
