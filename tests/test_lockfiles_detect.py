"""Which lockfiles a server tree has and which one governs each install."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles.detect import (
    find_lockfiles,
    node_lockfile,
    node_lockfile_path,
    python_lockfile,
    python_lockfile_path,
    read_lockfile,
)

DATA = Path(__file__).parent / "data" / "lockfiles"


def test_find_lockfiles_reads_every_known_file(tmp_path: Path) -> None:
    shutil.copy(DATA / "uv.lock", tmp_path / "uv.lock")
    shutil.copy(DATA / "package-lock.json", tmp_path / "package-lock.json")
    shutil.copy(DATA / "pnpm-v9" / "pnpm-lock.yaml", tmp_path / "pnpm-lock.yaml")
    (tmp_path / "requirements.txt").write_text("idna==3.10\n")
    kinds = [lock.kind for lock in find_lockfiles(tmp_path)]
    assert kinds == ["uv.lock", "requirements.txt", "package-lock.json", "pnpm-lock.yaml"]


def test_precedence(tmp_path: Path) -> None:
    assert python_lockfile(tmp_path) is None and node_lockfile(tmp_path) is None
    (tmp_path / "requirements.txt").write_text("idna==3.10\n")
    shutil.copy(DATA / "poetry-2.1" / "poetry.lock", tmp_path / "poetry.lock")
    assert python_lockfile_path(tmp_path) == tmp_path / "poetry.lock"
    shutil.copy(DATA / "uv.lock", tmp_path / "uv.lock")
    lock = python_lockfile(tmp_path)
    assert lock is not None and lock.kind == "uv.lock"

    shutil.copy(DATA / "package-lock.json", tmp_path / "package-lock.json")
    shutil.copy(DATA / "package-lock.json", tmp_path / "npm-shrinkwrap.json")
    assert node_lockfile_path(tmp_path) == tmp_path / "npm-shrinkwrap.json"
    node = node_lockfile(tmp_path)
    assert node is not None and node.kind == "package-lock.json"


def test_read_lockfile_dispatch(tmp_path: Path) -> None:
    dev = tmp_path / "requirements-dev.txt"
    dev.write_text("pytest==8.3.5\n")
    assert read_lockfile(dev).packages[0].name == "pytest"
    with pytest.raises(InvalidInputError, match="not a lockfile"):
        read_lockfile(tmp_path / "Cargo.lock")
