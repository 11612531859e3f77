"""Pull-request mode's comparison with the base branch (adapter glue).

The base commit's copy of the scanned directory (:mod:`.base_tree`) is scanned
with the same options as the head, the two reports are diffed by finding
fingerprint (:mod:`mtf_action.scan.diff`) and rendered as the sticky comment
(:mod:`mtf_action.scan.formats.markdown_pr`), which is also the step summary.
When the base cannot be exported or scanned, the comment says why and lists
the head's findings instead: a missing base never fails the run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from mtf_action.action.base_tree import export_base
from mtf_action.action.event import Event
from mtf_action.action.report import ScanSummary, scan_summary
from mtf_action.errors import MtfError

if TYPE_CHECKING:
    from mtf_action.action.main import Run
    from mtf_action.action.previous import PreviousRelease
    from mtf_action.scan.diff import ScanDiff


def run_url(env: Mapping[str, str]) -> str | None:
    """``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID``, when all are set."""
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository, run_id = env.get("GITHUB_REPOSITORY", ""), env.get("GITHUB_RUN_ID", "")
    if not (server and repository and run_id.isdigit()):
        return None
    attempt = env.get("GITHUB_RUN_ATTEMPT", "")
    suffix = f"/attempts/{attempt}" if attempt.isdigit() and attempt != "1" else ""
    return f"{server}/{repository}/actions/runs/{run_id}{suffix}"


def _base_diff(
    run: Run, event: Event, head: ScanSummary, previous: PreviousRelease | None
) -> tuple[ScanDiff | None, str | None]:
    from mtf_action.scan.diff import diff_reports

    pull = event.payload.pull_request
    if pull is None:
        return None, "no pull request in the event: nothing to compare with"
    tree = export_base(run, pull.base.sha)
    if tree.source is None:
        return None, tree.note
    try:
        with run.reporter.step(f"scanned the base commit {pull.base.sha[:12]}"):
            base = scan_summary(
                run, tree.source, kind="directory", previous=previous, source=tree.source
            )
    except MtfError as exc:
        return None, f"the base commit {pull.base.sha[:12]} could not be scanned: {exc.one_line()}"
    return diff_reports(base.report, head.report, base_ref=pull.base.sha), None


def compare_with_base(
    run: Run, event: Event, head: ScanSummary, previous: PreviousRelease | None = None
) -> ScanSummary:
    """``head`` with its Markdown replaced by the pull-request comment."""
    from mtf_action.github.comments import STICKY_MARKER
    from mtf_action.scan.formats.markdown_pr import COMMENT_LIMIT, render_pull_request

    diff, note = _base_diff(run, event, head, previous)
    if note:
        run.reporter.info(note)
    body = render_pull_request(
        head.report,
        diff,
        base_note=note,
        previous_note=previous.note if previous is not None else None,
        run_url=run_url(run.env),
        # upsert_sticky_comment puts the marker and a newline in front.
        limit=COMMENT_LIMIT - len(STICKY_MARKER.encode()) - 1,
    )
    return dataclasses.replace(head, markdown=body)
