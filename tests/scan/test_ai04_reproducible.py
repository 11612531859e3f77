"""AI-04 Reproducible Builds: the declaration, and rebuilds when the source is at hand."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import bundle_ctx, make_ctx, manifest, mtf_block, write_files
from supply_fixtures import EPOCH, build_example, dist, node_bundle  # noqa: F401

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.ai04_reproducible import ReproducibleBuilds
from mtf_action.scan.result import ControlOutcome, Status
from mtf_action.scan.supply import rebuild as rebuild_module
from mtf_action.scan.supply.rebuild import bundle_epoch

INSTRUCTIONS = "https://github.com/acme/demo/blob/main/BUILD.md"


def run(ctx: ScanContext) -> ControlOutcome:
    return ReproducibleBuilds().evaluate(ctx)


def rules(outcome: ControlOutcome) -> list[str]:
    return sorted(f.rule for f in outcome.findings)


def declared(reproducible: Any = True, instructions: str | None = INSTRUCTIONS) -> dict[str, Any]:
    raw = manifest()
    build: dict[str, Any] = {}
    if reproducible is not None:
        build["reproducible"] = reproducible
    if instructions is not None:
        build["instructions"] = instructions
    mtf_block(raw)["build"] = build
    return raw


def source_tree(root: Path, raw: dict[str, Any], extra: dict[str, str] | None = None) -> Path:
    write_files(root, {"server.py": "print('hi')\n", **(extra or {})}, raw)
    return root


# -- the declaration ------------------------------------------------------------------------


def test_ai04_declared_reproducible_directory_rebuilds_identically(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": "print(1)\n"}, declared()))
    assert rules(outcome) == ["rebuild-identical"]
    assert outcome.status_at(4) is Status.PASS
    details = outcome.details["rebuild"]
    assert details["identical"] is True and details["reference_sha256"] == details["rebuilt_sha256"]


def test_ai04_reproducible_false_blocks_at_l4_only(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": ""}, declared(reproducible=False)))
    assert rules(outcome) == ["declared-not-reproducible", "rebuild-identical"]
    assert [outcome.status_at(level) for level in (3, 4)] == [Status.WARN, Status.FAIL]


def test_ai04_undeclared_and_no_instructions(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": ""}, declared(None, None)))
    assert rules(outcome) == [
        "build-instructions-missing",
        "rebuild-identical",
        "reproducibility-undeclared",
    ]
    undeclared = next(f for f in outcome.findings if f.rule == "reproducibility-undeclared")
    assert undeclared.blocks_at == 4
    missing = next(f for f in outcome.findings if f.rule == "build-instructions-missing")
    assert missing.blocks_at is None
    assert outcome.status_at(4) is Status.FAIL


def test_ai04_manifest_missing_is_an_error(tmp_path: Path) -> None:
    assert run(make_ctx(tmp_path, {"server.py": ""})).status_at(4) is Status.ERROR


# -- bundles -------------------------------------------------------------------------------


def test_ai04_bundle_without_source_checks_the_declaration_only(tmp_path: Path) -> None:
    with bundle_ctx(tmp_path, {"server.py": ""}, declared()) as ctx:
        outcome = run(ctx)
    assert rules(outcome) == ["rebuild-not-verified"]
    assert outcome.status_at(4) is Status.WARN  # checked what it could: never a silent pass
    assert outcome.details["rebuild"] == "no source tree"


def test_ai04_example_bundle_rebuilds_from_its_source(
    node_bundle: Path,  # noqa: F811
    node_example_tree: Path,
) -> None:
    with ScanContext.for_bundle(node_bundle, ScanOptions(source_dir=node_example_tree)) as ctx:
        outcome = run(ctx)
        assert bundle_epoch(ctx) == (EPOCH, "sbom.cdx.json metadata.timestamp")
    assert "rebuild-identical" in rules(outcome)
    assert outcome.details["rebuild"]["source_date_epoch"] == EPOCH


def test_ai04_changed_source_differs_and_blocks_a_reproducible_claim(tmp_path: Path) -> None:
    source = source_tree(tmp_path / "src", declared())
    bundle = build_example(source, tmp_path / "out")
    (source / "server.py").write_text("print('changed')\n", encoding="utf-8")
    with ScanContext.for_bundle(bundle, ScanOptions(source_dir=source)) as ctx:
        outcome = run(ctx)
    (finding,) = outcome.findings
    assert finding.rule == "build-differs" and finding.blocks_at == 4
    assert "server.py" in finding.description
    assert outcome.details["rebuild"]["differing_members"] == ["server.py"]
    assert [outcome.status_at(level) for level in (3, 4)] == [Status.WARN, Status.FAIL]


def test_ai04_difference_without_claim_does_not_block_again(tmp_path: Path) -> None:
    source = source_tree(tmp_path / "src", declared(reproducible=None))
    bundle = build_example(source, tmp_path / "out")
    (source / "extra.txt").write_text("new\n", encoding="utf-8")
    with ScanContext.for_bundle(bundle, ScanOptions(source_dir=source)) as ctx:
        outcome = run(ctx)
    differs = next(f for f in outcome.findings if f.rule == "build-differs")
    assert differs.blocks_at is None and "extra.txt" in differs.description


def test_ai04_vendored_bundle_from_unvendored_source_is_not_rebuilt(tmp_path: Path) -> None:
    extra = dist("foo", "1.0", {"foo/__init__.py": ""})
    source = source_tree(tmp_path / "src", declared(), extra)
    bundle = build_example(source, tmp_path / "out")
    shutil.rmtree(source / "deps")
    with ScanContext.for_bundle(bundle, ScanOptions(source_dir=source)) as ctx:
        outcome = run(ctx)
    (finding,) = outcome.findings
    assert finding.rule == "rebuild-not-verified" and "deps/" in finding.description
    assert outcome.details["rebuild"]["attempted"] is False


def test_ai04_bundle_epoch_falls_back_to_member_times(tmp_path: Path) -> None:
    with bundle_ctx(tmp_path, {"server.py": ""}, declared()) as ctx:
        epoch, origin = bundle_epoch(ctx)
    assert origin == "bundle member timestamps" and epoch > 0


# -- a directory whose builds differ ------------------------------------------------------------


def test_ai04_nondeterministic_directory_build_blocks_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def flaky(source: Path, out: Path, epoch: int) -> tuple[str, dict[str, tuple[int, int, int]]]:
        calls.append(epoch)
        n = len(calls)
        return f"{n:064x}", {"manifest.json": (1, 1, 0o644), "server.py": (n, 1, 0o644)}

    monkeypatch.setattr(rebuild_module, "_build", flaky)
    outcome = run(make_ctx(tmp_path, {"server.py": ""}, declared()))
    (finding,) = outcome.findings
    assert finding.rule == "build-differs" and finding.severity.value == "high"
    assert "server.py" in finding.description and calls[0] == calls[1]
