"""When Python server code runs: at initialization or inside request handlers (CD-02).

Module-level code (imports, class bodies, ``if __name__ == "__main__":``) runs
at start-up. A function runs at start-up when something that runs at start-up
refers to it -- calls it, or hands it on (``asyncio.run(main())``,
``FastMCP(lifespan=...)``, ``threading.Thread(target=...)``, ``atexit.register``)
-- and that is followed to a fixed point, across the server's modules by name
(over-approximating: a name shared by two functions marks both). A reference
that *registers* a handler (``@mcp.tool()``, ``mcp.add_tool(fn)``,
``server.call_tool()(fn)``) does not run it: tool, resource and prompt handlers
run at runtime, as does everything only they reach. Instantiating a class runs
its ``__init__``/``__new__``/``__post_init__``. A lambda runs where it is defined
unless it is itself registered as a handler.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from mtf_action.scan.capabilities.model import Phase
from mtf_action.scan.capabilities.py_unit import Function, PyUnit

# Methods of FastMCP / fastmcp / the low-level Server that register request handlers.
REGISTRARS = frozenset(
    {"tool", "add_tool", "resource", "add_resource", "prompt", "add_prompt", "call_tool"}
    | {"list_tools", "list_resources", "read_resource", "list_prompts", "get_prompt"}
    | {"list_resource_templates", "subscribe_resource", "unsubscribe_resource", "completion"}
    | {"set_logging_level", "progress_notification", "custom_route", "from_function"}
    | {"add_resource_fn", "add_template"}
)
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})


def member_name(unit: PyUnit, node: ast.expr, depth: int = 0) -> str | None:
    """The attribute an expression reads: ``x.tool``, ``getattr(x, "to" + "ol")``, or a
    name bound once to one of those (``register = mcp.add_tool``)."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and len(node.args) >= 2:
        func = unit.names.resolve(node.func)
        if func is not None and func.name == "getattr":
            return unit.names.fold(node.args[1])
    if isinstance(node, ast.Name) and depth < 4 and (value := unit.assigned.get(node.id)):
        return member_name(unit, value, depth + 1)
    return None


def registrar_of(unit: PyUnit, call: ast.Call) -> str | None:
    """``add_tool`` for ``mcp.add_tool(...)``, ``tool`` for ``mcp.tool(...)(fn)``, else None."""
    func = call.func
    if isinstance(func, ast.Call) and member_name(unit, func) not in REGISTRARS:
        func = func.func  # mcp.tool(...)(fn); but getattr(mcp, "add_tool")(fn) is direct
    name = member_name(unit, func)
    return name if name in REGISTRARS else None


def decorator_registrar(unit: PyUnit, deco: ast.expr) -> str | None:
    """``tool`` for ``@mcp.tool`` / ``@mcp.tool(...)`` (any registrar), else None."""
    target = deco.func if isinstance(deco, ast.Call) and member_name(unit, deco) is None else deco
    name = member_name(unit, target)
    return name if name in REGISTRARS else None


class PyPhases:
    """Phase of every node of the server's Python modules."""

    def __init__(self, units: Sequence[PyUnit]) -> None:
        self._init: set[Function] = set()
        self._registered: set[ast.AST] = set()  # nodes handed to a registrar
        by_name: dict[str, list[Function]] = {}
        for unit in units:
            for node in unit.nodes():
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    by_name.setdefault(node.name, []).append(node)
                elif isinstance(node, ast.ClassDef):
                    ctors = [
                        s
                        for s in node.body
                        if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
                        and s.name in _CONSTRUCTORS
                    ]
                    by_name.setdefault(node.name, []).extend(ctors)
                elif isinstance(node, ast.Call) and registrar_of(unit, node) is not None:
                    handed = [*node.args, *(k.value for k in node.keywords)]
                    self._registered.update(
                        a for a in handed if isinstance(a, ast.Name | ast.Attribute | ast.Lambda)
                    )
        refs: list[tuple[str, PyUnit, Function | None]] = []
        for unit in units:
            for node in unit.nodes():
                if node in self._registered:
                    continue
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
                    name = node.id
                elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Store):
                    name = node.attr
                else:
                    continue
                if name in by_name:
                    refs.append((name, unit, unit.owner(node)))
        marked: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, unit, owner in refs:
                if name not in marked and self._runs_at_init(unit, owner):
                    marked.add(name)
                    self._init.update(by_name[name])
                    changed = True

    def _runs_at_init(self, unit: PyUnit, owner: Function | None) -> bool:
        while isinstance(owner, ast.Lambda):
            if owner in self._registered:
                return False
            owner = unit.owner(owner)
        return owner is None or owner in self._init

    def phase(self, unit: PyUnit, node: ast.AST) -> Phase:
        return Phase.INIT if self._runs_at_init(unit, unit.owner(node)) else Phase.RUNTIME
