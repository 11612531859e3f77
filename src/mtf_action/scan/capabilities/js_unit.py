"""One server script (JavaScript/TypeScript) prepared for the CD-01/CD-02 analyses.

The tree comes from :func:`~mtf_action.scan.js.parse.js_tree` (parsed once per
scan) and names from :class:`~mtf_action.scan.malware.js_names.JsNames` (which
follows ``require``/``import`` aliases, computed module names and member
keys). Each node's *owner* -- the innermost function around it, None at the top
level -- and the single initializer of each variable declared once are
computed here once, iteratively.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.malware.js_names import JsNames

FUNCTIONS = frozenset(
    {"function_declaration", "generator_function_declaration", "function_expression"}
    | {"function", "arrow_function", "method_definition", "generator_function"}
)
_WRAPPERS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"}
    | {"type_assertion", "await_expression"}
)


def unwrap(node: Node) -> Node:
    """The expression inside parentheses, TypeScript casts and ``await``."""
    while node.type in _WRAPPERS and node.named_child_count:
        first_is_value = node.type in ("as_expression", "satisfies_expression")
        node = node.named_children[0] if first_is_value else node.named_children[-1]
    return node


def child(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


def arguments(call: Node) -> list[Node]:
    args = child(call, "arguments")
    if args is None or args.type != "arguments":
        return []
    return [a for a in args.named_children if a.type != "comment"]


@dataclass
class JsUnit:
    path: str
    tree: JsTree
    names: JsNames
    nodes: list[Node] = field(default_factory=list)
    owners: dict[int, Node | None] = field(default_factory=dict)
    consts: dict[str, Node] = field(default_factory=dict)
    top_level: dict[str, Node] = field(default_factory=dict)

    @classmethod
    def of(cls, path: str, tree: JsTree) -> JsUnit:
        unit = cls(path, tree, JsNames.of(tree))
        counts: dict[str, int] = {}
        values: dict[str, Node] = {}
        stack: list[tuple[Node, Node | None]] = [(tree.root, None)]
        while stack:
            node, owner = stack.pop()
            unit.nodes.append(node)
            unit.owners[node.id] = owner
            inner = node if node.type in FUNCTIONS else owner
            stack.extend((c, inner) for c in reversed(node.named_children))
            unit._note(node, owner, counts, values)
        unit.consts = {k: v for k, v in values.items() if counts.get(k) == 1}
        unit.top_level = {k: v for k, v in unit.top_level.items() if counts.get(k) == 1}
        return unit

    def _note(
        self, node: Node, owner: Node | None, counts: dict[str, int], values: dict[str, Node]
    ) -> None:
        text = self.tree.text
        if node.type == "variable_declarator":
            name, value = child(node, "name"), child(node, "value")
            if name is not None and name.type == "identifier":
                counts[text(name)] = counts.get(text(name), 0) + 1
                if value is not None:
                    values[text(name)] = value
                    if owner is None:
                        self.top_level[text(name)] = value
        elif node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = child(node, "left")
            if left is not None and left.type == "identifier":
                counts[text(left)] = counts.get(text(left), 0) + 2
        elif node.type == "update_expression":
            operand = node.named_children[0] if node.named_child_count else None
            if operand is not None and operand.type == "identifier":
                counts[text(operand)] = counts.get(text(operand), 0) + 2

    def owner(self, node: Node) -> Node | None:
        return self.owners.get(node.id)

    def text(self, node: Node) -> str:
        return self.tree.text(node)

    def line(self, node: Node) -> int:
        return node.start_point.row + 1
