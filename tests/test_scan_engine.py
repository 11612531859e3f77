"""The control engine: ordering (MTF 6.6), error isolation, level computation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest

from mtf_action.scan.catalog import CATALOG, Enforcement
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.control import Control
from mtf_action.scan.engine import ordered, run_scan, verified_level
from mtf_action.scan.result import ControlOutcome, Severity, Status

MANIFEST = {
    "manifest_version": "0.4",
    "name": "@acme/demo",
    "version": "1.0.0",
    "description": "demo",
    "author": {"name": "A", "email": "a@example.org"},
    "server": {
        "type": "python",
        "entry_point": "server.py",
        "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]},
    },
    "tools": [],
    "_meta": {"org.mpaktrust": {"mtf_version": "0.1", "level": 2}},
}


def _ctx(tmp_path: Path) -> ScanContext:
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    (tmp_path / "server.py").write_text("print('hi')\n", encoding="utf-8")
    return ScanContext(
        tmp_path, ["manifest.json", "server.py"], kind="directory", options=ScanOptions()
    )


def _control(cid: str, outcome: ControlOutcome | Exception) -> Control:
    class _C(Control):
        id: ClassVar[str] = cid

        def evaluate(self, ctx: ScanContext) -> ControlOutcome:
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

    return _C()


def test_catalog_matches_spec_appendix_a() -> None:
    ids = [c.id for c in CATALOG]
    assert len(ids) == len(set(ids)) == 44  # A.1 rows; AI-02 is reserved
    scanner = {c.id for c in CATALOG if c.enforcement is Enforcement.SCANNER}
    # A.2 lists these 21 IDs as scanner-enforced (its count says 22).
    assert scanner == {
        "AI-01", "AI-03", "AI-04", "SC-01", "SC-02", "SC-03", "SC-05", "CQ-01", "CQ-02",
        "CQ-03", "CQ-04", "CQ-05", "CD-01", "CD-02", "CD-03", "CD-04", "CD-05", "PR-01",
        "PR-03", "PR-04", "PR-05",
    }  # fmt: skip
    assert {c.id for c in CATALOG if c.level == 1} == {
        "AI-01",
        "SC-01",
        "CQ-01",
        "CQ-02",
        "CD-01",
        "IN-01",
        "IN-03",
    }  # fmt: skip  (B.1)


def test_order_follows_section_6_6() -> None:
    ids = ["PR-01", "CD-01", "CQ-02", "SC-01", "AI-01", "CQ-01", "AI-04"]
    controls = [_control(i, ControlOutcome()) for i in ids]
    assert [c.id for c in ordered(controls)] == [
        "AI-01", "SC-01", "CQ-01", "CQ-02", "CD-01", "AI-04", "PR-01"
    ]  # fmt: skip


def test_crash_is_error_never_pass(tmp_path: Path) -> None:
    result = run_scan(_ctx(tmp_path), [_control("AI-01", RuntimeError("boom"))])
    ai01 = next(e for e in result.controls if e.spec.id == "AI-01")
    assert ai01.status_at(1) is Status.ERROR
    assert ai01.outcome is not None and "boom" in (ai01.outcome.error or "")
    assert result.level_verified == 0


def test_unimplemented_scanner_controls_cap_the_level(tmp_path: Path) -> None:
    l1 = ["AI-01", "SC-01", "CQ-01", "CQ-02", "CD-01"]
    result = run_scan(_ctx(tmp_path), [_control(i, ControlOutcome()) for i in l1])
    assert result.level_verified == 1  # SC-02 (L2) is not evaluated
    sc02 = next(e for e in result.controls if e.spec.id == "SC-02")
    assert sc02.status_at(2) is Status.NOT_EVALUATED
    assert result.level_claimed == 2


def test_finding_blocks_from_its_level(tmp_path: Path) -> None:
    control = _control("AI-01", ControlOutcome())
    finding = control.finding("tool-without-description", Severity.MEDIUM, "t", "d", blocks_at=2)
    outcome = ControlOutcome(findings=[finding])
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [({}, 4), ({"CQ-02": "fail"}, 0), ({"PR-04": "fail"}, 3), ({"SC-05": "skip"}, 4)],
)
def test_verified_level(tmp_path: Path, statuses: dict[str, str], expected: int) -> None:
    scanner = [c.id for c in CATALOG if c.enforcement is Enforcement.SCANNER]
    controls = []
    for cid in scanner:
        status = statuses.get(cid, "pass")
        outcome = ControlOutcome(skipped="n/a") if status == "skip" else ControlOutcome()
        if status == "fail":
            bad = _control(cid, ControlOutcome()).finding("x", Severity.HIGH, "t", "d", blocks_at=1)
            outcome = ControlOutcome(findings=[bad])
        controls.append(_control(cid, outcome))
    result = run_scan(_ctx(tmp_path), controls)
    assert verified_level(result.controls) == expected
