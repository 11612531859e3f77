"""The facts the capability detectors report: tool registrations and capability uses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Generic, TypeVar


class Category(enum.StrEnum):
    """MTF 4.3.2 permission categories."""

    FILESYSTEM = "filesystem"
    NETWORK = "network"
    ENVIRONMENT = "environment"
    SUBPROCESS = "subprocess"
    NATIVE = "native"


class Phase(enum.StrEnum):
    """When code runs (CD-02 "severity by context")."""

    INIT = "initialization"  # module level, imports, start-up, launch configuration
    RUNTIME = "runtime"  # inside tool (or other MCP request) handlers


# The access a use needs, per category; the words of MTF 4.3.2 where it has one.
READ, WRITE = "read", "write"
OUTBOUND, INBOUND = "outbound", "inbound"
RESTRICTED, FULL = "restricted", "full"
REQUIRED = "required"


@dataclass(frozen=True)
class Use:
    """One place where code (or the launch configuration) exercises a capability."""

    category: Category
    access: str  # READ/WRITE, OUTBOUND/INBOUND, RESTRICTED/FULL, REQUIRED
    api: str  # what does it: "requests.get", "open(mode='w')", "process.env.API_TOKEN"
    file: str
    line: int | None
    phase: Phase
    # A credential store path, a secret-like variable name or the whole environment.
    sensitive: bool = False
    target: str | None = None  # the path, variable or command, as far as it is known
    evasive: bool = False  # reached through getattr / __import__ / computed strings

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "category": self.category.value,
            "access": self.access,
            "api": self.api,
            "file": self.file,
            "line": self.line,
            "phase": self.phase.value,
        }
        if self.sensitive:
            data["sensitive"] = True
        if self.target is not None:
            data["target"] = self.target
        if self.evasive:
            data["evasive"] = True
        return data


@dataclass(frozen=True)
class Opaque:
    """Code whose capabilities cannot be known statically (a computed import, ...)."""

    what: str
    file: str
    line: int
    phase: Phase


@dataclass(frozen=True)
class ToolRef:
    """A tool the code registers, lists or dispatches (CD-01).

    ``name`` is None when it is computed at run time and could not be resolved.
    """

    name: str | None
    file: str
    line: int
    style: str  # "FastMCP @tool", "McpServer.registerTool", "list_tools Tool(...)", ...
    expression: str | None = None  # the unresolved name expression, for the report

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name,
            "file": self.file,
            "line": self.line,
            "style": self.style,
        }
        if self.expression is not None:
            data["expression"] = self.expression
        return data


N = TypeVar("N")


class UseRecorder(Generic[N]):
    """Collects the uses and unresolvable spots one detector finds.

    Shared by the Python (AST) and JavaScript (tree-sitter) detectors: they
    differ only in how a node maps to a file, a line and a phase.
    """

    def __init__(self) -> None:
        self.uses: list[Use] = []
        self.opaque: list[Opaque] = []

    def _where(self, node: N) -> tuple[str, int | None, Phase]:
        raise NotImplementedError

    def use(
        self,
        node: N,
        category: str,
        access: str,
        api: str,
        *,
        target: str | None = None,
        sensitive: bool = False,
        evasive: bool = False,
    ) -> None:
        path, line, phase = self._where(node)
        self.uses.append(
            Use(Category(category), access, api, path, line, phase, sensitive, target, evasive)
        )
