"""Fixtures for the attest tests: small server trees, keys, GitHub Actions variables, the CLI.

Shared constants and helpers live in ``attest_support`` / ``attest_checks``: test
directories have no ``__init__.py``, so module names must be unique across ``tests/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from attest_support import CLEARED_VARIABLES, GITHUB_ENV, Run, make_tree

from mtf_action._cli import main
from mtf_action.attest.names import AssetNames, asset_names
from mtf_action.signing.keygen import KeyPairFiles, write_key_pair


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests decide whether they run "in GitHub Actions"; a CI runner's own variables
    # must not leak in. sigstore-python's TUF cache is private to each test.
    for name in CLEARED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def github_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Run "inside GitHub Actions" (the variables of a tag push)."""
    for name, value in GITHUB_ENV.items():
        monkeypatch.setenv(name, value)
    return dict(GITHUB_ENV)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "tiny")


@pytest.fixture
def names() -> AssetNames:
    return asset_names("acme-tiny-1.0.0")


@pytest.fixture
def key_pair(tmp_path: Path) -> KeyPairFiles:
    return write_key_pair(tmp_path / "keys")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., Run]]:
    def run(*argv: str | Path) -> Run:
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
