"""The ``<stem>.hashes.json`` document (MTF AI-04 per-file digests, RG-07 bundle digest)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from bundle_trees import make_tree, pack, sha256_file
from mtf_action import __version__
from mtf_action.bundle.hashes import (
    dump_hashes,
    hashes_document,
    hashes_path_for,
    read_hashes,
    write_hashes,
)
from mtf_action.bundle.reader import SafeBundle
from mtf_action.errors import InvalidInputError
from mtf_action.models.hashes import HashesDocument


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    out.mkdir()
    bundle = out / "demo-1.0.0.mcpb"
    write_hashes(pack(make_tree(tmp_path / "src"), bundle), hashes_path_for(bundle))
    return bundle, hashes_path_for(bundle)


def test_document_describes_the_bundle(built: tuple[Path, Path]) -> None:
    bundle, path = built
    assert path.name == "demo-1.0.0.hashes.json"
    doc = read_hashes(path)
    assert doc.bundle.name == "demo-1.0.0.mcpb"
    assert doc.bundle.sha256 == sha256_file(bundle)
    assert doc.bundle.size == bundle.stat().st_size
    assert doc.file_count == len(doc.files)
    assert doc.generator.name == "mtf-attest"
    assert doc.generator.version == __version__
    with SafeBundle(bundle) as reader:
        assert [f.path for f in doc.files] == sorted(reader.names())
        for member in doc.files:
            assert hashlib.sha256(reader.read(member.path)).hexdigest() == member.sha256


def test_serialisation_is_canonical(built: tuple[Path, Path]) -> None:
    _, path = built
    raw = path.read_bytes()
    assert raw.endswith(b"}\n") and not raw.endswith(b"\n\n")
    data = json.loads(raw)
    assert raw.decode() == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert set(data) == {
        "algorithm",
        "bundle",
        "file_count",
        "files",
        "generator",
        "schema_version",
    }
    assert data["algorithm"] == "sha256"
    assert dump_hashes(read_hashes(path)) == raw


def test_rebuild_gives_identical_document(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "src")
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        out.mkdir()
        doc = write_hashes(pack(tree, out / "x.mcpb"), out / "x.hashes.json")
        assert isinstance(doc, HashesDocument)
        outputs.append((out / "x.hashes.json").read_bytes())
    assert outputs[0] == outputs[1]


def mutate(path: Path, change: str) -> None:
    data = json.loads(path.read_text())
    if change == "count":
        data["file_count"] += 1
    elif change == "order":
        data["files"].reverse()
    elif change == "duplicate":
        data["files"].append(data["files"][-1])
        data["file_count"] += 1
    elif change == "digest":
        data["bundle"]["sha256"] = "ABC"
    elif change == "extra":
        data["signature"] = "trust me"
    elif change == "algorithm":
        data["algorithm"] = "md5"
    elif change == "bundle-path":
        data["bundle"]["name"] = "../evil.mcpb"
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "change", ["count", "order", "duplicate", "digest", "extra", "algorithm", "bundle-path"]
)
def test_reader_refuses_inconsistent_documents(built: tuple[Path, Path], change: str) -> None:
    _, path = built
    mutate(path, change)
    with pytest.raises(InvalidInputError, match="not a valid hashes document") as caught:
        read_hashes(path)
    assert str(path) in caught.value.one_line()


def test_reader_refuses_non_json_and_missing(tmp_path: Path) -> None:
    bad = tmp_path / "x.hashes.json"
    bad.write_text("{not json")
    with pytest.raises(InvalidInputError, match="not a valid hashes document"):
        read_hashes(bad)
    with pytest.raises(InvalidInputError, match="cannot read"):
        read_hashes(tmp_path / "absent.json")


def test_document_from_result_sorts_files(tmp_path: Path) -> None:
    from mtf_action.bundle.model import ArchiveResult, FileDigest

    digest = "0" * 64
    result = ArchiveResult(
        path=tmp_path / "x.mcpb",
        sha256=digest,
        size=10,
        files=(FileDigest("b", digest, 1), FileDigest("a", digest, 2)),
    )
    doc = hashes_document(result)
    assert [f.path for f in doc.files] == ["a", "b"]
    assert doc.file_count == 2
