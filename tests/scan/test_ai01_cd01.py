"""AI-01 Manifest Validation and CD-01 Tool Declaration as scan controls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_ctx, manifest, mtf_block

from mtf_action.manifest.validation import validate_manifest
from mtf_action.scan.controls._manifest_source import report_at
from mtf_action.scan.controls.ai01_manifest import ManifestValidation
from mtf_action.scan.controls.cd01_tools import ToolDeclaration
from mtf_action.scan.result import ControlOutcome, Severity, Status

AI01 = ManifestValidation()
CD01 = ToolDeclaration()


def rules(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings}


def test_ai01_valid_manifest_passes_at_every_level(tmp_path: Path) -> None:
    outcome = AI01.evaluate(make_ctx(tmp_path, {"server.py": ""}, manifest()))
    assert outcome.findings == []
    assert all(outcome.status_at(level) is Status.PASS for level in (1, 2, 3, 4))
    assert outcome.details["valid_at"] == [1, 2]
    assert outcome.details["schema"] == "mcpb-manifest-v0.4"


def test_ai01_missing_manifest_fails_at_l1_without_crashing(tmp_path: Path) -> None:
    outcome = AI01.evaluate(make_ctx(tmp_path, {"server.py": "print(1)\n"}))
    assert rules(outcome) == {"manifest-unreadable": 1}
    assert outcome.status_at(1) is Status.FAIL
    assert "missing" in outcome.findings[0].description


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xef\xbb\xbf{}", b"[1, 2]", b'{"a": 1, "a": 2}', b"[" * 100_000],
    ids=["malformed", "bom", "not-object", "duplicate-key", "deeply-nested"],
)
def test_ai01_unreadable_manifest_is_a_finding(tmp_path: Path, content: bytes) -> None:
    outcome = AI01.evaluate(make_ctx(tmp_path, {"manifest.json": content}))
    assert rules(outcome) == {"manifest-unreadable": 1}
    assert outcome.findings[0].severity is Severity.HIGH


def test_ai01_invalid_semver_blocks_at_l1(tmp_path: Path) -> None:
    outcome = AI01.evaluate(make_ctx(tmp_path, {}, manifest(version="v1.0")))
    assert rules(outcome)["version-not-semver"] == 1
    finding = next(f for f in outcome.findings if f.rule == "version-not-semver")
    assert finding.file == "manifest.json" and finding.line == 4
    assert outcome.status_at(1) is Status.FAIL


def test_ai01_l2_only_rules_block_from_l2(tmp_path: Path) -> None:
    # Unscoped name, no repository, no MTF extension: fine at L1, blocking at L2+.
    raw = manifest(name="demo", repository=None, _meta=None)
    outcome = AI01.evaluate(make_ctx(tmp_path, {}, raw))
    found = rules(outcome)
    assert found["name-not-scoped"] == 2
    assert found["mtf-extension-missing"] == 2
    assert found["required-field-missing"] == 2  # /repository
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


def test_ai01_warnings_never_block(tmp_path: Path) -> None:
    raw = manifest()
    mtf_block(raw)["source"] = {"commit": "a" * 40, "tag": "v1.0.0"}  # tag: prose-only field
    outcome = AI01.evaluate(make_ctx(tmp_path, {}, raw))
    assert rules(outcome) == {"spec-field-source-tag": None}
    assert outcome.findings[0].severity is Severity.LOW
    assert outcome.status_at(4) is Status.WARN


def test_manifest_rules_are_the_same_from_l2_to_l4(tmp_path: Path) -> None:
    # report_at relies on this: L1 and L2 reports suffice for blocks_at.
    raw = manifest(name="Demo", tools=[{"name": "x"}], repository=None, author={"name": "A"})
    ctx = make_ctx(tmp_path, {}, raw)
    loaded = ctx.manifest_view()[0]

    def issues(level: int) -> set[tuple[str, str, str]]:
        report = validate_manifest(loaded, level)
        return {
            (i.code, i.pointer, i.severity.value)
            for i in report.issues
            if i.code != "level-override"
        }

    assert issues(2) == issues(3) == issues(4)
    assert issues(1) != issues(2)
    assert report_at(ctx, 2) is report_at(ctx, 2)  # computed once per scan


def test_cd01_passes_with_named_described_tools(tmp_path: Path) -> None:
    outcome = CD01.evaluate(make_ctx(tmp_path, {}, manifest()))
    assert outcome.status_at(4) is Status.PASS
    # No server code to compare with (test_cd01_deep*.py covers that), and the report says so.
    assert rules(outcome) == {"implemented-tools-not-compared": None}
    assert outcome.findings[0].severity is Severity.INFO
    assert outcome.details == {
        "tools_declared": 1,
        "tools_generated": False,
        "compared": False,
        "files_analysed": 0,
    }


def test_cd01_missing_tools_blocks_at_l1(tmp_path: Path) -> None:
    outcome = CD01.evaluate(make_ctx(tmp_path, {}, manifest(tools=None)))
    assert rules(outcome) == {"tools-missing": 1}
    assert outcome.status_at(1) is Status.FAIL


def test_cd01_tool_without_name_blocks_at_l1(tmp_path: Path) -> None:
    raw = manifest(tools=[{"description": "does things"}])
    outcome = CD01.evaluate(make_ctx(tmp_path, {}, raw))
    assert rules(outcome)["tool-name-missing"] == 1


def test_cd01_tool_without_description_warns_l1_blocks_l2(tmp_path: Path) -> None:
    raw = manifest(tools=[{"name": "echo"}])
    outcome = CD01.evaluate(make_ctx(tmp_path, {}, raw))
    assert rules(outcome)["tool-description-missing"] == 2
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


def test_cd01_without_manifest_fails(tmp_path: Path) -> None:
    outcome = CD01.evaluate(make_ctx(tmp_path, {"manifest.json": "{"}))
    assert rules(outcome) == {"tools-missing": 1}


def test_findings_of_ai01_and_cd01_do_not_overlap(tmp_path: Path) -> None:
    raw = manifest(tools=[{"name": "echo"}], version="1")
    ctx = make_ctx(tmp_path, {}, raw)
    ai01, cd01 = AI01.evaluate(ctx), CD01.evaluate(ctx)
    assert all(f.control == "AI-01" for f in ai01.findings)
    assert all(f.control == "CD-01" for f in cd01.findings)
    assert "tool-description-missing" not in rules(ai01)
    assert json.loads((tmp_path / "manifest.json").read_text())["version"] == "1"
