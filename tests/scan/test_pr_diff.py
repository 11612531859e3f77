"""Pull-request diffs: line-independent fingerprints, new/fixed findings, the PR comment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE_SERVER, HEAD_SERVER, manifest, mtf_block, write_files

from mtf_action.console import Reporter
from mtf_action.models.report import Report, ReportFinding
from mtf_action.scan.context import ScanOptions
from mtf_action.scan.controls import all_controls
from mtf_action.scan.controls.cq05_safe_execution import SafeExecution
from mtf_action.scan.diff import ControlChange, diff_reports
from mtf_action.scan.engine import run_scan
from mtf_action.scan.fingerprint import fingerprint_of, fingerprints, masked_description
from mtf_action.scan.formats import render
from mtf_action.scan.formats.markdown import consent_required, render_markdown
from mtf_action.scan.formats.markdown_pr import COMMENT_LIMIT, render_pull_request
from mtf_action.scan.report import scan_report
from mtf_action.scan.target import open_target

QUIET = Reporter(quiet=True)


def _report(root: Path, server: str, *, every_control: bool = False, **opts: Any) -> Report:
    write_files(root, {"server.py": server}, manifest())
    controls = all_controls() if every_control else [SafeExecution()]
    with open_target(root, ScanOptions(**opts), reporter=QUIET) as ctx:
        return scan_report(ctx, run_scan(ctx, controls))


def _cq05(report: Report) -> list[ReportFinding]:
    return [f for f in report.findings if f.control == "CQ-05"]


def test_moved_code_keeps_its_fingerprint_and_a_changed_line_does_not(tmp_path: Path) -> None:
    base = _report(tmp_path / "base", BASE_SERVER)
    head = _report(tmp_path / "head", HEAD_SERVER)
    base_shell = next(f for f in _cq05(base) if f.rule == "subprocess-shell")
    head_shells = sorted((f for f in _cq05(head) if f.rule == "subprocess-shell"),
                         key=lambda f: f.line or 0)  # fmt: skip
    assert base_shell.line == 5 and head_shells[0].line == 9  # moved by 4 lines
    assert base_shell.id != head_shells[0].id  # the line-based id changes ...
    assert base_shell.fingerprint == head_shells[0].fingerprint  # ... the fingerprint does not
    assert head_shells[1].fingerprint != head_shells[0].fingerprint  # a second occurrence
    assert head_shells[1].fingerprint is not None and head_shells[1].fingerprint.endswith(":1")

    diff = diff_reports(base, head, base_ref="f" * 40)
    assert [(f.rule, f.line) for f in diff.new] == [("subprocess-shell", 13)]
    assert [f.rule for f in diff.fixed] == ["eval-external"]
    assert diff.unchanged == 1
    cq05 = next(c for c in diff.controls if c.id == "CQ-05")
    assert (cq05.base, cq05.head, cq05.direction) == ("warn", "warn", "same")


def test_editing_the_flagged_line_makes_a_new_finding(tmp_path: Path) -> None:
    base = _report(tmp_path / "base", BASE_SERVER)
    edited = BASE_SERVER.replace(
        "subprocess.run(cmd, shell=True)", "subprocess.run(cmd + ' x', shell=True)"
    )
    head = _report(tmp_path / "head", edited)
    diff = diff_reports(base, head, base_ref="a" * 40)
    assert [f.rule for f in diff.new] == ["subprocess-shell"]
    assert [f.rule for f in diff.fixed] == ["subprocess-shell"]
    assert diff.unchanged == 1  # eval() untouched


def test_whitespace_only_changes_keep_the_fingerprint(tmp_path: Path) -> None:
    base = _report(tmp_path / "base", BASE_SERVER)
    head = _report(
        tmp_path / "head",
        BASE_SERVER.replace(
            "return subprocess.run(cmd, shell=True)", "return  subprocess.run(cmd,\tshell=True)  "
        ),
    )
    assert diff_reports(base, head, base_ref="b" * 40).new == []


def _finding(**fields: Any) -> ReportFinding:
    values: dict[str, Any] = {
        "id": "CQ-05-x", "control": "CQ-05", "rule": "r", "severity": "high",
        "title": "t", "description": "d", "blocking": True,
    }  # fmt: skip
    return ReportFinding(**(values | fields))


def test_fingerprints_are_unique_and_follow_line_order() -> None:
    lines = {("a.py", 3): "x()", ("a.py", 9): "x()", ("a.py", 5): "y()"}
    found = [_finding(file="a.py", line=n) for n in (9, 3, 5)]
    prints = fingerprints(found, lambda f, n: lines.get((f, n)))
    assert len(set(prints)) == 3
    assert prints[1].endswith(":0") and prints[0].endswith(":1")  # line 3 before line 9
    assert prints[0].split(":")[0] == prints[1].split(":")[0]  # same statement, same hash


def test_line_less_findings_ignore_digests_and_numbers() -> None:
    digest = "sha256 f5eb1678fe4a85cc153aa4fdfc38437763a0dce64dd26d7312c1556b9e43a830 at 315532800"
    other = "sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef at 1"
    assert masked_description(digest) == masked_description(other) == "sha# # at #"
    one, two = (_finding(description=d) for d in (digest, other))
    assert fingerprint_of(one) == fingerprint_of(two)
    assert fingerprint_of(one) != fingerprint_of(_finding(description="about something else"))


def test_diff_matches_duplicates_as_a_multiset(template: Report) -> None:
    def report_with(findings: list[ReportFinding]) -> Report:
        return template.model_copy(update={"findings": findings})

    twice = [_finding(fingerprint="aa:0"), _finding(fingerprint="aa:0")]
    once = [_finding(fingerprint="aa:0")]
    diff = diff_reports(report_with(twice), report_with(once), base_ref="c" * 40)
    assert (len(diff.new), len(diff.fixed), diff.unchanged) == (0, 1, 1)


@pytest.fixture(scope="module")
def full_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Report]:
    root = tmp_path_factory.mktemp("full")
    base = _report(root / "base", BASE_SERVER, every_control=True)
    head = _report(root / "head", HEAD_SERVER, every_control=True)
    return base, head


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """A clean report (no CQ-05 findings) to put hand-made findings into."""
    return _report(tmp_path_factory.mktemp("template"), "x = 1\n")


def test_control_change_direction() -> None:
    def change(base: Any, head: Any) -> str:
        return ControlChange(id="X", name="x", level=1, counts_toward_level=True,
                             base=base, head=head).direction  # fmt: skip

    assert change("pass", "fail") == "worse"
    assert change("fail", "warn") == "better"
    assert change("pass", "skip") == "changed"
    assert change(None, "pass") == "changed"
    assert change("warn", "warn") == "same"


def test_pull_request_comment_has_levels_lists_table_and_link(
    full_reports: tuple[Report, Report],
) -> None:
    base, head = full_reports
    diff = diff_reports(base, head, base_ref="0123456789abcdef" + "0" * 24)
    body = render_pull_request(head, diff, run_url="https://github.com/acme/units/actions/runs/7")
    assert f"**Verified level: L{head.level_verified} " in body and "claimed L2" in body
    assert "Base branch (`0123456789ab`): L" in body
    assert "#### New in this PR: 2 (1 blocking)" in body  # CQ-03 (Bandit) and CQ-05
    assert "`server.py:13`: subprocess.run() with shell=True" in body
    assert "#### Fixed by this PR: " in body and "eval() of a non-constant expression" in body
    assert "| control | name | level | base | this PR |" in body
    assert "| CQ-05 | " in body
    assert "[The run with the full report](https://github.com/acme/units/actions/runs/7)" in body


def test_comment_without_a_base_says_why_and_lists_the_findings(
    full_reports: tuple[Report, Report],
) -> None:
    _, head = full_reports
    note = "base commit 0123456789ab is not in the checkout; check out with fetch-depth: 0"
    body = render_pull_request(head, None, base_note=note)
    assert f"> {note}" in body
    assert "New in this PR" not in body and "#### Findings: " in body
    assert "| control | name | level | status |" in body


def test_comment_fits_the_limit_with_thousands_of_findings(
    full_reports: tuple[Report, Report],
) -> None:
    base, head = full_reports
    many = [
        _finding(id=f"CQ-05-{i}", file=f"server/{'deep/' * 20}module_{i}.py", line=i + 1,
                 title="A long title " * 10, fingerprint=f"{i:024x}:0")
        for i in range(5000)
    ]  # fmt: skip
    big = head.model_copy(update={"findings": many})
    diff = diff_reports(base, big, base_ref="d" * 40)
    body = render_pull_request(big, diff, run_url="https://example.org/run")
    assert len(body.encode()) <= COMMENT_LIMIT
    assert "#### New in this PR: 5000 (5000 blocking)" in body
    assert "more (all of them are in the SARIF report)" in body
    assert "[The run with the full report](https://example.org/run)" in body
    small = render_pull_request(big, diff, limit=2000)
    assert len(small.encode()) <= 2000 and "cut to fit" in small


def test_sarif_uses_the_line_independent_fingerprint(full_reports: tuple[Report, Report]) -> None:
    _, head = full_reports
    sarif = json.loads(render(head, "sarif"))
    results = sarif["runs"][0]["results"]
    assert results and all(set(r["partialFingerprints"]) == {"mtfFingerprint/v1"} for r in results)
    wanted = {f.fingerprint for f in head.findings}
    assert {r["partialFingerprints"]["mtfFingerprint/v1"] for r in results} == wanted


def test_consent_required_changes_are_in_the_markdown(tmp_path: Path, template: Report) -> None:
    old = manifest(version="1.0.0")
    previous = tmp_path / "previous" / "manifest.json"
    previous.parent.mkdir()
    previous.write_text(json.dumps(old))
    new = manifest(version="1.1.0")
    mtf_block(new)["permissions"]["subprocess"] = "full"
    root = tmp_path / "head"
    write_files(root, {"server.py": "x = 1\n"}, new)
    with open_target(root, ScanOptions(previous=previous), reporter=QUIET) as ctx:
        report = scan_report(ctx, run_scan(ctx, all_controls()))
    items = consent_required(report)
    assert "new permission subprocess: none -> full" in items and "subprocess added" in items
    text = render_markdown(report)
    assert "**Consent required before an automatic update (UP-01) since 1.0.0:**" in text
    assert "Consent required" not in render_markdown(template)


def test_control_status_changes_are_marked_in_the_table(tmp_path: Path) -> None:
    base = _report(tmp_path / "base", BASE_SERVER)
    head = _report(tmp_path / "head", "def calc(x):\n    return x\n")
    diff = diff_reports(base, head, base_ref="e" * 40)
    assert [(c.id, c.direction) for c in diff.changed_controls] == [("CQ-05", "better")]
    body = render_pull_request(head, diff)
    assert "#### Controls (1 changed against the base branch)" in body
    assert "| CQ-05 | Safe Execution Patterns | L3 | ⚠️ warn | ✅ pass ⬆️ |" in body
    worse = render_pull_request(base, diff_reports(head, base, base_ref="e" * 40))
    assert "| CQ-05 | Safe Execution Patterns | L3 | ✅ pass | ⚠️ warn ⬇️ |" in worse
    assert "#### Fixed by this PR: 0\n\nNone." in worse
