"""package-lock.json (v1-v3) and pnpm-lock.yaml (v6, v9) readers."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles.model import LockedPackage, Lockfile
from mtf_action.lockfiles.package_lock import read_package_lock, resolve_node_dependency
from mtf_action.lockfiles.pnpm import read_pnpm_lock

DATA = Path(__file__).parent / "data" / "lockfiles"


def by_key(lockfile: Lockfile) -> dict[str, LockedPackage]:
    return {p.key: p for p in lockfile.packages}


def test_package_lock_v3_flags_nesting_and_integrity() -> None:
    lock = read_package_lock(DATA / "package-lock.json")
    packages = by_key(lock)
    assert lock.format_version == "3" and lock.projects == ("notes-server",)
    sdk = packages["node_modules/@modelcontextprotocol/sdk"]
    assert (sdk.name, sdk.version, sdk.direct, sdk.dev) == (
        "@modelcontextprotocol/sdk", "1.12.1", True, False,
    )  # fmt: skip
    # Node resolution: raw-body gets its nested iconv-lite, not the hoisted dev one.
    raw_body = packages["node_modules/raw-body"]
    assert raw_body.dependencies == ("node_modules/raw-body/node_modules/iconv-lite",)
    assert packages["node_modules/iconv-lite"].dev
    assert packages["node_modules/fsevents"].optional and not packages["node_modules/fsevents"].dev
    assert packages["node_modules/typescript"].dev
    # SRI base64 -> hex, every algorithm kept.
    ms = packages["node_modules/ms"]
    assert [h.split(":")[0] for h in ms.hashes] == ["sha512", "sha1"]
    integrity = json.loads((DATA / "package-lock.json").read_text())["packages"]["node_modules/ms"]
    first = integrity["integrity"].split()[0].removeprefix("sha512-")
    assert ms.hashes[0] == "sha512:" + base64.b64decode(first).hex()
    # npm alias: folder my-debug holds the package "debug".
    assert packages["node_modules/my-debug"].name == "debug"
    assert packages["node_modules/my-debug"].direct
    assert not packages["node_modules/git-thing"].pinned  # "#main" is a branch
    assert "node_modules/local-ws" not in packages
    assert any("local-ws" in n for n in lock.notes)


def test_package_lock_lines_point_at_entries() -> None:
    lock = read_package_lock(DATA / "package-lock.json")
    lines = (DATA / "package-lock.json").read_text().splitlines()
    for package in lock.packages:
        assert package.line is not None
        assert lines[package.line - 1].strip().startswith(json.dumps(package.key))


def test_package_lock_runtime_excludes_dev() -> None:
    runtime = {p.key for p in read_package_lock(DATA / "package-lock.json").runtime_packages()}
    assert "node_modules/tsx" not in runtime and "node_modules/esbuild" not in runtime
    assert "node_modules/zod" in runtime


def test_package_lock_v1_is_read_and_noted() -> None:
    lock = read_package_lock(DATA / "npm-v1" / "package-lock.json")
    packages = by_key(lock)
    assert any("v1" in n for n in lock.notes)
    nested = "node_modules/express/node_modules/debug/node_modules/ms"
    assert packages[nested].version == "2.0.0"
    assert packages["node_modules/express"].dependencies == (
        "node_modules/accepts", "node_modules/express/node_modules/debug",
    )  # fmt: skip
    assert packages["node_modules/mocha"].dev
    assert packages["node_modules/express"].direct  # from the package.json beside it
    alias = packages["node_modules/lodash-alias"]
    assert (alias.name, alias.version) == ("lodash", "4.17.21")
    assert packages["node_modules/accepts"].hashes[0].startswith("sha1:")


def test_resolve_node_dependency_walks_up() -> None:
    keys = {
        "node_modules/a",
        "node_modules/b",
        "node_modules/a/node_modules/b",
        "node_modules/@s/c",
    }
    assert resolve_node_dependency("node_modules/a", "b", keys) == "node_modules/a/node_modules/b"
    assert resolve_node_dependency("node_modules/@s/c", "b", keys) == "node_modules/b"
    assert resolve_node_dependency("node_modules/a/node_modules/b", "@s/c", keys) == (
        "node_modules/@s/c"
    )
    assert resolve_node_dependency("node_modules/a", "zzz", keys) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"lockfileVersion": 3,\n "packages": {,}}', "line 2"),
        ('{"lockfileVersion": 7, "packages": {}}', "unsupported lockfileVersion"),
        (
            (
                '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1", '
                '"integrity": "sha512-@@@"}}}'
            ),
            "not valid base64",
        ),
        ("[]", "should be a dict"),
    ],
)
def test_package_lock_malformed(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "package-lock.json"
    path.write_text(text)
    with pytest.raises(InvalidInputError, match=problem):
        read_package_lock(path)


def test_pnpm_v9_dev_computed_from_importers() -> None:
    lock = read_pnpm_lock(DATA / "pnpm-v9" / "pnpm-lock.yaml")
    packages = by_key(lock)
    assert lock.format_version == "9.0"
    sdk = packages["@modelcontextprotocol/sdk@1.0.1"]
    assert (sdk.name, sdk.version, sdk.direct, sdk.dev) == (
        "@modelcontextprotocol/sdk", "1.0.1", True, False,
    )  # fmt: skip
    assert sdk.dependencies == ("content-type@1.0.5", "zod@3.23.8")
    assert sdk.hashes[0].startswith("sha512:")
    assert packages["typescript@5.6.3"].dev
    assert not packages["content-type@1.0.5"].dev
    lines = (DATA / "pnpm-v9" / "pnpm-lock.yaml").read_text().splitlines()
    assert "content-type@1.0.5" in lines[packages["content-type@1.0.5"].line - 1]


def test_pnpm_v6_dev_flags() -> None:
    lock = read_pnpm_lock(DATA / "pnpm-v6" / "pnpm-lock.yaml")
    packages = by_key(lock)
    assert packages["express@4.18.2"].dependencies == ("accepts@1.3.8",)
    assert packages["typescript@5.3.3"].dev and not packages["accepts@1.3.8"].dev
    assert packages["express@4.18.2"].direct


def test_pnpm_peer_suffix_and_git_resolution(tmp_path: Path) -> None:
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text(
        """lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      react-thing:
        specifier: ^1.0.0
        version: 1.0.0(react@18.3.1)
      gitdep:
        specifier: github:o/gitdep
        version: https://codeload.github.com/o/gitdep/tar.gz/abc
packages:
  react-thing@1.0.0:
    resolution: {integrity: sha512-AAAA}
  react@18.3.1:
    resolution: {integrity: sha512-BBBB}
  gitdep@https://codeload.github.com/o/gitdep/tar.gz/abc:
    resolution: {type: git, repo: https://github.com/o/gitdep, commit: main}
    version: 2.0.0
snapshots:
  react-thing@1.0.0(react@18.3.1):
    dependencies:
      react: 18.3.1
  react@18.3.1: {}
  gitdep@https://codeload.github.com/o/gitdep/tar.gz/abc: {}
"""
    )
    packages = by_key(read_pnpm_lock(path))
    thing = packages["react-thing@1.0.0(react@18.3.1)"]
    assert (thing.name, thing.version, thing.direct) == ("react-thing", "1.0.0", True)
    assert thing.dependencies == ("react@18.3.1",)
    assert not packages["react@18.3.1"].dev
    git = packages["gitdep@https://codeload.github.com/o/gitdep/tar.gz/abc"]
    assert git.version == "2.0.0" and not git.pinned and git.source.startswith("git+")


def test_pnpm_malformed_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text("lockfileVersion: '9.0'\npackages:\n  a: [\n")
    with pytest.raises(InvalidInputError, match=r"not valid YAML.*line \d"):
        read_pnpm_lock(path)


def test_pnpm_refuses_unsafe_yaml_tags(tmp_path: Path) -> None:
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text("lockfileVersion: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(InvalidInputError, match="not valid YAML"):
        read_pnpm_lock(path)
