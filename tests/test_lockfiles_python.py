"""uv.lock and poetry.lock readers: runtime closure, hashes, sources, lines (SC-01/SC-03/SC-05)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles.model import LockedPackage, Lockfile
from mtf_action.lockfiles.poetry import read_poetry_lock
from mtf_action.lockfiles.uv import read_uv_lock

DATA = Path(__file__).parent / "data" / "lockfiles"
LINUX = {"sys_platform": "linux", "python_version": "3.11", "python_full_version": "3.11.9"}


def by_name(lockfile: Lockfile) -> dict[str, LockedPackage]:
    return {p.name: p for p in lockfile.packages}


def test_uv_runtime_closure_follows_extras_and_drops_dev() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    packages = by_name(lock)
    assert lock.projects == ("mcp-echo",)
    assert "mcp-echo" not in packages  # the project itself is not a dependency
    runtime = {p.name for p in lock.runtime_packages()}
    # mcp[cli] pulls typer -> click -> colorama (win32 only) and python-dotenv.
    assert runtime == {
        "annotated-types", "click", "colorama", "mcp", "pydantic", "python-dotenv", "typer",
    }  # fmt: skip
    assert packages["pytest"].dev and packages["iniconfig"].dev
    # rich-extra is only reachable through mcp's unrequested "rich" extra.
    assert packages["rich-extra"].dev
    assert packages["mcp"].direct and not packages["pydantic"].direct


def test_uv_hashes_sources_and_lines() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    packages = by_name(lock)
    click = packages["click"]
    assert len(click.hashes) == 2 and all(h.startswith("sha256:") for h in click.hashes)
    assert click.source == "https://pypi.org/simple"
    assert click.dependency_markers == (("colorama", "sys_platform == 'win32'"),)
    assert (DATA / "uv.lock").read_text().splitlines()[click.line - 1] == "[[package]]"
    assert packages["rich-extra"].source.startswith("git+https://github.com/example/rich-extra")
    assert packages["rich-extra"].pinned  # the lock records the commit
    assert lock.format_version == "1.2"


def test_uv_installable_packages_evaluate_markers() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    linux = {p.name for p in lock.installable_packages(LINUX)}
    windows = {p.name for p in lock.installable_packages({**LINUX, "sys_platform": "win32"})}
    assert "colorama" not in linux
    assert windows - linux == {"colorama"}


def test_uv_requested_groups_and_extras_count_as_runtime() -> None:
    lock = read_uv_lock(DATA / "uv.lock", groups=["dev"])
    assert not by_name(lock)["pytest"].dev


def test_uv_forked_versions_get_distinct_keys(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(
        """version = 1
revision = 2
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.2.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.2.0"
source = { registry = "https://pypi.org/simple" }
"""
    )
    parsed = read_uv_lock(lock)
    assert {p.key for p in parsed.packages} == {"numpy==1.26.4", "numpy==2.2.0"}
    on_311 = parsed.installable_packages({"python_full_version": "3.11.4"})
    assert [p.version for p in on_311] == ["1.26.4"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version = 1\n[[package]\nname = 'x'\n", "not valid TOML"),
        ("[[package]]\nname = 'x'\n", "not a uv lockfile"),
        ("version = 1\n[[package]]\nversion = '1'\n", "has no name"),
        (
            (
                "version = 1\n[[package]]\nname = 'a'\nversion = '1'\n"
                "source = { editable = '.' }\ndependencies = [{ name = 'ghost' }]\n"
            ),
            "'ghost' has no [[package]] entry",
        ),
    ],
)
def test_uv_malformed_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(text)
    with pytest.raises(InvalidInputError) as caught:
        read_uv_lock(lock)
    assert problem in str(caught.value)
    assert str(lock) in caught.value.one_line()


def test_uv_toml_error_reports_line(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text("version = 1\n\n[[package]]\nname = \n")
    with pytest.raises(InvalidInputError, match="line 4"):
        read_uv_lock(lock)


def test_poetry_21_groups_from_pyproject_and_markers() -> None:
    lock = read_poetry_lock(DATA / "poetry-2.1" / "poetry.lock")
    packages = by_name(lock)
    assert lock.format_version == "2.1"
    assert {p.name for p in lock.runtime_packages()} == {
        "anyio", "idna", "sniffio", "typing-extensions",
    }  # fmt: skip
    assert packages["trio"].dev  # extra nobody asked for
    assert packages["pytest"].dev and packages["colorama"].dev
    assert packages["anyio"].direct
    assert packages["anyio"].dependency_markers == (
        ("typing-extensions", '(python_version < "3.13")'),
    )
    on_313 = lock.installable_packages({"python_version": "3.13"})
    assert "typing-extensions" not in {p.name for p in on_313}


def test_poetry_extras_make_optional_packages_runtime() -> None:
    lock = read_poetry_lock(DATA / "poetry-2.1" / "poetry.lock", extras=["trio"])
    assert not by_name(lock)["trio"].dev


def test_poetry_11_category_and_metadata_files() -> None:
    lock = read_poetry_lock(DATA / "poetry-1.1" / "poetry.lock")
    packages = by_name(lock)
    assert packages["mypy"].dev and not packages["httpx"].dev
    assert len(packages["certifi"].hashes) == 2  # from [metadata.files]
    mylib = packages["mylib"]
    assert mylib.source == (
        "git+https://github.com/example/mylib.git#89abcdef0123456789abcdef0123456789abcdef"
    )
    assert mylib.pinned and mylib.hashes == ()


def test_poetry_20_without_groups_says_everything_is_runtime() -> None:
    lock = read_poetry_lock(DATA / "poetry-2.0" / "poetry.lock")
    assert not any(p.dev for p in lock.packages)
    assert any("every package treated as runtime" in n for n in lock.notes)


def test_poetry_20_groups_computed_from_tool_poetry_tables() -> None:
    folder = DATA / "poetry-2.0"
    lock = read_poetry_lock(folder / "poetry.lock", pyproject=folder / "pyproject.toml.sample")
    packages = by_name(lock)
    assert packages["ruff"].dev
    assert packages["fastmcp"].direct and not packages["httpx"].dev
    assert lock.notes == ()


def test_poetry_malformed(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock.write_text('[[package]]\nname = "x"\n')
    with pytest.raises(InvalidInputError, match="lacks name or version"):
        read_poetry_lock(lock)
