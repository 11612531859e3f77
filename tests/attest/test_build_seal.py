"""The build hook ``BuildOptions.seal``: what it receives, what it adds, what stays unchanged."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from attest_support import EPOCH, make_tree

from mtf_action.build import BuildOptions, SealInput, build_bundle
from mtf_action.bundle.hashes import read_hashes
from mtf_action.bundle.model import BundleEntry
from mtf_action.console import Reporter


def _reporter() -> tuple[Reporter, io.StringIO]:
    stream = io.StringIO()
    return Reporter(quiet=False, stream=stream, out=io.StringIO()), stream


def _build(tree: Path, out: Path, seal: object = None) -> Path:
    options = BuildOptions(
        source_dir=tree,
        output_dir=out,
        vendor=False,
        source_date_epoch=EPOCH,
        env={},
        seal=seal,  # type: ignore[arg-type]
    )
    return Path(build_bundle(options, _reporter()[0]).bundle.path)


def test_seal_gets_the_packed_bytes_and_its_members_are_packed_and_hashed(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    seen: list[SealInput] = []

    def seal(item: SealInput) -> list[BundleEntry]:
        seen.append(item)
        return [BundleEntry(arcname=".sigstore/x.json", data=b"{}", size=2)]

    bundle = _build(tree, tmp_path / "out", seal)
    (item,) = seen
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert item.manifest == archive.read("manifest.json")
        assert item.sbom == archive.read("sbom.cdx.json")
        assert archive.read(".sigstore/x.json") == b"{}"
    assert (item.name, item.version) == ("@acme/tiny", "1.0.0")
    assert names == sorted(names, key=lambda n: n.encode())
    hashes = read_hashes(bundle.with_name(bundle.stem + ".hashes.json"))
    assert ".sigstore/x.json" in {f.path for f in hashes.files}


def test_an_empty_seal_changes_nothing(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    plain = _build(tree, tmp_path / "a")
    sealed = _build(tree, tmp_path / "b", lambda item: [])
    assert plain.read_bytes() == sealed.read_bytes()


def test_sealed_members_replace_same_named_source_files(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    (tree / ".sigstore").mkdir()
    (tree / ".sigstore" / "x.json").write_text("stale")
    options = BuildOptions(
        source_dir=tree,
        output_dir=tmp_path / "out",
        vendor=False,
        env={},
        seal=lambda item: [BundleEntry(arcname=".sigstore/x.json", data=b"new", size=3)],
    )
    reporter, stream = _reporter()
    bundle = Path(build_bundle(options, reporter).bundle.path)
    with zipfile.ZipFile(bundle) as archive:
        assert archive.namelist().count(".sigstore/x.json") == 1
        assert archive.read(".sigstore/x.json") == b"new"
    assert "replaced by the bundle signature" in stream.getvalue()
