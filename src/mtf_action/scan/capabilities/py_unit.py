"""One server Python module prepared for the CD-01/CD-02 analyses.

Besides the tree and its import aliases (:class:`~mtf_action.scan.malware.python_names.Names`,
which sees through ``getattr``, ``__import__``, ``importlib`` and computed
strings), each node's parent and *owner* -- the innermost function whose body
holds it, None at module level -- are computed once, iteratively (hostile
nesting cannot exhaust the recursion limit). Decorators, default values and
annotations run where the function is defined, so they belong to the outer owner.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from mtf_action.scan.malware.python_names import Names

Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass
class PyUnit:
    path: str
    tree: ast.Module
    names: Names
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    owners: dict[ast.AST, Function | None] = field(default_factory=dict)
    # Names bound exactly once in the module (any scope): their one value.
    assigned: dict[str, ast.expr] = field(default_factory=dict)
    # Top-level modules imported anywhere (``import pathlib``, ``from os import x``).
    modules: set[str] = field(default_factory=set)
    # ``from .helpers import search as s``: local name -> imported name (any level).
    imported_as: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, path: str, tree: ast.Module) -> PyUnit:
        unit = cls(path, tree, Names.of(tree))
        counts: dict[str, int] = {}
        values: dict[str, ast.expr] = {}
        stack: list[tuple[ast.AST, Function | None]] = [(tree, None)]
        while stack:
            node, owner = stack.pop()
            unit.owners[node] = owner
            inner: set[int] = set()
            body_owner: Function | None = None
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                inner, body_owner = {id(s) for s in node.body}, node
            elif isinstance(node, ast.Lambda):
                inner, body_owner = {id(node.body)}, node
            for child in ast.iter_child_nodes(node):
                unit.parents[child] = node
                stack.append((child, body_owner if id(child) in inner else owner))
            unit._note(node, counts, values)
        unit.assigned = {k: v for k, v in values.items() if counts.get(k) == 1}
        return unit

    def _note(self, node: ast.AST, counts: dict[str, int], values: dict[str, ast.expr]) -> None:
        if isinstance(node, ast.Import):
            self.modules.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.module and not node.level:
                self.modules.add(node.module.split(".")[0])
            for alias in node.names:
                if alias.name != "*":
                    self.imported_as[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    counts[target.id] = counts.get(target.id, 0) + 1
                    if node.value is not None:
                        values[target.id] = node.value
        elif isinstance(node, ast.AugAssign | ast.For | ast.comprehension | ast.NamedExpr):
            target = node.target
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 2  # not one constant value

    def owner(self, node: ast.AST) -> Function | None:
        return self.owners.get(node)

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def nodes(self) -> Iterator[ast.AST]:
        return iter(self.owners)

    def line(self, node: ast.AST) -> int:
        return max(int(getattr(node, "lineno", 1)), 1)
