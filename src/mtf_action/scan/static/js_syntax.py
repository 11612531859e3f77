"""Small syntax-tree helpers for the JS/TS rules: unwrapping and constant strings."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree

_WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
        "await_expression",
        "sequence_expression",
    }
)
_BRACED_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")
_MAX_DEPTH = 16


def unwrap(node: Node) -> Node:
    """The expression inside parentheses, casts, ``await`` and ``(0, expr)``."""
    while node.type in _WRAPPERS and node.named_child_count:
        children = node.named_children
        # as/satisfies: expression first; <T>expr, (a, b), await x: expression last
        node = (
            children[0] if node.type in ("as_expression", "satisfies_expression") else children[-1]
        )
    return node


def _decode_escape(text: str) -> str:
    text = _BRACED_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    try:
        return codecs.decode(text, "unicode_escape")
    except UnicodeDecodeError:
        return text.lstrip("\\")


def constant_string(
    tree: JsTree, node: Node, constant: Callable[[str], Node | None], depth: int = 0
) -> str | None:
    """The value of a string built only from constants, else None.

    Covers string and template literals (escapes decoded), ``+`` concatenation,
    numbers inside it, and identifiers whose single assignment is such a value
    (``constant(name)`` gives the initializer).
    """
    node = unwrap(node)
    kind = node.type
    if depth > _MAX_DEPTH:
        return None
    if kind in ("string", "template_string"):
        parts: list[str] = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(tree.text(child))
            elif child.type == "escape_sequence":
                parts.append(_decode_escape(tree.text(child)))
            elif child.type == "template_substitution":
                inner = constant_string(tree, child.named_children[0], constant, depth + 1)
                if inner is None:
                    return None
                parts.append(inner)
        return "".join(parts)
    if kind == "number":
        return tree.text(node)
    if kind == "binary_expression":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or op.type != "+" or left is None or right is None:
            return None
        a = constant_string(tree, left, constant, depth + 1)
        b = constant_string(tree, right, constant, depth + 1) if a is not None else None
        return None if a is None or b is None else a + b
    if kind == "identifier" and (value := constant(tree.text(node))) is not None:
        return constant_string(tree, value, constant, depth + 1)
    return None
