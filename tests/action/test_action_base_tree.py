"""Exporting the base commit's tree (git archive into RUNNER_TEMP) and the run link."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mtf_action.action.base_tree import FETCH_HINT, export_base
from mtf_action.action.inputs import read_inputs
from mtf_action.action.main import Run
from mtf_action.action.outputs import Workflow
from mtf_action.action.pull_request import run_url


def _git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return proc.stdout.strip()


def _run(workspace: Path, tmp_path: Path, path: str | None = None) -> Run:
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    env = {
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_TEMP": str(temp),
        "PATH": os.environ["PATH"] if path is None else path,
        "INPUT_DIRECTORY": "server",
    }
    return Run(env, Workflow(env, io.StringIO()), read_inputs(env))


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    ws = tmp_path / "ws"
    (ws / "server" / "lib").mkdir(parents=True)
    (ws / "server" / "main.py").write_text("print('base')\n")
    (ws / "server" / "lib" / "util.py").write_text("X = 1\n")
    (ws / "server" / "link.py").symlink_to("main.py")  # inside the tree: kept
    (ws / "server" / "escape").symlink_to("/etc/passwd")  # leaves the tree: skipped
    (ws / "other.txt").write_text("not scanned\n")
    _git(ws, "init", "-q")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-q", "-m", "base")
    base = _git(ws, "rev-parse", "HEAD")
    (ws / "server" / "main.py").write_text("print('head')\n")
    (ws / "server" / "new.py").write_text("N = 2\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-q", "-m", "head")
    (ws / "server" / "uncommitted.py").write_text("U = 3\n")
    return ws, base


def test_base_tree_is_exported_outside_the_workspace(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    ws, base = repo
    run = _run(ws, tmp_path)
    status = _git(ws, "status", "--porcelain")
    tree = export_base(run, base)
    assert tree.note is None and tree.source is not None
    assert tree.source.is_relative_to(tmp_path / "runner-temp")
    files = sorted(p.relative_to(tree.source).as_posix() for p in tree.source.rglob("*"))
    assert files == ["lib", "lib/util.py", "link.py", "main.py"]
    assert (tree.source / "main.py").read_text() == "print('base')\n"
    assert (tree.source / "link.py").is_symlink()
    assert _git(ws, "status", "--porcelain") == status  # workspace untouched
    run.close()
    assert not tree.source.exists()


@pytest.mark.parametrize(
    ("sha", "expected"),
    [
        ("f" * 40, f"base commit ffffffffffff is not in the checkout; {FETCH_HINT}"),
        ("--output=/tmp/x", "is not a commit id"),
        ("abc123", "is not a commit id"),
    ],
)
def test_unusable_base_commits_are_explained(
    repo: tuple[Path, str], tmp_path: Path, sha: str, expected: str
) -> None:
    tree = export_base(_run(repo[0], tmp_path), sha)
    assert tree.source is None and tree.note is not None and expected in tree.note


def test_no_git_or_no_checkout_is_explained(repo: tuple[Path, str], tmp_path: Path) -> None:
    ws, base = repo
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    tree = export_base(_run(ws, tmp_path, path=str(empty)), base)
    assert tree.note == f"base commit {base[:12]} not compared: git is not installed here"
    plain = tmp_path / "plain"
    shutil.copytree(ws / "server", plain / "server", symlinks=True)
    tree = export_base(_run(plain, tmp_path), base)
    assert tree.note is not None and "the workspace is not a git checkout" in tree.note


def test_run_url() -> None:
    env = {"GITHUB_SERVER_URL": "https://github.com/", "GITHUB_REPOSITORY": "acme/units",
           "GITHUB_RUN_ID": "42"}  # fmt: skip
    assert run_url(env) == "https://github.com/acme/units/actions/runs/42"
    assert run_url(env | {"GITHUB_RUN_ATTEMPT": "3"}) == (
        "https://github.com/acme/units/actions/runs/42/attempts/3"
    )
    assert run_url(env | {"GITHUB_RUN_ID": ""}) is None
