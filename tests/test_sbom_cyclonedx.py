"""SC-01: CycloneDX 1.6 SBOM of what was really vendored, valid and byte-identical."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from mtf_action import __version__
from mtf_action.console import Reporter
from mtf_action.lockfiles.uv import read_uv_lock
from mtf_action.sbom.cyclonedx import InvalidSbomError, build_sbom
from mtf_action.sbom.from_lock import inventory_from_lockfile
from mtf_action.sbom.model import Component, DependencyGraph
from mtf_action.sbom.python_env import read_python_env
from mtf_action.vendor.python import vendor_python
from pkg_factory import build_wheelhouse, write_uv_project

DATA = Path(__file__).parent / "data" / "lockfiles"
EPOCH = 1_700_000_000


def validate(data: bytes) -> None:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(data.decode())
    assert error is None, error


def sbom_of(**overrides: Any) -> bytes:
    args: dict[str, Any] = {
        "bundle_name": "demo-server",
        "bundle_version": "0.1.0",
        "description": "A demo",
        "components": [],
        "dependencies": DependencyGraph(),
        "lockfile": None,
        "epoch": EPOCH,
    }
    args.update(overrides)
    return build_sbom(**args)


@pytest.mark.slow
def test_sbom_of_vendored_python_deps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sha = build_wheelhouse(tmp_path / "wheels")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "wheels"))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    source = write_uv_project(tmp_path / "src", sha)
    result = vendor_python(
        source, tmp_path / "deps", reporter=Reporter(quiet=True, stream=io.StringIO())
    )
    inventory = read_python_env(result.root, direct=result.direct)
    # Hashes come from the lockfile (the components carry none of their own here).
    data = sbom_of(
        components=inventory.components,
        dependencies=inventory.graph,
        lockfile=result.lockfile,
    )
    validate(data)
    assert data == sbom_of(
        components=inventory.components, dependencies=inventory.graph, lockfile=result.lockfile
    )
    doc = json.loads(data)
    assert doc["specVersion"] == "1.6"
    components = {c["name"]: c for c in doc["components"]}
    # Completeness: every installed distribution is a component with exact version and purl.
    for dist_info in result.root.glob("*.dist-info"):
        name, version = dist_info.name.removesuffix(".dist-info").split("-")
        component = components[name]
        assert component["version"] == version
        assert component["purl"] == f"pkg:pypi/{name}@{version}"
        assert component["type"] == "library"
        assert component["hashes"] == [{"alg": "SHA-256", "content": sha[name]}]
        assert component["licenses"] == [{"license": {"id": "MIT"}}]
    assert set(components) == {"alpha", "beta"}  # delta is dev-only, gamma Windows-only
    graph = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert graph["mcpb:demo-server@0.1.0"] == ["pkg:pypi/alpha@1.0.0"]
    assert graph["pkg:pypi/alpha@1.0.0"] == ["pkg:pypi/beta@2.0.0"]
    # The artifact digests reported by pip say the same thing.
    with_artifacts = read_python_env(result.root, direct=result.direct, artifacts=result.artifacts)
    assert {c.name: c.hashes for c in with_artifacts.components} == {
        "alpha": (f"sha256:{sha['alpha']}",),
        "beta": (f"sha256:{sha['beta']}",),
    }


def test_metadata_is_deterministic_and_documented() -> None:
    data = sbom_of()
    validate(data)
    doc = json.loads(data)
    meta = doc["metadata"]
    assert meta["timestamp"] == "2023-11-14T22:13:20+00:00"
    assert meta["component"] == {
        "bom-ref": "mcpb:demo-server@0.1.0",
        "description": "A demo",
        "name": "demo-server",
        "type": "application",
        "version": "0.1.0",
    }  # no purl: there is no purl type for MCPB bundles
    tool = meta["tools"]["components"][0]
    assert (tool["name"], tool["version"]) == ("mtf-attest", __version__)
    assert doc["serialNumber"].startswith("urn:uuid:")
    assert data == sbom_of()
    assert json.loads(sbom_of(epoch=EPOCH + 1))["serialNumber"] != doc["serialNumber"]
    assert json.loads(sbom_of(bundle_version="0.1.1"))["serialNumber"] != doc["serialNumber"]


def test_npm_components_scope_hashes_and_licenses() -> None:
    sha512 = "ab" * 64
    components = [
        Component(
            "@scope/pkg", "1.0.0", "npm", ("MIT",), (f"sha512:{sha512}", "sha1:" + "cd" * 20)
        ),
        Component("dual", "2.0.0", "npm", ("(MIT OR Apache-2.0)",)),
        Component("multi", "3.0.0", "npm", ("MIT", "Custom License Text")),
    ]
    graph = DependencyGraph(
        direct=("pkg:npm/%40scope/pkg@1.0.0",),
        edges={"pkg:npm/%40scope/pkg@1.0.0": ("pkg:npm/dual@2.0.0", "pkg:npm/multi@3.0.0")},
    )
    data = sbom_of(components=components, dependencies=graph)
    validate(data)
    by_ref = {c["bom-ref"]: c for c in json.loads(data)["components"]}
    scoped = by_ref["pkg:npm/%40scope/pkg@1.0.0"]
    assert (scoped["group"], scoped["name"]) == ("@scope", "pkg")
    assert {h["alg"] for h in scoped["hashes"]} == {"SHA-512", "SHA-1"}
    assert by_ref["pkg:npm/dual@2.0.0"]["licenses"] == [{"expression": "(MIT OR Apache-2.0)"}]
    assert by_ref["pkg:npm/multi@3.0.0"]["licenses"] == [
        {"license": {"id": "MIT"}},
        {"license": {"name": "Custom License Text"}},
    ]


def test_uv_server_type_sbom_from_lock_runtime_closure() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    inventory = inventory_from_lockfile(lock)
    data = sbom_of(components=inventory.components, dependencies=inventory.graph, lockfile=lock)
    validate(data)
    doc = json.loads(data)
    names = {c["name"] for c in doc["components"]}
    # Runtime closure for every platform (colorama included), dev and unrequested extras out.
    assert names == {
        "annotated-types", "click", "colorama", "mcp", "pydantic", "python-dotenv", "typer",
    }  # fmt: skip
    click = next(c for c in doc["components"] if c["name"] == "click")
    assert len(click["hashes"]) == 2  # sdist + wheel, as locked
    graph = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert graph["mcpb:demo-server@0.1.0"] == ["pkg:pypi/mcp@1.9.4"]
    assert "pkg:pypi/typer@0.16.0" in graph["pkg:pypi/mcp@1.9.4"]


def test_invalid_result_is_an_internal_error_not_output() -> None:
    broken = Component("alpha", "1.0.0", "pypi", hashes=("sha256:not-hex",))
    with pytest.raises(InvalidSbomError, match=r"not valid CycloneDX 1\.6"):
        sbom_of(components=[broken])
