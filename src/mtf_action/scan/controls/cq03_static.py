"""CQ-03 Static Analysis (MTF 3.4, L2, scanner).

"Server code MUST pass static security analysis with no HIGH severity
findings", on server source only. Python goes through Bandit with all its
default checks (in-process, on the bytes the scan already read);
JavaScript/TypeScript through the three eslint-plugin-security rules MTF names,
implemented on tree-sitter trees (:mod:`mtf_action.scan.static.js_rules`).

Bandit severity x confidence -> MTF severity (spec table, plus the two pairs
it leaves out: each step down in confidence lowers the result one step, so
HIGH/LOW -> LOW and MEDIUM/LOW -> INFO). HIGH blocks from L2; MEDIUM warns;
LOW and INFO are reported only. A file that cannot be analysed (syntax error,
not UTF-8) is a MEDIUM finding: the control never passes code it did not check.
A Bandit failure is a control ``error``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import ClassVar, NamedTuple

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.js.parse import js_tree
from mtf_action.scan.parallel import Pending, start_call
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.secrets.redact import redact
from mtf_action.scan.static.bandit_runner import BanditIssue, BanditRun, bandit_job
from mtf_action.scan.static.hits import Hit, settle, unjustified_finding
from mtf_action.scan.static.js_names import js_names
from mtf_action.scan.static.js_rules import eslint_security_hits
from mtf_action.scan.static.scope import CodeScope, server_code, size_refused
from mtf_action.scan.static.suppressions import Suppression, js_suppressions, python_suppressions

_QUOTED = re.compile(r"'([^']+)'")
_H, _M, _L, _I = Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO
# (Bandit severity, Bandit confidence) -> MTF severity; LOW severity is INFO whatever the confidence.
SEVERITY_MAP: dict[tuple[str, str], Severity] = {
    ("HIGH", "HIGH"): _H,
    ("HIGH", "MEDIUM"): _M,
    ("HIGH", "LOW"): _L,
    ("MEDIUM", "HIGH"): _M,
    ("MEDIUM", "MEDIUM"): _L,
    ("MEDIUM", "LOW"): _I,
}


def mtf_severity(severity: str, confidence: str) -> Severity:
    return SEVERITY_MAP.get((severity.upper(), confidence.upper()), _I)


class _PythonPass(NamedTuple):
    scope: CodeScope
    unanalysed: dict[str, str]  # path -> why it was not analysed
    suppressions: dict[str, dict[int, Suppression]]
    bandit: Pending[BanditRun | str] | None  # None: no Python to run it on


class StaticAnalysis(Control):
    id: ClassVar[str] = "CQ-03"

    def start(self, ctx: ScanContext) -> None:
        ctx.started[self.id] = self._python(ctx)

    @staticmethod
    def _python(ctx: ScanContext) -> _PythonPass:
        """Read the server's Python files and start Bandit on them in a child process.

        Bandit's own import (~70 ms, rich and its plugins included) is most of
        its cost on a small server: it happens there, not on the scan's core.
        """
        scope = server_code(ctx)
        unanalysed: dict[str, str] = {}
        suppressions: dict[str, dict[int, Suppression]] = {}
        sources: list[tuple[str, Path, bytes]] = []
        for path in scope.python:
            text = ctx.read_text(path)
            if text is None:
                if not size_refused(ctx, path):
                    unanalysed[path] = "binary or not UTF-8"
                continue
            suppressions[path] = python_suppressions(text)
            sources.append((path, ctx.base / path, ctx.read_bytes(path)))
        bandit = start_call(functools.partial(bandit_job, sources)) if sources else None
        return _PythonPass(scope, unanalysed, suppressions, bandit)

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        scope, unanalysed, suppressions, bandit = ctx.take_started(self.id) or self._python(ctx)
        if scope.empty:
            return scope.skipped()
        hits: list[Hit] = []
        run = bandit.result()[0] if bandit is not None else BanditRun()
        if isinstance(run, str):
            return ControlOutcome(error=f"Bandit failed: {run}", details=scope.details())
        if run.errors:
            return ControlOutcome(
                error=f"Bandit failed: {'; '.join(run.errors[:3])}", details=scope.details()
            )
        unanalysed.update(run.skipped)
        hits.extend(
            self._bandit_hit(issue, run.more_info.get(issue.test_id)) for issue in run.issues
        )

        for path in scope.scripts:
            tree = js_tree(ctx, path)
            if tree is None:
                if not size_refused(ctx, path):
                    unanalysed[path] = "binary, not UTF-8, or the parser gave up"
                continue
            suppressions[path] = js_suppressions(tree)
            hits.extend(eslint_security_hits(path, tree, js_names(ctx, path, tree)))

        settled = settle(self, hits, lambda f: suppressions.get(f, {}))
        findings = settled.findings
        unjustified = 0
        for path, by_line in suppressions.items():
            for sup in {s.line: s for s in by_line.values()}.values():
                if not sup.justified:
                    unjustified += 1
                    findings.append(unjustified_finding(self, path, sup))
        findings.extend(self._unanalysed(path, why) for path, why in sorted(unanalysed.items()))
        details = {
            **scope.details(),
            "tools": {"bandit": _bandit_version(), "javascript": "eslint-plugin-security rules"},
            "suppressed": settled.suppressed,
            "unjustified_suppressions": unjustified,
            "not_analysed": dict(sorted(unanalysed.items())),
            "by_severity": {s.value: sum(f.severity is s for f in findings) for s in Severity},
        }
        return ControlOutcome(findings=findings, details=details)

    def _bandit_hit(self, issue: BanditIssue, url: str | None) -> Hit:
        severity = mtf_severity(issue.issue_severity, issue.issue_confidence)
        lines = issue.line_range or [issue.line_number]
        cwe = f" (CWE-{issue.cwe})" if issue.cwe else ""
        return Hit(
            f"bandit-{issue.test_id}",
            severity,
            f"{issue.test_id} {issue.test_name}",
            f"{_redacted(issue.issue_text)}{cwe} Bandit severity {issue.issue_severity}, "
            f"confidence {issue.issue_confidence}.",
            issue.filename,
            max(1, issue.line_number),
            max(1, max(lines)),
            2 if severity is Severity.HIGH else None,
            f"See {url}" if url else None,
            (issue.test_id, issue.test_name),
        )

    def _unanalysed(self, path: str, reason: str) -> Finding:
        return self.finding(
            "not-analysed",
            Severity.MEDIUM,
            "file could not be analysed",
            f"Static analysis could not check this file: {reason}.",
            blocks_at=None,
            file=path,
            remediation="Make the file valid source for the language of its extension, "
            "or remove it from the bundle.",
        )


def _redacted(text: str) -> str:
    """Bandit quotes the value in some texts ("Possible hardcoded password: 'hunter2'",
    B105-B107); a report must never carry a secret (MTF CQ-01), so quoted values are
    replaced by CQ-01's redacted form (short prefix and fingerprint)."""
    return _QUOTED.sub(lambda m: redact(m.group(1)), text)


def _bandit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bandit")
    except PackageNotFoundError:
        return "unknown"
