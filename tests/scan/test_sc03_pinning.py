"""SC-03 Dependency Pinning: lockfile present, exact versions, integrity hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import bundle_ctx, make_ctx, manifest
from supply_fixtures import cdx, component, dist, node_bundle, python_bundle, tree_ctx  # noqa: F401

from mtf_action.lockfiles.detect import read_lockfile
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.sc01_sbom import SbomGeneration
from mtf_action.scan.controls.sc03_pinning import DependencyPinning
from mtf_action.scan.controls.sc05_sources import TrustedSources
from mtf_action.scan.result import ControlOutcome, Status

LOCKS = Path(__file__).resolve().parents[1] / "data" / "lockfiles"
SHA = "a" * 64
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def run(ctx: ScanContext) -> ControlOutcome:
    return DependencyPinning().evaluate(ctx)


def rules(outcome: ControlOutcome) -> list[str]:
    return sorted(f.rule for f in outcome.findings)


def package_lock(packages: dict[str, dict[str, object]], version: int = 3) -> str:
    root = {"name": "demo", "version": "1.0.0", "dependencies": {}}
    entries = {"": root}
    for key, entry in packages.items():
        root["dependencies"][key.rpartition("node_modules/")[2]] = "*"  # type: ignore[index]
        entries[key] = entry
    return json.dumps({"name": "demo", "lockfileVersion": version, "packages": entries}, indent=2)


# -- the example servers ------------------------------------------------------------------


def test_sc03_examples_pass(python_example_tree: Path, node_bundle: Path) -> None:  # noqa: F811
    tree = run(tree_ctx(python_example_tree))
    assert tree.status_at(4) is Status.PASS, tree.findings
    assert tree.details["lockfiles"] == ["uv.lock"] and tree.details["runtime_packages"] > 20
    with ScanContext.for_bundle(node_bundle, ScanOptions()) as ctx:
        bundle = run(ctx)
    assert bundle.status_at(4) is Status.PASS, bundle.findings
    assert bundle.details["lockfiles"] == ["package-lock.json"]


def test_sc03_read_once_shared_with_sc01_and_sc05(python_bundle: Path) -> None:  # noqa: F811
    with ScanContext.for_bundle(python_bundle, ScanOptions()) as ctx:
        for control in (SbomGeneration(), DependencyPinning(), TrustedSources()):
            control.evaluate(ctx)
        assert ctx.reads["uv.lock"] == 1
        assert max(ctx.reads.values()) == 1


# -- missing lockfile -------------------------------------------------------------------


def test_sc03_no_dependencies_passes_with_a_note(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": ""}, manifest()))
    assert rules(outcome) == ["no-dependencies"]
    assert outcome.status_at(4) is Status.PASS


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["httpx>=0.27"]\n'}, "pyproject.toml"),
        ({"package.json": '{"dependencies": {"zod": "^3"}}'}, "package.json"),
        (dist("httpx", "0.28.1", {"httpx/__init__.py": ""}), None),
    ],
    ids=["pyproject", "package.json", "vendored-only"],
)  # fmt: skip
def test_sc03_missing_lockfile_blocks_from_l2(
    files: dict[str, str], where: str | None, tmp_path: Path
) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": "", **files}, manifest()))
    (finding,) = [f for f in outcome.findings if f.rule == "missing-lockfile"]
    assert finding.blocks_at == 2 and finding.file == where
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


def test_sc03_unread_lockfile_format_is_not_missing_but_warns(tmp_path: Path) -> None:
    files = {"package.json": '{"dependencies": {"zod": "^3"}}', "yarn.lock": "# yarn\n"}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    assert rules(outcome) == ["lockfile-not-inspected"]
    assert outcome.status_at(4) is Status.WARN


def test_sc03_unreadable_lockfile_blocks(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"uv.lock": "version = [unclosed\n"}, manifest()))
    assert rules(outcome) == ["lockfile-unreadable"]
    assert "uv.lock" in outcome.findings[0].description or outcome.findings[0].file == "uv.lock"
    assert outcome.status_at(2) is Status.FAIL


# -- requirements.txt ----------------------------------------------------------------------


def test_sc03_requirements_rules_point_at_lines(tmp_path: Path) -> None:
    text = (
        "# pinned and hashed\n"
        f"idna==3.10 --hash=sha256:{SHA}\n"
        "requests>=2.0\n"
        "anyio==4.9.0\n"
        "git+https://github.com/acme/lib@main#egg=lib\n"
        f"git+https://github.com/acme/tool@{COMMIT}#egg=tool\n"
    )
    outcome = run(make_ctx(tmp_path, {"requirements.txt": text}, manifest()))
    found = {(f.rule, f.line, f.blocks_at) for f in outcome.findings}
    assert found == {
        ("unpinned-dependency", 3, 2),  # range
        ("missing-integrity", 4, 3),  # exact but no hash
        ("unpinned-dependency", 5, 2),  # git branch
    }
    assert outcome.status_at(2) is Status.FAIL


def test_sc03_hash_missing_warns_at_l2_blocks_at_l3(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"requirements.txt": "anyio==4.9.0\n"}, manifest()))
    assert rules(outcome) == ["missing-integrity"]
    assert [outcome.status_at(level) for level in (2, 3)] == [Status.WARN, Status.FAIL]


def test_sc03_fully_hashed_requirements_pass(tmp_path: Path) -> None:
    text = f"anyio==4.9.0 \\\n    --hash=sha256:{SHA}\nidna==3.10 --hash=sha256:{SHA}\n"
    outcome = run(make_ctx(tmp_path, {"requirements.txt": text}, manifest()))
    assert outcome.status_at(4) is Status.PASS, outcome.findings


def test_sc03_many_findings_are_capped_without_changing_status(tmp_path: Path) -> None:
    text = "".join(f"pkg{i}==1.0\n" for i in range(40))
    outcome = run(make_ctx(tmp_path, {"requirements.txt": text}, manifest()))
    assert len(outcome.findings) == 26
    assert outcome.findings[-1].title == "15 more like this (missing-integrity)"
    assert outcome.status_at(3) is Status.FAIL


# -- npm and pnpm ----------------------------------------------------------------------------


def test_sc03_package_lock_without_integrity_points_at_entry(tmp_path: Path) -> None:
    lock = package_lock(
        {
            "node_modules/zod": {
                "version": "3.23.8",
                "resolved": "https://registry.npmjs.org/zod/-/zod-3.23.8.tgz",
                "integrity": "sha512-" + "A" * 86 + "==",
            },
            "node_modules/left-pad": {"version": "1.3.0"},
        }
    )
    files = {"package-lock.json": lock, "package.json": '{"dependencies": {"zod": "^3"}}'}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    (finding,) = outcome.findings
    assert finding.rule == "missing-integrity" and finding.title.startswith("left-pad 1.3.0")
    line = lock.splitlines()[finding.line - 1]  # type: ignore[operator]
    assert '"node_modules/left-pad"' in line


def test_sc03_package_lock_v1_warns(tmp_path: Path) -> None:
    files = {n: (LOCKS / "npm-v1" / n).read_text() for n in ("package-lock.json", "package.json")}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    assert "lockfile-v1" in rules(outcome)
    assert "dependency-not-locked" not in rules(outcome)  # the npm: alias is locked


def test_sc03_declared_but_not_locked_blocks(tmp_path: Path) -> None:
    lock = package_lock({"node_modules/zod": {"version": "3.23.8", "integrity": "sha512-AA=="}})
    package = {"dependencies": {"zod": "^3", "left-pad": "latest", "local": "file:../local"}}
    files = {"package-lock.json": lock, "package.json": json.dumps(package)}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    (finding,) = outcome.findings
    assert finding.rule == "dependency-not-locked" and finding.file == "package.json"
    assert "'latest'" in finding.description and finding.blocks_at == 2


def test_sc03_pnpm_v9_hashed_passes_and_dev_only_is_ignored(tmp_path: Path) -> None:
    files = {"pnpm-lock.yaml": (LOCKS / "pnpm-v9" / "pnpm-lock.yaml").read_text()}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    assert outcome.status_at(4) is Status.PASS, outcome.findings
    stripped = files["pnpm-lock.yaml"].replace(
        "  zod@3.23.8:\n    resolution: {integrity: ", "  zod@3.23.8:\n    resolution: {x: "
    )
    outcome = run(make_ctx(tmp_path / "b", {"pnpm-lock.yaml": stripped}, manifest()))
    assert [f.title for f in outcome.findings] == ["zod 3.23.8 has no integrity hash"]


# -- uv and poetry -----------------------------------------------------------------------------


def test_sc03_poetry_lock_with_pyproject_passes(tmp_path: Path) -> None:
    files = {n: (LOCKS / "poetry-2.1" / n).read_text() for n in ("poetry.lock", "pyproject.toml")}
    outcome = run(make_ctx(tmp_path, files, manifest()))
    assert outcome.status_at(4) is Status.PASS, outcome.findings


def test_sc03_uv_git_source_without_commit_is_unpinned(tmp_path: Path) -> None:
    lock = (
        "version = 1\nrevision = 2\n\n"
        '[[package]]\nname = "demo"\nversion = "1.0"\nsource = { virtual = "." }\n'
        'dependencies = [{ name = "lib" }, { name = "tool" }]\n\n'
        '[[package]]\nname = "lib"\nversion = "0.1"\n'
        'source = { git = "https://github.com/acme/lib?branch=main" }\n\n'
        '[[package]]\nname = "tool"\nversion = "0.2"\n'
        f'source = {{ git = "https://github.com/acme/tool?rev=v2#{COMMIT}" }}\n'
    )
    outcome = run(make_ctx(tmp_path, {"uv.lock": lock}, manifest()))
    assert [(f.rule, f.title, f.line) for f in outcome.findings] == [
        ("unpinned-dependency", "lib is not pinned to an exact version", 10)
    ]


# -- lockfile versus SBOM -------------------------------------------------------------------


def test_sc03_lockfile_sbom_mismatch_warns(tmp_path: Path) -> None:
    text = f"anyio==4.9.0 --hash=sha256:{SHA}\nidna==3.10 --hash=sha256:{SHA}\n"
    sbom = cdx([component("anyio", "4.8.0"), component("idna", "3.10.0")])
    with bundle_ctx(tmp_path, {"requirements.txt": text, "sbom.cdx.json": sbom}, manifest()) as ctx:
        outcome = run(ctx)
    (finding,) = outcome.findings
    assert finding.rule == "lockfile-sbom-mismatch" and finding.line == 1
    assert finding.title == "anyio: requirements.txt pins 4.9.0, the SBOM lists 4.8.0"
    assert outcome.status_at(4) is Status.WARN


# -- lockfile readers fed by the scan context ------------------------------------------------


def test_sc03_lockfile_readers_take_text_from_a_source_not_the_disk(tmp_path: Path) -> None:
    served = {
        tmp_path / "requirements.txt": f"-r base.txt\nanyio==4.9.0 --hash=sha256:{SHA}\n",
        tmp_path / "base.txt": f"idna==3.10 --hash=sha256:{SHA}\n",
        tmp_path / "poetry.lock": (LOCKS / "poetry-2.1" / "poetry.lock").read_text(),
        tmp_path / "pyproject.toml": (LOCKS / "poetry-2.1" / "pyproject.toml").read_text(),
    }
    asked: list[str] = []

    def source(path: Path) -> str | None:
        asked.append(path.name)
        return served.get(path)

    requirements = read_lockfile(tmp_path / "requirements.txt", text_source=source)
    assert sorted(p.name for p in requirements.packages) == ["anyio", "idna"]
    poetry = read_lockfile(tmp_path / "poetry.lock", text_source=source)
    assert {p.name for p in poetry.runtime_packages()} >= {"anyio", "idna"}
    assert "pytest" not in {p.name for p in poetry.runtime_packages()}  # dev group via pyproject
    assert not any(tmp_path.iterdir())  # nothing was on disk
    assert {"base.txt", "pyproject.toml"} <= set(asked)
