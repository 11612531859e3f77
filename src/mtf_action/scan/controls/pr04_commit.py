"""PR-04 Commit Linkage (MTF-0.1 section 3.6).

Severity table: missing ``source.commit`` at L4 BLOCK; short SHA BLOCK; commit
not found / mismatching BLOCK; commit not signed at L4 WARN. PR-04 is an L4
control, so its BLOCK rows block from L4.

What is checked: the declared commit is a full 40-character lowercase SHA-1;
when the source tree is at hand (the scanned directory, or ``--source`` for a
bundle) and is a git checkout, the commit must equal ``git rev-parse HEAD``;
the signature claim is compared with the commit object (a ``gpgsig`` header)
when git has it. Reachability in the remote repository needs the network and
is reported as not verified.

git runs with hooks and fsmonitor disabled and a timeout: the scanned tree is
not trusted to configure what runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from mtf_action.gitcli import run_git
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, mtf_extension, raw_manifest
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 4
MANIFEST = "manifest.json"
_FULL_SHA1 = re.compile(r"[0-9a-f]{40}")
_HEX = re.compile(r"[0-9a-fA-F]+")
_POINTER = "/_meta/org.mpaktrust/source/commit"


def git_head(directory: Path) -> str | None:
    """The commit checked out in ``directory`` (None: not a git work tree, or no git)."""
    out = run_git(directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    value = out.strip() if out else ""
    return value if _FULL_SHA1.fullmatch(value) else None


def commit_is_signed(directory: Path, commit: str) -> bool | None:
    """Whether the commit object carries a signature header; None when git lacks it."""
    out = run_git(directory, "cat-file", "commit", commit)
    if out is None:
        return None
    headers = out.split("\n\n", 1)[0].splitlines()
    return any(h.startswith(("gpgsig ", "gpgsig-sha256 ")) for h in headers)


def _format_problem(commit: object) -> tuple[str, str] | None:
    """(rule, description) when the value is not a full lowercase SHA-1."""
    if not isinstance(commit, str):
        return "commit-invalid", "source.commit must be a string"
    if _FULL_SHA1.fullmatch(commit):
        return None
    if _HEX.fullmatch(commit) and len(commit) < 40:
        return "commit-short", f"{commit!r} is a short SHA ({len(commit)} characters, 40 required)"
    if _HEX.fullmatch(commit) and len(commit) == 40:
        return "commit-not-lowercase", f"{commit!r} must be lowercase hexadecimal"
    if _HEX.fullmatch(commit) and len(commit) == 64:
        return "commit-sha256", "a SHA-256 object name; MTF 0.1 requires a 40-character SHA-1"
    return "commit-invalid", f"{commit!r} is not a 40-character hexadecimal SHA-1"


class CommitLinkage(Control):
    """PR-04: the bundle names the exact source commit it was built from."""

    id: ClassVar[str] = "PR-04"

    def _block(self, ctx: ScanContext, rule: str, title: str, text: str, fix: str) -> Finding:
        return self.finding(
            rule,
            Severity.MEDIUM,
            title,
            text,
            blocks_at=LEVEL,
            file=MANIFEST,
            line=line_of(ctx, _POINTER),
            remediation=fix,
        )

    def _warn(self, ctx: ScanContext, rule: str, title: str, text: str) -> Finding:
        return self.finding(
            rule,
            Severity.LOW,
            title,
            text,
            blocks_at=None,
            file=MANIFEST,
            line=line_of(ctx, "/_meta/org.mpaktrust/source"),
        )

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        source = mtf_extension(raw_manifest(ctx)).get("source")
        source = source if isinstance(source, dict) else {}
        tree = ctx.options.source_dir
        head = git_head(tree) if tree is not None else None
        details: dict[str, Any] = {
            "source_tree": str(tree) if tree is not None else None,
            "head": head,
            "reachable_in_repository": "not verified (offline scan)",
        }
        fix_value = f'"{head}"' if head else "the full 40-character SHA of the release commit"
        commit = source.get("commit")
        if commit is None:
            finding = self._block(
                ctx,
                "commit-missing",
                "No source commit",
                'no _meta["org.mpaktrust"].source.commit (PR-04: BLOCK at L4)',
                f'set "source": {{"commit": {fix_value}}}',
            )
            return ControlOutcome(findings=[finding], details=details)
        problem = _format_problem(commit)
        if problem is not None:
            finding = self._block(
                ctx, problem[0], "Malformed source commit", problem[1], f"use {fix_value}"
            )
            return ControlOutcome(findings=[finding], details=details)
        assert isinstance(commit, str)
        findings = self._against_tree(ctx, commit, tree, head, details)
        findings += self._signature(ctx, commit, source.get("signed"), tree, details)
        return ControlOutcome(findings=findings, details=details)

    def _against_tree(
        self,
        ctx: ScanContext,
        commit: str,
        tree: Path | None,
        head: str | None,
        details: dict[str, Any],
    ) -> list[Finding]:
        if head is not None:
            details["matches_head"] = commit == head
            if commit == head:
                return []
            return [
                self._block(
                    ctx,
                    "commit-mismatch",
                    "Source commit is not the checked-out commit",
                    f"source.commit {commit} differs from HEAD {head} of {tree}",
                    f'build from the declared commit, or declare "commit": "{head}"',
                )
            ]
        why = (
            "no source tree was given (scan the checkout, or pass --source DIR)"
            if tree is None
            else f"{tree} is not a git checkout (or git is not available)"
        )
        details["matches_head"] = None
        return [
            self.finding(
                "commit-not-compared",
                Severity.INFO,
                "Source commit not compared with a checkout",
                f"{why}; the declared commit could not be compared with HEAD",
                blocks_at=None,
                file=MANIFEST,
            )
        ]

    def _signature(
        self,
        ctx: ScanContext,
        commit: str,
        declared: object,
        tree: Path | None,
        details: dict[str, Any],
    ) -> list[Finding]:
        actual = commit_is_signed(tree, commit) if tree is not None else None
        details["signed_declared"] = declared if isinstance(declared, bool) else None
        details["signature_header"] = actual
        if declared is True and actual is False:
            return [
                self._warn(
                    ctx,
                    "commit-signature-claim-false",
                    "Signed commit claim is false",
                    f"source.signed is true but commit {commit} has no signature",
                )
            ]
        if declared is False or actual is False:
            return [
                self._warn(
                    ctx,
                    "commit-not-signed",
                    "Source commit not signed",
                    f"commit {commit} is not signed (PR-04: WARN at L4)",
                )
            ]
        if declared is None and actual is None:
            return [
                self._warn(
                    ctx,
                    "commit-signature-unknown",
                    "Commit signature not declared",
                    "source.signed is not set and the commit object is not at hand",
                )
            ]
        return []
