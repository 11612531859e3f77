"""The mtf-attest half of ``bench/mpak_controls.py`` on the shared issue-6 fixtures.

mpak-scanner is not installed here; what is checked is that every fixture the
bench packs still means what its label says when mtf-attest scans the bundle
(bad: the control warns or fails; good: it passes), so the fixture module and
the comparison table cannot drift from the control tests.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from issue6_fixtures import CONTROL_IDS, Case, cases

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import mpak_controls as bench
from scan_reports import read_mpak

_ALL = cases()


def test_every_control_has_bad_and_good_fixtures() -> None:
    for control in CONTROL_IDS:
        mine = [c for c in _ALL if c.control == control]
        assert any(c.bad for c in mine) and any(not c.bad for c in mine), control
    assert all(c.previous is not None for c in _ALL if c.control.startswith("UP-"))
    assert all(c.negative_for is None for c in _ALL if c.bad)


@pytest.mark.parametrize("control", CONTROL_IDS)
def test_mtf_attest_flags_the_bad_and_passes_the_good(tmp_path: Path, control: str) -> None:
    selected = [c for c in _ALL if c.control == control]
    rows = bench.run_cases(selected, tmp_path, mpak=None)
    missed = [r.fixture for r in rows if r.bad and not r.mtf.flagged]
    assert missed == []
    for case, row in zip(selected, rows, strict=True):
        assert row.mpak.status == bench.NOT_RUN
        assert row.mtf.status not in ("error", "skip"), (row.fixture, row.mtf.reason)
        if case.bad:
            continue
        if case.negative_for is None:
            assert row.mtf.status == "pass", (row.fixture, row.mtf.rules)
        else:
            assert case.negative_for not in row.mtf.rules, row.fixture


def test_packing_is_deterministic_and_complete(tmp_path: Path) -> None:
    case = next(c for c in _ALL if c.control == "CD-01" and len(c.files) == 2)
    first = bench.pack(case, tmp_path / "a.mcpb").read_bytes()
    assert bench.pack(case, tmp_path / "b.mcpb").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "a.mcpb") as archive:
        assert sorted(archive.namelist()) == sorted(["manifest.json", *case.files])


def _row(control: str, bad: bool, mpak: bench.Verdict, mtf_status: str) -> bench.Row:
    return bench.Row(
        control, f"{control}-{bad}-{mpak.status}", bad, bench.Verdict(mtf_status), mpak
    )


def test_summary_counts_each_tool_on_bad_and_good() -> None:
    rows = [
        _row("CD-02", True, bench.Verdict("fail", 2, 1), "fail"),
        _row("CD-02", True, bench.Verdict("pass", 1, 1), "warn"),
        _row("CD-02", True, bench.Verdict("error"), "pass"),
        _row("CD-02", False, bench.Verdict("fail", 1, 1), "pass"),
        _row("UP-04", True, bench.Verdict(bench.ABSENT), "fail"),
        _row("UP-04", False, bench.Verdict(bench.ABSENT), "pass"),
    ]
    summary = bench.summarise(rows)
    cd02 = summary["CD-02"]
    assert (cd02["bad"], cd02["good"]) == (3, 1)
    assert cd02["mtf-attest"]["bad"]["flagged"] == 2
    assert cd02["mpak-scanner"]["bad"] | {"statuses": None} == {
        "n": 3, "flagged": 1, "above_info": 2, "not_evaluated": 1, "statuses": None,
    }  # fmt: skip
    assert cd02["mpak-scanner"]["good"]["flagged"] == 1
    table = bench.markdown(summary, rows, None)
    assert "| CD-02 | 3 / 1 | 1/3 | 1/1 | 2/3 · 1/1 | 1/4 | 2/3 (fail 1, pass 1, warn 1) |" in table
    assert "| UP-04 | 1 / 1 | no such control | no such control | no such control | 2/2 |" in table


def test_mpak_report_entry_is_read_by_control_id() -> None:
    report = {
        "domains": {
            "capability_declaration": {
                "controls": {
                    "CD-02": {
                        "status": "fail",
                        "findings": [
                            {"severity": "info", "title": "Permissions declared"},
                            {"severity": "high", "title": "Undeclared init-time network access"},
                        ],
                    },
                    "CD-04": {"status": "skip", "findings": [], "error": "Not yet implemented."},
                }
            }
        },
        "findings": [
            {"control": "CD-02", "severity": "info", "title": "Permissions declared"},
            {
                "control": "CD-02",
                "severity": "high",
                "title": "Undeclared init-time network access",
            },
        ],
    }
    summary = read_mpak(report)
    cd02 = bench._mpak_from(summary.controls.get("CD-02"), report, "CD-02")
    assert (cd02.status, cd02.findings, cd02.above_info, cd02.flagged) == ("fail", 2, 1, True)
    assert cd02.rules == ("Undeclared init-time network access",)
    cd04 = bench._mpak_from(summary.controls.get("CD-04"), report, "CD-04")
    assert (cd04.status, cd04.flagged, cd04.reason) == ("skip", False, "Not yet implemented.")
    rg02 = bench._mpak_from(summary.controls.get("RG-02"), report, "RG-02")
    assert rg02.status == bench.ABSENT and not rg02.flagged


def test_name_hits_follow_the_helpers_risk(tmp_path: Path) -> None:
    rg02: list[Case] = [c for c in _ALL if c.control == "RG-02"][:2]
    names = [str(c.manifest["name"]) for c in rg02]
    analysis = {
        names[0]: {"high": False, "medium": True},
        names[1]: {"high": False, "medium": False},
    }
    assert bench.name_hits(rg02, analysis) == {rg02[0].name: True, rg02[1].name: False}
