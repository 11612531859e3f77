"""CD-01 deep analysis, JavaScript/TypeScript: McpServer, low-level Server, FastMCP-TS."""

from __future__ import annotations

from pathlib import Path

from helpers import make_ctx
from issue6_fixtures import (
    JS_LOWLEVEL,
    JS_LOWLEVEL_HIDDEN,
    JS_LOWLEVEL_NAMES,
    JS_TOOLS_MODULE,
    MCPSERVER,
    MCPSERVER_NAMES,
    TYPESCRIPT,
    declared_js,
)

from mtf_action.scan.controls.cd01_tools import ToolDeclaration
from mtf_action.scan.result import ControlOutcome, Severity, Status

CD01 = ToolDeclaration()


def run(tmp_path: Path, files: dict[str, str | bytes], *names: str) -> ControlOutcome:
    return CD01.evaluate(make_ctx(tmp_path, files, declared_js(*names)))


def rules(outcome: ControlOutcome) -> list[str]:
    return sorted(f.rule for f in outcome.findings)


def found(outcome: ControlOutcome) -> list[str]:
    names: list[str] = outcome.details["tools_found"]
    return names


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


def test_cd01_js_lowlevel_list_handler_and_dispatch_pass(tmp_path: Path) -> None:
    files = {"server/index.js": JS_LOWLEVEL % "", "server/tools.js": JS_TOOLS_MODULE}
    outcome = run(tmp_path, files, *JS_LOWLEVEL_NAMES)
    assert found(outcome) == sorted(JS_LOWLEVEL_NAMES)
    assert rules(outcome) == []


def test_cd01_js_hidden_switch_case_blocks_l2(tmp_path: Path) -> None:
    files = {
        "server/index.js": JS_LOWLEVEL % JS_LOWLEVEL_HIDDEN,
        "server/tools.js": JS_TOOLS_MODULE,
    }
    outcome = run(tmp_path, files, *JS_LOWLEVEL_NAMES)
    assert rules(outcome) == ["tool-not-declared"]
    assert "run_shell" in outcome.findings[0].title
    assert outcome.status_at(2) is Status.FAIL


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
        JS_LOWLEVEL.replace(
            'tools: [READ_TOOL, { name: "write_item", inputSchema: {} }, ...EXTRA_TOOLS, '
            "...Object.values(TABLE)],",
            "tools: registry.map((t) => ({ name: t.id })),",
        )
        % ""
    )
    outcome = run(tmp_path, {"server/index.js": code}, "read_item", "write_item")
    assert rules(outcome) == ["tool-name-unresolved"]
    assert found(outcome) == ["read_item", "write_item"]  # from the dispatch
