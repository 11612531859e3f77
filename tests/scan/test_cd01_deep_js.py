"""CD-01 deep analysis, JavaScript/TypeScript: McpServer, low-level Server, FastMCP-TS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import make_ctx, manifest

from mtf_action.scan.controls.cd01_tools import ToolDeclaration
from mtf_action.scan.result import ControlOutcome, Severity, Status

CD01 = ToolDeclaration()


def declared(*names: str, **extra: Any) -> dict[str, Any]:
    node = {
        "type": "node",
        "entry_point": "server/index.js",
        "mcp_config": {"command": "node", "args": ["${__dirname}/server/index.js"]},
    }
    tools = [{"name": n, "description": f"{n} tool"} for n in names]
    return manifest(tools=tools, server=node, **extra)


def run(tmp_path: Path, files: dict[str, str | bytes], *names: str) -> ControlOutcome:
    return CD01.evaluate(make_ctx(tmp_path, files, declared(*names)))


def rules(outcome: ControlOutcome) -> list[str]:
    return sorted(f.rule for f in outcome.findings)


def found(outcome: ControlOutcome) -> list[str]:
    names: list[str] = outcome.details["tools_found"]
    return names


MCPSERVER = """
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
const server = new McpServer({ name: "demo", version: "1.0.0" });
const PREFIX = "notes";
server.tool("echo", { text: z.string() }, async ({ text }) => ({ content: [] }));
server.tool("ping", "Answers pong", async () => ({ content: [] }));
server.registerTool(`${PREFIX}_add`, { description: "adds" }, async () => ({ content: [] }));
server["register" + "Tool"]("bracketed", { description: "b" }, async () => ({ content: [] }));
"""
MCPSERVER_NAMES = ("echo", "ping", "notes_add", "bracketed")


def test_cd01_js_mcpserver_styles_all_declared_pass(tmp_path: Path) -> None:
    outcome = run(tmp_path, {"server/index.js": MCPSERVER}, *MCPSERVER_NAMES)
    assert found(outcome) == sorted(MCPSERVER_NAMES)
    assert rules(outcome) == []
    assert outcome.status_at(4) is Status.PASS


def test_cd01_js_undeclared_tool_warns_l1_blocks_l2(tmp_path: Path) -> None:
    outcome = run(tmp_path, {"server/index.js": MCPSERVER}, "echo", "ping", "notes_add")
    (finding,) = outcome.findings
    assert finding.rule == "tool-not-declared" and "bracketed" in finding.title
    assert (finding.file, finding.line) == ("server/index.js", 9)
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


LOWLEVEL = """
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { EXTRA_TOOLS } from "./tools.js";

const server = new Server({ name: "x", version: "1" }, { capabilities: { tools: {} } });
const READ_TOOL = { name: "read_item", description: "r", inputSchema: { type: "object" } };
const TABLE = { a: { name: "table_a" }, b: { name: "table_b" } };

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [READ_TOOL, { name: "write_item", inputSchema: {} }, ...EXTRA_TOOLS, ...Object.values(TABLE)],
}));

async function handleCall(request) {
  switch (request.params.name) {
    case "read_item": return { content: [] };
    case "write_item": return { content: [] };
    %s
    default: throw new Error("unknown tool");
  }
}
server.setRequestHandler(CallToolRequestSchema, handleCall);
"""
TOOLS_MODULE = 'export const EXTRA_TOOLS = [{ name: "from_module", inputSchema: {} }];\n'
LOWLEVEL_NAMES = ("read_item", "write_item", "from_module", "table_a", "table_b")


def test_cd01_js_lowlevel_list_handler_and_dispatch_pass(tmp_path: Path) -> None:
    files = {"server/index.js": LOWLEVEL % "", "server/tools.js": TOOLS_MODULE}
    outcome = run(tmp_path, files, *LOWLEVEL_NAMES)
    assert found(outcome) == sorted(LOWLEVEL_NAMES)
    assert rules(outcome) == []


def test_cd01_js_hidden_switch_case_blocks_l2(tmp_path: Path) -> None:
    hidden = 'case "run_" + "shell": return { content: [] };'
    files = {"server/index.js": LOWLEVEL % hidden, "server/tools.js": TOOLS_MODULE}
    outcome = run(tmp_path, files, *LOWLEVEL_NAMES)
    assert rules(outcome) == ["tool-not-declared"]
    assert "run_shell" in outcome.findings[0].title
    assert outcome.status_at(2) is Status.FAIL


TYPESCRIPT = """
import { FastMCP } from "fastmcp";
import { z } from "zod";
const server = new FastMCP({ name: "ts", version: "1.0.0" });
const NAME: string = "typed_tool";
server.addTool({
  name: NAME as string,
  description: "d",
  parameters: z.object({ q: z.string() }),
  execute: async (args) => "ok",
});
const remote: Array<{ name: string }> = await loadRemote();
for (const spec of remote) {
  server.addTool({ name: spec.name, description: "remote", execute: async () => "r" });
}
"""


def test_cd01_ts_fastmcp_and_dynamic_names(tmp_path: Path) -> None:
    outcome = run(tmp_path, {"src/server.ts": TYPESCRIPT}, "typed_tool")
    assert found(outcome) == ["typed_tool"]
    (finding,) = outcome.findings
    assert finding.rule == "tool-name-unresolved"
    assert finding.severity is Severity.INFO
    assert "spec.name" in finding.description
    assert outcome.status_at(4) is Status.PASS


def test_cd01_js_dynamic_list_is_unresolved_not_undeclared(tmp_path: Path) -> None:
    code = (
        LOWLEVEL.replace(
            'tools: [READ_TOOL, { name: "write_item", inputSchema: {} }, ...EXTRA_TOOLS, '
            "...Object.values(TABLE)],",
            "tools: registry.map((t) => ({ name: t.id })),",
        )
        % ""
    )
    outcome = run(tmp_path, {"server/index.js": code}, "read_item", "write_item")
    assert rules(outcome) == ["tool-name-unresolved"]
    assert found(outcome) == ["read_item", "write_item"]  # from the dispatch
