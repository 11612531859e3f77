"""Capabilities script code exercises (MTF CD-02), from its tree-sitter tree.

Calls and ``new`` expressions are matched by the name their callee resolves to
(:mod:`.js_tables`); module loads (``import``, ``require``, ``import()``) by
the module they load -- a native addon (``*.node``, ``bindings``, ``koffi``...)
is native code, a computed module name is opaque, as is ``cp[<computed>]`` on a
dangerous module. ``.listen()`` in a script using a server framework opens a
port. The environment is :mod:`.js_env`'s business. Each use carries its
phase (:mod:`.js_phase`).
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from mtf_action.scan.capabilities import js_tables as t
from mtf_action.scan.capabilities.js_env import environment_uses
from mtf_action.scan.capabilities.js_phase import method_name
from mtf_action.scan.capabilities.js_render import render
from mtf_action.scan.capabilities.js_unit import JsUnit, arguments, child, unwrap
from mtf_action.scan.capabilities.model import (
    FULL,
    INBOUND,
    OUTBOUND,
    READ,
    REQUIRED,
    RESTRICTED,
    WRITE,
    Opaque,
    Phase,
    Use,
    UseRecorder,
)
from mtf_action.scan.capabilities.patterns import UNKNOWN, is_sensitive_path, is_shell, program_name
from mtf_action.scan.capabilities.py_tables import INLINE_CODE_FLAGS, INTERPRETERS

_WRITE_FLAGS = frozenset("wa+")


class _Detector(UseRecorder[Node]):
    def __init__(self, unit: JsUnit, phase: Callable[[Node], Phase]) -> None:
        super().__init__()
        self.unit, self.phase = unit, phase
        self.modules: set[str] = set()

    def _where(self, node: Node) -> tuple[str, int | None, Phase]:
        return self.unit.path, self.unit.line(node), self.phase(node)

    def run(self) -> tuple[list[Use], list[Opaque]]:
        for node in self.unit.nodes:
            if node.type == "import_statement":
                source = child(node, "source")
                module = self.unit.names.fold(source) if source is not None else None
                if module is not None:
                    self._module(node, module.removeprefix("node:"), False)
        for node in self.unit.nodes:
            if node.type in ("call_expression", "new_expression"):
                self._call(node)
            elif node.type == "subscript_expression":
                self._computed_member(node)
        self.uses.extend(environment_uses(self.unit, self.phase))
        return self.uses, self.opaque

    def _module(self, node: Node, module: str, evasive: bool) -> None:
        self.modules.add(module)
        if module.endswith(".node") or module in t.NATIVE_MODULES:
            self.use(node, "native", REQUIRED, f"load {module}", target=module, evasive=evasive)
        elif module in ("dotenv/config", "dotenv/config.js"):
            self._dotenv(node)

    def _dotenv(self, node: Node) -> None:
        self.use(node, "filesystem", READ, "dotenv", target=".env")
        self.use(node, "environment", WRITE, "dotenv", target="<whole environment>")

    def _call(self, node: Node) -> None:
        callee = (
            child(node, "function")
            if node.type == "call_expression"
            else child(node, "constructor")
        )
        if callee is None:
            return
        callee = unwrap(callee)
        if callee.type == "import" or self._loader(callee):
            args = arguments(node)
            module = self.unit.names.fold(unwrap(args[0])) if args else None
            if module is None:
                self.opaque.append(
                    Opaque(
                        f"{self.unit.text(callee)}() of a computed module name",
                        self.unit.path,
                        self.unit.line(node),
                        self.phase(node),
                    )
                )
            else:
                self._module(node, module.removeprefix("node:"), args[0].type != "string")
            return
        holder = child(callee, "object") if callee.type == "member_expression" else None
        # this.request(...) is a method of the object, not the `request` package
        resolved = (
            None
            if holder is not None and holder.type in ("this", "super")
            else (self.unit.names.resolve(callee))
        )
        known = resolved is not None and (
            not resolved.name.startswith("~") or resolved.name.startswith(("~Bun.", "~Deno."))
        )
        if known and resolved and self._named(node, t.canonical(resolved.name), resolved.evasive):
            return
        if method_name(self.unit, node) == "listen" and self.modules & t.SERVER_MODULES:
            self.use(node, "network", INBOUND, ".listen()")

    def _loader(self, callee: Node) -> bool:
        resolved = self.unit.names.resolve(callee)
        return (resolved is not None and resolved.name in t.LOADERS) or (
            callee.type == "member_expression" and self.unit.text(callee).endswith(".require")
        )

    def _named(self, node: Node, name: str, evasive: bool) -> bool:
        module, _, member = name.rpartition(".")
        if name in t.NATIVE_CALLS:
            self.use(node, "native", REQUIRED, name, evasive=evasive)
        elif name == "dotenv.config":
            self._dotenv(node)
        elif name in t.NET_IN or name.endswith(t.NET_IN_SUFFIXES):
            self.use(node, "network", INBOUND, name, evasive=evasive)
        elif (
            name in t.NET_OUT
            or name.endswith(t.NET_OUT_SUFFIXES)
            or name.split(".")[0] in t.NET_OUT_MODULES
            or (name.startswith("@") and "/".join(name.split("/")[:2]) in t.NET_OUT_MODULES)
        ):
            self.use(node, "network", OUTBOUND, name, target=self._arg(node, 0), evasive=evasive)
        elif module in ("fs", "fs.promises") and member in t.FS_READ | t.FS_WRITE | t.FS_OPEN:
            self._file(node, name, member, evasive)
        elif name in t.FS_RUNTIME_READ or name in t.FS_RUNTIME_WRITE:
            access = READ if name in t.FS_RUNTIME_READ else WRITE
            self._file_use(node, name, access, evasive)
        elif name in t.SHELL_RUNNERS or name in t.ARGV_RUNNERS or name in t.NODE_RUNNERS:
            self._spawn(node, name, evasive)
        else:
            return False
        return True

    def _arg(self, node: Node, index: int) -> str | None:
        args = arguments(node)
        if index >= len(args):
            return None
        rendered = render(self.unit, args[index])
        return None if rendered == UNKNOWN else rendered

    # -- filesystem ----------------------------------------------------------------------
    def _file(self, node: Node, name: str, member: str, evasive: bool) -> None:
        if member in t.FS_OPEN:
            flags = self._arg(node, 1) or "r"
            access = WRITE if _WRITE_FLAGS & set(flags) else READ
        else:
            access = READ if member in t.FS_READ else WRITE
        self._file_use(node, name, access, evasive)

    def _file_use(self, node: Node, name: str, access: str, evasive: bool) -> None:
        rendered = [render(self.unit, a) for a in arguments(node)[:2]]
        sensitive = [r for r in rendered if is_sensitive_path(r)]
        shown = sensitive[0] if sensitive else (rendered[0] if rendered else None)
        target = None if shown in (None, UNKNOWN) else shown
        self.use(
            node,
            "filesystem",
            access,
            name,
            target=target,
            sensitive=bool(sensitive),
            evasive=evasive,
        )

    # -- processes -----------------------------------------------------------------------
    def _spawn(self, node: Node, name: str, evasive: bool) -> None:
        args = arguments(node)
        if name in t.SHELL_RUNNERS:
            self.use(
                node,
                "subprocess",
                FULL,
                f"{name} (shell)",
                target=self._arg(node, 0),
                evasive=evasive,
            )
            return
        program = render(self.unit, args[0]) if args else UNKNOWN
        argv = [program]
        if len(args) > 1 and unwrap(args[1]).type == "array":
            argv += [render(self.unit, a) for a in unwrap(args[1]).named_children]
        shell = any(self._shell_option(unwrap(a)) for a in args[1:])
        if name in t.NODE_RUNNERS:
            full = UNKNOWN in program
        else:
            interpreter = program_name(program).rstrip("0123456789.") in INTERPRETERS
            inline = interpreter and any(a in INLINE_CODE_FLAGS for a in argv[1:])
            full = shell or UNKNOWN in program or is_shell(program) or inline
        api = f"{name} (shell: true)" if shell else name
        self.use(
            node,
            "subprocess",
            FULL if full else RESTRICTED,
            api,
            target=" ".join(argv),
            evasive=evasive,
        )

    def _shell_option(self, options: Node) -> bool:
        if options.type != "object":
            return False
        for pair in options.named_children:
            key, value = child(pair, "key"), child(pair, "value")
            named = key is not None and self.unit.text(key).strip("'\"") == "shell"
            if pair.type == "pair" and named and value is not None:
                return self.unit.text(value) not in ("false", "undefined", "null", "0", "''")
        return False

    def _computed_member(self, node: Node) -> None:
        obj, index = child(node, "object"), child(node, "index")
        if obj is None or index is None or self.unit.names.fold(index) is not None:
            return
        base = self.unit.names.resolve(obj)
        if base is not None and t.canonical(base.name) in t.RISKY_MODULES:
            self.opaque.append(
                Opaque(
                    f"{base.name}[<computed>]",
                    self.unit.path,
                    self.unit.line(node),
                    self.phase(node),
                )
            )


def script_uses(unit: JsUnit, phase: Callable[[Node], Phase]) -> tuple[list[Use], list[Opaque]]:
    """Every capability use, and every opaque construct, in one script."""
    return _Detector(unit, phase).run()
