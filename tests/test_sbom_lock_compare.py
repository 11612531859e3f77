"""Lockfile vs vendored tree: missing, extra and version mismatches (SC-01, SC-03)."""

from __future__ import annotations

from pathlib import Path

from mtf_action.lockfiles.package_lock import read_package_lock
from mtf_action.lockfiles.requirements import read_requirements
from mtf_action.lockfiles.uv import read_uv_lock
from mtf_action.sbom.lock_compare import compare_lock
from mtf_action.sbom.model import Component, DependencyGraph, Inventory

DATA = Path(__file__).parent / "data" / "lockfiles"
LINUX = {"sys_platform": "linux"}


def inventory(*pairs: tuple[str, str], ecosystem: str = "pypi") -> Inventory:
    return Inventory(
        components=tuple(Component(n, v, ecosystem) for n, v in pairs),  # type: ignore[arg-type]
        graph=DependencyGraph(),
    )


UV_LINUX = [
    ("annotated-types", "0.7.0"), ("click", "8.1.8"), ("mcp", "1.9.4"),
    ("pydantic", "2.11.7"), ("python-dotenv", "1.1.0"), ("typer", "0.16.0"),
]  # fmt: skip


def test_matching_install_has_no_discrepancy() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    assert compare_lock(lock, inventory(*UV_LINUX), environment=LINUX) == []
    # PEP 440 equal versions are equal: 0.7 == 0.7.0.
    same = [("annotated_types", "0.7"), *UV_LINUX[1:]]
    assert compare_lock(lock, inventory(*same), environment=LINUX) == []


def test_missing_extra_and_mismatch_are_reported() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    vendored = [p for p in UV_LINUX if p[0] != "typer"]
    vendored = [("pydantic", "2.10.0") if n == "pydantic" else (n, v) for n, v in vendored]
    vendored += [("pytest", "8.4.1"), ("requests", "2.32.0"), ("colorama", "0.4.6")]
    assert compare_lock(lock, inventory(*vendored), environment=LINUX) == [
        "colorama 0.4.6: vendored but uv.lock excludes it on this platform",
        "pydantic: uv.lock pins 2.11.7 but 2.10.0 was vendored",
        "pytest 8.4.1: vendored but a development-only dependency in uv.lock",
        "requests 2.32.0: vendored but not in uv.lock",
        "typer 0.16.0: pinned in uv.lock but not vendored",
    ]


def test_windows_expects_colorama() -> None:
    lock = read_uv_lock(DATA / "uv.lock")
    problems = compare_lock(lock, inventory(*UV_LINUX), environment={"sys_platform": "win32"})
    assert problems == ["colorama 0.4.6: pinned in uv.lock but not vendored"]


def test_npm_optional_may_be_absent() -> None:
    lock = read_package_lock(DATA / "package-lock.json")
    runtime = [(p.name, p.version) for p in lock.runtime_packages() if p.name != "fsevents"]
    assert compare_lock(lock, inventory(*runtime, ecosystem="npm")) == []
    without_zod = [p for p in runtime if p[0] != "zod"]
    assert compare_lock(lock, inventory(*without_zod, ecosystem="npm")) == [
        "zod 3.25.67: pinned in package-lock.json but not vendored"
    ]


def test_unhashed_requirements_allow_unlisted_transitive_deps(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("alpha==1.0.0\n")
    lock = read_requirements(req)
    assert compare_lock(lock, inventory(("alpha", "1.0.0"), ("beta", "2.0.0"))) == []
