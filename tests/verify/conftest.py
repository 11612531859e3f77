"""Fixtures for the verify tests: real Sigstore data, isolated caches, key-signed releases."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_kit import (
    KeyMaterial,
    ReleaseDir,
    attest_release,
    copy_release,
    make_key,
    write_source,
)


@pytest.fixture(scope="session")
def sigstore_data(shared_dir: Path) -> Path:
    """Real bundles, artifacts and trusted roots (see its SOURCES.md)."""
    path = shared_dir / "data" / "sigstore"
    if not (path / "manifest.json").is_file():
        pytest.fail(f"shared Sigstore data missing at {path}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def production_root(sigstore_data: Path) -> Path:
    return sigstore_data / "trusted_root" / "production.trusted_root.json"


@pytest.fixture(autouse=True)
def _isolated_sigstore_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # sigstore-python keeps its TUF cache under the XDG directories: tests neither read
    # a developer's cache nor write into their home, and --offline falls back to the
    # trusted root embedded in sigstore-python.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


# -- key-signed releases made by attest, once per session, copied per test -----------


@pytest.fixture(scope="session")
def key_material(tmp_path_factory: pytest.TempPathFactory) -> KeyMaterial:
    return make_key(tmp_path_factory.mktemp("key"))


def _key_signed(
    factory: pytest.TempPathFactory,
    keys: KeyMaterial,
    *,
    version: str = "1.0.0",
    level: int = 1,
    expect: int = 0,
) -> ReleaseDir:
    root = factory.mktemp(f"key-release-{version}-l{level}")
    source = write_source(root / "src", version=version, level=level)
    return attest_release(
        source, root / "out", "--sign", "key", "--key", keys.private_file, expect=expect
    )


@pytest.fixture(scope="session")
def key_release_session(
    tmp_path_factory: pytest.TempPathFactory, key_material: KeyMaterial
) -> ReleaseDir:
    return _key_signed(tmp_path_factory, key_material)


@pytest.fixture(scope="session")
def key_release_next_version(
    tmp_path_factory: pytest.TempPathFactory, key_material: KeyMaterial
) -> ReleaseDir:
    """The same package at 1.0.1, signed by the same key."""
    return _key_signed(tmp_path_factory, key_material, version="1.0.1")


@pytest.fixture(scope="session")
def key_release_overclaimed(
    tmp_path_factory: pytest.TempPathFactory, key_material: KeyMaterial
) -> ReleaseDir:
    """A manifest claiming MTF level 3 that the bundle does not reach (attest exits 1)."""
    return _key_signed(tmp_path_factory, key_material, level=3, expect=1)


@pytest.fixture
def key_release(key_release_session: ReleaseDir, tmp_path: Path) -> ReleaseDir:
    """A fresh copy of the key-signed 1.0.0 release, free to tamper with."""
    return copy_release(key_release_session, tmp_path / "release")
