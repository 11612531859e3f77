"""``mtf-attest scan``: options, outputs and exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import make_bundle, manifest, mtf_block, write_files

from mtf_action._cli import main
from mtf_action._commands.scan import byte_size, exit_code
from mtf_action.scan.catalog import CATALOG, Enforcement
from mtf_action.scan.engine import Evaluated, ScanResult, verified_level
from mtf_action.scan.result import ControlOutcome, Finding, Severity


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tree(tmp_path: Path, raw: dict[str, Any] | None = None) -> Path:
    root = tmp_path / "server"
    root.mkdir(exist_ok=True)
    write_files(root, {"server.py": "print('hi')\n"}, manifest() if raw is None else raw)
    return root


# --- exit code semantics, on constructed results --------------------------------------


def result_with(failures: dict[str, int], claimed: int | None) -> ScanResult:
    """Every scanner control passes except ``failures`` (id -> blocks_at)."""
    evaluated = []
    for spec in CATALOG:
        if spec.enforcement is not Enforcement.SCANNER:
            evaluated.append(Evaluated(spec, None))
            continue
        findings = []
        if spec.id in failures:
            findings.append(
                Finding(
                    control=spec.id,
                    rule="x",
                    severity=Severity.HIGH,
                    title="t",
                    description="d",
                    blocks_at=failures[spec.id],
                )
            )
        evaluated.append(Evaluated(spec, ControlOutcome(findings=findings)))
    controls = tuple(evaluated)
    return ScanResult(controls, claimed, verified_level(controls), 0)


@pytest.mark.parametrize(
    ("failures", "claimed", "asked", "expected"),
    [
        ({}, None, None, 0),  # verified L4, nothing claimed
        ({}, 4, None, 0),
        ({"PR-04": 4}, 3, None, 0),  # fails only above the claim
        ({"PR-04": 4}, 4, None, 1),  # claim exceeds the verified L3
        ({"CQ-02": 1}, None, None, 1),  # fails at L1 (the default evaluated level)
        ({"PR-01": 2}, 1, None, 0),  # an L2 finding does not fail an L1 claim
        ({"CQ-04": 1}, 1, None, 1),  # an L3 control failing at L1 fails the L1 check
        ({"PR-04": 4}, None, 3, 0),  # --level: verified (3) >= asked
        ({"PR-04": 4}, None, 4, 1),
        ({"CQ-02": 1}, 1, 1, 1),
    ],
)
def test_exit_code(
    failures: dict[str, int], claimed: int | None, asked: int | None, expected: int
) -> None:
    assert exit_code(result_with(failures, claimed), asked) == expected


# --- end to end ------------------------------------------------------------------------


def test_scan_directory_json_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scan", str(tree(tmp_path)), "--format", "json")
    report = json.loads(out)
    assert report["scan"]["target_kind"] == "directory"
    assert report["level_claimed"] == 2
    # Exit 0 exactly when the claimed L2 is verified (SC-02 passes: no dependencies).
    assert code == (0 if report["level_verified"] >= 2 else 1)
    assert "Traceback" not in err


def test_global_json_flag_is_the_json_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "scan", "--json", str(tree(tmp_path)))
    assert json.loads(out)["bundle"]["name"] == "@acme/demo"


def test_json_flag_and_another_format_on_stdout_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "scan", "--json", "--format", "sarif", str(tree(tmp_path)))
    assert code == 2 and out == "" and "--output" in err


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "text"])
def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    target = tmp_path / "reports" / f"report.{fmt}"
    target.parent.mkdir()
    code, out, _ = run(capsys, "scan", str(tree(tmp_path)), "--format", fmt, "-o", str(target),
                       "--level", "3")  # fmt: skip
    assert code == 1  # L3 needs a signature and provenance
    content = target.read_text()
    assert f"report: {target}" in out and "verified L" in out
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left
    if fmt in ("json", "sarif"):
        json.loads(content)
    assert "\x1b[" not in content


def test_output_with_json_flag_prints_the_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.sarif"
    _, out, _ = run(capsys, "scan", "--json", str(tree(tmp_path)), "--format", "sarif",
                    "-o", str(target))  # fmt: skip
    assert json.loads(out)["bundle"]["name"] == "@acme/demo"
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_text_report_has_no_colour_when_not_a_tty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "scan", str(tree(tmp_path)))
    assert "AI-01" in out and "\x1b[" not in out


def test_quiet_prints_nothing_but_keeps_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "scan", "-q", "--level", "3", str(tree(tmp_path)))
    assert (code, out, err) == (1, "", "")


def test_level_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = manifest(version="nope")  # AI-01 fails at L1: verified L0
    code, out, _ = run(capsys, "scan", str(tree(tmp_path, raw)), "--level", "1", "--json")
    assert code == 1 and json.loads(out)["scan"]["level_evaluated"] == 1


def test_bundle_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = make_bundle(tmp_path / "demo.mcpb", {"server.py": "print(1)\n"}, manifest())
    code, out, _ = run(capsys, "scan", str(bundle), "--json")
    report = json.loads(out)
    assert report["scan"]["target_kind"] == "bundle" and code == 1
    assert report["bundle"]["hash"] != ""


def test_scorecard_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scorecard = tmp_path / "scorecard.json"
    scorecard.write_text(json.dumps({"date": "2020-01-01", "score": 3.0, "checks": []}))
    _, out, _ = run(capsys, "scan", str(tree(tmp_path)), "--json", "--scorecard", str(scorecard))
    pr05 = json.loads(out)["domains"]["provenance"]["controls"]["PR-05"]
    rules = {f["rule"] for f in pr05["findings"]}
    assert {"score-below-threshold", "blocking-check-missing", "scorecard-stale"} <= rules


def test_source_option_feeds_pr04(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = manifest()
    mtf_block(raw)["source"] = {"commit": "e" * 40, "signed": True}
    bundle = make_bundle(tmp_path / "demo.mcpb", {"server.py": ""}, raw)
    src = tmp_path / "src"
    src.mkdir()
    _, out, _ = run(capsys, "scan", str(bundle), "--json", "--source", str(src))
    pr04 = json.loads(out)["domains"]["provenance"]["controls"]["PR-04"]
    assert pr04["details"]["source_tree"] == str(src.resolve())


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--scorecard", "{tmp}/missing.json"], 3, "cannot read Scorecard file"),
        (["--source", "{tmp}/nowhere"], 3, "--source must be a directory"),
        (["--max-ratio", "0.5"], 2, "must be at least 1"),
        (["--max-file-size", "lots"], 2, "not a size in bytes"),
        (["--level", "5"], 2, "invalid choice"),
        (["-o", "/proc/mtf-report.json"], 4, "cannot create a file"),
    ],
)
def test_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, needle: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    got, _, err = run(capsys, "scan", str(tree(tmp_path)), *argv)
    assert got == code, err
    assert needle in err and "Traceback" not in err


def test_not_a_scan_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hi")
    code, _, err = run(capsys, "scan", str(tmp_path / "notes.txt"))
    assert code == 3 and "not a server directory or a .mcpb bundle" in err


@pytest.mark.parametrize(
    ("text", "value"), [("1024", 1024), ("512K", 524288), ("200M", 209715200), ("2GiB", 2 << 30)]
)
def test_byte_sizes(text: str, value: int) -> None:
    assert byte_size(text) == value


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("no_color", "coloured"), [("", True), ("1", False)])
def test_text_report_is_coloured_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_color: str, coloured: bool
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("NO_COLOR", no_color)
    main(["scan", str(tree(tmp_path))])
    assert ("\x1b[" in terminal.getvalue()) is coloured
    assert "AI-01" in terminal.getvalue()


def test_sarif_paths_are_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(tmp_path, manifest(version="1"))  # AI-01 finding in manifest.json
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "scan", "server", "--format", "sarif")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(out)["runs"][0]["results"]
    }
    assert "server/manifest.json" in uris
    assert all(u.startswith("server/") for u in uris)
    # Outside the working directory there is nothing to prefix.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _, out, _ = run(capsys, "scan", str(root), "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert "manifest.json" in {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
    }


def test_clean_l1_server_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = manifest()
    mtf_block(raw)["level"] = 1
    root = tree(tmp_path, raw)
    code, out, err = run(capsys, "scan", str(root), "--json")
    report = json.loads(out)
    assert (code, report["level_claimed"]) == (0, 1) and report["level_verified"] >= 1, err
    assert run(capsys, "scan", "-q", "--level", "1", str(root))[0] == 0
    verified_l2 = report["level_verified"] >= 2
    assert run(capsys, "scan", "-q", "--level", "2", str(root))[0] == (0 if verified_l2 else 1)
    mtf_block(raw)["level"] = 3  # a claim above the verified level fails
    assert run(capsys, "scan", "-q", str(tree(tmp_path, raw)))[0] == 1
