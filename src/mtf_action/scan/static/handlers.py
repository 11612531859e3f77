"""The tool handlers CQ-04 found, and how their input is validated."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Validation(enum.StrEnum):
    TYPED = "typed"  # every input goes through a typed schema before the handler body
    PARTIAL = "partial"  # some inputs are untyped, or only a generic schema check applies
    NONE = "none"  # no detectable validation


@dataclass(frozen=True)
class Handler:
    """One MCP tool handler in the server's code."""

    tool: str  # the tool's name when it is a constant, else the handler's name
    file: str
    line: int
    style: str  # how it is registered ("FastMCP @tool", "McpServer.registerTool", ...)
    validation: Validation
    detail: str  # what was found, for the report

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "file": self.file,
            "line": self.line,
            "style": self.style,
            "validation": self.validation.value,
            "detail": self.detail,
        }
