"""``mtf-attest validate``: human lines, --json, --quiet, --level and exit codes 0/1/3."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from manifest_samples import l1_manifest, l2_manifest, write
from mtf_action._cli import main
from mtf_action.errors import ExitCode
from mtf_action.models.manifest_report import ManifestReport

Capture = pytest.CaptureFixture[str]


def test_cli_valid_manifest_exit_0(tmp_path: Path, capsys: Capture) -> None:
    path = write(tmp_path, l1_manifest())
    assert main(["validate", str(tmp_path)]) == ExitCode.OK
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{path}: OK: valid MCPB (mcpb-manifest-v0.4) and MTF L1; 0 blocking issues, 0 warnings"
    ]


def test_cli_issue_line_format_and_exit_1(tmp_path: Path, capsys: Capture) -> None:
    raw = l1_manifest()
    raw["version"] = "1.0"
    path = write(tmp_path, raw)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if '"version"' in text)
    assert main(["validate", str(path)]) == ExitCode.POLICY_FAILURE
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f'{path}:{line}: block AI-01 /version: "1.0" is not valid semver')
    assert out[0].endswith('(fix: use three numbers: "1.0.0")')
    assert out[-1] == (
        f"{path}: FAIL: valid MCPB (mcpb-manifest-v0.4) but not MTF L1; "
        "1 blocking issue, 0 warnings"
    )


def test_cli_invalid_mcpb_exit_3_with_report(tmp_path: Path, capsys: Capture) -> None:
    raw = l1_manifest()
    raw["scripts"] = {}
    write(tmp_path, raw)
    assert main(["validate", str(tmp_path)]) == ExitCode.INVALID_INPUT
    out = capsys.readouterr().out
    assert "block AI-01 /scripts:" in out
    assert "INVALID: not a valid MCPB manifest" in out


def test_cli_level_option(tmp_path: Path, capsys: Capture) -> None:
    write(tmp_path, l1_manifest())
    assert main(["validate", str(tmp_path), "--level", "2"]) == ExitCode.POLICY_FAILURE
    out = capsys.readouterr().out
    assert "block AI-01 /name:" in out and "is not scoped" in out
    assert "not MTF L2" in out


def test_cli_json_is_the_report(tmp_path: Path, capsys: Capture) -> None:
    raw = l2_manifest()
    raw["tools"].append({"name": "forecast"})
    write(tmp_path, raw)
    assert main(["validate", str(tmp_path), "--json"]) == ExitCode.POLICY_FAILURE
    captured = capsys.readouterr()
    report = ManifestReport.model_validate(json.loads(captured.out))
    assert report.level_checked == 2 and report.mcpb_valid and not report.mtf_valid
    assert report.blocking_codes() == ["tool-description-missing"]
    assert report.issues[0].control == "CD-01"


def test_cli_quiet_prints_nothing(tmp_path: Path, capsys: Capture) -> None:
    raw = l1_manifest()
    raw["version"] = "x"
    write(tmp_path, raw)
    assert main(["validate", str(tmp_path), "--quiet"]) == ExitCode.POLICY_FAILURE
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_cli_validates_a_bundle(tmp_path: Path, capsys: Capture) -> None:
    bundle = tmp_path / "weather-1.0.0.mcpb"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(l2_manifest(), indent=2))
        zf.writestr("weather/server.py", "print('hi')\n")
    assert main(["validate", str(bundle), "--json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    assert report["source"] == f"{bundle}!manifest.json"
    assert report["mtf_valid"] is True and report["level_checked"] == 2


def test_cli_bundle_with_bad_manifest_names_member(tmp_path: Path, capsys: Capture) -> None:
    bundle = tmp_path / "x.mcpb"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("manifest.json", '{\n  "name": 1,,\n}')
    assert main(["validate", str(bundle)]) == ExitCode.INVALID_INPUT
    err = capsys.readouterr().err
    assert err.strip() == (
        f"error: {bundle}!manifest.json: invalid JSON at line 2, column 13: "
        "Expecting property name enclosed in double quotes"
    )


def test_cli_example_servers_are_valid(repo_root: Path, capsys: Capture) -> None:
    examples = sorted((repo_root / "examples" / "servers").glob("*/manifest.json"))
    assert examples, "the repository ships example servers"
    for manifest in examples:
        assert main(["validate", str(manifest.parent)]) == ExitCode.OK, manifest
    assert capsys.readouterr().out.count(": OK: valid MCPB") == len(examples)
