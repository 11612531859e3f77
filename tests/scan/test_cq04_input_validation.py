"""CQ-04 Input Validation: tool handlers take typed, validated input (FastMCP, SDKs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cq_expectations import expected, fixture, observed
from helpers import make_ctx

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.cq04_input_validation import InputValidation
from mtf_action.scan.result import ControlOutcome, Severity, Status


def _run(tmp_path: Path, files: dict[str, str | bytes]) -> ControlOutcome:
    return InputValidation().evaluate(make_ctx(tmp_path, files))


def _validation(outcome: ControlOutcome) -> dict[str, str]:
    return {h["tool"]: h["validation"] for h in outcome.details["handlers"]}


@pytest.mark.parametrize("name", ["fastmcp.py.txt", "lowlevel.py.txt", "handlers.ts"])
def test_cq04_fixture_findings(tmp_path: Path, name: str) -> None:
    path, text = fixture("cq04", name)
    outcome = _run(tmp_path, {path: text})
    assert observed(outcome) == expected(text)


def test_cq04_fastmcp_classification(tmp_path: Path) -> None:
    path, text = fixture("cq04", "fastmcp.py.txt")
    outcome = _run(tmp_path, {path: text})
    assert _validation(outcome) == {
        "typed": "typed",
        "untyped_dict": "none",
        "aliased": "none",
        "half": "partial",
        "varargs": "none",
        "checked_in_body": "typed",
        "no_input": "typed",
        "registered": "partial",
    }


def test_cq04_typescript_classification(tmp_path: Path) -> None:
    path, text = fixture("cq04", "handlers.ts")
    outcome = _run(tmp_path, {path: text})
    assert [(h["tool"], h["validation"]) for h in outcome.details["handlers"]] == [
        ("ping", "typed"),
        ("search", "typed"),
        ("shared", "typed"),
        ("add", "typed"),
        ("obj", "typed"),
        ("none", "typed"),
        ("loose", "partial"),
        ("anything", "none"),
        ("CallTool", "none"),
        ("CallTool", "typed"),
        ("CallTool", "typed"),
    ]


def test_cq04_unvalidated_handler_warns_at_l3_and_blocks_at_l4(tmp_path: Path) -> None:
    text = (
        "from mcp.server.fastmcp import FastMCP\n"
        "mcp = FastMCP('x')\n"
        "@mcp.tool()\n"
        "def get_weather(input: dict) -> str:\n"
        "    return input.get('location')\n"
    )
    outcome = _run(tmp_path, {"server.py": text})
    [finding] = outcome.findings
    assert (finding.rule, finding.severity, finding.blocks_at, finding.line) == (
        "no-input-validation",
        Severity.MEDIUM,
        4,
        4,
    )
    assert outcome.status_at(3) is Status.WARN
    assert outcome.status_at(4) is Status.FAIL


def test_cq04_spec_good_example_passes(tmp_path: Path) -> None:
    text = (
        "from typing import Literal\n"
        "from pydantic import BaseModel\n"
        "from fastmcp import FastMCP\n"
        "mcp = FastMCP('weather')\n"
        "class GetWeatherInput(BaseModel):\n"
        "    location: str\n"
        "    units: Literal['celsius', 'fahrenheit'] = 'celsius'\n"
        "@mcp.tool\n"
        "def get_weather(input: GetWeatherInput) -> str:\n"
        "    return input.location\n"
    )
    outcome = _run(tmp_path, {"server.py": text})
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["validated"] == 1


def test_cq04_partial_validation_only_warns(tmp_path: Path) -> None:
    text = (
        "from typing import Any\n"
        "from mcp.server.fastmcp import FastMCP\n"
        "mcp = FastMCP('x')\n"
        "@mcp.tool()\n"
        "def search(query: str, filters: Any = None) -> str:\n"
        "    return query\n"
    )
    outcome = _run(tmp_path, {"server.py": text})
    assert [(f.rule, f.blocks_at) for f in outcome.findings] == [("partial-input-validation", None)]
    assert outcome.status_at(4) is Status.WARN


def test_cq04_handlers_in_tests_and_dependencies_are_not_the_servers(tmp_path: Path) -> None:
    bad = "from mcp.server.fastmcp import FastMCP\nm = FastMCP('x')\n@m.tool()\ndef f(a): ...\n"
    outcome = _run(tmp_path, {"deps/pkg/tools.py": bad, "tests/test_tools.py": bad})
    assert outcome.status_at(3) is Status.SKIP
    assert outcome.skipped is not None and "no MCP tool handler" in outcome.skipped


def test_cq04_no_handlers_is_skip(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"server/util.py": "def helper(x):\n    return x\n"})
    assert outcome.status_at(3) is Status.SKIP


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_cq04_example_servers_validate_every_tool(examples_dir: Path, example: str) -> None:
    root = examples_dir / example
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    outcome = InputValidation().evaluate(
        ScanContext(root, files, kind="directory", options=ScanOptions())
    )
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    tools = {h["tool"] for h in outcome.details["handlers"]}
    assert tools == (
        {"convert_units", "list_units"}
        if example == "python-units"
        else {"add_note", "list_notes", "search_notes"}
    )
