"""vendor_python: lockfile-driven, hash-verified, reproducible ``deps/`` (SC-01, SC-03, AI-04).

pip runs for real against a wheelhouse of tiny wheels built here
(``PIP_NO_INDEX=1 PIP_FIND_LINKS=<dir>``): nothing reaches PyPI.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from mtf_action.console import Reporter
from mtf_action.errors import VendorError
from mtf_action.lockfiles.poetry import read_poetry_lock
from mtf_action.vendor._pip_target import binary_wheel_tags
from mtf_action.vendor.python import poetry_requirements, vendor_python
from pkg_factory import build_wheelhouse, write_uv_project

pytestmark = pytest.mark.slow


@dataclass
class Wheelhouse:
    path: Path
    sha: dict[str, str]


@pytest.fixture
def wheelhouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Wheelhouse:
    house = tmp_path / "wheels"
    sha = build_wheelhouse(house)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(house))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    return Wheelhouse(house, sha)


def uv_project(root: Path, house: Wheelhouse) -> Path:
    return write_uv_project(root, house.sha)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def installed(root: Path) -> set[str]:
    return {p.name for p in root.glob("*.dist-info")}


def quiet() -> Reporter:
    return Reporter(quiet=True, stream=io.StringIO())


def test_uv_lock_installs_runtime_closure_only(tmp_path: Path, wheelhouse: Wheelhouse) -> None:
    source = uv_project(tmp_path / "src", wheelhouse)
    before = tree_digest(source)
    result = vendor_python(source, tmp_path / "deps", reporter=quiet())
    assert installed(result.root) == {"alpha-1.0.0.dist-info", "beta-2.0.0.dist-info"}
    assert result.arc_prefix == "deps" and result.tool == "uv export + pip"
    assert result.lockfile is not None and result.lockfile.kind == "uv.lock"
    assert result.direct == ("alpha>=1",)
    # The verified wheel digests are reported for the SBOM.
    assert {a.name: a.hashes for a in result.artifacts} == {
        "alpha": (f"sha256:{wheelhouse.sha['alpha']}",),
        "beta": (f"sha256:{wheelhouse.sha['beta']}",),
    }
    assert tree_digest(source) == before  # nothing written into the source tree


def test_install_is_reproducible_and_machine_independent(
    tmp_path: Path, wheelhouse: Wheelhouse
) -> None:
    source = uv_project(tmp_path / "src", wheelhouse)
    first = vendor_python(source, tmp_path / "one" / "deps", reporter=quiet())
    second = vendor_python(source, tmp_path / "two" / "elsewhere", reporter=quiet())
    assert tree_digest(first.root) == tree_digest(second.root)
    files = tree_digest(first.root)
    assert not any(name.startswith("bin/") or "__pycache__" in name for name in files)
    assert not any("bin/" in n for n in first.notes)  # routine: debug output only
    record = (first.root / "alpha-1.0.0.dist-info" / "RECORD").read_text()
    assert "bin/" not in record and "alpha/__init__.py" in record
    assert str(tmp_path) not in "".join(
        p.read_text(errors="replace") for p in first.root.rglob("*") if p.is_file()
    )


def test_hashed_requirements_txt(tmp_path: Path, wheelhouse: Wheelhouse) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "requirements.txt").write_text(
        f"alpha==1.0.0 --hash=sha256:{wheelhouse.sha['alpha']}\n"
        f"beta==2.0.0 \\\n    --hash=sha256:{wheelhouse.sha['beta']}\n"
    )
    result = vendor_python(source, tmp_path / "deps", reporter=quiet())
    assert installed(result.root) == {"alpha-1.0.0.dist-info", "beta-2.0.0.dist-info"}
    assert result.lockfile is not None and result.lockfile.kind == "requirements.txt"
    assert not any("no hashes" in n for n in result.notes)


def test_hash_mismatch_fails_with_one_line(tmp_path: Path, wheelhouse: Wheelhouse) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "requirements.txt").write_text(f"alpha==1.0.0 --hash=sha256:{'0' * 64}\n")
    with pytest.raises(VendorError) as caught:
        vendor_python(source, tmp_path / "deps", reporter=quiet())
    message = caught.value.one_line()
    assert message.startswith(f"{source / 'requirements.txt'}: pip failed (exit 1):")
    assert "DO NOT MATCH THE HASHES" in message and "\n" not in message
    assert len(message) < 400


def test_poetry_lock_is_converted_to_hashed_requirements(
    tmp_path: Path, wheelhouse: Wheelhouse
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "demo"\nversion = "0.1.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nalpha = "^1.0"\n\n'
        '[tool.poetry.group.dev.dependencies]\ndelta = "^4"\n'
    )

    def entry(name: str, version: str, deps: str = "") -> str:
        sha = wheelhouse.sha[name]
        return (
            f'[[package]]\nname = "{name}"\nversion = "{version}"\ndescription = ""\n'
            f'optional = false\npython-versions = "*"\nfiles = [\n'
            f'    {{file = "{name}-{version}-py3-none-any.whl", hash = "sha256:{sha}"}},\n]\n'
            f"{deps}\n"
        )

    (source / "poetry.lock").write_text(
        entry("alpha", "1.0.0", '\n[package.dependencies]\nbeta = ">=2"\n')
        + entry(
            "beta",
            "2.0.0",
            '\n[package.dependencies]\ngamma = {version = "*", '
            'markers = "sys_platform == \\"win32\\""}\n',
        )
        + entry("delta", "4.0.0")
        + entry("gamma", "3.0.0")
        + '[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "x"\n'
    )
    lock = read_poetry_lock(source / "poetry.lock")
    text = poetry_requirements(lock)
    assert text.splitlines() == [
        f"alpha==1.0.0 --hash=sha256:{wheelhouse.sha['alpha']}",
        f"beta==2.0.0 --hash=sha256:{wheelhouse.sha['beta']}",
    ]
    result = vendor_python(source, tmp_path / "deps", reporter=quiet())
    assert installed(result.root) == {"alpha-1.0.0.dist-info", "beta-2.0.0.dist-info"}
    assert result.lockfile is not None and result.lockfile.kind == "poetry.lock"


def test_pyproject_without_lockfile_resolves_and_says_so(
    tmp_path: Path, wheelhouse: Wheelhouse
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["alpha"]\n'
    )
    result = vendor_python(source, tmp_path / "deps", reporter=quiet())
    assert installed(result.root) == {"alpha-1.0.0.dist-info", "beta-2.0.0.dist-info"}
    assert result.lockfile is None
    assert "no lockfile: versions not pinned" in " ".join(result.notes)


def test_no_dependencies_gives_empty_result(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0.1.0"\n')
    (source / "manifest.json").write_text('{"compatibility": {"runtimes": {"python": ">=3.99"}}}')
    result = vendor_python(source, tmp_path / "deps", reporter=quiet())
    assert result.tool == "none" and list(result.root.iterdir()) == []
    assert any("manifest asks for python '>=3.99'" in n for n in result.notes)


def test_binary_wheel_tags_are_found(tmp_path: Path) -> None:
    for name, tag in [("pure", "py3-none-any"), ("native", "cp311-cp311-manylinux_2_17_x86_64")]:
        folder = tmp_path / f"{name}-1.0.dist-info"
        folder.mkdir()
        (folder / "WHEEL").write_text(f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {tag}\n")
    assert binary_wheel_tags(tmp_path) == ["cp311-cp311-manylinux_2_17_x86_64"]


def test_refusals(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "d"\n[tool.poetry.dependencies]\npython = "^3.11"\nx = "^1"\n'
    )
    with pytest.raises(VendorError, match="poetry lock"):
        vendor_python(source, tmp_path / "deps", reporter=quiet())
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "file").write_text("x")
    with pytest.raises(VendorError, match="not an empty directory"):
        vendor_python(source, busy, reporter=quiet())


def test_uv_git_dependency_cannot_be_hash_installed(tmp_path: Path, wheelhouse: Wheelhouse) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["gitdep"]\n'
    )
    (source / "uv.lock").write_text(
        'version = 1\nrevision = 2\nrequires-python = ">=3.11"\n\n'
        '[[package]]\nname = "demo"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "gitdep" }]\n\n'
        '[[package]]\nname = "gitdep"\nversion = "1.0.0"\n'
        'source = { git = "https://github.com/o/gitdep?rev=main#'
        '0123456789abcdef0123456789abcdef01234567" }\n'
    )
    with pytest.raises(VendorError, match="cannot install with hashes: gitdep"):
        vendor_python(source, tmp_path / "deps", reporter=quiet())
