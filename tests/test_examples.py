"""The example MCP servers: valid at MTF L2, locked, and really serving what they declare.

Each server is started the way its manifest's ``server.mcp_config`` says, from a
copy whose dependencies were vendored offline from the test cache, and asked
``initialize`` + ``tools/list`` over stdio. The tool names it reports are the
ground truth for CD-01: they must equal the manifest's ``tools[].name``.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

import fixture_cache as fixtures
from mcp_stdio import McpStdioClient, launch_from_manifest
from mtf_action.schemas import mcpb_schema, mtf_extension_schema

EXAMPLES = {
    "python-units": "python_example_tree",
    "node-notes": "node_example_tree",
}
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
SCOPED_NAME = re.compile(r"^@[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*$")
PERMISSION_KEYS = {"filesystem", "network", "environment", "subprocess", "native"}


def _manifest(tree: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tree / "manifest.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(params=sorted(EXAMPLES))
def example(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def vendored_tree(request: pytest.FixtureRequest, example: str) -> Path:
    tree: Path = request.getfixturevalue(EXAMPLES[example])
    return tree


@pytest.fixture
def client(vendored_tree: Path, tmp_path: Path) -> McpStdioClient:
    argv, env = launch_from_manifest(_manifest(vendored_tree), vendored_tree, tmp_path)
    # An empty working directory: FastMCP would read a stray .env from the cwd.
    return McpStdioClient(argv, env=env, cwd=tmp_path, timeout=30)


# --- static checks on the sources -------------------------------------------


def test_manifest_validates_against_mcpb_v04_and_mtf_extension_AI01(
    examples_dir: Path, example: str
) -> None:
    manifest = _manifest(examples_dir / example)
    assert manifest["manifest_version"] == "0.4"
    mcpb_errors = list(
        Draft7Validator(
            mcpb_schema("0.4"), format_checker=Draft7Validator.FORMAT_CHECKER
        ).iter_errors(manifest)
    )
    assert not mcpb_errors, [e.message for e in mcpb_errors]
    extension = manifest["_meta"]["org.mpaktrust"]
    mtf_errors = list(
        Draft202012Validator(
            mtf_extension_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
        ).iter_errors(extension)
    )
    assert not mtf_errors, [e.message for e in mtf_errors]


def test_manifest_carries_the_L2_fields_AI01_PR01_PR02(examples_dir: Path, example: str) -> None:
    manifest = _manifest(examples_dir / example)
    assert SCOPED_NAME.match(manifest["name"]), manifest["name"]
    assert manifest["name"].startswith("@mtf-examples/")
    assert SEMVER.match(manifest["version"])
    assert manifest["description"].strip()
    assert manifest["author"]["name"].strip()
    assert "@" in manifest["author"]["email"]
    assert manifest["repository"]["type"] == "git"
    assert manifest["repository"]["url"].startswith("https://github.com/")
    extension = manifest["_meta"]["org.mpaktrust"]
    assert extension["mtf_version"] == "0.1"
    assert extension["level"] == 2
    assert set(extension["permissions"]) == PERMISSION_KEYS


def test_tools_are_declared_with_descriptions_CD01(examples_dir: Path, example: str) -> None:
    tools = _manifest(examples_dir / example)["tools"]
    assert tools
    names = [t["name"] for t in tools]
    assert len(names) == len(set(names))
    for tool in tools:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", tool["name"]), tool["name"]
        assert tool.get("description", "").strip(), f"{tool['name']} has no description"


def test_mcp_config_runs_the_entry_point_AI01(examples_dir: Path, example: str) -> None:
    """AI-01 step 4: ``server.entry_point`` and ``mcp_config`` name the same file."""
    server = _manifest(examples_dir / example)["server"]
    assert (examples_dir / example / server["entry_point"]).is_file()
    assert f"${{__dirname}}/{server['entry_point']}" in server["mcp_config"]["args"]
    if server["type"] == "python":
        assert server["mcp_config"]["env"]["PYTHONPATH"] == "${__dirname}/deps"


def test_python_example_is_locked_SC03(examples_dir: Path) -> None:
    tree = examples_dir / "python-units"
    lock = (tree / "uv.lock").read_text(encoding="utf-8")
    assert re.search(r'^name = "mcp"$', lock, re.MULTILINE)
    assert (tree / "pyproject.toml").is_file()


def test_python_export_pins_every_package_with_hashes_SC03(
    cache_dir: Path, fixture_stamp: dict[str, object]
) -> None:
    requirements = fixtures.requirements_file(cache_dir).read_text(encoding="utf-8")
    # One entry per package: a `name==version` line, then its `--hash` lines.
    entries = re.split(r"^(?=[A-Za-z0-9])", requirements, flags=re.MULTILINE)[1:]
    pins: dict[str, str] = {}
    for entry in entries:
        pin = re.match(r"([A-Za-z0-9._-]+)==(\S+)", entry)
        assert pin, f"not pinned to one version: {entry.splitlines()[0]}"
        pins[pin.group(1)] = pin.group(2)
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), entry.splitlines()[0]
    assert "mcp" in pins
    assert len(pins) == len(entries)


def test_node_example_is_locked_with_integrity_SC03_SC05(examples_dir: Path) -> None:
    tree = examples_dir / "node-notes"
    lock = json.loads((tree / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] == 3
    packages = {k: v for k, v in lock["packages"].items() if k}
    assert "node_modules/@modelcontextprotocol/sdk" in packages
    for path, entry in packages.items():
        assert not entry.get("dev"), f"{path}: the example has no dev dependencies"
        assert entry["integrity"].startswith("sha512-"), path
        assert entry["resolved"].startswith("https://registry.npmjs.org/"), path
    assert not (tree / "node_modules").exists(), "node_modules must not be committed"


def test_example_code_imports_nothing_beyond_its_permissions_CD02(examples_dir: Path) -> None:
    """Both examples declare no network and no subprocess; their own code must agree."""
    python_main = examples_dir / "python-units" / "server" / "main.py"
    imported = set()
    for node in ast.walk(ast.parse(python_main.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "fractions", "typing", "mcp"}, imported
    node_index = (examples_dir / "node-notes" / "server" / "index.js").read_text(encoding="utf-8")
    specifiers = set(re.findall(r"""(?:from|import)\s*\(?\s*["']([^"']+)["']""", node_index))
    assert specifiers == {
        "@modelcontextprotocol/sdk/server/mcp.js",
        "@modelcontextprotocol/sdk/server/stdio.js",
        "zod",
    }
    assert "process.env" not in node_index


# --- the running servers -----------------------------------------------------


@pytest.mark.slow
def test_server_lists_exactly_the_declared_tools_CD01(
    client: McpStdioClient, vendored_tree: Path
) -> None:
    manifest = _manifest(vendored_tree)
    with client:
        init = client.initialize()
        assert init["protocolVersion"]
        assert "tools" in init["capabilities"]
        listed = client.request("tools/list")["tools"]
    served = {t["name"]: t.get("description", "") for t in listed}
    declared = {t["name"]: t["description"] for t in manifest["tools"]}
    assert sorted(served) == sorted(declared)
    # The descriptions users consent to are the ones the model is shown.
    assert served == declared
    assert client.proc.returncode == 0, client.stderr_tail()


@pytest.mark.slow
def test_python_example_converts_units(python_example_tree: Path, tmp_path: Path) -> None:
    argv, env = launch_from_manifest(_manifest(python_example_tree), python_example_tree, tmp_path)
    with McpStdioClient(argv, env=env, cwd=tmp_path) as client:
        client.initialize()
        boiling = client.request(
            "tools/call",
            {
                "name": "convert_units",
                "arguments": {"value": 100, "from_unit": "C", "to_unit": "F"},
            },
        )
        mile = client.request(
            "tools/call",
            {
                "name": "convert_units",
                "arguments": {"value": 1, "from_unit": "mi", "to_unit": "km"},
            },
        )
        mismatch = client.request(
            "tools/call",
            {"name": "convert_units", "arguments": {"value": 1, "from_unit": "kg", "to_unit": "m"}},
        )
        units = client.request("tools/call", {"name": "list_units", "arguments": {}})
    assert boiling["structuredContent"] == {"value": 212.0, "unit": "F", "dimension": "temperature"}
    assert mile["structuredContent"]["value"] == pytest.approx(1.609344, abs=1e-12)
    assert mismatch["isError"] is True
    assert "cannot convert mass" in mismatch["content"][0]["text"]
    assert set(units["structuredContent"]) == {"length", "mass", "volume", "temperature"}


@pytest.mark.slow
def test_node_example_keeps_and_finds_notes(node_example_tree: Path, tmp_path: Path) -> None:
    argv, env = launch_from_manifest(_manifest(node_example_tree), node_example_tree, tmp_path)
    with McpStdioClient(argv, env=env, cwd=tmp_path) as client:
        client.initialize()
        first = client.request(
            "tools/call",
            {
                "name": "add_note",
                "arguments": {"title": "Groceries", "body": "Oat milk", "tags": ["home"]},
            },
        )
        client.request(
            "tools/call",
            {"name": "add_note", "arguments": {"title": "Standup", "body": "Demo SBOM"}},
        )
        found = client.request(
            "tools/call", {"name": "search_notes", "arguments": {"query": "sbom"}}
        )
        tagged = client.request("tools/call", {"name": "list_notes", "arguments": {"tag": "home"}})
        everything = client.request("tools/call", {"name": "list_notes", "arguments": {}})
    assert first["structuredContent"]["id"] == 1
    assert [n["title"] for n in found["structuredContent"]["notes"]] == ["Standup"]
    assert [n["title"] for n in tagged["structuredContent"]["notes"]] == ["Groceries"]
    assert [n["title"] for n in everything["structuredContent"]["notes"]] == [
        "Standup",
        "Groceries",
    ]
