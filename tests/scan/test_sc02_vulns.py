"""SC-02 Vulnerability Scanning as a control: real advisories, EPSS, KEV, OpenVEX, lockfile lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import bundle_ctx
from sc02_support import offline, package_lock, requirements, sbom, statement, vex

from mtf_action.scan.context import ScanContext
from mtf_action.scan.controls.sc02_vulns import VulnerabilityScanning
from mtf_action.scan.result import ControlOutcome, Finding, Status
from mtf_action.vulns.options import VulnOptions

SC02 = VulnerabilityScanning()


def scan(
    tmp_path: Path, files: dict[str, str | bytes], vulns: VulnOptions
) -> tuple[ControlOutcome, ScanContext]:
    ctx = bundle_ctx(tmp_path, files, vulns=vulns)
    try:
        outcome = SC02.evaluate(ctx)
    finally:
        ctx.close()
    return outcome, ctx


def vulns_of(outcome: ControlOutcome) -> dict[str, Finding]:
    """Vulnerability findings by their primary id (the title's last word)."""
    return {
        f.title.rsplit(" ", 1)[1]: f
        for f in outcome.findings
        if f.rule.startswith(("cvss", "kev", "vex-under"))
    }


def test_sc02_old_requests_and_urllib3_point_at_their_lockfile_lines(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(
            ("pypi", "requests", "2.19.0"), ("pypi", "urllib3", "1.24.1"), ("pypi", "idna", "3.20")
        ),
        "requirements.txt": requirements(
            ("requests", "2.19.0"), ("urllib3", "1.24.1"), ("idna", "3.20")
        ),
    }
    outcome, ctx = scan(tmp_path, files, offline(tmp_path))
    found = vulns_of(outcome)
    leak = found["CVE-2018-18074"]
    assert (leak.file, leak.line) == ("requirements.txt", 2)
    assert leak.title == "requests 2.19.0: CVE-2018-18074"
    for fact in (
        "GHSA-x84v-xcm2-53pg",
        "PYSEC-2018-28",
        "Fixed in: 2.20.0",
        "CVSS: unknown",
        "EPSS: 0.0744",
        "KEV: no",
        "Rule: cvss-unknown",
    ):
        assert fact in leak.description, fact
    assert leak.remediation == "upgrade requests to 2.20.0 or later"
    assert found["CVE-2019-11324"].line == 3  # urllib3
    assert not any("idna" in f.title for f in outcome.findings)
    assert outcome.details["components"] == 3 and len(outcome.details["vulnerabilities"]) == 17
    # Nothing here is critical, in KEV or likely exploited: warnings, no failure at L2.
    assert outcome.status_at(2) is Status.WARN
    assert max(ctx.reads.values()) == 1


def test_sc02_critical_cvss_blocks_from_l2(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"sbom.cdx.json": sbom(("pypi", "h11", "0.14.0"))}
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    finding = vulns_of(outcome)["CVE-2025-43859"]
    assert finding.rule == "cvss-critical" and finding.blocks_at == 2
    assert (
        "CVSS: 9.1 (CVSS 3.1)" in finding.description and "Fixed in: 0.16.0" in finding.description
    )
    assert finding.file == "sbom.cdx.json" and finding.line is None  # no lockfile: the SBOM
    assert outcome.status_at(1) is Status.WARN and outcome.status_at(2) is Status.FAIL


def test_sc02_high_cvss_with_high_epss_blocks_and_degrades_without_epss(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"sbom.cdx.json": sbom(("pypi", "aiohttp", "3.9.1"))}
    with_epss, _ = scan(tmp_path / "a", files, offline(tmp_path))
    traversal = vulns_of(with_epss)["CVE-2024-23334"]  # aiohttp static-route path traversal
    assert traversal.rule == "cvss-high-epss" and traversal.blocks_at == 2
    assert with_epss.status_at(2) is Status.FAIL
    without, _ = scan(tmp_path / "b", files, offline(tmp_path, epss=False))
    degraded = vulns_of(without)["CVE-2024-23334"]
    assert degraded.rule == "cvss-high-epss-unknown" and degraded.blocks_at is None
    notes = [f for f in without.findings if f.rule == "epss-unavailable"]
    assert len(notes) == 1 and "no --epss FILE" in notes[0].description
    assert without.details["epss"]["missing"] == "offline scan and no --epss FILE"


def test_sc02_kev_listed_blocks_whatever_the_cvss(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(("npm", "systeminformation", "5.3.0")),
        "package-lock.json": package_lock(("systeminformation", "5.3.0")),
    }
    outcome, _ = scan(tmp_path / "a", files, offline(tmp_path))
    finding = vulns_of(outcome)["CVE-2021-21315"]
    assert finding.rule == "kev-listed" and finding.blocks_at == 2
    assert (
        "KEV: yes (added 2022-01-18)" in finding.description
        and "CVSS: unknown" in finding.description
    )
    assert finding.file == "package-lock.json" and finding.line is not None
    assert outcome.details["kev"]["catalog_version"] == "2025.08.25"
    no_kev, _ = scan(tmp_path / "b", files, offline(tmp_path, kev=False))
    assert vulns_of(no_kev)["CVE-2021-21315"].rule == "cvss-unknown"
    assert "KEV: unknown (no KEV data)" in vulns_of(no_kev)["CVE-2021-21315"].description
    assert no_kev.status_at(2) is Status.WARN
    assert [f.rule for f in no_kev.findings if f.rule.endswith("unavailable")] == [
        "kev-unavailable"
    ]


def test_sc02_npm_express_and_axios(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(
            ("npm", "express", "4.18.2"),
            ("npm", "axios", "1.7.2"),
            ("npm", "@modelcontextprotocol/sdk", "1.32.2"),
        ),
        "package-lock.json": package_lock(
            ("express", "4.18.2"), ("axios", "1.7.2"), ("@modelcontextprotocol/sdk", "1.32.2")
        ),
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    found = vulns_of(outcome)
    assert set(found) == {"CVE-2024-29041", "CVE-2024-43796", "CVE-2024-39338"}
    assert found["CVE-2024-29041"].rule == "cvss-medium"  # 6.1
    assert found["CVE-2024-43796"].rule == "cvss-medium"  # 5.0 (v3.1) vs 2.3 (v4.0): the highest
    assert "Fixed in: 1.7.4" in found["CVE-2024-39338"].description
    lines = {f.line for f in found.values()}
    assert None not in lines and len(lines) == 2  # express's and axios's lockfile entries


def test_sc02_current_releases_pass(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(
            ("pypi", "requests", "2.34.2"),
            ("pypi", "urllib3", "2.8.0"),
            ("pypi", "jinja2", "3.1.6"),
            ("pypi", "h11", "0.16.0"),
            ("npm", "express", "5.3.0"),
            ("npm", "axios", "1.7.4"),
        ),
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    assert outcome.findings == [] and outcome.status_at(4) is Status.PASS
    assert outcome.details["components"] == 6 and outcome.details["vulnerabilities"] == []


def test_sc02_locked_packages_missing_from_the_sbom_are_scanned(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(),
        "requirements.txt": requirements(("h11", "0.14.0")),
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    assert vulns_of(outcome)["CVE-2025-43859"].file == "requirements.txt"
    notes = [f.description for f in outcome.findings if f.rule == "scan-note"]
    assert notes == ["1 locked or installed packages the SBOM does not list were checked too"]
    assert outcome.status_at(2) is Status.FAIL


def test_sc02_vex_in_the_bundle(tmp_path: Path) -> None:
    h11 = "pkg:pypi/h11@0.14.0"
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(
            ("pypi", "h11", "0.14.0"), ("pypi", "aiohttp", "3.9.1"), ("pypi", "requests", "2.19.0")
        ),
        "vex.json": vex(
            statement(
                "CVE-2025-43859",
                h11,
                "not_affected",
                justification="vulnerable_code_not_in_execute_path",
            )
        ),
        ".vex/aiohttp.json": vex(
            statement("CVE-2024-23334", "pkg:pypi/aiohttp", "under_investigation")
        ),
        ".vex/requests.json": vex(
            statement(
                "CVE-2024-35195",
                "pkg:pypi/requests@2.19.0",
                "not_affected",
                impact_statement="we never set verify",
            )
        ),
        ".vex/legacy.json": '{"@context": "https://openvex.dev/ns", "statements": []}',
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    found = vulns_of(outcome)
    assert "CVE-2025-43859" not in found  # suppressed, and listed as such
    suppressed = [f for f in outcome.findings if f.rule == "vex-suppressed"]
    assert len(suppressed) == 1 and suppressed[0].file == "vex.json"
    assert "not_affected: vulnerable_code_not_in_execute_path" in suppressed[0].description
    assert outcome.details["suppressed"][0]["ids"][0] == "CVE-2025-43859"
    investigating = found["CVE-2024-23334"]
    assert investigating.rule == "vex-under-investigation" and investigating.blocks_at is None
    assert found["CVE-2024-35195"].rule == "cvss-medium"  # statement not honoured
    unjustified = [f for f in outcome.findings if f.rule == "vex-not-affected-unjustified"]
    assert len(unjustified) == 1 and unjustified[0].file == ".vex/requests.json"
    invalid = [f for f in outcome.findings if f.rule == "vex-invalid"]
    assert [f.file for f in invalid] == [".vex/legacy.json"]
    assert outcome.status_at(2) is Status.WARN  # nothing left blocks


def test_sc02_vex_option_file(tmp_path: Path) -> None:
    doc = tmp_path / "extra.vex.json"
    doc.write_text(vex(statement("CVE-2025-43859", "pkg:pypi/h11@0.14.0", "fixed")))
    files: dict[str, str | bytes] = {"sbom.cdx.json": sbom(("pypi", "h11", "0.14.0"))}
    outcome, _ = scan(tmp_path, files, offline(tmp_path, vex=(doc,)))
    assert outcome.status_at(2) is Status.PASS
    assert [f.rule for f in outcome.findings] == ["vex-suppressed"]


def test_sc02_components_it_cannot_check_are_reported(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(
            ("golang", "github.com/acme/tool", "1.0.0"), ("pypi", "idna", "3.20")
        ),
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    skipped = [f for f in outcome.findings if f.rule == "component-not-scanned"]
    assert len(skipped) == 1 and "golang" in skipped[0].description
    assert outcome.status_at(2) is Status.WARN  # never a silent pass


def test_sc02_without_anything_to_check_is_skipped(tmp_path: Path) -> None:
    outcome, _ = scan(tmp_path, {"server.py": "print(1)\n"}, offline(tmp_path))
    assert outcome.status_at(2) is Status.SKIP and "no SBOM" in (outcome.skipped or "")


def test_sc02_without_sbom_checks_lockfiles_and_installed_packages(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": requirements(("h11", "0.14.0")),
        "deps/requests-2.19.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: requests\n"
        "Version: 2.19.0\n",
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    found = vulns_of(outcome)
    assert found["CVE-2025-43859"].file == "requirements.txt"
    assert found["CVE-2018-18074"].file == "deps/requests-2.19.0.dist-info/METADATA"
    notes = [f.description for f in outcome.findings if f.rule == "scan-note"]
    assert any("no SBOM: checked the lockfiles and installed packages" in n for n in notes)
    assert outcome.status_at(2) is Status.FAIL


def test_sc02_unreachable_source_is_an_error(tmp_path: Path) -> None:
    # tests/conftest.py points the OSV API at a closed local port.
    files: dict[str, str | bytes] = {"sbom.cdx.json": sbom(("pypi", "requests", "2.34.2"))}
    outcome, _ = scan(tmp_path, files, VulnOptions(cache_dir=tmp_path / "c"))
    assert outcome.status_at(2) is Status.ERROR
    assert "OSV API unreachable" in (outcome.error or "") and outcome.details["unreachable"] is True


def test_sc02_warm_cache_answers_without_the_database(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"sbom.cdx.json": sbom(("pypi", "requests", "2.19.0"))}
    cold, _ = scan(tmp_path / "a", files, offline(tmp_path))
    warm, _ = scan(tmp_path / "b", files, offline(tmp_path))
    assert cold.details["cache"]["components_queried"] == 1
    assert warm.details["cache"]["components_from_cache"] == 1
    assert warm.details["vulnerabilities"] == cold.details["vulnerabilities"]


@pytest.mark.parametrize("version", ["2.19.0", "2.34.2"])
def test_sc02_details_name_every_fact(tmp_path: Path, version: str) -> None:
    files: dict[str, str | bytes] = {"sbom.cdx.json": sbom(("pypi", "requests", version))}
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    for row in outcome.details["vulnerabilities"]:
        assert set(row) >= {"component", "version", "ids", "fixed", "cvss", "epss", "kev", "rule"}
    assert bool(outcome.details["vulnerabilities"]) is (version == "2.19.0")


def test_sc02_uv_lock_line(tmp_path: Path, examples_dir: Path) -> None:
    # The Python example's real uv.lock, with h11 set back to 0.14.0 (CVE-2025-43859).
    lock = (examples_dir / "python-units" / "uv.lock").read_text()
    old = lock.replace('name = "h11"\nversion = "0.16.0"', 'name = "h11"\nversion = "0.14.0"')
    assert old != lock
    files: dict[str, str | bytes] = {
        "sbom.cdx.json": sbom(("pypi", "h11", "0.14.0")),
        "uv.lock": old,
    }
    outcome, _ = scan(tmp_path, files, offline(tmp_path))
    finding = vulns_of(outcome)["CVE-2025-43859"]
    lines = old.splitlines()
    assert finding.file == "uv.lock" and finding.line is not None
    assert lines[finding.line - 1] == "[[package]]" and lines[finding.line] == 'name = "h11"'
