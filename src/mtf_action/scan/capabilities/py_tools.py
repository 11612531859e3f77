"""Tools a Python MCP server registers, lists or dispatches (MTF CD-01).

- FastMCP (``mcp.server.fastmcp`` and ``fastmcp``): ``@mcp.tool``, ``@mcp.tool()``,
  ``@mcp.tool("name")``, ``@mcp.tool(name=...)``, ``mcp.tool(...)(fn)`` and
  ``mcp.add_tool(fn, name=...)``; the tool is called after the function unless named.
- Tool objects: ``Tool(name=...)`` / ``types.Tool(...)`` of the MCP SDK or fastmcp,
  ``Tool.from_function(fn, name=...)`` -- what a low-level ``@server.list_tools()``
  handler returns, wherever the list is built.
- Low-level ``@server.call_tool()`` handlers: the names they answer to
  (``if name == "x"``, ``match name: case "x"``, ``name in (...)``,
  ``HANDLERS[name]`` over a literal table). A name answered but never listed is
  a hidden tool: a client that knows it can call it.

Names are resolved through constants, tables and loops (:mod:`.py_values`);
what stays computed is reported as a registration with ``name=None``.
"""

from __future__ import annotations

import ast

from mtf_action.scan.capabilities.model import ToolRef
from mtf_action.scan.capabilities.py_phase import decorator_registrar, member_name, registrar_of
from mtf_action.scan.capabilities.py_unit import PyUnit
from mtf_action.scan.capabilities.py_values import Lookup, elements, string_values

_SDK_ROOTS = frozenset({"mcp", "fastmcp"})
_TOOL_CLASSES = frozenset({"Tool", "FunctionTool"})


class _Finder:
    def __init__(self, unit: PyUnit, lookup: Lookup) -> None:
        self.unit, self.lookup = unit, lookup
        self.found: list[ToolRef] = []
        self.functions = {
            n.name for n in unit.nodes() if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }

    def add(self, node: ast.AST, style: str, expr: ast.expr | None, fallback: str | None) -> None:
        line = self.unit.line(node)
        if expr is None:
            self.found.append(ToolRef(fallback, self.unit.path, line, style))
            return
        values = string_values(self.unit, expr, self.lookup)
        if values is None:
            self.found.append(ToolRef(None, self.unit.path, line, style, ast.unparse(expr)))
        else:
            self.found.extend(ToolRef(v, self.unit.path, line, style) for v in values)

    def run(self) -> list[ToolRef]:
        for node in self.unit.nodes():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self._decorated(node)
            elif isinstance(node, ast.Call):
                self._call(node)
        return self.found

    # -- FastMCP -------------------------------------------------------------------
    def _is_tool_decorator(self, deco: ast.expr) -> bool:
        if decorator_registrar(self.unit, deco) == "tool":
            return True
        target = deco.func if isinstance(deco, ast.Call) else deco
        resolved = self.unit.names.resolve(target)
        return resolved is not None and _sdk(resolved.name) and resolved.name.endswith(".tool")

    def _decorated(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in fn.decorator_list:
            if self._is_tool_decorator(deco):
                self.add(fn, "FastMCP @tool", self._name_argument(deco), fn.name)
            elif decorator_registrar(self.unit, deco) == "call_tool":
                self._dispatch(fn)

    def _call(self, call: ast.Call) -> None:
        kind = registrar_of(self.unit, call)
        direct = member_name(self.unit, call.func) is not None  # not mcp.tool(...)(fn)
        if kind == "tool" and not direct and isinstance(call.func, ast.Call):
            named = self._name_argument(call.func)
            self._function_tool(call, "FastMCP tool()(fn)", named, call.args[:1])
        elif kind == "tool" and self._names_function(call.args[:1]) and not self._decorates(call):
            # fastmcp: mcp.tool(fn, name=...) registers fn directly
            self._function_tool(call, "FastMCP tool(fn)", _keyword(call, "name"), call.args[:1])
        elif kind == "add_tool":
            self._function_tool(call, "FastMCP add_tool", _keyword(call, "name"), call.args[:1])
        elif self._constructs_tool(call):
            style = "Tool.from_function" if _attr(call.func) == "from_function" else "Tool(...)"
            if style == "Tool.from_function":
                self._function_tool(call, style, _keyword(call, "name"), call.args[:1])
            elif (name := _keyword(call, "name")) is not None:
                self.add(call, style, name, None)
            else:
                spelled = ast.unparse(call)[:80]
                self.found.append(
                    ToolRef(None, self.unit.path, self.unit.line(call), style, spelled)
                )

    def _function_tool(
        self, call: ast.Call, style: str, named: ast.expr | None, fn: list[ast.expr]
    ) -> None:
        if named is not None:
            self.add(call, style, named, None)
            return
        target = fn[0] if fn else None
        if isinstance(target, ast.Call) and self._constructs_tool(target):
            return  # add_tool(Tool(...)): counted where the tool object is made
        if isinstance(target, ast.Name):
            value = self.unit.assigned.get(target.id)
            if isinstance(value, ast.Call) and self._constructs_tool(value):
                return
            if target.id in self.functions or target.id in self.unit.imported_as:
                self.add(call, style, None, self.unit.imported_as.get(target.id, target.id))
                return
        spelled = ast.unparse(target) if target is not None else "(no function)"
        self.found.append(ToolRef(None, self.unit.path, self.unit.line(call), style, spelled))

    def _constructs_tool(self, call: ast.Call) -> bool:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "from_function":
            func = func.value
        resolved = self.unit.names.resolve(func)
        if resolved is None:
            return False
        parts = resolved.name.split(".")
        return parts[-1] in _TOOL_CLASSES and len(parts) > 1 and parts[0] in _SDK_ROOTS

    def _names_function(self, args: list[ast.expr]) -> bool:
        first = args[0] if args else None
        if isinstance(first, ast.Lambda):
            return True
        return isinstance(first, ast.Name) and (
            first.id in self.functions or first.id in self.unit.imported_as
        )

    def _decorates(self, call: ast.Call) -> bool:
        parent = self.unit.parent(call)
        return isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and any(
            d is call for d in parent.decorator_list
        )

    def _name_argument(self, deco: ast.expr) -> ast.expr | None:
        """The ``name=`` (or leading name) of ``@mcp.tool(...)``; None for the function's name."""
        if not isinstance(deco, ast.Call) or member_name(self.unit, deco) is not None:
            return None  # @mcp.tool, @getattr(mcp, "tool"): the function's own name
        named = _keyword(deco, "name")
        if named is not None:
            return named
        if deco.args and not self._names_function(deco.args[:1]):
            return deco.args[0]  # tool(name=None, ...) / tool(name_or_fn=None, ...)
        return None

    # -- low-level call_tool --------------------------------------------------------
    def _dispatch(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args) if a.arg != "self"]
        if not params:
            return
        name = params[0]
        style = "call_tool dispatch"
        for node in ast.walk(fn):
            if isinstance(node, ast.Compare) and len(node.ops) == 1:
                left, right = node.left, node.comparators[0]
                if isinstance(node.ops[0], ast.Eq):
                    other = right if _is(left, name) else left if _is(right, name) else None
                    if other is not None and self.unit.names.fold(other) is not None:
                        self.add(node, style, other, None)
                elif isinstance(node.ops[0], ast.In) and _is(left, name):
                    self._table(node, right, style)
            elif isinstance(node, ast.Match) and _is(node.subject, name):
                for case in node.cases:
                    for pattern in ast.walk(case.pattern):
                        if isinstance(pattern, ast.MatchValue):
                            self.add(pattern, style, pattern.value, None)
            elif isinstance(node, ast.Subscript) and _is(node.slice, name):
                self._table(node, node.value, style)
            elif (
                isinstance(node, ast.Call)
                and _attr(node.func) == "get"
                and node.args
                and _is(node.args[0], name)
                and isinstance(node.func, ast.Attribute)
            ):
                self._table(node, node.func.value, style)

    def _table(self, node: ast.AST, table: ast.expr, style: str) -> None:
        items = elements(self.unit, table, self.lookup)
        for owner, item in items or []:
            value = owner.names.fold(item)
            if value is not None:
                self.found.append(ToolRef(value, self.unit.path, self.unit.line(node), style))


def _sdk(name: str) -> bool:
    return name.split(".")[0] in _SDK_ROOTS


def _is(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _attr(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def python_tools(unit: PyUnit, lookup: Lookup) -> list[ToolRef]:
    """Every tool registration in one module (see module docstring)."""
    return _Finder(unit, lookup).run()
