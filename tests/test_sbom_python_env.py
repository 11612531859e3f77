"""Installed Python distributions -> SBOM components and dependency graph (SC-01)."""

from __future__ import annotations

from pathlib import Path

from mtf_action.sbom.python_env import read_python_env

LINUX = {"sys_platform": "linux"}


def dist(root: Path, name: str, version: str, *lines: str) -> None:
    folder = root / f"{name.replace('-', '_')}-{version}.dist-info"
    folder.mkdir(parents=True)
    body = "\n".join(["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *lines])
    (folder / "METADATA").write_text(body + "\n")


def test_extras_markers_and_names(tmp_path: Path) -> None:
    dist(tmp_path, "MCP", "1.9.4", "License-Expression: MIT",
         "Requires-Dist: pydantic>=2", "Requires-Dist: typer>=0.12; extra == 'cli'",
         "Requires-Dist: rich; extra == 'rich'")  # fmt: skip
    dist(tmp_path, "pydantic", "2.11.7", "License: MIT",
         "Requires-Dist: colorama; sys_platform == 'win32'")  # fmt: skip
    dist(tmp_path, "typer", "0.16.0",
         "Classifier: License :: OSI Approved :: MIT License",
         "Classifier: License :: OSI Approved :: Apache Software License")  # fmt: skip
    dist(tmp_path, "Zope.Interface", "7.0", "License: " + "very long license text " * 10)
    inventory = read_python_env(tmp_path, direct=["mcp[cli]>=1.9"], environment=LINUX)
    components = {c.name: c for c in inventory.components}
    assert components["MCP"].purl == "pkg:pypi/mcp@1.9.4"
    assert components["Zope.Interface"].purl == "pkg:pypi/zope-interface@7.0"  # PEP 503
    assert components["MCP"].licenses == ("MIT",)
    assert components["pydantic"].licenses == ("MIT",)
    assert components["typer"].licenses == ("MIT", "Apache-2.0")
    assert components["Zope.Interface"].licenses == ()  # license text is not a license name
    edges = inventory.graph.edges
    # The cli extra requested by the project links typer under mcp.
    assert edges["pkg:pypi/mcp@1.9.4"] == ("pkg:pypi/pydantic@2.11.7", "pkg:pypi/typer@0.16.0")
    assert edges["pkg:pypi/pydantic@2.11.7"] == ()  # colorama is Windows-only
    # zope.interface is required by nobody: kept on the graph as a root.
    assert inventory.graph.direct == ("pkg:pypi/mcp@1.9.4", "pkg:pypi/zope-interface@7.0")
    assert inventory.notes == ()


def test_roots_without_direct_list_and_missing_requirement_note(tmp_path: Path) -> None:
    dist(tmp_path, "app-lib", "1.0", "Requires-Dist: helper==2.0", "Requires-Dist: ghost>=1")
    dist(tmp_path, "helper", "2.0")
    inventory = read_python_env(tmp_path, environment=LINUX)
    assert inventory.graph.direct == ("pkg:pypi/app-lib@1.0",)
    assert inventory.graph.edges["pkg:pypi/app-lib@1.0"] == ("pkg:pypi/helper@2.0",)
    assert inventory.notes == ("app-lib 1.0 requires 'ghost>=1', not installed",)


def test_empty_target(tmp_path: Path) -> None:
    inventory = read_python_env(tmp_path)
    assert inventory.components == () and inventory.graph.direct == ()
