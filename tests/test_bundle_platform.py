"""Per-platform bundle names (mcpb-pack's output/platform-os/platform-arch) and portability.

``pipx run mtf-attest build`` runs on macOS and Windows runners in the
multi-platform flow, so the build path is also checked for POSIX-only calls.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mtf_action.build import BuildOptions, build_bundle
from mtf_action.bundle.naming import bundle_filename
from mtf_action.bundle.platform import (
    Platform,
    excluded_by_manifest,
    platform_from,
    platform_of_file,
)
from mtf_action.console import Reporter
from mtf_action.errors import UsageError


def test_platform_names_follow_mcpb_pack() -> None:
    assert bundle_filename("@acme/w", "1.0.0", platform=Platform("darwin", "arm64")) == (
        "acme-w-1.0.0-darwin-arm64.mcpb"
    )
    # A universal bundle keeps the plain name; a partial platform fills in "any".
    assert bundle_filename("@acme/w", "1.0.0", platform=Platform()) == "acme-w-1.0.0.mcpb"
    assert bundle_filename("w", "1", platform=platform_from("linux", "")) == "w-1-linux-any.mcpb"
    assert bundle_filename("w", "1", "{name}-{os}.mcpb", Platform("win32", "x64")) == "w-win32.mcpb"
    assert bundle_filename("w", "1", "{name}-{arch}.mcpb") == "w-any.mcpb"
    assert platform_from(None, " ") is None


@pytest.mark.parametrize(
    ("os_name", "arch"), [("windows", "x64"), ("linux", "amd64"), ("Darwin", "arm64"), ("", "x86")]
)
def test_unknown_platform_names_are_usage_errors(os_name: str, arch: str) -> None:
    with pytest.raises(UsageError):
        platform_from(os_name, arch)


@pytest.mark.parametrize("template", ["{name}..{version}.mcpb", "{os}/{name}.mcpb", "..mcpb"])
def test_names_stay_plain_file_names(template: str) -> None:
    with pytest.raises(UsageError):
        bundle_filename("x", "1", template, Platform("linux", "x64"))


def test_platform_read_back_from_a_file_name() -> None:
    assert platform_of_file("acme-w-1.0.0-darwin-arm64.mcpb") == Platform("darwin", "arm64")
    assert platform_of_file("acme-w-1.0.0-any-any.mcpb") == Platform()
    assert platform_of_file("acme-w-1.0.0.mcpb") is None
    assert platform_of_file("acme-linux-1.0.0.mcpb") is None


def test_manifest_platforms_warning() -> None:
    assert excluded_by_manifest(Platform("darwin", "arm64"), ["linux"]) is not None
    assert excluded_by_manifest(Platform("linux", "x64"), ["linux"]) is None
    assert excluded_by_manifest(Platform("darwin", "x64"), []) is None  # nothing declared
    assert excluded_by_manifest(Platform("any", "x64"), ["linux"]) is None


# -- portability of the build path -------------------------------------------------

# Calls that do not exist on Windows (AttributeError there) or behave POSIX-only.
POSIX_ONLY = {
    "getuid", "geteuid", "getgid", "getegid", "getgroups", "chown", "fchown", "lchown",
    "fchmod", "lchmod", "killpg", "setsid", "getpgid", "fork", "O_NOFOLLOW", "O_DIRECTORY",
    "statvfs", "mkfifo", "getpwuid", "getgrgid", "uname", "sync",
}  # fmt: skip
POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "resource", "posix"}
# POSIX-only calls allowed in a module that guards them (the guard must be there).
GUARDED = {
    "mtf_action.bundle.collect": ("hasattr(os, 'geteuid')", {"geteuid", "getegid", "getgroups"})
}


def _build_modules() -> list[str]:
    # A fresh interpreter: what `mtf-attest build` imports, and nothing else.
    code = (
        "import sys, mtf_action._commands.build, mtf_action.build;"
        "print('\\n'.join(m for m in sys.modules if m.startswith('mtf_action')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return sorted(out.stdout.split())


def test_build_imports_no_posix_only_api() -> None:
    import importlib

    modules = _build_modules()
    assert "mtf_action.vendor.python" in modules and "mtf_action.bundle.archive" in modules
    problems = []
    for name in modules:
        source = importlib.util.find_spec(name)
        assert source is not None and source.origin is not None
        tree = ast.parse(Path(source.origin).read_text(encoding="utf-8"))
        guard, allowed = GUARDED.get(name, ("", set()))
        assert guard in ast.unparse(tree), name
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                roots = (
                    [a.name.split(".")[0] for a in node.names]
                    if isinstance(node, ast.Import)
                    else [(node.module or "").split(".")[0]]
                )
                problems += [f"{name}: import {r}" for r in roots if r in POSIX_MODULES]
            if isinstance(node, ast.Attribute) and node.attr in POSIX_ONLY - allowed:
                problems.append(f"{name}:{node.lineno}: {node.attr}")
    assert problems == []


def test_build_without_posix_user_ids_gives_the_same_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows has no os.geteuid & co: the build must take its other branch and
    # still produce the identical archive.
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "server.py").write_text("print('hi')\n")
    (tree / "manifest.json").write_text(json.dumps({
        "manifest_version": "0.4", "name": "w", "version": "1.0.0", "description": "d",
        "author": {"name": "a"},
        "server": {"type": "python", "entry_point": "server.py",
                   "mcp_config": {"command": "python", "args": ["server.py"]}},
    }))  # fmt: skip

    def build(out: str) -> str:
        opts = BuildOptions(tree, tmp_path / out, vendor=False, source_date_epoch=1_700_000_000)
        return build_bundle(opts, Reporter(quiet=True)).bundle.sha256

    native = build("native")
    for name in ("geteuid", "getegid", "getgroups", "getuid"):
        monkeypatch.delattr(os, name, raising=False)
    assert build("windows-like") == native
