"""Walking the source tree: order, metadata, symlinks, special files, bad names."""

from __future__ import annotations

import builtins
import io
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

import mtf_action.bundle.collect as collect_module
from bundle_trees import BIG_FILE, TREE_FILES, make_tree
from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.bundle.model import BundleEntry
from mtf_action.bundle.reader import SafeBundle
from mtf_action.errors import InvalidInputError


def collect(root: Path, **kwargs: Any) -> list[BundleEntry]:
    return collect_files(root, IgnoreRules.for_tree(root), **kwargs)


def test_entries_sorted_with_size_and_executable(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    found = collect(root)
    assert [e.arcname for e in found] == sorted([*TREE_FILES, BIG_FILE])
    by_name = {e.arcname: e for e in found}
    assert by_name["bin/run.sh"].executable
    assert not by_name["manifest.json"].executable
    assert by_name["empty.txt"].size == 0
    assert by_name["server/lib/util.js"].size == len(TREE_FILES["server/lib/util.js"])
    assert all(e.data is None and e.path is not None and e.path.is_file() for e in found)


def test_sorted_by_utf8_bytes(tmp_path: Path) -> None:
    for name in ("b", "a.txt", "a/z", "\u00e9", "Z", "a-b"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name)
    names = [e.arcname for e in collect(tmp_path)]
    assert names == sorted(names, key=lambda n: n.encode("utf-8"))
    assert names == ["Z", "a-b", "a.txt", "a/z", "b", "\u00e9"]


@pytest.mark.parametrize("prefix", ["deps", "deps/", "/deps/"])
def test_arc_prefix(tmp_path: Path, prefix: str) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    assert [e.arcname for e in collect(tmp_path, arc_prefix=prefix)] == ["deps/pkg/mod.py"]


def test_collect_reads_no_file_contents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path)
    rules = IgnoreRules.for_tree(root)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"file opened during collection: {args[0]!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    assert len(collect_files(root, rules)) == len(TREE_FILES) + 1


def test_exclude_dirs_argument(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "stale.txt").write_text("old")
    (tmp_path / "keep.txt").write_text("keep")
    found = collect(tmp_path, exclude_dirs=[tmp_path / "out"])
    assert [e.arcname for e in found] == ["keep.txt"]
    assert found.ignored_count == 1


def test_symlink_to_file_inside_is_packed_as_regular_file(tmp_path: Path) -> None:
    root = tmp_path / "src"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "real.sh").write_text("#!/bin/sh\necho real\n")
    (root / "lib" / "real.sh").chmod(0o755)
    (root / "run.sh").symlink_to("lib/real.sh")
    found = {e.arcname: e for e in collect(root)}
    assert set(found) == {"lib/real.sh", "run.sh"}
    assert found["run.sh"].executable
    assert found["run.sh"].size == (root / "lib" / "real.sh").stat().st_size
    out = tmp_path / "out"
    out.mkdir()
    write_archive(found.values(), out / "a.mcpb", epoch=0)
    with SafeBundle(out / "a.mcpb") as bundle:  # the reader refuses symlink members
        assert bundle.read("run.sh") == b"#!/bin/sh\necho real\n"


def test_symlink_escaping_tree_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InvalidInputError, match="outside the source tree") as caught:
        collect(root)
    assert "leak.txt" in caught.value.one_line()


@pytest.mark.parametrize("target", [".env", ".git/config", "old.mcpb"])
def test_symlink_to_never_packed_file_is_refused(tmp_path: Path, target: str) -> None:
    (tmp_path / target).parent.mkdir(exist_ok=True)
    (tmp_path / target).write_text("TOKEN=secret")
    (tmp_path / "innocent.txt").symlink_to(target)
    with pytest.raises(InvalidInputError, match="never packed") as caught:
        collect(tmp_path)
    assert "innocent.txt" in caught.value.one_line()


def test_dangling_and_looping_symlinks_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to("missing-target")
    with pytest.raises(InvalidInputError, match="dangling symbolic link"):
        collect(tmp_path)
    (tmp_path / "dangling").unlink()
    (tmp_path / "loop-a").symlink_to("loop-b")
    (tmp_path / "loop-b").symlink_to("loop-a")
    with pytest.raises(InvalidInputError, match="loop-"):
        collect(tmp_path)


def test_directory_symlink_is_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.js").write_text("a")
    (tmp_path / "alias").symlink_to("real", target_is_directory=True)
    found = collect(tmp_path)
    assert [e.arcname for e in found] == ["real/a.js"]
    assert [s.path for s in found.skipped] == ["alias"]
    assert "not followed" in str(found.skipped[0])


def test_ignored_symlink_is_silent(tmp_path: Path) -> None:
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / ".bin").symlink_to("/usr/bin", target_is_directory=True)
    (tmp_path / "debug.log").symlink_to("/etc/hostname")
    found = collect(tmp_path)
    assert list(found) == []
    assert found.skipped == []


def test_fifo_is_refused_unless_ignored(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.log")  # ignored by "*.log": never inspected
    assert list(collect(tmp_path)) == []
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InvalidInputError, match="refusing to pack a FIFO") as caught:
        collect(tmp_path)
    assert "pipe" in caught.value.one_line()


def test_socket_is_refused(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(tmp_path / "s"))
        with pytest.raises(InvalidInputError, match="refusing to pack a socket"):
            collect(tmp_path)
    finally:
        sock.close()


def test_non_utf8_file_name_is_refused(tmp_path: Path) -> None:
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"latin-1 name")
    with pytest.raises(InvalidInputError, match="not valid UTF-8"):
        collect(tmp_path)


def test_unlistable_directory_is_invalid_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> Any:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(collect_module.os, "scandir", scandir)
    with pytest.raises(InvalidInputError, match="cannot list directory") as caught:
        collect(tmp_path)
    assert "locked" in caught.value.one_line()


def test_unreadable_file_is_invalid_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "private.key"
    target.write_text("k")
    target.chmod(0o600)
    owner = target.stat().st_uid
    # Pretend to be another, unprivileged user, so the mode bits deny reading.
    monkeypatch.setattr(collect_module.os, "geteuid", lambda: owner + 4242)
    monkeypatch.setattr(collect_module.os, "getegid", lambda: 4242)
    monkeypatch.setattr(collect_module.os, "getgroups", lambda: [4242])
    with pytest.raises(InvalidInputError, match="not readable") as caught:
        collect(tmp_path)
    assert "private.key" in caught.value.one_line()
    target.chmod(0o604)
    assert [e.arcname for e in collect(tmp_path)] == ["private.key"]


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="not a directory"):
        collect_files(tmp_path / "absent", IgnoreRules())


def test_executable_bit_from_any_x(tmp_path: Path) -> None:
    for mode, name in ((0o744, "user"), (0o654, "group"), (0o645, "other"), (0o644, "none")):
        (tmp_path / name).write_text(name)
        (tmp_path / name).chmod(mode)
    flags = {e.arcname: e.executable for e in collect(tmp_path)}
    assert flags == {"user": True, "group": True, "other": True, "none": False}
    assert stat.S_IMODE((tmp_path / "none").stat().st_mode) == 0o644
