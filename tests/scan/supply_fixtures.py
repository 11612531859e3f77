"""Fixtures for the supply-chain and artifact controls (SC-01, SC-03, SC-05, AI-04, AI-05).

Small synthetic pieces (CycloneDX documents, installed-package metadata, zip
members with modes) and the example servers as real bundles, built offline
with ``build --no-vendor`` from the vendored example trees.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import scan_options

from mtf_action.build import BuildOptions, build_bundle
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.console import Reporter
from mtf_action.scan.context import ScanContext

EPOCH = 1_700_000_001  # odd on purpose: DOS timestamps round it down, the SBOM keeps it
SHARED_SBOM = Path(__file__).resolve().parents[3] / "shared" / "data" / "sbom"
Member = str | bytes | tuple[str | bytes, int]  # content, or (content, unix mode)


def quiet() -> Reporter:
    return Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())


def tree_ctx(root: Path, **options: Any) -> ScanContext:
    """A directory context over exactly the files ``build`` would pack from ``root``."""
    names = [e.arcname for e in collect_files(root, IgnoreRules.for_tree(root))]
    return ScanContext(root, names, kind="directory", options=scan_options(**options))


def build_example(tree: Path, out: Path, epoch: int = EPOCH) -> Path:
    summary = build_bundle(
        BuildOptions(source_dir=tree, output_dir=out, vendor=False, source_date_epoch=epoch),
        quiet(),
    )
    return Path(summary.bundle.path)


def zip_members(path: Path, files: dict[str, Member], manifest: dict[str, Any] | None) -> Path:
    """A .mcpb whose members may carry Unix modes (``(content, 0o755)``)."""
    if manifest is not None:
        files = {"manifest.json": json.dumps(manifest), **files}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, member in files.items():
            content, mode = member if isinstance(member, tuple) else (member, 0o644)
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return path


def rezip(source: Path, dest: Path, replace: dict[str, Member | None]) -> Path:
    """Copy a bundle, replacing (or, with None, dropping) some members."""
    with zipfile.ZipFile(source) as archive:
        files: dict[str, Member] = {}
        for info in archive.infolist():
            files[info.filename] = (archive.read(info), (info.external_attr >> 16) & 0o7777)
    for name, member in replace.items():
        if member is None:
            files.pop(name, None)
        else:
            files[name] = member
    return zip_members(dest, files, None)


def purl(ecosystem: str, name: str, version: str) -> str:
    if ecosystem == "npm" and name.startswith("@"):
        scope, _, bare = name.partition("/")
        return f"pkg:npm/%40{scope[1:]}/{bare}@{version}"
    return f"pkg:{ecosystem}/{name.lower()}@{version}"


def component(name: str, version: str, ecosystem: str = "pypi", **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "library",
        "name": name,
        "version": version,
        "purl": purl(ecosystem, name, version),
        "licenses": [{"license": {"id": "MIT"}}],
        "hashes": [{"alg": "SHA-256", "content": "0" * 64}],
    }
    item.update(extra)
    return {k: v for k, v in item.items() if v is not None}


def cdx(components: list[dict[str, Any]], version: str = "1.6", **extra: Any) -> str:
    doc: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": version,
        "version": 1,
        "metadata": {"timestamp": "2023-11-14T22:13:21Z"},
        "components": components,
    }
    doc.update(extra)
    return json.dumps(doc, indent=2)


def dist(name: str, version: str, files: dict[str, str], site: str = "deps") -> dict[str, str]:
    """An installed Python distribution: its files, METADATA and a RECORD listing them."""
    info = f"{site}/{name.replace('-', '_')}-{version}.dist-info"
    out = {f"{site}/{path}": text for path, text in files.items()}
    out[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody\n"
    record = [f"{path},," for path in files] + [
        f"{info.removeprefix(site + '/')}/METADATA,,",
        f"{info.removeprefix(site + '/')}/RECORD,,",
    ]
    out[f"{info}/RECORD"] = "\n".join(record) + "\n"
    return out


def npm_package(name: str, version: str, prefix: str = "node_modules") -> dict[str, str]:
    return {
        f"{prefix}/{name}/package.json": json.dumps({"name": name, "version": version}),
        f"{prefix}/{name}/index.js": "module.exports = 1;\n",
    }


@pytest.fixture(scope="session")
def python_bundle(
    python_example_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    yield build_example(python_example_tree, tmp_path_factory.mktemp("py-bundle"))


@pytest.fixture(scope="session")
def node_bundle(
    node_example_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    yield build_example(node_example_tree, tmp_path_factory.mktemp("node-bundle"))
