"""CD-01 Tool Declaration (MTF-0.1 section 3.5): what can be checked from the manifest alone.

"Implemented tool not in manifest" needs the running server and is not part of
manifest validation.
"""

from __future__ import annotations

from typing import Any

from mtf_action.manifest.findings import CD01, Findings
from mtf_action.manifest.schema_issues import json_type, show
from mtf_action.models.manifest_report import Severity


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def check_tools(raw: dict[str, Any], level: int, findings: Findings) -> None:
    if raw.get("tools_generated") is True:
        findings.add(
            "tools-generated",
            Severity.INFO,
            "/tools_generated",
            "the server generates tools at run time beyond those declared; "
            "CD-01 can only check the declared ones here",
            control=CD01,
        )
    if "tools" not in raw:
        findings.add_missing(
            "/tools",
            "tools is missing: CD-01 requires the manifest to declare every tool "
            "(an empty list when there are none)",
            'add "tools": [{"name": "...", "description": "..."}]',
            code="tools-missing",
            control=CD01,
        )
        return
    tools = raw["tools"]
    if not isinstance(tools, list):
        findings.add(
            "tools-invalid",
            Severity.BLOCK,
            "/tools",
            f"tools must be an array of tool declarations, not {json_type(tools)}",
            control=CD01,
        )
        return
    if not tools and raw.get("tools_generated") is not True:
        findings.add(
            "tools-empty", Severity.INFO, "/tools", "the manifest declares no tools", control=CD01
        )
    # CD-01 severity table: description WARN at L1, BLOCK at L2+.
    no_description = Severity.WARN if level < 2 else Severity.BLOCK
    for i, tool in enumerate(tools):
        here = f"/tools/{i}"
        if not isinstance(tool, dict):
            findings.add(
                "tool-invalid",
                Severity.BLOCK,
                here,
                f"a tool declaration must be an object, not {json_type(tool)}",
                control=CD01,
            )
            continue
        name = tool.get("name")
        if _blank(name):
            findings.add_missing(
                f"{here}/name",
                "tool has no name"
                if name is None
                else f"tool name {show(name)} is empty"
                if isinstance(name, str)
                else f"tool name must be a string, not {json_type(name)}",
                "give every tool its MCP name (snake_case recommended)",
                code="tool-name-missing",
                control=CD01,
            )
        if _blank(tool.get("description")):
            label = f"tool {show(name)}" if not _blank(name) else f"tool #{i}"
            findings.add(
                "tool-description-missing",
                no_description,
                f"{here}/description",
                f"{label} has no description (CD-01: WARN at L1, BLOCK at L2 and above)",
                "describe what the tool does, in one plain sentence",
                control=CD01,
            )
