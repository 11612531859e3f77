"""One static analysis of the server's code per scan, shared by CD-01 and CD-02.

Scope: the server's own Python and JavaScript/TypeScript files -- the same
"server code" as CQ-03..CQ-05 (:func:`~mtf_action.scan.static.scope.server_code`:
no vendored dependencies, no tests). Trees come from the scan context's caches;
each module is prepared once (:class:`.py_unit.PyUnit`, :class:`.js_unit.JsUnit`),
phases are computed over all modules of a language together, then tool
registrations and capability uses are collected. Files that do not parse, or
whose nesting exhausts the analysis (a 5,000-term string concatenation), are
listed as not analysed, never silently passed.
"""

from __future__ import annotations

import ast
import functools
import time
import weakref
from dataclasses import dataclass, field

from tree_sitter import Node

from mtf_action.scan.capabilities.js_phase import JsPhases
from mtf_action.scan.capabilities.js_tools import js_tools
from mtf_action.scan.capabilities.js_unit import JsUnit
from mtf_action.scan.capabilities.js_uses import script_uses
from mtf_action.scan.capabilities.model import Opaque, ToolRef, Use
from mtf_action.scan.capabilities.py_phase import PyPhases
from mtf_action.scan.capabilities.py_tools import python_tools
from mtf_action.scan.capabilities.py_unit import PyUnit
from mtf_action.scan.capabilities.py_uses import python_uses
from mtf_action.scan.context import ScanContext
from mtf_action.scan.js.parse import js_tree
from mtf_action.scan.static.scope import CodeScope, server_code, size_refused


@dataclass
class CodeAnalysis:
    scope: CodeScope
    tools: list[ToolRef] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    opaque: list[Opaque] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    duration_ms: int = 0

    @property
    def analysed(self) -> int:
        return len(self.scope.python) + len(self.scope.scripts) - len(self.unparsed)


_CACHE: weakref.WeakKeyDictionary[ScanContext, CodeAnalysis] = weakref.WeakKeyDictionary()


def _unique(entries: list[tuple[str, object]]) -> dict[str, object]:
    """Names defined in exactly one module (a shared name cannot be told apart)."""
    seen: dict[str, object] = {}
    clashes: set[str] = set()
    for name, value in entries:
        if name in seen:
            clashes.add(name)
        seen[name] = value
    return {k: v for k, v in seen.items() if k not in clashes}


def _python(ctx: ScanContext, result: CodeAnalysis) -> None:
    units: list[PyUnit] = []
    for path in result.scope.python:
        tree = ctx.python_ast(path)
        if tree is None:
            if not size_refused(ctx, path):
                result.unparsed.append(path)
            continue
        try:
            units.append(PyUnit.of(path, tree))
        except RecursionError:  # pathologically nested constants: not analysed, reported
            result.unparsed.append(path)
    top = _unique(
        [
            (name, (unit, value))
            for unit in units
            for name, value in unit.assigned.items()
            if unit.owner(value) is None
        ]
    )

    def lookup(name: str) -> tuple[PyUnit, ast.expr] | None:
        found = top.get(name)
        return found if isinstance(found, tuple) else None

    phases = PyPhases(units)
    for unit in units:
        try:
            tools = python_tools(unit, lookup)
            uses, opaque = python_uses(unit, functools.partial(phases.phase, unit))
        except RecursionError:
            result.unparsed.append(unit.path)
            continue
        result.tools.extend(tools)
        result.uses.extend(uses)
        result.opaque.extend(opaque)


def _scripts(ctx: ScanContext, result: CodeAnalysis) -> None:
    units: list[JsUnit] = []
    for path in result.scope.scripts:
        tree = js_tree(ctx, path)
        if tree is None:
            if not size_refused(ctx, path):
                result.unparsed.append(path)
            continue
        try:
            units.append(JsUnit.of(path, tree))
        except RecursionError:
            result.unparsed.append(path)
    top = _unique(
        [(name, (unit, value)) for unit in units for name, value in unit.top_level.items()]
    )

    def lookup(name: str) -> tuple[JsUnit, Node] | None:
        found = top.get(name)
        return found if isinstance(found, tuple) else None

    phases = JsPhases(units)
    for unit in units:
        try:
            tools = js_tools(unit, lookup)
            uses, opaque = script_uses(unit, functools.partial(phases.phase, unit))
        except RecursionError:
            result.unparsed.append(unit.path)
            continue
        result.tools.extend(tools)
        result.uses.extend(uses)
        result.opaque.extend(opaque)


def analyse(ctx: ScanContext) -> CodeAnalysis:
    """The analysis of ``ctx``'s server code, computed on first use and cached per scan."""
    if ctx not in _CACHE:
        started = time.monotonic()
        result = CodeAnalysis(server_code(ctx))
        _python(ctx, result)
        _scripts(ctx, result)
        result.duration_ms = int((time.monotonic() - started) * 1000)
        _CACHE[ctx] = result
    return _CACHE[ctx]
