"""Whole scans with every registered control: read-once, levels, reports, exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import build_bundle_of, make_ctx, manifest
from sc02_support import EPSS, KEV, NPM_DB, PYPI_DB

from mtf_action.console import Reporter
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls import all_controls
from mtf_action.scan.engine import ScanResult, run_scan
from mtf_action.scan.report import bundle_identity, scan_report
from mtf_action.scan.result import Status
from mtf_action.scan.target import open_target
from mtf_action.vulns.options import VulnOptions

QUIET = Reporter(quiet=True)
# SC-02 offline over the real advisory data, so whole scans never need the network.
OFFLINE = ScanOptions(vulns=VulnOptions(db=(PYPI_DB, NPM_DB), kev=KEV, epss=EPSS, use_cache=False))


@pytest.fixture(scope="module")
def example_bundles(
    python_example_tree: Path, node_example_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Both example servers built with their vendored dependencies."""
    out = tmp_path_factory.mktemp("example-bundles")
    return {
        "python": build_bundle_of(python_example_tree, out),
        "node": build_bundle_of(node_example_tree, out),
    }


@pytest.fixture(params=["python-dir", "node-dir", "python-bundle", "node-bundle"])
def example_ctx(
    request: pytest.FixtureRequest, examples_dir: Path, example_bundles: dict[str, Path]
) -> Iterator[ScanContext]:
    kind, form = str(request.param).split("-")
    if form == "dir":
        path = examples_dir / ("python-units" if kind == "python" else "node-notes")
    else:
        path = example_bundles[kind]
    with open_target(path, OFFLINE, reporter=QUIET) as ctx:
        yield ctx


def test_every_file_is_read_at_most_once_per_scan(example_ctx: ScanContext) -> None:
    result = run_scan(example_ctx, all_controls())
    assert example_ctx.reads, "the controls read nothing"
    assert max(example_ctx.reads.values()) == 1, example_ctx.reads.most_common(3)
    assert "manifest.json" in example_ctx.reads
    errors = {e.spec.id: e.outcome.error for e in result.controls if e.outcome and e.outcome.error}
    assert errors == {}


def test_examples_are_reported_honestly(example_ctx: ScanContext) -> None:
    result = run_scan(example_ctx, all_controls())
    assert result.level_claimed == 2
    statuses = {e.spec.id: e.status_at(2) for e in result.controls}
    assert statuses["AI-01"] is Status.PASS
    assert statuses["CD-01"] is Status.PASS
    assert statuses["PR-01"] is Status.PASS
    assert statuses["PR-05"] is Status.SKIP  # no Scorecard data
    assert statuses["SC-02"] is Status.PASS  # no known vulnerability in the locked versions
    # The claim exceeds what was verified exactly when some L2 control is not satisfied.
    l2_ok = all(
        e.satisfied_at(2)
        for e in result.controls
        if e.spec.level <= 2 and e.spec.enforcement.value == "scanner"
    )
    assert result.level_verified == (2 if l2_ok else 1)
    report = scan_report(example_ctx, result)
    assert report.compliance.claim_exceeds_verified is (not l2_ok)
    assert report.bundle.name.startswith("@mtf-examples/")
    assert report.bundle.hash == example_ctx.bundle_sha256


def _scan(ctx: ScanContext) -> ScanResult:
    return run_scan(ctx, all_controls())


def test_registry_controls_are_advisory_and_never_counted(tmp_path: Path) -> None:
    raw = manifest(author={"name": "Acme"})  # PR-02: no email -> blocks at L2 (registry)
    ctx = make_ctx(tmp_path, {"server.py": ""}, raw)
    ctx.bundle_sha256 = "0" * 64
    result = _scan(ctx)
    report = scan_report(ctx, result, level=2)
    pr02 = report.domains["provenance"].controls["PR-02"]
    assert pr02.counts_toward_level is False
    assert pr02.mtf_status == "fail" and "registry" in (pr02.reason or "")
    counted = [
        c
        for d in report.domains.values()
        for c in d.controls.values()
        if c.counts_toward_level and c.mtf_status not in ("skip", "not_evaluated")
    ]
    assert report.compliance.controls_total == len(counted)
    assert "PR-02" not in {c.id for c in counted}
    # Registry/client controls without an implementation are "not evaluated" with the reason.
    rg01 = report.domains["registry_operations"].controls["RG-01"]
    assert rg01.status == "skip" and rg01.mtf_status == "not_evaluated"
    assert "registry" in (rg01.reason or "")


def test_statuses_follow_the_requested_level(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {}, manifest(tools=[{"name": "echo"}]))  # CD-01: WARN L1, BLOCK L2
    ctx.bundle_sha256 = "0" * 64
    result = _scan(ctx)
    at1 = scan_report(ctx, result, level=1).domains["capability_declaration"].controls["CD-01"]
    at2 = scan_report(ctx, result, level=2).domains["capability_declaration"].controls["CD-01"]
    assert (at1.status, at1.mtf_status) == ("pass", "warn")
    assert (at2.status, at2.mtf_status) == ("fail", "fail")
    assert [f.blocking for f in at2.findings if f.rule == "tool-description-missing"] == [True]


def test_identity_stand_ins_for_broken_manifests(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "my-server", {}, manifest(version="v1"))
    assert bundle_identity(ctx) == (
        "@acme/demo",
        "0.0.0",
        {"placeholders": ["version"], "version_declared": "v1"},
    )
    broken = make_ctx(tmp_path / "broken", {"manifest.json": "[]"})
    assert bundle_identity(broken) == ("broken", "0.0.0", {"placeholders": ["name", "version"]})


def test_a_report_needs_a_digest(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {}, manifest())
    with pytest.raises(ValueError, match="digest"):
        scan_report(ctx, _scan(ctx))


def test_report_names_what_blocks_the_next_level(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {}, manifest(tools=[{"name": "echo"}]))
    ctx.bundle_sha256 = "0" * 64
    result = _scan(ctx)
    report = scan_report(ctx, result)
    blockers = report.compliance.next_level_blocked_by or []
    target = report.level_verified + 1
    assert blockers, "some control must block the next level"
    evaluated = {e.spec.id: e for e in result.controls}
    for entry in blockers:
        cid, status = entry.split(" ", 1)
        assert evaluated[cid].spec.level <= target
        assert status.strip("()") == evaluated[cid].status_at(target).value
