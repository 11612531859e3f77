"""The string values a Python expression can take, when the code fixes them (CD-01).

Tool names are usually literals, but servers also build them from tables:
``[Tool(name=n, ...) for n in TOOL_NAMES]``, ``for name, fn in HANDLERS.items():
mcp.add_tool(fn, name=name)``, ``Tool(name=spec["name"]) for spec in SPECS``.
:func:`string_values` follows a name to its single assignment (in this module
or, by name, in another server module), a loop variable to the literal
collection it iterates, and folds constant strings (concatenation,
f-strings of constants); anything else is unknown (None).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from mtf_action.scan.capabilities.py_unit import PyUnit

# name -> (module, value) of a module-level single assignment in any server module
Lookup = Callable[[str], "tuple[PyUnit, ast.expr] | None"]
_MAX_DEPTH = 8
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _bound(unit: PyUnit, name: str, lookup: Lookup) -> tuple[PyUnit, ast.expr] | None:
    if name in unit.assigned:
        return unit, unit.assigned[name]
    return lookup(name)


def _position(target: ast.expr, name: str) -> list[int] | None:
    """Index path of ``name`` inside a for/comprehension target (``[]`` for the whole item)."""
    if isinstance(target, ast.Name):
        return [] if target.id == name else None
    if isinstance(target, ast.Tuple | ast.List):
        for index, elt in enumerate(target.elts):
            inner = _position(elt, name)
            if inner is not None:
                return [index, *inner]
    return None


def _loop_of(unit: PyUnit, node: ast.Name) -> tuple[ast.expr, list[int]] | None:
    """(iterable, index path) when ``node`` is a for/comprehension variable around it."""
    current: ast.AST | None = node
    while current is not None:
        generators: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(current, _COMPREHENSIONS):
            generators = [(g.target, g.iter) for g in current.generators]
        elif isinstance(current, ast.For | ast.AsyncFor):
            generators = [(current.target, current.iter)]
        for target, iterable in generators:
            path = _position(target, node.id)
            if path is not None:
                return iterable, path
        current = unit.parent(current)
    return None


def elements(
    unit: PyUnit, node: ast.expr, lookup: Lookup, depth: int = 0
) -> list[tuple[PyUnit, ast.expr]] | None:
    """The items a literal collection (or a name bound to one) yields when iterated."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [(unit, e) for e in node.elts]
    if isinstance(node, ast.Dict):
        return [(unit, k) for k in node.keys if k is not None]
    if isinstance(node, ast.Name) and (bound := _bound(unit, node.id, lookup)) is not None:
        return elements(bound[0], bound[1], lookup, depth + 1)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("items", "keys", "values")
        and not node.args
    ):
        mapping = _dict_of(unit, node.func.value, lookup, depth + 1)
        if mapping is None:
            return None
        owner, table = mapping
        pairs = [(k, v) for k, v in zip(table.keys, table.values, strict=True) if k is not None]
        if node.func.attr == "keys":
            return [(owner, k) for k, _ in pairs]
        if node.func.attr == "values":
            return [(owner, v) for _, v in pairs]
        return [(owner, ast.Tuple(elts=[k, v], ctx=ast.Load())) for k, v in pairs]
    return None


def _dict_of(
    unit: PyUnit, node: ast.expr, lookup: Lookup, depth: int
) -> tuple[PyUnit, ast.Dict] | None:
    if isinstance(node, ast.Dict):
        return unit, node
    if depth <= _MAX_DEPTH and isinstance(node, ast.Name):
        bound = _bound(unit, node.id, lookup)
        if bound is not None:
            return _dict_of(bound[0], bound[1], lookup, depth + 1)
    return None


def _pick(unit: PyUnit, item: ast.expr, path: list[int], lookup: Lookup) -> ast.expr | None:
    for index in path:
        if isinstance(item, ast.Name) and (bound := _bound(unit, item.id, lookup)) is not None:
            item = bound[1]
        if not isinstance(item, ast.Tuple | ast.List) or index >= len(item.elts):
            return None
        item = item.elts[index]
    return item


def string_values(unit: PyUnit, node: ast.expr, lookup: Lookup, depth: int = 0) -> list[str] | None:
    """Every string ``node`` can evaluate to, or None when that is not fixed by the code."""
    if depth > _MAX_DEPTH:
        return None
    folded = unit.names.fold(node)
    if folded is not None:
        return [folded]
    if isinstance(node, ast.Name):
        loop = _loop_of(unit, node)
        if loop is not None:
            iterable, path = loop
            items = elements(unit, iterable, lookup)
            if items is None:
                return None
            found: list[str] = []
            for owner, item in items:
                picked = _pick(owner, item, path, lookup)
                values = None if picked is None else string_values(owner, picked, lookup, depth + 1)
                if values is None:
                    return None
                found.extend(values)
            return found
        bound = _bound(unit, node.id, lookup)
        return None if bound is None else string_values(bound[0], bound[1], lookup, depth + 1)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        key = unit.names.fold(node.slice)
        loop = _loop_of(unit, node.value)
        if key is None or loop is None:
            return None
        items = elements(unit, loop[0], lookup)
        if items is None:
            return None
        found = []
        for owner, item in items:
            picked = _pick(owner, item, loop[1], lookup)
            table = None if picked is None else _dict_of(owner, picked, lookup, depth + 1)
            value = None if table is None else _dict_value(table[0], table[1], key)
            values = None if value is None else string_values(owner, value, lookup, depth + 1)
            if values is None:
                return None
            found.extend(values)
        return found
    return None


def _dict_value(unit: PyUnit, table: ast.Dict, key: str) -> ast.expr | None:
    for k, v in zip(table.keys, table.values, strict=True):
        if k is not None and unit.names.fold(k) == key:
            return v
    return None
