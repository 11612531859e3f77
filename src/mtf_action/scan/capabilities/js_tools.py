"""Tools a JavaScript/TypeScript MCP server registers, lists or dispatches (MTF CD-01).

- ``server.tool("name", ...)`` and ``server.registerTool("name", ...)`` (the
  TypeScript SDK's ``McpServer``); FastMCP-TS ``server.addTool({ name, ... })``.
- Low-level ``server.setRequestHandler(ListToolsRequestSchema, handler)``: the
  ``tools`` array the handler returns -- literal objects, constants holding them
  (also exported by another server script), spreads, ``Object.values(TABLE)``.
- ``setRequestHandler(CallToolRequestSchema, handler)``: the names it answers
  (``switch (request.params.name) { case "x": }``, ``if (name === "x")``); a name
  answered but never listed is a hidden tool.

A name built at run time (``tools.map(...)``, a variable) is reported with
``name=None`` and the expression.
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from mtf_action.scan.capabilities.js_phase import method_name
from mtf_action.scan.capabilities.js_unit import FUNCTIONS, JsUnit, arguments, child, unwrap
from mtf_action.scan.capabilities.model import ToolRef

# name -> (script, initializer) of a top-level constant in any server script
Lookup = Callable[[str], "tuple[JsUnit, Node] | None"]
_MAX_DEPTH = 8


class _Finder:
    def __init__(self, unit: JsUnit, lookup: Lookup) -> None:
        self.unit, self.lookup = unit, lookup
        self.found: list[ToolRef] = []

    def ref(self, unit: JsUnit, node: Node, style: str, name: Node | None) -> None:
        """Record the tool named by ``name`` (an expression in ``unit``), registered at ``node``."""
        line, path = self.unit.line(node), self.unit.path
        value = None if name is None else self._string(unit, name, 0)
        shown = None if name is None else unit.text(name)[:80]
        unresolved = None if value is not None else shown or "?"
        self.found.append(ToolRef(value, path, line, style, unresolved))

    def run(self) -> list[ToolRef]:
        for node in self.unit.nodes:
            if node.type != "call_expression":
                continue
            method, args = method_name(self.unit, node), arguments(node)
            if method == "tool" and len(args) >= 2:
                self.ref(self.unit, node, "McpServer.tool", args[0])
            elif method == "registerTool" and args:
                self.ref(self.unit, node, "McpServer.registerTool", args[0])
            elif method == "addTool" and args and unwrap(args[0]).type == "object":
                name = _property(self.unit, unwrap(args[0]), "name")
                self.ref(self.unit, node, "FastMCP addTool", name)
            elif method == "setRequestHandler" and len(args) >= 2:
                schema = self.unit.text(args[0])
                handler = self._function(self.unit, args[1])
                if handler is not None and schema.endswith("ListToolsRequestSchema"):
                    self._listed(node, handler)
                elif handler is not None and schema.endswith("CallToolRequestSchema"):
                    self._dispatched(handler)
        return self.found

    # -- values ------------------------------------------------------------------------
    def _resolve(self, unit: JsUnit, node: Node) -> tuple[JsUnit, Node]:
        """Follow an identifier to its single initializer (this script, then by name)."""
        for _ in range(_MAX_DEPTH):
            node = unwrap(node)
            if node.type not in ("identifier", "shorthand_property_identifier"):
                break
            name = unit.text(node)
            if name in unit.consts:
                node = unit.consts[name]
            elif (found := self.lookup(name)) is not None:
                unit, node = found
            else:
                break
        return unit, unwrap(node)

    def _string(self, unit: JsUnit, node: Node, depth: int) -> str | None:
        folded = unit.names.fold(unwrap(node))
        if folded is not None or depth > _MAX_DEPTH:
            return folded
        owner, value = self._resolve(unit, node)
        if value == unwrap(node):
            return None
        return self._string(owner, value, depth + 1)

    def _function(self, unit: JsUnit, node: Node) -> Node | None:
        node = unwrap(node)
        if node.type == "identifier":
            name = unit.text(node)
            for candidate in unit.nodes:
                declared = child(candidate, "name") if candidate.type in FUNCTIONS else None
                if declared is not None and unit.text(declared) == name:
                    return candidate
            _, node = self._resolve(unit, node)
        return node if node.type in FUNCTIONS else None

    # -- ListTools ---------------------------------------------------------------------
    def _listed(self, call: Node, handler: Node) -> None:
        body = child(handler, "body")
        returned: list[Node] = []
        if body is not None and body.type != "statement_block":
            returned.append(body)  # () => ({ tools: [...] })
        returned.extend(
            node.named_children[0]
            for node in self.unit.tree.walk(handler)
            if node.type == "return_statement" and node.named_child_count
        )
        for value in returned:
            value = unwrap(value)
            if value.type == "object":
                tools = _property(self.unit, value, "tools")
                if tools is not None:
                    self._array(self.unit, call, tools, 0)

    def _array(self, unit: JsUnit, call: Node, node: Node, depth: int) -> None:
        style = "ListTools handler"
        owner, value = self._resolve(unit, node)
        if depth > _MAX_DEPTH:
            return
        if value.type == "array":
            for element in value.named_children:
                if element.type == "spread_element" and element.named_child_count:
                    self._array(owner, call, element.named_children[0], depth + 1)
                    continue
                item_owner, item = self._resolve(owner, element)
                name = _property(item_owner, item, "name") if item.type == "object" else None
                if name is None:
                    self.ref(item_owner, call, style, item)
                else:
                    self.ref(item_owner, call, style, name)
        elif value.type == "call_expression" and owner.text(value).startswith("Object.values"):
            args = arguments(value)
            table_owner, table = self._resolve(owner, args[0]) if args else (owner, value)
            for pair in table.named_children if table.type == "object" else []:
                entry = child(pair, "value")
                if pair.type == "pair" and entry is not None:
                    entry_owner, item = self._resolve(table_owner, entry)
                    name = _property(entry_owner, item, "name") if item.type == "object" else None
                    self.ref(entry_owner, call, style, name if name is not None else item)
        else:
            self.ref(owner, call, style, value)

    # -- CallTool ----------------------------------------------------------------------
    def _dispatched(self, handler: Node) -> None:
        style = "CallTool dispatch"
        for node in self.unit.tree.walk(handler):
            if node.type == "switch_statement":
                subject = child(node, "value")
                if subject is not None and _names_tool(self.unit.text(subject)):
                    for case in self.unit.tree.walk(node):
                        value = child(case, "value") if case.type == "switch_case" else None
                        if value is not None and self.unit.names.fold(value) is not None:
                            self.ref(self.unit, case, style, value)
            elif node.type == "binary_expression":
                op = child(node, "operator")
                left, right = child(node, "left"), child(node, "right")
                if op is None or self.unit.text(op) not in ("===", "==") or not left or not right:
                    continue
                for subject, other in ((left, right), (right, left)):
                    if _names_tool(self.unit.text(subject)) and self.unit.names.fold(other):
                        self.ref(self.unit, node, style, other)


def _names_tool(text: str) -> bool:
    """``name``, ``toolName``, ``request.params.name``: an expression holding the tool name."""
    tail = text.strip("() ").rsplit(".", 1)[-1]
    return tail.lower().endswith("name")


def _property(unit: JsUnit, obj: Node, key: str) -> Node | None:
    for pair in obj.named_children:
        if pair.type == "pair":
            name, value = child(pair, "key"), child(pair, "value")
            if name is not None and value is not None and unit.text(name).strip("'\"`") == key:
                return value
        elif pair.type == "shorthand_property_identifier" and unit.text(pair) == key:
            return pair
    return None


def js_tools(unit: JsUnit, lookup: Lookup) -> list[ToolRef]:
    """Every tool registration in one script (see module docstring)."""
    return _Finder(unit, lookup).run()
