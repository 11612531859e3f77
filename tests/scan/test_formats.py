"""Report formats: JSON against the MTF report schema, SARIF against SARIF 2.1.0, Markdown, text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zipfile import ZIP_STORED

import jsonschema
import pytest
from helpers import build_bundle_of, make_bundle, manifest, mtf_block

from mtf_action.console import Reporter
from mtf_action.models.report import Report
from mtf_action.scan.context import ScanOptions
from mtf_action.scan.controls import all_controls
from mtf_action.scan.engine import run_scan
from mtf_action.scan.formats import FORMATS, render
from mtf_action.scan.formats.sarif import render_sarif
from mtf_action.scan.report import scan_report
from mtf_action.scan.target import open_target
from mtf_action.schemas import load_schema

QUIET = Reporter(quiet=True)


def _report_validator() -> jsonschema.Draft202012Validator:
    schema = load_schema("report.schema.json")
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = load_schema("sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def report_of(path: Path, **options: Any) -> Report:
    with open_target(path, ScanOptions(**options), reporter=QUIET) as ctx:
        return scan_report(ctx, run_scan(ctx, all_controls()))


def failing_manifest() -> dict[str, Any]:
    raw = manifest(
        name="Demo Server",
        version="1.0",
        tools=[{"name": "echo"}, {"description": "nameless"}],
        repository={"type": "git", "url": "http://user:hunter2@example.org/x"},
        author={"name": "Acme"},
    )
    mtf_block(raw)["level"] = 4
    mtf_block(raw)["source"] = {"commit": "abc1234"}
    return raw


HOSTILE_FILES: dict[str, str | bytes] = {
    "server.py": "print('hi')\n",
    "data/blob.bin": bytes(range(256)) * 64,
    "latin1.py": "caf\xe9 = 1\n".encode("latin-1"),
    "nested.json": "[" * 50_000 + "]" * 50_000,
    "weird name %20 [x].py": "x = 1\n",
}


@pytest.fixture(scope="module")
def targets(
    examples_dir: Path,
    python_example_tree: Path,
    node_example_tree: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("format-targets")
    return {
        "python-dir": examples_dir / "python-units",
        "node-dir": examples_dir / "node-notes",
        "python-bundle": build_bundle_of(python_example_tree, out),
        "node-bundle": build_bundle_of(node_example_tree, out),
        "failing": make_bundle(out / "failing.mcpb", {"server.py": ""}, failing_manifest()),
        # No manifest, binary, non-UTF-8 and deeply nested files, an odd name;
        # stored (repetitive content would exceed the compression-ratio limit).
        "hostile": make_bundle(out / "hostile.mcpb", HOSTILE_FILES, compression=ZIP_STORED),
        "deep-manifest": make_bundle(
            out / "deep.mcpb",
            {"manifest.json": '{"a":' * 10_000 + "1" + "}" * 10_000},
            compression=ZIP_STORED,
        ),
    }


@pytest.fixture(scope="module")
def reports(targets: dict[str, Path]) -> dict[str, Report]:
    """One real scan per target, shared by the format tests."""
    return {name: report_of(path) for name, path in targets.items()}


@pytest.fixture(
    params=[
        "python-dir",
        "node-dir",
        "python-bundle",
        "node-bundle",
        "failing",
        "hostile",
        "deep-manifest",
    ]
)
def report(request: pytest.FixtureRequest, reports: dict[str, Report]) -> Report:
    return reports[str(request.param)]


def test_json_report_is_valid_against_the_mtf_schema(report: Report) -> None:
    document = json.loads(render(report, "json"))
    _report_validator().validate(document)
    assert document["$schema"] == "https://mpaktrust.org/schemas/mtf/v0.1/report.json"
    # MTF 5.5 fields ride along.
    assert document["level_verified"] == document["compliance"]["level"]
    assert {c["id"] for c in document["controls"]} == {
        cid for d in document["domains"].values() for cid in d["controls"]
    }
    assert len(document["controls"]) == 44
    assert document["bundle"]["hash_of"] in (
        "the bundle file",
        "the bundle build --no-vendor makes from the directory",
    )


def test_sarif_is_valid_sarif_2_1_0(report: Report) -> None:
    document = json.loads(render(report, "sarif"))
    _sarif_validator().validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == 44 and len({r["id"] for r in rules}) == 44
    assert len(run["results"]) == len(report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_markdown_and_text_render(report: Report) -> None:
    md = render(report, "markdown")
    assert f"L{report.level_verified}" in md and "img.shields.io" in md
    text = render(report, "text", color=False)
    assert "\x1b[" not in text
    assert report.bundle.name in text


def test_failing_fixture_reports_blocking_findings(reports: dict[str, Report]) -> None:
    report = reports["failing"]
    assert report.level_claimed == 4 and report.level_verified == 0
    assert report.compliance.claim_exceeds_verified
    blocking = {(f.control, f.rule) for f in report.findings if f.blocking}
    assert {
        ("AI-01", "version-not-semver"),
        ("AI-01", "name-not-scoped"),
        ("CD-01", "tool-name-missing"),
        ("CD-01", "tool-description-missing"),
        ("PR-01", "repository-url-credentials"),
        ("PR-04", "commit-short"),
    } <= blocking
    for fmt in FORMATS:
        assert "hunter2" not in render(report, fmt)  # credentials never echoed
    md = render(report, "markdown")
    assert "**blocking**" in md and "claim exceeds" in md
    sarif = render_sarif(report)
    levels = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"] if r["level"] == "error"}
    assert "AI-01" in levels


def test_hostile_bundle_without_manifest_still_reports(reports: dict[str, Report]) -> None:
    report = reports["hostile"]
    ai01 = report.domains["artifact_integrity"].controls["AI-01"]
    assert ai01.status == "fail"
    assert report.bundle.name == "hostile" and report.bundle.placeholders == ["name", "version"]
    assert report.level_verified == 0


def test_deeply_nested_manifest_is_an_ai01_finding(reports: dict[str, Report]) -> None:
    report = reports["deep-manifest"]
    ai01 = report.domains["artifact_integrity"].controls["AI-01"]
    assert ai01.status == "fail"
    assert "nested deeper" in ai01.findings[0].description


def test_sarif_paths_are_uri_references_under_the_scanned_directory(
    reports: dict[str, Report],
) -> None:
    report = reports["failing"]
    sarif = render_sarif(report, uri_base="examples/servers/demo/")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"examples/servers/demo/manifest.json"}
    from mtf_action.scan.formats.sarif import _uri

    assert _uri("weird name %20 [x].py", "") == "weird%20name%20%2520%20%5Bx%5D.py"


def test_text_is_coloured_only_when_asked(reports: dict[str, Report]) -> None:
    report = reports["failing"]
    assert "\x1b[" in render(report, "text", color=True)
    assert "\x1b[" not in render(report, "text", color=False)


def test_unknown_format_is_refused(reports: dict[str, Report]) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render(reports["failing"], "pdf")


def test_no_secret_value_appears_in_any_format(tmp_path: Path) -> None:
    aws_key = "AKIA" + "Q7ZPW3NRT5KX2MLB"
    aws_secret = "wJ8rXtq2Lm9ZpV4nK7sYb3Hc6Fd1Gx5Ue0Ri8Toa"
    github = "ghp_" + "N3kq7ZtWm2Xv8Rb5Lp4Yc9Hd6Fs1Gj0Ea7Uo"
    server = (
        f'AWS_ACCESS_KEY_ID = "{aws_key}"\n'
        f'aws_secret_access_key = "{aws_secret}"\n'
        f'GITHUB_TOKEN = "{github}"\n'
        'DSN = "postgres://admin:S3cr3tPassw0rd!@db.internal:5432/app"\n'
    )
    bundle = make_bundle(tmp_path / "leaky.mcpb", {"server.py": server}, manifest())
    report = report_of(bundle)
    cq01 = report.domains["code_quality"].controls["CQ-01"]
    assert cq01.findings, "CQ-01 must find the planted secrets"
    for fmt in FORMATS:
        rendered = render(report, fmt)
        for value in (aws_key, aws_secret, github, "S3cr3tPassw0rd!"):
            assert value not in rendered, f"{value[:6]}... leaked in {fmt}"
