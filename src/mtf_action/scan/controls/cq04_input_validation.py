"""CQ-04 Input Validation (MTF 3.4, L3, scanner).

"Tool handlers MUST use typed schemas for input validation; validation MUST
occur at handler entry point, before business logic." Handlers are found in the
server's own Python and JavaScript/TypeScript code (FastMCP, the low-level
``Server``, the TypeScript SDK's ``McpServer``/``Server``, FastMCP-TS) and
classified by :mod:`mtf_action.scan.static.py_handlers` and
:mod:`mtf_action.scan.static.js_handlers`.

Severity (spec table): a handler with no detectable validation is a MEDIUM
finding that warns at L3 and blocks at L4 (``blocks_at=4``); partial validation
(some parameters untyped, or only a generic schema check) is a LOW warning.
Typed handlers are listed in the details. No handler found: the control does
not apply (skip), since there is nothing whose input could be checked.
"""

from __future__ import annotations

from typing import ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.js.parse import js_tree
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.static.handlers import Handler, Validation
from mtf_action.scan.static.js_handlers import js_handlers
from mtf_action.scan.static.js_names import js_names
from mtf_action.scan.static.py_handlers import python_handlers
from mtf_action.scan.static.py_names import py_names
from mtf_action.scan.static.scope import server_code

BLOCKS_AT = 4  # "WARN (L3), BLOCK (L4)"


class InputValidation(Control):
    id: ClassVar[str] = "CQ-04"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        scope = server_code(ctx)
        handlers: list[Handler] = []
        # Every registration style spells "tool"/"Tool": files without it hold no handler.
        for path in scope.python:
            text = ctx.read_text(path)
            if text is None or "tool" not in text.lower():
                continue
            if (tree := ctx.python_ast(path)) is not None:
                handlers.extend(python_handlers(path, tree, py_names(ctx, path, tree)))
        for path in scope.scripts:
            text = ctx.read_text(path)
            if text is None or "tool" not in text.lower():
                continue
            if (script := js_tree(ctx, path)) is not None:
                handlers.extend(js_handlers(path, script, js_names(ctx, path, script)))
        details: dict[str, object] = {
            **scope.details(),
            "handlers": [h.as_dict() for h in handlers],
        }
        if not handlers:
            return ControlOutcome(
                skipped="no MCP tool handler found in the server's Python or "
                "JavaScript/TypeScript code",
                details=details,
            )
        findings = [self._finding(h) for h in handlers if h.validation is not Validation.TYPED]
        details["validated"] = sum(h.validation is Validation.TYPED for h in handlers)
        return ControlOutcome(findings=findings, details=details)

    def _finding(self, handler: Handler) -> Finding:
        where = f"tool {handler.tool!r} ({handler.style})"
        if handler.validation is Validation.NONE:
            return self.finding(
                "no-input-validation",
                Severity.MEDIUM,
                f"{where} has no detectable input validation",
                f"{handler.detail}. Input chosen by a model (possibly steered by a malicious "
                "prompt) reaches the handler unchecked.",
                blocks_at=BLOCKS_AT,
                file=handler.file,
                line=handler.line,
                remediation=_REMEDIATION,
            )
        return self.finding(
            "partial-input-validation",
            Severity.LOW,
            f"{where} validates its input only partly",
            f"{handler.detail}.",
            blocks_at=None,
            file=handler.file,
            line=handler.line,
            remediation=_REMEDIATION,
        )


_REMEDIATION = (
    "Give every parameter a concrete type (str, int, Literal, a pydantic model or "
    "TypedDict in Python; a zod/TypeBox/JSON Schema in TypeScript) or validate the "
    "arguments with Model.model_validate() / schema.parse() at the top of the handler."
)
