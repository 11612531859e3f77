"""Render a JavaScript path or variable-name expression for the CD-02 patterns.

See :mod:`.patterns`: constants as written (:meth:`JsNames.fold` decodes
escapes, templates, ``String.fromCharCode``...), the home directory as ``~``
(``os.homedir()``, ``process.env.HOME``), anything unknown as ``*``; template
substitutions, ``+`` and ``path.join``/``path.resolve`` keep the constant pieces.
"""

from __future__ import annotations

from tree_sitter import Node

from mtf_action.scan.capabilities.js_unit import JsUnit, arguments, child, unwrap
from mtf_action.scan.capabilities.patterns import HOME, UNKNOWN

_MAX_DEPTH = 10
_JOINERS = frozenset({"path.join", "path.resolve", "path.posix.join", "path.win32.join"})
_JOINERS |= {"path.posix.resolve", "path.normalize", "upath.join"}
_HOME = frozenset({"os.homedir", "process.env.HOME", "process.env.USERPROFILE"})


def resolved_name(unit: JsUnit, node: Node) -> str | None:
    resolved = unit.names.resolve(unwrap(node))
    return resolved.name if resolved is not None else None


def render(unit: JsUnit, node: Node, depth: int = 0) -> str:
    node = unwrap(node)
    if depth > _MAX_DEPTH:
        return UNKNOWN
    folded = unit.names.fold(node)
    if folded is not None:
        return folded
    again = depth + 1
    kind = node.type
    if kind == "template_string":
        parts: list[str] = []
        for part in node.named_children:
            if part.type == "template_substitution" and part.named_child_count:
                parts.append(render(unit, part.named_children[0], again))
            elif part.type != "template_substitution":
                parts.append(unit.text(part))
        return "".join(parts)
    if kind == "binary_expression":
        left, right, op = child(node, "left"), child(node, "right"), child(node, "operator")
        if left is not None and right is not None and op is not None and unit.text(op) == "+":
            return render(unit, left, again) + render(unit, right, again)
        return UNKNOWN
    name = resolved_name(unit, node)
    if name in _HOME:
        return HOME
    if kind == "identifier" and unit.text(node) in unit.consts:
        return render(unit, unit.consts[unit.text(node)], again)
    if kind == "call_expression":
        callee = child(node, "function")
        called = resolved_name(unit, callee) if callee is not None else None
        if called in _HOME:
            return HOME
        if called in _JOINERS:
            return "/".join(render(unit, a, again) for a in arguments(node))
    return UNKNOWN
