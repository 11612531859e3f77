"""Render a Python path or variable-name expression for the CD-02 patterns.

See :mod:`.patterns`: constants as written, the home directory as ``~``,
anything unknown as ``*``. Path joins (``os.path.join``, ``Path(a, b)``,
``a / b``, ``.joinpath``), ``expanduser``/``expandvars``, ``str.format`` and
f-strings keep the constant pieces; a name bound once is followed to its value.
"""

from __future__ import annotations

import ast
import re

from mtf_action.scan.capabilities.patterns import HOME, UNKNOWN
from mtf_action.scan.capabilities.py_unit import PyUnit

_MAX_DEPTH = 10
_JOINERS = frozenset(
    {"os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath"}
    | {"pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath", "anyio.Path"}
)
_SAME = frozenset(
    {"os.path.expanduser", "os.path.expandvars", "os.path.abspath", "os.path.normpath"}
    | {"os.fspath", "str", "os.fsencode", "os.fsdecode", "os.path.realpath"}
)
_HOME_VARS = frozenset({"HOME", "USERPROFILE"})
_SAME_METHODS = frozenset({"expanduser", "resolve", "absolute", "expandvars", "strip"})
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")


def render(unit: PyUnit, node: ast.AST, depth: int = 0) -> str:
    """The rendering of ``node`` (``*`` when nothing about it is known)."""
    if depth > _MAX_DEPTH:
        return UNKNOWN
    folded = unit.names.fold(node)
    if folded is not None:
        return folded
    again = depth + 1
    if isinstance(node, ast.JoinedStr):
        return "".join(
            render(unit, v.value if isinstance(v, ast.FormattedValue) else v, again)
            for v in node.values
        )
    if isinstance(node, ast.BinOp):
        left, right = render(unit, node.left, again), render(unit, node.right, again)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Div):
            return f"{left}/{right}"
        return UNKNOWN
    if isinstance(node, ast.Name):
        value = unit.assigned.get(node.id)
        return render(unit, value, again) if value is not None else UNKNOWN
    if isinstance(node, ast.Subscript) and _environ(unit, node.value):
        return HOME if unit.names.fold(node.slice) in _HOME_VARS else UNKNOWN
    if isinstance(node, ast.Attribute) and node.attr in ("parent", "parents"):
        return render(unit, node.value, again)
    if isinstance(node, ast.Call):
        return _call(unit, node, again)
    return UNKNOWN


def _environ(unit: PyUnit, node: ast.AST) -> bool:
    resolved = unit.names.resolve(node) if isinstance(node, ast.expr) else None
    return resolved is not None and resolved.name in ("os.environ", "os.environb")


def _call(unit: PyUnit, call: ast.Call, depth: int) -> str:
    resolved = unit.names.resolve(call.func)
    name = resolved.name if resolved is not None else ""
    args = call.args
    if name == "pathlib.Path.home":
        return HOME
    if name in ("os.getenv", "os.environ.get") and args:
        return HOME if unit.names.fold(args[0]) in _HOME_VARS else UNKNOWN
    if name in _JOINERS:
        return "/".join(render(unit, a, depth) for a in args) if args else "."
    if name in _SAME and args:
        return render(unit, args[0], depth)
    func = call.func
    if not isinstance(func, ast.Attribute):
        return UNKNOWN
    if func.attr == "joinpath":
        return "/".join([render(unit, func.value, depth), *(render(unit, a, depth) for a in args)])
    if func.attr in _SAME_METHODS:
        return render(unit, func.value, depth)
    if func.attr == "format":
        template = unit.names.fold(func.value)
        if template is not None:
            pieces = iter([render(unit, a, depth) for a in args])
            return _FORMAT_FIELD.sub(lambda _m: next(pieces, UNKNOWN), template)
    if func.attr == "join" and args and isinstance(args[0], ast.List | ast.Tuple):
        sep = unit.names.fold(func.value)
        if sep is not None:
            return sep.join(render(unit, e, depth) for e in args[0].elts)
    return UNKNOWN
