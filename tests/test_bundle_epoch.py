"""SOURCE_DATE_EPOCH resolution (MTF AI-04: timestamps normalised)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import mtf_action.bundle.epoch as epoch_module
from mtf_action.bundle.epoch import DEFAULT_EPOCH, resolve_epoch
from mtf_action.errors import UsageError

COMMIT_TIME = 1_600_000_000


def git_repo(path: Path) -> Path:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_AUTHOR_DATE": f"@{COMMIT_TIME - 100} +0000",
        "GIT_COMMITTER_DATE": f"@{COMMIT_TIME} +0000",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    path.mkdir(parents=True, exist_ok=True)
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "initial"]):
        subprocess.run([git, *args], cwd=path, env=env, check=True, capture_output=True)
    return path


def test_explicit_wins(tmp_path: Path) -> None:
    assert resolve_epoch(tmp_path, 42, {"SOURCE_DATE_EPOCH": "7"}) == (42, "--source-date-epoch")


def test_environment_variable(tmp_path: Path) -> None:
    value, origin = resolve_epoch(tmp_path, None, {"SOURCE_DATE_EPOCH": " 1700000000 "})
    assert value == 1_700_000_000
    assert "SOURCE_DATE_EPOCH" in origin


@pytest.mark.parametrize("bad", ["-1", "1.5", "yesterday", "0x10", "1e9", "１２"])
def test_malformed_environment_variable_is_usage_error(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        resolve_epoch(tmp_path, None, {"SOURCE_DATE_EPOCH": bad})


def test_negative_explicit_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        resolve_epoch(tmp_path, -5, {})


def test_empty_environment_variable_counts_as_unset(tmp_path: Path) -> None:
    assert resolve_epoch(tmp_path, None, {"SOURCE_DATE_EPOCH": ""})[0] == DEFAULT_EPOCH


def test_git_head_commit_time(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    (repo / "server").mkdir()
    value, origin = resolve_epoch(repo / "server", None, {})
    assert (value, origin) == (COMMIT_TIME, "git HEAD commit time")


def test_outside_git_falls_back_to_1980(tmp_path: Path) -> None:
    value, origin = resolve_epoch(tmp_path, None, {})
    assert value == DEFAULT_EPOCH == 315532800
    assert "1980-01-01" in origin


def test_missing_git_falls_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "git")

    monkeypatch.setattr(epoch_module.subprocess, "run", no_git)
    assert resolve_epoch(tmp_path, None, {})[0] == DEFAULT_EPOCH


def test_git_timeout_falls_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_git(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired("git", 10)

    monkeypatch.setattr(epoch_module.subprocess, "run", slow_git)
    assert resolve_epoch(tmp_path, None, {})[0] == DEFAULT_EPOCH
