"""Interop with the official MCPB CLI (``@anthropic-ai/mcpb``, pinned in tests/tools/mcpb-cli).

For each example server, ``mtf-attest build`` vendors its locked dependencies
offline (from the test cache) and writes ``OUT/<stem>.mcpb`` with
``<stem>.sbom.cdx.json`` and ``<stem>.hashes.json`` beside it. The official CLI
must then read the bundle (``mcpb info``), unpack it member for member
(``mcpb unpack``) and accept its manifest (``mcpb validate``); the unpacked
server must still start and list exactly its declared tools.

``mcpb pack`` of the same vendored tree is run too and its size and file count
printed next to ours, for comparison (``pytest -s`` shows them).

Note: ``mcpb info`` 2.1.2 prints only the file name, size and signature status,
not the manifest's name/version; those are checked on the manifest that
``mcpb unpack`` extracted, with ``mcpb validate`` run on it.
"""

from __future__ import annotations

import hashlib
import json
import stat
import subprocess
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import fixture_cache as fixtures
from mcp_stdio import McpStdioClient, launch_from_manifest
from mtf_action._cli import main

pytestmark = [pytest.mark.interop, pytest.mark.slow]

EXAMPLES = ("node-notes", "python-units")
VENDORED_TREE_FIXTURE = {"python-units": "python_example_tree", "node-notes": "node_example_tree"}
# What the vendored tree must contribute, per example (AI-05: nothing missing).
VENDORED_MARKER = {
    "python-units": "deps/mcp/server/fastmcp/__init__.py",
    "node-notes": "node_modules/@modelcontextprotocol/sdk/package.json",
}
EPOCH = 1_700_000_000
CLI_TIMEOUT = 300


def bundle_stem(name: str, version: str) -> str:
    """The build's naming contract: ``@scope/x`` 1.2.3 -> ``scope-x-1.2.3``."""
    return f"{name.removeprefix('@').replace('/', '-')}-{version}"


def mcpb(cli: Path, *args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(cli), *args],
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def member_digests(hashes_doc: Any) -> dict[str, str]:
    """``archive path -> sha256`` from ``<stem>.hashes.json``.

    Accepts a ``files`` list of ``{"path", "sha256"}`` objects or a ``files``
    mapping of path to digest (or to ``{"sha256": ...}``).
    """
    files = hashes_doc.get("files") if isinstance(hashes_doc, dict) else None
    if isinstance(files, list):
        return {str(f["path"]): str(f["sha256"]) for f in files}
    if isinstance(files, dict):
        return {str(p): str(v["sha256"] if isinstance(v, dict) else v) for p, v in files.items()}
    raise AssertionError(f"hashes.json has no 'files' list or mapping: {str(hashes_doc)[:200]}")


@dataclass(frozen=True)
class Built:
    example: str
    source: Path
    manifest: dict[str, Any]
    bundle: Path
    sbom: Path
    hashes: Path


@pytest.fixture(scope="module", params=EXAMPLES)
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    examples_dir: Path,
    cache_dir: Path,
    mcpb_cli: Path,
) -> Iterator[Built]:
    """``mtf-attest build`` of one example, vendoring offline from the cache."""
    example = str(request.param)
    source = examples_dir / example
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if manifest["server"]["type"] == "node":
        request.getfixturevalue("offline_npm_env")  # skips or fails with the reason
        overrides = fixtures.offline_npm_overrides(cache_dir)
    else:
        request.getfixturevalue("offline_pip_env")
        overrides = fixtures.offline_pip_overrides(cache_dir)
    out = tmp_path_factory.mktemp(f"build-{example}")
    with pytest.MonkeyPatch.context() as mp:
        for key, value in overrides.items():
            mp.setenv(key, value)
        code = main(
            ["build", str(source), "--output-dir", str(out), "--source-date-epoch", str(EPOCH)]
        )
    assert code == 0, f"mtf-attest build {example} exited {code}"
    stem = bundle_stem(manifest["name"], manifest["version"])
    yield Built(
        example=example,
        source=source,
        manifest=manifest,
        bundle=out / f"{stem}.mcpb",
        sbom=out / f"{stem}.sbom.cdx.json",
        hashes=out / f"{stem}.hashes.json",
    )


@pytest.fixture(scope="module")
def unpacked(
    built: Built,
    tmp_path_factory: pytest.TempPathFactory,
    mcpb_cli: Path,
    offline_npm_env: dict[str, str],
) -> Path:
    """The bundle as the official CLI unpacks it."""
    dest = tmp_path_factory.mktemp(f"unpacked-{built.example}") / "tree"
    result = mcpb(mcpb_cli, "unpack", str(built.bundle), str(dest), env=offline_npm_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "unpacked successfully" in result.stdout
    return dest


def test_build_writes_bundle_sbom_and_hashes(built: Built) -> None:
    for path in (built.bundle, built.sbom, built.hashes):
        assert path.is_file() and path.stat().st_size > 0, path
    assert zipfile.is_zipfile(built.bundle)
    sbom = json.loads(built.sbom.read_text(encoding="utf-8"))
    assert sbom["bomFormat"] == "CycloneDX"


def test_mcpb_info_reads_the_bundle(
    built: Built, mcpb_cli: Path, offline_npm_env: dict[str, str]
) -> None:
    result = mcpb(mcpb_cli, "info", str(built.bundle), env=offline_npm_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"File: {built.bundle.name}" in result.stdout
    assert f"Size: {built.bundle.stat().st_size / 1024:.2f} KB" in result.stdout
    assert "ERROR" not in result.stdout
    assert "Not signed" in result.stdout  # build does not sign; `sign` is a later step


def test_mcpb_unpack_gives_every_member_with_its_hash_and_mode_AI05(
    built: Built, unpacked: Path
) -> None:
    with zipfile.ZipFile(built.bundle) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        in_archive = {i.filename: hashlib.sha256(archive.read(i)).hexdigest() for i in infos}
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in infos}
    on_disk = {p.relative_to(unpacked).as_posix(): p for p in unpacked.rglob("*") if p.is_file()}
    assert sorted(on_disk) == sorted(in_archive)
    recorded = member_digests(json.loads(built.hashes.read_text(encoding="utf-8")))
    assert sorted(recorded) == sorted(in_archive)
    mismatched = [
        name
        for name, path in on_disk.items()
        if not (sha256_file(path) == in_archive[name] == recorded[name])
    ]
    assert not mismatched, mismatched[:10]
    wrong_mode = [
        name
        for name, path in on_disk.items()
        if modes[name] and stat.S_IMODE(path.stat().st_mode) != modes[name]
    ]
    assert not wrong_mode, wrong_mode[:10]


def test_unpacked_manifest_is_byte_identical_and_valid_AI01(
    built: Built, unpacked: Path, mcpb_cli: Path, offline_npm_env: dict[str, str]
) -> None:
    extracted = unpacked / "manifest.json"
    assert extracted.read_bytes() == (built.source / "manifest.json").read_bytes()
    manifest = json.loads(extracted.read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["version"]) == (
        built.manifest["name"],
        built.manifest["version"],
    )
    result = mcpb(mcpb_cli, "validate", str(extracted), env=offline_npm_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation passes" in result.stdout


def test_unpacked_bundle_is_complete_AI05(built: Built, unpacked: Path) -> None:
    assert (unpacked / built.manifest["server"]["entry_point"]).is_file()
    assert (unpacked / VENDORED_MARKER[built.example]).is_file()
    assert (unpacked / "sbom.cdx.json").is_file()


def test_unpacked_bundle_serves_its_declared_tools_CD01(
    built: Built, unpacked: Path, tmp_path: Path
) -> None:
    argv, env = launch_from_manifest(built.manifest, unpacked, tmp_path)
    with McpStdioClient(argv, env=env, cwd=tmp_path) as client:
        client.initialize()
        tools = client.request("tools/list")["tools"]
    assert sorted(t["name"] for t in tools) == sorted(t["name"] for t in built.manifest["tools"])


def test_mcpb_pack_of_the_same_vendored_tree_for_comparison(
    request: pytest.FixtureRequest,
    built: Built,
    mcpb_cli: Path,
    offline_npm_env: dict[str, str],
    tmp_path: Path,
) -> None:
    tree: Path = request.getfixturevalue(VENDORED_TREE_FIXTURE[built.example])
    theirs_path = tmp_path / "mcpb-pack.mcpb"
    result = mcpb(mcpb_cli, "pack", str(tree), str(theirs_path), env=offline_npm_env)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(theirs_path) as theirs, zipfile.ZipFile(built.bundle) as ours:
        their_files = {i.filename for i in theirs.infolist() if not i.is_dir()}
        our_files = {i.filename for i in ours.infolist() if not i.is_dir()}
    assert {"manifest.json", built.manifest["server"]["entry_point"]} <= their_files
    print(
        f"\n[{built.example}] mtf-attest build: {built.bundle.stat().st_size} bytes, "
        f"{len(our_files)} files | mcpb pack: {theirs_path.stat().st_size} bytes, "
        f"{len(their_files)} files | only ours: {len(our_files - their_files)} "
        f"(e.g. {sorted(our_files - their_files)[:3]}), only theirs: "
        f"{len(their_files - our_files)} (e.g. {sorted(their_files - our_files)[:3]})"
    )
