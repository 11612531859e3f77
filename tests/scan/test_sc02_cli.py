"""``mtf-attest scan`` SC-02 flags: sources, feeds, VEX, exit codes 2/3/4, SARIF locations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import make_bundle, manifest
from sc02_support import EPSS, KEV, NPM_DB, PYPI_DB, requirements, sbom

from mtf_action._cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def offline_flags(tmp_path: Path) -> list[str]:
    return [
        "--vuln-db",
        str(PYPI_DB),
        "--vuln-db",
        str(NPM_DB),
        "--kev",
        str(KEV),
        "--epss",
        str(EPSS),
    ]


def sc02(report: dict[str, Any]) -> dict[str, Any]:
    for domain in report["domains"].values():
        if "SC-02" in domain["controls"]:
            control: dict[str, Any] = domain["controls"]["SC-02"]
            return control
    raise AssertionError("SC-02 missing from the report")


@pytest.fixture
def vulnerable_bundle(tmp_path: Path) -> Path:
    return make_bundle(
        tmp_path / "demo.mcpb",
        {
            "server.py": "print('hi')\n",
            "sbom.cdx.json": sbom(("pypi", "requests", "2.19.0"), ("pypi", "h11", "0.14.0")),
            "requirements.txt": requirements(("requests", "2.19.0"), ("h11", "0.14.0")),
        },
        manifest(),
    )


def test_sc02_cli_offline_json_and_sarif(
    tmp_path: Path,
    vulnerable_bundle: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MTF_VULN_CACHE_DIR", str(tmp_path / "cache"))
    code, out, err = run(
        capsys, "scan", str(vulnerable_bundle), "--format", "json", *offline_flags(tmp_path)
    )
    control = sc02(json.loads(out))
    assert control["mtf_status"] == "fail" and code == 1, err
    assert control["details"]["source"].startswith("local OSV database")
    h11 = next(f for f in control["findings"] if f["title"] == "h11 0.14.0: CVE-2025-43859")
    assert h11["rule"] == "cvss-critical" and h11["blocking"] is True
    sarif_path = tmp_path / "report.sarif"
    code, _, err = run(
        capsys,
        "scan",
        str(vulnerable_bundle),
        "--format",
        "sarif",
        "-o",
        str(sarif_path),
        *offline_flags(tmp_path),
    )
    results = json.loads(sarif_path.read_text())["runs"][0]["results"]
    located = [
        r for r in results if r["ruleId"].startswith("SC-02") and "h11" in r["message"]["text"]
    ]
    location = located[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("requirements.txt")
    assert location["region"]["startLine"] == 3


def test_sc02_cli_vex_flag_suppresses(
    tmp_path: Path, vulnerable_bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "h11.vex.json"
    doc.write_text(
        json.dumps(
            {
                "@context": "https://openvex.dev/ns/v0.2.0",
                "@id": "https://acme.example/vex/2",
                "author": "mcp@acme.example",
                "timestamp": "2026-02-06T12:00:00Z",
                "version": 1,
                "statements": [
                    {
                        "vulnerability": {"@id": "CVE-2025-43859"},
                        "products": [{"@id": "pkg:pypi/h11@0.14.0"}],
                        "status": "not_affected",
                        "justification": "vulnerable_code_not_present",
                    }
                ],
            }
        )
    )
    _, out, _ = run(
        capsys,
        "scan",
        str(vulnerable_bundle),
        "--format",
        "json",
        "--vex",
        str(doc),
        "--no-vuln-cache",
        *offline_flags(tmp_path),
    )
    control = sc02(json.loads(out))
    assert control["mtf_status"] == "warn"  # requests 2.19.0 still warns
    assert control["details"]["suppressed"][0]["vex_file"] == str(doc)
    assert control["details"]["cache"]["enabled"] == 0


def test_sc02_cli_unreachable_source(
    vulnerable_bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # tests/conftest.py points MTF_OSV_API_URL at a closed local port.
    code, out, _ = run(capsys, "scan", str(vulnerable_bundle), "--format", "json")
    control = sc02(json.loads(out))
    assert control["mtf_status"] == "error" and code == 1
    code, _, err = run(
        capsys, "scan", str(vulnerable_bundle), "--format", "json", "--require-online"
    )
    assert code == 4 and "OSV API unreachable" in err


@pytest.mark.parametrize(
    ("flags", "code", "message"),
    [
        (["--vuln-source", "offline"], 2, "needs --vuln-db"),
        (["--vuln-db", str(PYPI_DB), "--require-online"], 2, "--require-online contradicts"),
        (["--vuln-db", "/nonexistent/osv"], 3, "no such OSV database"),
        (["--kev", "/nonexistent/kev.json"], 3, "no such KEV catalog"),
    ],
)
def test_sc02_cli_usage_and_input_errors(
    vulnerable_bundle: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    code: int,
    message: str,
) -> None:
    got, _, err = run(capsys, "scan", str(vulnerable_bundle), *flags)
    assert got == code and message in err


@pytest.mark.parametrize(
    ("flag", "content", "message"),
    [
        ("--epss", "cve;epss;percentile\n", "not an EPSS CSV"),
        ("--kev", '{"title": "x"}', "not a CISA KEV catalog"),
        ("--vex", '{"@context": "https://openvex.dev/ns/v0.0.1"}', "not OpenVEX v0.2.0"),
    ],
)
def test_sc02_cli_unusable_feed_files(
    tmp_path: Path,
    vulnerable_bundle: Path,
    capsys: pytest.CaptureFixture[str],
    flag: str,
    content: str,
    message: str,
) -> None:
    bad = tmp_path / "bad-input"
    bad.write_text(content)
    code, _, err = run(capsys, "scan", str(vulnerable_bundle), flag, str(bad))
    assert code == 3 and message in err and str(bad) in err


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_sc02_examples_have_no_known_vulnerability_offline(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str], example: str
) -> None:
    _, out, _ = run(
        capsys,
        "scan",
        str(examples_dir / example),
        "--format",
        "json",
        "--no-vuln-cache",
        *offline_flags(tmp_path),
    )
    control = sc02(json.loads(out))
    # The real advisories (PyPI) and the npm records name none of the locked versions.
    assert control["mtf_status"] == "pass", control["findings"]
    assert control["details"]["components"] == (30 if example == "python-units" else 95)


def test_sc02_in_a_forked_child_reports_what_an_inline_run_does(
    tmp_path: Path,
    vulnerable_bundle: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SC-02.start looks the components up in a child; the report is the same as inline."""
    from mtf_action.scan import parallel

    reports = {}
    for forking in (True, False):
        monkeypatch.setenv("MTF_VULN_CACHE_DIR", str(tmp_path / f"cache-{forking}"))
        monkeypatch.setattr(parallel, "_can_fork", lambda forking=forking: forking)
        code, out, err = run(
            capsys, "scan", str(vulnerable_bundle), "--format", "json", *offline_flags(tmp_path)
        )
        assert code == 1, err
        control = sc02(json.loads(out))
        details = {k: v for k, v in control["details"].items() if k != "duration_ms"}
        reports[forking] = (control["mtf_status"], control["findings"], details)
    assert reports[True] == reports[False]
    assert any(f["title"] == "h11 0.14.0: CVE-2025-43859" for f in reports[True][1])
