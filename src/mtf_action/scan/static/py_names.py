"""What a Python expression names, seen through imports and aliases (CQ-04, CQ-05).

``qualname(node)`` answers "which module function is this?" for call targets,
so the pattern tables cannot be sidestepped by spelling:

- ``import subprocess as sp`` / ``from os import system as s`` / ``import os.path``;
- ``run = os.system`` (module-level or local aliases, flow-insensitive);
- ``getattr(os, "system")``, ``getattr(os, "sys" + "tem")``;
- ``__import__("os").system``, ``importlib.import_module("os").popen``;
- ``builtins.eval``, ``__builtins__["exec"]``, ``functools.partial(os.system, ...)``
  (the partial's target is reported by :func:`partial_target`).

Names no import binds resolve to themselves (``eval`` -> ``eval``), and
``builtins.x`` to ``x``. Strings built from constants (``"ev" + "al"``, a name
assigned one constant) are evaluated by :meth:`PyNames.static_str`.
"""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtf_action.scan.context import ScanContext

_MAX_DEPTH = 16
_IMPORTERS = frozenset({"__import__", "importlib.import_module"})


def _canonical(name: str) -> str:
    for prefix in ("builtins.", "__builtins__."):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return "builtins" if name == "__builtins__" else name


class PyNames:
    """Import aliases and constant names of one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, str] = {}
        self._consts: dict[str, ast.expr] = {}
        assigned: dict[str, int] = {}
        pairs: list[tuple[str, ast.expr]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = node.value
                for target in targets:
                    if isinstance(target, ast.Name) and value is not None:
                        assigned[target.id] = assigned.get(target.id, 0) + 1
                        pairs.append((target.id, value))
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                assigned[node.target.id] = assigned.get(node.target.id, 0) + 2
        for name, value in pairs:
            if assigned.get(name) == 1:
                self._consts[name] = value
        for _ in range(3):  # aliases of aliases
            before = len(self.aliases)
            for name, value in pairs:
                resolved = None if name in self.aliases else self._resolve(value, 0)
                if resolved is not None and resolved != name:
                    self.aliases[name] = resolved
            if len(self.aliases) == before:
                break

    def static_str(self, node: ast.AST, depth: int = 0) -> str | None:
        """The value of a string made only of constants, else None."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.static_str(node.left, depth + 1)
            right = self.static_str(node.right, depth + 1) if left is not None else None
            return None if left is None or right is None else left + right
        if isinstance(node, ast.JoinedStr):
            parts = [self.static_str(v, depth + 1) for v in node.values]
            return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
        if isinstance(node, ast.FormattedValue) and node.format_spec is None:
            return self.static_str(node.value, depth + 1)
        if isinstance(node, ast.Name) and (value := self._consts.get(node.id)) is not None:
            return self.static_str(value, depth + 1)
        return None

    def is_constant(self, node: ast.AST) -> bool:
        """A literal (or constants combined): code in it cannot come from outside."""
        if isinstance(node, ast.Constant):
            return True
        return self.static_str(node) is not None

    def qualname(self, node: ast.AST) -> str | None:
        """Dotted name an expression denotes (``os.system``, ``eval``), or None."""
        resolved = self._resolve(node, 0)
        return _canonical(resolved) if resolved is not None else None

    def _resolve(self, node: ast.AST, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value, depth + 1)
            return f"{base}.{node.attr}" if base is not None else None
        if isinstance(node, ast.Subscript):  # __builtins__["eval"], vars(os)["system"]
            base = self._resolve(node.value, depth + 1)
            if isinstance(node.value, ast.Call) and base in ("vars", "globals"):
                args = node.value.args
                base = self._resolve(args[0], depth + 1) if args else "builtins"
            key = self.static_str(node.slice)
            return f"{base}.{key}" if base is not None and key is not None else None
        if isinstance(node, ast.Call):
            func = self._resolve(node.func, depth + 1)
            func = _canonical(func) if func is not None else None
            if func == "getattr" and len(node.args) >= 2:
                base = self._resolve(node.args[0], depth + 1)
                attr = self.static_str(node.args[1])
                return f"{base}.{attr}" if base is not None and attr is not None else None
            if func in _IMPORTERS and node.args:
                module = self.static_str(node.args[0])
                if module is not None and func == "__import__" and len(node.args) < 4:
                    module = module.split(".")[0]  # __import__("os.path") returns os
                return module
        return None


def partial_target(names: PyNames, call: ast.Call) -> str | None:
    """``functools.partial(f, ...)``: the qualified name of ``f`` (its keywords apply to it)."""
    if names.qualname(call.func) == "functools.partial" and call.args:
        return names.qualname(call.args[0])
    return None


_NAMES: weakref.WeakKeyDictionary[ScanContext, dict[str, PyNames]] = weakref.WeakKeyDictionary()


def py_names(ctx: ScanContext, path: str, tree: ast.Module) -> PyNames:
    """The :class:`PyNames` of a module, built once per scan (CQ-04 and CQ-05 share it)."""
    per_ctx = _NAMES.setdefault(ctx, {})
    if path not in per_ctx:
        per_ctx[path] = PyNames(tree)
    return per_ctx[path]
