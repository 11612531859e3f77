"""CD-01 deep analysis, Python: the tools the code registers against the declared ones.

Each registration style of FastMCP, fastmcp and the low-level SDK has a fixture
whose tools are declared (negative: no warning) and one with a tool left out of
the manifest (positive: "implemented but not declared", WARN at L1, BLOCK at L2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx
from issue6_fixtures import (
    DYNAMIC,
    EVASIVE,
    FASTMCP,
    FASTMCP2,
    FASTMCP_ECHO,
    FASTMCP_NAMES,
    LOWLEVEL,
    LOWLEVEL_HIDDEN,
    TABLES_FILES,
    TABLES_NAMES,
    declared,
)

from mtf_action.scan.controls.cd01_tools import ToolDeclaration
from mtf_action.scan.result import ControlOutcome, Severity, Status

CD01 = ToolDeclaration()


def run(tmp_path: Path, code: str, *names: str, **extra: Any) -> ControlOutcome:
    return CD01.evaluate(make_ctx(tmp_path, {"server.py": code}, declared(*names, **extra)))


def rules(outcome: ControlOutcome) -> list[str]:
    return sorted(f.rule for f in outcome.findings)


def found(outcome: ControlOutcome) -> list[str]:
    names: list[str] = outcome.details["tools_found"]
    return names


def test_cd01_fastmcp_registration_styles_all_declared_pass(tmp_path: Path) -> None:
    outcome = run(tmp_path, FASTMCP, *FASTMCP_NAMES)
    assert found(outcome) == sorted(FASTMCP_NAMES)
    assert rules(outcome) == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["compared"] is True


def test_cd01_undeclared_fastmcp_tool_warns_l1_blocks_l2(tmp_path: Path) -> None:
    outcome = run(tmp_path, FASTMCP, *[n for n in FASTMCP_NAMES if n != "bare"])
    (finding,) = outcome.findings
    assert finding.rule == "tool-not-declared"
    assert finding.severity is Severity.HIGH
    assert (finding.file, finding.line) == ("server.py", 14)
    assert finding.blocks_at == 2
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL
    assert outcome.details["undeclared"] == ["bare"]


def test_cd01_declared_tool_not_found_warns(tmp_path: Path) -> None:
    outcome = run(tmp_path, FASTMCP_ECHO, "echo", "ghost")
    (finding,) = outcome.findings
    assert (finding.rule, finding.severity, finding.blocks_at) == (
        "declared-tool-not-found",
        Severity.LOW,
        None,
    )
    assert finding.file == "manifest.json" and finding.line is not None
    assert outcome.status_at(4) is Status.WARN


def test_cd01_lowlevel_list_and_dispatch_match_pass(tmp_path: Path) -> None:
    outcome = run(tmp_path, LOWLEVEL % "", "search", "fetch")
    assert found(outcome) == ["fetch", "search"]
    assert rules(outcome) == []
    styles = {r["style"] for r in outcome.details["registrations"]}
    assert styles == {"Tool(...)", "call_tool dispatch"}


def test_cd01_lowlevel_hidden_dispatched_tool_blocks_l2(tmp_path: Path) -> None:
    """Answered by call_tool but never listed nor declared: callable by anyone who knows it."""
    outcome = run(tmp_path, LOWLEVEL % LOWLEVEL_HIDDEN, "search", "fetch")
    assert rules(outcome) == ["tool-not-declared"]
    assert "dump_secrets" in outcome.findings[0].title
    assert outcome.status_at(2) is Status.FAIL


def test_cd01_names_resolved_through_tables_loops_and_modules(tmp_path: Path) -> None:
    outcome = CD01.evaluate(make_ctx(tmp_path, TABLES_FILES, declared(*TABLES_NAMES)))
    assert found(outcome) == sorted(TABLES_NAMES)
    assert rules(outcome) == []


def test_cd01_aliased_and_getattr_registrations_are_found(tmp_path: Path) -> None:
    outcome = run(tmp_path, EVASIVE, "one", "two", "three")
    assert found(outcome) == ["four", "one", "three", "two"]
    assert rules(outcome) == ["tool-not-declared"]
    assert outcome.details["undeclared"] == ["four"]


def test_cd01_dynamic_names_are_info_and_excuse_missing_declared(tmp_path: Path) -> None:
    outcome = run(tmp_path, DYNAMIC, "static_one", "from_remote")
    by_rule = {f.rule: f for f in outcome.findings}
    assert set(by_rule) == {"tool-name-unresolved", "declared-tool-not-found"}
    assert by_rule["tool-name-unresolved"].severity is Severity.INFO
    assert "spec.name" in by_rule["tool-name-unresolved"].description
    assert "tools_generated: true" in by_rule["tool-name-unresolved"].description
    # The declared tool may be one of the dynamic ones: a note, not a warning.
    assert by_rule["declared-tool-not-found"].severity is Severity.INFO
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["unresolved_registrations"] == 1


def test_cd01_tools_generated_covers_dynamic_registrations(tmp_path: Path) -> None:
    outcome = run(tmp_path, DYNAMIC, "static_one", tools_generated=True)
    # The manifest validator's own note on the flag, then the registration it covers.
    assert rules(outcome) == ["tool-name-unresolved", "tools-generated"]
    finding = next(f for f in outcome.findings if f.rule == "tool-name-unresolved")
    assert "manifest.json sets tools_generated: true" in finding.description
    assert outcome.status_at(4) is Status.PASS


def test_cd01_tools_generated_does_not_excuse_a_literal_undeclared_tool(tmp_path: Path) -> None:
    outcome = run(tmp_path, DYNAMIC, tools_generated=True)
    undeclared = [f for f in outcome.findings if f.rule == "tool-not-declared"]
    assert len(undeclared) == 1 and "static_one" in undeclared[0].title
    assert "tools_generated: true does not cover it" in undeclared[0].description
    assert outcome.status_at(2) is Status.FAIL


def test_cd01_tests_and_vendored_code_are_not_the_server(tmp_path: Path) -> None:
    code = (
        "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n@mcp.tool()\ndef echo(): ...\n"
    )
    stray = code.replace("echo", "stray")
    files = {"server.py": code, "tests/test_server.py": stray, "deps/pkg/x.py": stray}
    outcome = CD01.evaluate(make_ctx(tmp_path, files, declared("echo")))
    assert found(outcome) == ["echo"]
    assert rules(outcome) == []


def test_cd01_unparsable_server_file_is_reported(tmp_path: Path) -> None:
    files = {"server.py": "def broken(:\n", "ok.py": "X = 1\n"}
    outcome = CD01.evaluate(make_ctx(tmp_path, files, declared("echo")))
    assert "server-file-not-parsed" in rules(outcome)
    assert "declared-tool-not-found" in rules(outcome)


def test_cd01_without_server_code_says_it_did_not_compare(tmp_path: Path) -> None:
    outcome = CD01.evaluate(make_ctx(tmp_path, {"bin/server": b"\x7fELF..."}, declared("echo")))
    assert rules(outcome) == ["implemented-tools-not-compared"]
    assert outcome.details["compared"] is False


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_cd01_examples_have_exactly_their_declared_tools(examples_dir: Path, example: str) -> None:
    """Ground truth: tests/test_examples.py shows these are the tools tools/list returns."""
    import json

    from mtf_action.scan.context import ScanContext, ScanOptions

    root = examples_dir / example
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    ctx = ScanContext(root, files, kind="directory", options=ScanOptions())
    outcome = CD01.evaluate(ctx)
    tools = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["tools"]
    assert found(outcome) == sorted(t["name"] for t in tools)
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS


def test_cd01_fastmcp2_tool_objects_are_counted_once(tmp_path: Path) -> None:
    outcome = run(tmp_path, FASTMCP2, "made_tool", "fn", "direct")
    assert found(outcome) == ["direct", "fn", "made_tool"]
    assert rules(outcome) == []
    assert outcome.details["unresolved_registrations"] == 0
