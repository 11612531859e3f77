"""vendor_node: ``npm ci`` in a staging copy, offline from a cache prepared here."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError, VendorError
from mtf_action.vendor.node import vendor_node
from pkg_factory import make_npm_tarball

needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not on PATH")
REGISTRY = "https://registry.npmjs.org"


def quiet() -> Reporter:
    return Reporter(quiet=True, stream=io.StringIO())


@pytest.fixture
def npm_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A server depending on ``tiny`` -> ``@demo/dep``, with ``devonly`` as dev dependency;
    tarballs live only in a private offline npm cache."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not on PATH")
    cache = tmp_path / "npm-cache"
    monkeypatch.setenv("npm_config_cache", str(cache))
    monkeypatch.setenv("npm_config_offline", "true")
    monkeypatch.setenv("npm_config_userconfig", str(tmp_path / "no-npmrc"))
    packs = tmp_path / "packs"
    packs.mkdir()
    dep, dep_sri = make_npm_tarball(packs, "@demo/dep", "2.0.0")
    tiny, tiny_sri = make_npm_tarball(packs, "tiny", "1.0.0", dependencies={"@demo/dep": "^2.0.0"})
    subprocess.run(["npm", "cache", "add", str(dep), str(tiny)], check=True, capture_output=True)
    source = tmp_path / "server"
    source.mkdir()
    manifest = {
        "name": "server",
        "version": "0.1.0",
        "dependencies": {"tiny": "1.0.0"},
        "devDependencies": {"devonly": "1.0.0"},
    }
    lock = {
        "name": "server",
        "version": "0.1.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": dict(manifest),
            "node_modules/@demo/dep": {
                "version": "2.0.0",
                "resolved": f"{REGISTRY}/@demo/dep/-/dep-2.0.0.tgz",
                "integrity": dep_sri,
                "license": "MIT",
            },
            "node_modules/devonly": {
                "version": "1.0.0",
                "resolved": f"{REGISTRY}/devonly/-/devonly-1.0.0.tgz",
                "integrity": "sha512-" + "A" * 86 + "==",
                "dev": True,
            },
            "node_modules/tiny": {
                "version": "1.0.0",
                "resolved": f"{REGISTRY}/tiny/-/tiny-1.0.0.tgz",
                "integrity": tiny_sri,
                "license": "MIT",
                "dependencies": {"@demo/dep": "^2.0.0"},
            },
        },
    }
    (source / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (source / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")
    (source / ".npmrc").write_text("//registry.example/:_authToken=secret\n")
    return source


def digest_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@needs_npm
@pytest.mark.slow
@pytest.mark.interop
def test_npm_ci_offline_installs_runtime_tree(tmp_path: Path, npm_project: Path) -> None:
    before = digest_tree(npm_project)
    result = vendor_node(npm_project, tmp_path / "staging", reporter=quiet())
    assert result.root == tmp_path / "staging" / "node_modules"
    assert result.arc_prefix == "node_modules" and result.tool == "npm ci"
    installed = {json.loads(p.read_text())["name"] for p in result.root.rglob("package.json")}
    assert installed == {"tiny", "@demo/dep"}  # devonly omitted
    assert not any(p.is_symlink() for p in result.root.rglob("*"))
    assert not (result.root / ".bin").exists()
    assert {a.name for a in result.artifacts} == {"tiny", "@demo/dep"}
    assert all(a.hashes[0].startswith("sha512:") for a in result.artifacts)
    assert result.direct == ("tiny",)
    assert any(".npmrc was not used" in n for n in result.notes)
    assert digest_tree(npm_project) == before  # the source tree is untouched
    assert not (npm_project / "node_modules").exists()

    again = vendor_node(npm_project, tmp_path / "staging2", reporter=quiet())
    assert digest_tree(again.root) == digest_tree(result.root)


@needs_npm
@pytest.mark.slow
@pytest.mark.interop
def test_npm_failure_is_one_line(
    tmp_path: Path, npm_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "empty-cache"))
    with pytest.raises(VendorError) as caught:
        vendor_node(npm_project, tmp_path / "staging", reporter=quiet())
    message = caught.value.one_line()
    assert message.startswith(f"{npm_project / 'package-lock.json'}: npm failed")
    assert "ENOTCACHED" in message or "cache" in message


def test_missing_npm_is_a_clear_vendor_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "server"
    source.mkdir()
    (source / "package.json").write_text('{"name": "s", "version": "1.0.0"}')
    (source / "package-lock.json").write_text(
        '{"name": "s", "lockfileVersion": 3, "packages": {"": {"name": "s"}}}'
    )
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(VendorError) as caught:
        vendor_node(source, tmp_path / "staging", reporter=quiet())
    assert "npm not found on PATH (needed to vendor a node server; use --no-vendor" in str(
        caught.value
    )


def test_no_lockfile_is_refused_with_advice(tmp_path: Path) -> None:
    source = tmp_path / "server"
    source.mkdir()
    (source / "package.json").write_text('{"name": "s", "version": "1.0.0"}')
    with pytest.raises(VendorError, match="npm ci needs one"):
        vendor_node(source, tmp_path / "staging", reporter=quiet())
    (source / "pnpm-lock.yaml").write_text("lockfileVersion: '9.0'\n")
    with pytest.raises(VendorError, match=r"pnpm-lock\.yaml cannot be installed by npm ci"):
        vendor_node(source, tmp_path / "staging", reporter=quiet())


def test_missing_package_json_and_local_deps(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"no package\.json"):
        vendor_node(tmp_path, tmp_path / "staging", reporter=quiet())
    (tmp_path / "package.json").write_text('{"name": "s", "dependencies": {"lib": "file:../lib"}}')
    (tmp_path / "package-lock.json").write_text(
        json.dumps(
            {
                "lockfileVersion": 3,
                "packages": {
                    "": {"dependencies": {"lib": "file:../lib"}},
                    "node_modules/lib": {"version": "1.0.0", "resolved": "file:../lib"},
                },
            }
        )
    )
    with pytest.raises(VendorError, match=r"local dependencies .*: lib"):
        vendor_node(tmp_path, tmp_path / "staging", reporter=quiet())
