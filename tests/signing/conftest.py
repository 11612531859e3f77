"""Fixtures for the signing tests: the shared real Sigstore data, test keys, isolated caches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mtf_action.signing.key_algorithms import KeyAlgorithm
from mtf_action.signing.keygen import generate_private_key
from mtf_action.signing.keys import PrivateKey, load_private_key

KEYS_DIR = Path(__file__).resolve().parent.parent / "data" / "signing"


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
    # sigstore-python keeps its TUF cache under the XDG directories; tests must neither
    # read a developer's cache nor write into their home.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture(scope="session")
def keys_dir() -> Path:
    return KEYS_DIR


@pytest.fixture(scope="session")
def make_key() -> Callable[[str], PrivateKey]:
    """A private key per accepted algorithm name: ecdsa-p256, ecdsa-p384, ed25519, rsa-4096."""

    def make(name: str) -> PrivateKey:
        if name == "rsa-4096":
            return load_private_key(KEYS_DIR / "rsa4096.key")
        return generate_private_key(KeyAlgorithm(name))

    return make
