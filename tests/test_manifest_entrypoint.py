"""AI-01 step 4: server.entry_point and mcp_config name the same program (both ways)."""

from __future__ import annotations

from typing import Any

import pytest

from manifest_samples import check, l1_manifest
from mtf_action.manifest.entrypoint import decide, normalize
from mtf_action.models.manifest_report import Severity


@pytest.mark.parametrize(
    ("kind", "entry", "command", "args"),
    [
        ("node", "server/index.js", "node", ["${__dirname}/server/index.js", "--stdio"]),
        ("node", "./index.js", "node", ["${__dirname}/./index.js"]),
        ("node", "src/server.js", "node", ["src/server.js"]),
        ("python", "server/main.py", "python", ["${__dirname}/server/main.py", "--x=1"]),
        ("python", "weather/server.py", "python", ["-m", "weather.server"]),
        ("python", "src/pkg/server.py", "python", ["-m", "pkg.server"]),  # src/ on the path
        ("python", "src/pkg/__main__.py", "python", ["-m", "pkg"]),
        ("python", "mcp_echo.server", "python", ["-m", "mcp_echo.server"]),  # module entry
        ("python", "main.py", "uv", ["--directory", "${__dirname}", "run", "main.py"]),
        ("uv", "server/main.py", "uv", ["--directory", "${__dirname}", "run", "server/main.py"]),
        ("uv", "yandex-tracker-mcp", "uv", ["run", "yandex-tracker-mcp"]),
        ("binary", "bin/server", "${__dirname}/bin/server", ["stdio"]),
        ("binary", "bin/server", "${__dirname}/bin/server.exe", []),
    ],
)
def test_ai01_consistent(kind: str, entry: str, command: str, args: list[str]) -> None:
    verdict = decide(kind, entry, command, args)
    assert verdict is not None and verdict.state == "match", verdict


@pytest.mark.parametrize(
    ("kind", "entry", "command", "args", "where"),
    [
        ("node", "dist/index.js", "node", ["${__dirname}/dist/other.js"], "/args/0"),
        ("node", "dist/index.js", "node", ["--inspect", "build/index.mjs"], "/args/1"),
        ("python", "server.py", "python", ["-m", "weather.server"], "/args/1"),
        ("python", "src/app/__main__.py", "python3", ["${__dirname}/run.py"], "/args/0"),
        ("uv", "src/server.py", "uv", ["run", "src/other.py"], "/args/1"),
        ("binary", "bin/server", "${__dirname}/bin/other", [], "/command"),
    ],
)
def test_ai01_mismatch(kind: str, entry: str, command: str, args: list[str], where: str) -> None:
    verdict = decide(kind, entry, command, args)
    assert verdict is not None and verdict.state == "mismatch"
    assert verdict.where == where


@pytest.mark.parametrize(
    ("kind", "entry", "command", "args"),
    [
        ("node", "dist/cli.js", "npx", ["-y", "some-server@latest", "--stdio"]),
        ("python", "src/pkg/server.py", "uvx", ["pkg", "serve"]),
        ("uv", "src/app/server.py", "uv", ["run", "app-mcp"]),
        ("uv", "pkg/server.py", "uv", ["run", "python", "-m", "pkg"]),  # the package's __main__
        ("binary", "server", "${__dirname}/server.bat", []),
    ],
)
def test_ai01_undecidable(kind: str, entry: str, command: str, args: list[str]) -> None:
    verdict = decide(kind, entry, command, args)
    assert verdict is not None and verdict.state == "undecidable"


def test_normalize() -> None:
    assert normalize("${__dirname}/./a/../b/c.js") == "b/c.js"
    assert normalize("${__dirname}\\server\\main.py") == "server/main.py"
    assert normalize("${__dirname}") == ""


def _with_config(kind: str, entry: str, config: dict[str, Any]) -> dict[str, Any]:
    raw = l1_manifest()
    raw["server"] = {"type": kind, "entry_point": entry, "mcp_config": config}
    return raw


def test_ai01_mismatch_blocks_with_pointer_and_line() -> None:
    raw = _with_config("node", "dist/index.js", {"command": "node", "args": ["dist/main.js"]})
    report = check(raw)
    assert report.mcpb_valid and not report.mtf_valid
    (issue,) = report.issues
    assert (issue.code, issue.severity) == ("entry-point-mismatch", Severity.BLOCK)
    assert issue.pointer == "/server/mcp_config/args/0"
    assert issue.line is not None
    assert "'dist/index.js'" in issue.message and "'dist/main.js'" in issue.message


def test_ai01_undecidable_warns() -> None:
    raw = _with_config("node", "dist/index.js", {"command": "npx", "args": ["-y", "pkg"]})
    report = check(raw)
    assert report.mtf_valid
    (issue,) = report.issues
    assert (issue.code, issue.severity) == ("entry-point-unverifiable", Severity.WARN)


def test_ai01_platform_override_checked() -> None:
    config = {
        "command": "${__dirname}/bin/server",
        "platform_overrides": {"win32": {"command": "${__dirname}/bin/other.exe"}},
    }
    (issue,) = check(_with_config("binary", "bin/server", config)).issues
    assert issue.code == "entry-point-mismatch"
    assert issue.pointer == "/server/mcp_config/platform_overrides/win32/command"


def test_ai01_top_level_mcp_config_still_compared() -> None:
    raw = l1_manifest()
    raw["server"].pop("mcp_config")
    raw["mcp_config"] = {"command": "python", "args": ["-m", "other.module"]}
    report = check(raw)
    assert {(i.code, i.pointer) for i in report.issues} == {
        ("mcp-config-at-top-level", "/mcp_config"),
        ("entry-point-mismatch", "/mcp_config/args/1"),
    }
