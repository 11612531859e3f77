"""CQ-05 Safe Execution Patterns (MTF 3.4, L3, scanner).

"Server code MUST NOT use unsafe execution patterns; exceptions require
explicit justification via inline suppression." The spec's Python and
JavaScript/TypeScript tables are matched on syntax trees, through import aliases
and constant-built names (:mod:`mtf_action.scan.static.py_exec_rules`,
:mod:`mtf_action.scan.static.js_exec_rules`).

Severity: CRITICAL and HIGH patterns block from L3, MEDIUM warns. A
``# nosec: <reason>`` / ``// nosec: <reason>`` on the pattern turns it into an
info record; a suppression without a reason hides nothing and is reported
(WARN). Scope: the server's own code -- vendored dependencies and test files are
left out, as for CQ-03. A server file that cannot be parsed is a MEDIUM finding
(not checked is not passed).
"""

from __future__ import annotations

from typing import ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.js.parse import js_tree
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.static import js_exec_rules, py_exec_rules
from mtf_action.scan.static.hits import Hit, settle, unjustified_finding
from mtf_action.scan.static.js_names import js_names
from mtf_action.scan.static.py_names import py_names
from mtf_action.scan.static.scope import server_code, size_refused
from mtf_action.scan.static.suppressions import Suppression, js_suppressions, python_suppressions


class SafeExecution(Control):
    id: ClassVar[str] = "CQ-05"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        scope = server_code(ctx)
        if scope.empty:
            return scope.skipped()
        hits: list[Hit] = []
        suppressions: dict[str, dict[int, Suppression]] = {}
        unparsed: list[str] = []
        for path in scope.python:
            text = ctx.read_text(path)
            tree = ctx.python_ast(path) if text is not None else None
            if tree is None or text is None:
                if not size_refused(ctx, path):
                    unparsed.append(path)
                continue
            suppressions[path] = python_suppressions(text)
            hits.extend(py_exec_rules.execution_hits(path, tree, py_names(ctx, path, tree)))
        for path in scope.scripts:
            script = js_tree(ctx, path)
            if script is None:
                if not size_refused(ctx, path):
                    unparsed.append(path)
                continue
            suppressions[path] = js_suppressions(script)
            hits.extend(js_exec_rules.execution_hits(path, script, js_names(ctx, path, script)))

        settled = settle(self, hits, lambda f: suppressions.get(f, {}))
        patterns = sum(f.severity is not Severity.INFO for f in settled.findings)
        findings = list(settled.findings)
        findings.extend(
            unjustified_finding(self, path, sup) for (path, _), sup in settled.unjustified.items()
        )
        findings.extend(self._unparsed(path) for path in unparsed)
        details = {
            **scope.details(),
            "patterns": patterns,
            "suppressed": settled.suppressed,
            "unjustified_suppressions": len(settled.unjustified),
            "not_analysed": unparsed,
        }
        return ControlOutcome(findings=findings, details=details)

    def _unparsed(self, path: str) -> Finding:
        return self.finding(
            "not-analysed",
            Severity.MEDIUM,
            "file could not be analysed",
            "The file is not parseable source (syntax error, not UTF-8 or too large), so "
            "its execution patterns were not checked.",
            blocks_at=None,
            file=path,
            remediation="Make the file valid source for the language of its extension, "
            "or remove it from the bundle.",
        )
