"""CD-02: the declaration itself, server.mcp_config, and the example servers.

MTF: "Execution configuration (server, mcp_config) MUST NOT enable behavior
outside declared permissions"; "Manifest MUST declare permissions" (L2).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from cd02_support import CD02, evaluate, rules, undeclared, uses
from helpers import manifest, mtf_block
from issue6_fixtures import MCP_CONFIG_CASES, MCP_CONFIG_QUIET, with_config

from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.result import Severity, Status

PLAIN = {"server.py": "print('hello')\n"}


# --- the declaration ---------------------------------------------------------------------


def test_cd02_missing_permissions_blocks_l2_and_compares_with_none(tmp_path: Path) -> None:
    raw = manifest()
    del mtf_block(raw)["permissions"]
    code = "import subprocess\nsubprocess.run(['git', 'log'])\n"
    outcome = evaluate(tmp_path, {"server.py": code}, raw)
    assert rules(outcome) == ["permissions-missing", "undeclared-subprocess"]
    missing = outcome.findings[0]
    assert (missing.severity, missing.blocks_at) == (Severity.HIGH, 2)
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL
    assert outcome.details["observed"]["subprocess"] == "restricted"


def test_cd02_declared_permissions_without_code_pass(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, PLAIN, filesystem="read", network="full")
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["declared_not_observed"] == ["filesystem", "network"]


def test_cd02_unknown_permission_value_is_reported_and_means_none(tmp_path: Path) -> None:
    code = "import requests\nrequests.get('https://x')\n"
    outcome = evaluate(tmp_path, {"server.py": code}, network="yes")
    assert rules(outcome) == ["permission-value-invalid", "undeclared-network-init"]
    assert outcome.details["declared"]["network"] == "none"


def test_cd02_unreadable_manifest_is_a_missing_declaration(tmp_path: Path) -> None:
    ctx_outcome = CD02.evaluate(_ctx(tmp_path, {"manifest.json": "{", "server.py": ""}))
    assert rules(ctx_outcome) == ["permissions-missing"]
    assert ctx_outcome.status_at(2) is Status.FAIL


def _ctx(tmp_path: Path, files: dict[str, str]) -> ScanContext:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return ScanContext(tmp_path, sorted(files), kind="directory", options=ScanOptions())


# --- server.mcp_config ------------------------------------------------------------------


@pytest.mark.parametrize(("config", "expected", "declared_ok"), MCP_CONFIG_CASES)
def test_cd02_mcp_config_must_not_enable_undeclared_behaviour(
    tmp_path: Path,
    config: dict[str, Any],
    expected: tuple[str, str, int],
    declared_ok: dict[str, str],
) -> None:
    outcome = evaluate(tmp_path, PLAIN, with_config(**config))
    assert undeclared(outcome) == [expected]
    finding = next(f for f in outcome.findings if f.rule == expected[0])
    assert finding.file == "manifest.json" and finding.line is not None
    assert {u["phase"] for u in outcome.details["uses"]} == {"initialization"}
    assert evaluate(tmp_path, PLAIN, with_config(**config), **declared_ok).findings == []


def test_cd02_mcp_config_quiet_cases(tmp_path: Path) -> None:
    for config in MCP_CONFIG_QUIET:
        outcome = evaluate(tmp_path, PLAIN, with_config(**config))
        assert outcome.findings == [], config


def test_cd02_sensitive_user_config_makes_any_variable_a_secret(tmp_path: Path) -> None:
    raw = with_config(command="python", args=["s.py"], env={"CONN": "${user_config.db}"})
    raw["user_config"] = {"db": {"type": "string", "title": "DB", "sensitive": True}}
    outcome = evaluate(tmp_path, PLAIN, raw)
    assert undeclared(outcome) == [("undeclared-environment-secret", "high", 2)]
    raw["user_config"]["db"]["sensitive"] = False
    assert undeclared(evaluate(tmp_path, PLAIN, raw)) == [("undeclared-environment", "info", None)]


def test_cd02_binary_server_is_native(tmp_path: Path) -> None:
    raw = manifest()
    raw["server"] = {"type": "binary", "entry_point": "bin/srv",
                     "mcp_config": {"command": "${__dirname}/bin/srv"}}  # fmt: skip
    outcome = evaluate(tmp_path, {"bin/srv": b"\x7fELF\x02\x01"}, raw)
    # server.type in manifest.json, and the ELF file itself
    assert undeclared(outcome) == [("undeclared-native", "critical", 2)] * 2
    assert sorted(f.file or "" for f in outcome.findings) == ["bin/srv", "manifest.json"]


# --- the example servers ------------------------------------------------------------------


def _packed(root: Path) -> ScanContext:
    collection = collect_files(root, IgnoreRules.for_tree(root))
    return ScanContext(
        root, [e.arcname for e in collection], kind="directory", options=ScanOptions()
    )


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_cd02_example_sources_pass_with_their_declared_permissions(
    examples_dir: Path, example: str
) -> None:
    outcome = CD02.evaluate(_packed(examples_dir / example))
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["files_analysed"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("example", ["python_example_tree", "node_example_tree"])
def test_cd02_cd01_example_trees_with_vendored_dependencies(
    example: str, request: pytest.FixtureRequest
) -> None:
    from mtf_action.scan.controls.cd01_tools import ToolDeclaration

    ctx = _packed(request.getfixturevalue(example))
    started = time.monotonic()
    cd02 = CD02.evaluate(ctx)
    cd01 = ToolDeclaration().evaluate(ctx)
    elapsed = time.monotonic() - started
    assert cd02.findings == [] and cd01.findings == []
    observed = cd02.details["observed"]
    if example == "python_example_tree":
        # pydantic-core, rpds-py, cryptography, cffi: compiled wheels in deps/ (README).
        assert observed["native"] == "required"
        assert len(uses(cd02, "native")) >= 4
        # Declared for what FastMCP's settings loader does inside the SDK, not the server's code.
        assert set(cd02.details["declared_not_observed"]) == {"filesystem", "environment"}
    else:
        assert observed == dict.fromkeys(observed, "none")
    assert max(ctx.reads.values(), default=0) <= 1
    assert elapsed < 30, f"CD-01 + CD-02 took {elapsed:.1f}s on {len(ctx.files)} files"


@pytest.mark.slow
def test_cd02_python_example_without_native_declaration_blocks(python_example_tree: Path) -> None:
    """The manifest's native: required is needed: without it, the vendored wheels block."""
    ctx = _packed(python_example_tree)
    raw = ctx.manifest_view()[0].raw
    mtf_block(raw)["permissions"]["native"] = "none"
    outcome = CD02.evaluate(ctx)
    assert undeclared(outcome) == [("undeclared-native", "critical", 2)]
    assert "pydantic_core" in outcome.findings[0].description
