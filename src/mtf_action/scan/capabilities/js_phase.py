"""When script code runs: at initialization or inside request handlers (CD-02).

The same reasoning as :mod:`.py_phase`: top-level statements (including
top-level ``await``) run at start-up; a named function runs at start-up when
start-up code refers to it (calls it, or hands it to ``setTimeout``,
``process.on``, ``app.listen``...), to a fixed point across the server's
scripts by name; ``new C()`` runs C's constructor. Functions handed to a
registrar -- ``server.tool``/``registerTool``/``setRequestHandler``/
``resource``/``prompt`` and FastMCP-TS ``addTool({ execute })`` -- run when a
request arrives: runtime, with everything only they reach. An anonymous
function runs where it is defined (``[...].map(x => ...)`` at the top level is
start-up code) unless it is registered.
"""

from __future__ import annotations

from collections.abc import Sequence

from tree_sitter import Node

from mtf_action.scan.capabilities.js_unit import FUNCTIONS, JsUnit, arguments, child, unwrap
from mtf_action.scan.capabilities.model import Phase

REGISTRARS = frozenset(
    {"tool", "registerTool", "setRequestHandler", "resource", "registerResource", "prompt"}
    | {"registerPrompt", "addTool", "addResource", "addResourceTemplate", "addPrompt"}
)
# Identifier positions that declare rather than refer.
_DECLARING = {
    "variable_declarator": "name",
    "function_declaration": "name",
    "generator_function_declaration": "name",
    "class_declaration": "name",
    "class": "name",
}
_NOT_REFERENCES = frozenset(
    {"formal_parameters", "required_parameter", "optional_parameter", "import_specifier"}
    | {"import_clause", "namespace_import", "export_specifier", "labeled_statement"}
)


def method_name(unit: JsUnit, call: Node) -> str | None:
    """``tool`` for ``server.tool(...)``, ``server["to" + "ol"](...)``, else None."""
    callee = child(call, "function")
    if callee is None:
        return None
    callee = unwrap(callee)
    if callee.type == "member_expression":
        prop = child(callee, "property")
        return unit.text(prop) if prop is not None else None
    if callee.type == "subscript_expression":
        index = child(callee, "index")
        return unit.names.fold(index) if index is not None else None
    return None


def function_name(unit: JsUnit, fn: Node) -> str | None:
    """The name a function is known by: declared, or the variable/property it is bound to."""
    own = child(fn, "name")
    if own is not None:
        return unit.text(own)
    parent = fn.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        name = child(parent, "name")
    elif parent.type == "assignment_expression":
        name = child(parent, "left")
        if name is not None and name.type == "member_expression":
            name = child(name, "property")
    elif parent.type == "pair":
        name = child(parent, "key")
    else:
        return None
    return unit.text(name).strip("'\"") if name is not None else None


class JsPhases:
    """Phase of every node of the server's scripts."""

    def __init__(self, units: Sequence[JsUnit]) -> None:
        self._init: set[int] = set()  # ids of named functions that run at start-up
        self._registered: set[int] = set()  # ids of nodes handed to a registrar
        by_name: dict[str, list[Node]] = {}
        for unit in units:
            for node in unit.nodes:
                if node.type in FUNCTIONS:
                    name = function_name(unit, node)
                    if name is not None:
                        by_name.setdefault(name, []).append(node)
                elif node.type in ("class_declaration", "class"):
                    self._constructors(unit, node, by_name)
                elif node.type == "call_expression" and method_name(unit, node) in REGISTRARS:
                    for arg in arguments(node):
                        self._register(unwrap(arg))
        refs: list[tuple[str, JsUnit, Node | None]] = []
        for unit in units:
            for node in unit.nodes:
                name = self._reference(unit, node)
                if name is not None and name in by_name:
                    refs.append((name, unit, unit.owner(node)))
        marked: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, unit, owner in refs:
                if name not in marked and self._runs_at_init(unit, owner):
                    marked.add(name)
                    self._init.update(f.id for f in by_name[name])
                    changed = True

    def _constructors(self, unit: JsUnit, node: Node, by_name: dict[str, list[Node]]) -> None:
        name, body = child(node, "name"), child(node, "body")
        if name is None or body is None:
            return
        for member in body.named_children:
            key = child(member, "name")
            constructor = key is not None and unit.text(key) == "constructor"
            if member.type == "method_definition" and constructor:
                by_name.setdefault(unit.text(name), []).append(member)

    def _register(self, arg: Node) -> None:
        self._registered.add(arg.id)
        if arg.type == "object":  # addTool({ name, execute: async (args) => ... })
            for pair in arg.named_children:
                value = child(pair, "value") if pair.type == "pair" else pair
                if value is not None:
                    self._registered.add(unwrap(value).id)

    def _reference(self, unit: JsUnit, node: Node) -> str | None:
        if node.id in self._registered:
            return None
        parent = node.parent
        if node.type == "identifier":
            if parent is None or parent.type in _NOT_REFERENCES:
                return None
            declared = _DECLARING.get(parent.type)
            if declared is not None and child(parent, declared) == node:
                return None
            if parent.type == "export_statement":
                return None
            return unit.text(node)
        if node.type == "shorthand_property_identifier":
            return unit.text(node)
        if node.type == "property_identifier" and parent is not None:
            call = parent.parent
            if (
                parent.type == "member_expression"
                and call is not None
                and (call.type == "call_expression" and child(call, "function") == parent)
            ):
                return unit.text(node)  # obj.method(...)
        return None

    def _runs_at_init(self, unit: JsUnit, owner: Node | None) -> bool:
        while owner is not None:
            if owner.id in self._registered:
                return False
            if function_name(unit, owner) is not None:
                return owner.id in self._init
            owner = unit.owner(owner)
        return True

    def phase(self, unit: JsUnit, node: Node) -> Phase:
        return Phase.INIT if self._runs_at_init(unit, unit.owner(node)) else Phase.RUNTIME
