"""Capabilities Python server code exercises (MTF CD-02), from its syntax tree.

Calls are matched by the dotted name they resolve to (:mod:`.py_tables`),
through aliases and the evasions :class:`~mtf_action.scan.malware.python_names.Names`
sees through; pathlib methods by receiver; the environment by every reference
to ``os.environ`` (one variable, or the whole environment when it is copied,
iterated or handed on) and by ``pydantic-settings`` classes, whose fields are
read from the environment. Each use carries its phase (:mod:`.py_phase`).
Imports of computed module names and ``getattr(os, <computed>)`` cannot be
followed: they are reported as opaque.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from mtf_action.scan.capabilities import py_tables as t
from mtf_action.scan.capabilities.model import (
    INBOUND,
    OUTBOUND,
    READ,
    REQUIRED,
    WRITE,
    Opaque,
    Phase,
    Use,
    UseRecorder,
)
from mtf_action.scan.capabilities.patterns import UNKNOWN, is_sensitive_path
from mtf_action.scan.capabilities.py_env import environment_uses
from mtf_action.scan.capabilities.py_render import render
from mtf_action.scan.capabilities.py_spawn import spawn_use
from mtf_action.scan.capabilities.py_unit import PyUnit

_WRITE_MODE = frozenset("wax+")
_WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC")


class _Detector(UseRecorder[ast.AST]):
    def __init__(self, unit: PyUnit, phase: Callable[[ast.AST], Phase]) -> None:
        super().__init__()
        self.unit, self.phase = unit, phase

    def _where(self, node: ast.AST) -> tuple[str, int | None, Phase]:
        return self.unit.path, self.unit.line(node), self.phase(node)

    def run(self) -> tuple[list[Use], list[Opaque]]:
        for node in self.unit.nodes():
            if isinstance(node, ast.Import | ast.ImportFrom):
                self._import(node)
            elif isinstance(node, ast.Call):
                self._call(node)
        self.uses.extend(environment_uses(self.unit, self.phase))
        return self.uses, self.opaque

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
        for module in modules:
            if (
                module
                and not getattr(node, "level", 0)
                and module.split(".")[0] in t.NATIVE_MODULES
            ):
                self.use(node, "native", REQUIRED, f"import {module}")

    # -- calls ---------------------------------------------------------------------------
    def _call(self, call: ast.Call) -> None:
        resolved = self.unit.names.resolve(call.func)
        if resolved is None or not self._named(call, resolved.name, resolved.evasive):
            self._method(call)

    def _named(self, call: ast.Call, name: str, evasive: bool) -> bool:
        """Match a call by its resolved name; False when no table knows it."""
        args = call.args
        if name in t.IMPORTERS:
            module = self.unit.names.fold(args[0]) if args else None
            if module is None:
                self._opaque(call, f"{name}() of a computed module name")
            elif module.split(".")[0] in t.NATIVE_MODULES:
                self.use(call, "native", REQUIRED, f"{name}({module!r})", evasive=True)
            return True
        if name == "getattr" and len(args) >= 2:
            base = self.unit.names.resolve(args[0])
            risky = base is not None and base.name.split(".")[0] in t.RISKY_MODULES
            if risky and base is not None and self.unit.names.fold(args[1]) is None:
                self._opaque(call, f"getattr({base.name}, <computed>)")
            return True
        if name.split(".")[0] in t.NATIVE_MODULES or name in t.NATIVE_CALLS:
            self.use(call, "native", REQUIRED, name, evasive=evasive)
        elif name in t.NETWORK_OUT or name in t.NETWORK_IN:
            access = OUTBOUND if name in t.NETWORK_OUT else INBOUND
            self.use(call, "network", access, name, target=self._arg(call, 0), evasive=evasive)
        elif name in t.OPENERS:
            self._open(call, name, t.OPENERS[name], evasive)
        elif name in t.FS_READ or name in t.FS_WRITE:
            self._file(call, name, READ if name in t.FS_READ else WRITE, call.args, evasive)
        elif name in t.SHELL_SPAWN or name in t.ARGV_SPAWN or name in t.PYTHON_SPAWN:
            self._spawn(call, name, evasive)
        else:
            return False
        return True

    def _arg(self, call: ast.Call, index: int) -> str | None:
        if index < len(call.args):
            rendered = render(self.unit, call.args[index])
            return None if rendered == UNKNOWN else rendered
        return None

    def _opaque(self, node: ast.AST, what: str) -> None:
        self.opaque.append(Opaque(what, self.unit.path, self.unit.line(node), self.phase(node)))

    # -- filesystem ----------------------------------------------------------------------
    def _open(self, call: ast.Call, name: str, mode_at: int, evasive: bool) -> None:
        keyword = "flags" if name == "os.open" else "mode"
        mode_node = call.args[mode_at] if 0 <= mode_at < len(call.args) else None
        mode_node = next((k.value for k in call.keywords if k.arg == keyword), mode_node)
        access, shown = READ, "r"
        if name == "sqlite3.connect":
            if self._arg(call, 0) == ":memory:":
                return
            access, shown = WRITE, "database"
        elif mode_node is not None and name == "os.open":
            flags = ast.unparse(mode_node)
            access = WRITE if any(f in flags for f in _WRITE_FLAGS) else READ
            shown = flags
        elif mode_node is not None:
            mode = self.unit.names.fold(mode_node)
            access = WRITE if mode is None or _WRITE_MODE & set(mode) else READ
            shown = mode if mode is not None else "<computed>"
        self._file(call, f"{name}(mode={shown!r})", access, call.args[:1], evasive)

    def _file(
        self,
        node: ast.AST,
        api: str,
        access: str,
        paths: list[ast.expr],
        evasive: bool,
        receiver: ast.expr | None = None,
    ) -> None:
        nodes = [receiver] if receiver is not None else list(paths[:2])
        if isinstance(node, ast.Call):
            nodes += [k.value for k in node.keywords if k.arg in ("file", "path", "src", "dst")]
        rendered = [render(self.unit, n) for n in nodes]
        sensitive = any(is_sensitive_path(r) for r in rendered)
        shown = next(
            (r for r in rendered if is_sensitive_path(r)), rendered[0] if rendered else None
        )
        target = None if shown in (None, UNKNOWN) else shown
        self.use(
            node, "filesystem", access, api, target=target, sensitive=sensitive, evasive=evasive
        )

    def _path_expr(self, node: ast.expr, depth: int = 0) -> bool:
        if depth > 6:
            return False
        if isinstance(node, ast.Call):
            resolved = self.unit.names.resolve(node.func)
            if resolved is not None and resolved.name in t.PATH_MAKERS:
                return True
            func = node.func
            return isinstance(func, ast.Attribute) and self._path_expr(func.value, depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._path_expr(node.left, depth + 1)
        if isinstance(node, ast.Attribute) and node.attr in ("parent", "parents"):
            return self._path_expr(node.value, depth + 1)
        if isinstance(node, ast.Name) and (value := self.unit.assigned.get(node.id)) is not None:
            return self._path_expr(value, depth + 1)
        return False

    def _method(self, call: ast.Call) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        attr, receiver, modules = func.attr, func.value, self.unit.modules
        if attr in t.PATH_READ or attr in t.PATH_WRITE or attr == "open":
            pathlike = self._path_expr(receiver)
            if pathlike or (attr in t.PATH_DISTINCTIVE and "pathlib" in modules):
                if attr == "open":
                    mode = self.unit.names.fold(call.args[0]) if call.args else "r"
                    access = WRITE if mode is None or _WRITE_MODE & set(mode) else READ
                else:
                    access = READ if attr in t.PATH_READ else WRITE
                self._file(call, f"Path.{attr}()", access, [], False, receiver=receiver)
        elif attr in ("listen", "bind") and "socket" in modules:
            self.use(call, "network", INBOUND, f"socket .{attr}()")
        elif modules & {"mcp", "fastmcp"} and (
            attr in t.LISTENING_RUNNERS or (attr == "run" and self._listening(call))
        ):
            self.use(call, "network", INBOUND, f"MCP server .{attr}() on an HTTP transport")

    def _listening(self, call: ast.Call) -> bool:
        transport = next((k.value for k in call.keywords if k.arg == "transport"), None)
        if transport is None and call.args:
            transport = call.args[0]
        value = self.unit.names.fold(transport) if transport is not None else None
        return value in t.LISTENING_TRANSPORTS

    # -- processes -----------------------------------------------------------------------
    def _spawn(self, call: ast.Call, name: str, evasive: bool) -> None:
        access, api, target = spawn_use(self.unit, call, name)
        self.use(call, "subprocess", access, api, target=target, evasive=evasive)


def python_uses(unit: PyUnit, phase: Callable[[ast.AST], Phase]) -> tuple[list[Use], list[Opaque]]:
    """Every capability use, and every opaque construct, in one module."""
    return _Detector(unit, phase).run()
