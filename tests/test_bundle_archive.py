"""Deterministic, streaming archive writing (MTF AI-04 reproducible builds)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from bundle_trees import (
    BIG_FILE,
    EPOCH,
    TREE_FILES,
    big_content,
    local_headers,
    make_tree,
    pack,
    sha256_file,
)
from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.bundle.members import CHUNK_SIZE
from mtf_action.bundle.model import BundleEntry
from mtf_action.bundle.reader import SafeBundle
from mtf_action.errors import BundleError, InvalidInputError


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "src")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    directory = tmp_path / "out"
    directory.mkdir()
    return directory


def test_ai04_two_writes_are_byte_identical(tree: Path, out: Path) -> None:
    first = pack(tree, out / "a.mcpb")
    second = pack(tree, out / "b.mcpb")
    assert (out / "a.mcpb").read_bytes() == (out / "b.mcpb").read_bytes()
    assert first.sha256 == second.sha256
    assert first.files == second.files


def test_ai04_independent_of_creation_order(tmp_path: Path, out: Path) -> None:
    names = [*TREE_FILES, BIG_FILE]
    forward = pack(make_tree(tmp_path / "one", order=names), out / "a.mcpb")
    backward = pack(make_tree(tmp_path / "two", order=names[::-1]), out / "b.mcpb")
    assert forward.sha256 == backward.sha256


def test_ai04_different_epoch_changes_digest(tree: Path, out: Path) -> None:
    assert (
        pack(tree, out / "a.mcpb").sha256 != pack(tree, out / "b.mcpb", epoch=EPOCH + 86400).sha256
    )


def test_ai04_mtime_change_does_not_change_digest(tree: Path, out: Path) -> None:
    before = pack(tree, out / "a.mcpb")
    for path in tree.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert pack(tree, out / "b.mcpb").sha256 == before.sha256


def test_ai04_permissions_are_normalised(tmp_path: Path, out: Path) -> None:
    private = pack(make_tree(tmp_path / "private", mode=0o600), out / "a.mcpb")
    public = pack(make_tree(tmp_path / "public", mode=0o644), out / "b.mcpb")
    assert private.sha256 == public.sha256
    with zipfile.ZipFile(out / "a.mcpb") as zf:
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    assert modes.pop("bin/run.sh") == 0o100755
    assert set(modes.values()) == {0o100644}


def test_entries_sorted_without_directory_entries(tree: Path, out: Path) -> None:
    pack(tree, out / "a.mcpb")
    with zipfile.ZipFile(out / "a.mcpb") as zf:
        names = zf.namelist()
    assert names == sorted(names)
    assert names == sorted([*TREE_FILES, BIG_FILE])
    assert not any(name.endswith("/") for name in names)


def test_no_extra_fields_comment_or_timestamps_beyond_epoch(tree: Path, out: Path) -> None:
    archive = out / "a.mcpb"
    pack(tree, archive)
    with zipfile.ZipFile(archive) as zf:
        assert zf.comment == b""
        infos = zf.infolist()
    for info in infos:
        assert info.extra == b"", info.filename
        assert info.comment == b""
        assert info.create_system == 3
        assert info.date_time == (2023, 11, 14, 22, 13, 20)
        assert info.internal_attr == 0
    time_field, date_field = 22 << 11 | 13 << 5 | 10, 43 << 9 | 11 << 5 | 14
    for name, fields in local_headers(archive).items():
        assert (fields[4], fields[5]) == (time_field, date_field), name
        assert fields[10] == 0, f"{name}: local header has an extra field"


def test_small_members_carry_sizes_large_ones_use_descriptor(tree: Path, out: Path) -> None:
    pack(tree, out / "a.mcpb")
    with zipfile.ZipFile(out / "a.mcpb") as zf:
        flags = {i.filename: i.flag_bits for i in zf.infolist()}
    assert flags.pop(BIG_FILE) & 0x08
    assert not any(f & 0x08 for f in flags.values())
    assert flags["docs/caf\u00e9.md"] & 0x800  # UTF-8 name flag
    assert flags["manifest.json"] == 0


def test_result_digests_match_members_and_file(tree: Path, out: Path) -> None:
    archive = out / "a.mcpb"
    result = pack(tree, archive)
    assert result.path == archive
    assert result.sha256 == sha256_file(archive)
    assert result.size == archive.stat().st_size
    assert [f.path for f in result.files] == sorted(f.path for f in result.files)
    with SafeBundle(archive) as bundle:
        assert sorted(bundle.names()) == [f.path for f in result.files]
        for digest in result.files:
            data = bundle.read(digest.path)
            assert hashlib.sha256(data).hexdigest() == digest.sha256, digest.path
            assert len(data) == digest.size
    assert {f.path: f.size for f in result.files}[BIG_FILE] == len(big_content())


def test_methods_and_deflate_level(tmp_path: Path, out: Path) -> None:
    text = b"the same words again and again " * 400
    noise = os.urandom(4096)
    entries = [
        BundleEntry("empty", data=b""),
        BundleEntry("noise", data=noise),
        BundleEntry("text", data=text),
    ]
    archive = out / "a.mcpb"
    write_archive(entries, archive, epoch=EPOCH)
    with zipfile.ZipFile(archive) as zf:
        methods = {i.filename: i.compress_type for i in zf.infolist()}
        text_info = zf.getinfo("text")
    assert methods == {"empty": 0, "noise": 0, "text": 8}
    start = text_info.header_offset + 30 + len("text")
    raw = archive.read_bytes()[start : start + text_info.compress_size]
    assert raw == zlib.compress(text, 6, -15)  # documented level 6, raw deflate


def test_generated_and_file_entries_give_same_bytes(tree: Path, out: Path) -> None:
    from_files = pack(tree, out / "a.mcpb")
    entries = [
        BundleEntry(e.arcname, data=e.path.read_bytes(), executable=e.executable)
        for e in collect_files(tree, IgnoreRules.for_tree(tree))
        if e.path is not None
    ]
    from_data = write_archive(reversed(entries), out / "b.mcpb", epoch=EPOCH)
    assert from_data.sha256 == from_files.sha256


def test_unzip_accepts_archive(tree: Path, out: Path) -> None:
    unzip = shutil.which("unzip")
    if unzip is None:
        pytest.skip("Info-ZIP unzip is not installed")
    pack(tree, out / "a.mcpb")
    done = subprocess.run(
        [unzip, "-t", str(out / "a.mcpb")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No errors detected" in done.stdout


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        (0, (1980, 1, 1, 0, 0, 0)),
        (315532800 + 3, (1980, 1, 1, 0, 0, 2)),
        (4102444800, (2100, 1, 1, 0, 0, 0)),
        (10**12, (2107, 12, 31, 23, 59, 58)),
    ],
)
def test_epoch_clamped_to_dos_range(out: Path, epoch: int, expected: tuple[int, ...]) -> None:
    write_archive([BundleEntry("a", data=b"x")], out / "a.mcpb", epoch=epoch)
    with zipfile.ZipFile(out / "a.mcpb") as zf:
        assert zf.getinfo("a").date_time == expected


def test_progress_reports_every_source_byte(tree: Path, out: Path) -> None:
    entries = collect_files(tree, IgnoreRules.for_tree(tree))
    seen: list[int] = []
    write_archive(entries, out / "a.mcpb", epoch=EPOCH, progress=seen.append)
    assert sum(seen) == sum(e.size for e in entries)
    assert len(seen) > len(entries)  # the big member reports per chunk


@pytest.mark.parametrize(
    "name", ["../x", "/abs", "a//b", "a\\b", "c:x", "dir/", "", "./a", "a/../b", "a\x00b"]
)
def test_unsafe_member_names_refused(out: Path, name: str) -> None:
    with pytest.raises(BundleError, match="unsafe member name"):
        write_archive([BundleEntry(name, data=b"x")], out / "a.mcpb", epoch=EPOCH)
    assert list(out.iterdir()) == []


def test_duplicate_and_conflicting_names_refused(out: Path) -> None:
    with pytest.raises(BundleError, match="two members"):
        write_archive(
            [BundleEntry("a", data=b"1"), BundleEntry("a", data=b"2")], out / "a.mcpb", epoch=0
        )
    with pytest.raises(BundleError, match="inside file member"):
        write_archive(
            [BundleEntry("a", data=b"1"), BundleEntry("a/b", data=b"2")], out / "a.mcpb", epoch=0
        )
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("victim", ["server/lib/util.js", BIG_FILE])
def test_failure_mid_write_leaves_nothing(tree: Path, out: Path, victim: str) -> None:
    dest = out / "demo.mcpb"
    dest.write_bytes(b"previous bundle")
    entries = collect_files(tree, IgnoreRules.for_tree(tree))
    (tree / victim).unlink()
    with pytest.raises(InvalidInputError) as caught:
        write_archive(entries, dest, epoch=EPOCH)
    assert victim in caught.value.one_line()
    assert dest.read_bytes() == b"previous bundle"
    assert [p.name for p in out.iterdir()] == ["demo.mcpb"]  # no temporary file left


@pytest.mark.parametrize("victim", ["server/index.js", BIG_FILE])
def test_file_changing_size_is_an_error(tree: Path, out: Path, victim: str) -> None:
    entries = collect_files(tree, IgnoreRules.for_tree(tree))
    with (tree / victim).open("ab") as fh:
        fh.write(b"appended after collection")
    with pytest.raises(InvalidInputError, match="changed while the bundle was written"):
        write_archive(entries, out / "a.mcpb", epoch=EPOCH)
    assert list(out.iterdir()) == []


def test_unreadable_source_is_invalid_input(tmp_path: Path, out: Path) -> None:
    directory = tmp_path / "not-a-file"
    directory.mkdir()
    with pytest.raises(InvalidInputError, match="cannot read file") as caught:
        write_archive([BundleEntry("x", path=directory, size=0)], out / "a.mcpb", epoch=0)
    assert str(directory) in caught.value.one_line()
    assert list(out.iterdir()) == []


def test_missing_output_directory(tree: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="output directory does not exist"):
        pack(tree, tmp_path / "nowhere" / "a.mcpb")


def test_output_dir_inside_tree_is_not_packed(tree: Path) -> None:
    out = tree / "dist-out"
    out.mkdir()
    (out / "notes.txt").write_text("previous build output")
    rules = IgnoreRules.for_tree(tree, exclude_dirs=[out])
    first = write_archive(collect_files(tree, rules), out / "a.mcpb", epoch=EPOCH)
    second = write_archive(collect_files(tree, rules), out / "b.mcpb", epoch=EPOCH)
    assert first.sha256 == second.sha256
    assert not any(f.path.startswith("dist-out/") for f in first.files)


def test_many_members_use_zip64_end_record(out: Path) -> None:
    count = 70_000  # above the 16-bit member count of the classic end record
    entries = [BundleEntry(f"f/{i:05d}", data=b"") for i in range(count)]
    result = write_archive(entries, out / "a.mcpb", epoch=EPOCH)
    with zipfile.ZipFile(out / "a.mcpb") as zf:
        assert len(zf.infolist()) == count
        assert zf.testzip() is None
    assert result.sha256 == sha256_file(out / "a.mcpb")


@pytest.mark.slow
def test_member_over_2gib_uses_zip64(tmp_path: Path, out: Path) -> None:
    sparse = tmp_path / "sparse.bin"
    size = (1 << 31) + 12345
    with sparse.open("wb") as fh:
        fh.truncate(size)
    result = write_archive(
        [BundleEntry("sparse.bin", path=sparse, size=size)], out / "a.mcpb", epoch=EPOCH
    )
    with zipfile.ZipFile(out / "a.mcpb") as zf:
        info = zf.getinfo("sparse.bin")
        assert info.file_size == size
        digest = hashlib.sha256()
        with zf.open(info) as member:
            while chunk := member.read(CHUNK_SIZE * 8):
                digest.update(chunk)
    assert result.files[0].sha256 == digest.hexdigest()


def test_timing_10000_small_files(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "many"
    for i in range(10_000):
        directory = root / f"pkg{i % 100:02d}"
        if i < 100:
            directory.mkdir(parents=True)
        (directory / f"m{i}.js").write_bytes(b"module.exports = %d;\n" % i * (1 + i % 20))
    started = time.perf_counter()
    entries = collect_files(root, IgnoreRules.for_tree(root))
    collected = time.perf_counter()
    result = write_archive(entries, out / "many.mcpb", epoch=EPOCH)
    done = time.perf_counter()
    assert len(result.files) == 10_000
    with capsys.disabled():
        print(
            f"\n[timing] 10,000 small files: collect {collected - started:.2f}s, "
            f"write {done - collected:.2f}s, {result.size / 1e6:.1f} MB archive"
        )
