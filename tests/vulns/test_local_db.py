"""SC-02 against real advisories: the PyPA advisory database (PyPI) and npm records.

The PyPI records are the unmodified PYSEC YAML files in shared/data/osv; the npm
records in tests/data/osv-npm were written for these tests from the published
GitHub advisories (see its SOURCES.md), because the shared data holds none.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from vulns_fixtures import NPM_DB, PYPI_DB, PYPI_DB_OFFICIAL, npm, pypi

from mtf_action.errors import InvalidInputError
from mtf_action.vulns.audit import group_advisories
from mtf_action.vulns.model import Component, VulnerabilityGroup
from mtf_action.vulns.sources.local_db import LocalDbSource, LocalOsvDatabase


@pytest.fixture(scope="module")
def source() -> LocalDbSource:
    return LocalDbSource([LocalOsvDatabase(PYPI_DB), LocalOsvDatabase(NPM_DB)])


def groups(source: LocalDbSource, component: Component) -> list[VulnerabilityGroup]:
    answer = source.query([component])
    return group_advisories(component, answer.advisories[component.purl])


def cves(found: list[VulnerabilityGroup]) -> set[str]:
    return {cve for g in found for cve in g.cves}


def test_sc02_old_requests_gets_its_known_advisories(source: LocalDbSource) -> None:
    found = groups(source, pypi("requests", "2.19.0"))
    assert cves(found) == {
        "CVE-2018-18074",  # Authorization header leaked on https->http redirect, fixed 2.20.0
        "CVE-2023-32681",  # Proxy-Authorization leak, fixed 2.31.0
        "CVE-2024-35195",  # verify=False sticks to the connection, fixed 2.32.0
        "CVE-2024-47081",  # .netrc credentials leak, fixed 2.32.4
        "CVE-2026-25645",
    }
    first = next(g for g in found if "CVE-2018-18074" in g.ids)
    # Aliases merged: one finding for the PYSEC record, its GHSA and its CVE.
    assert first.ids == ("CVE-2018-18074", "GHSA-x84v-xcm2-53pg", "PYSEC-2018-28")
    assert first.fixed == ("2.20.0",)
    # The 2014 advisories (fixed in 2.3.0) do not apply to 2.19.0.
    assert not any("PYSEC-2014-13" in g.ids for g in found)


@pytest.mark.parametrize(
    ("name", "old", "known", "current"),
    [
        ("urllib3", "1.24.1", {"CVE-2019-11324", "CVE-2019-11236", "CVE-2018-25091"}, "2.8.0"),
        ("jinja2", "2.10", {"CVE-2019-10906", "CVE-2020-28493", "CVE-2024-22195"}, "3.1.6"),
        ("requests", "2.31.0", {"CVE-2024-35195", "CVE-2024-47081"}, "2.34.2"),
        ("h11", "0.14.0", {"CVE-2025-43859"}, "0.16.0"),
        ("aiohttp", "3.9.1", {"CVE-2024-23334"}, None),
    ],
)
def test_sc02_real_packages_old_and_current(
    source: LocalDbSource, name: str, old: str, known: set[str], current: str | None
) -> None:
    assert known <= cves(groups(source, pypi(name, old)))
    if current is not None:
        assert groups(source, pypi(name, current)) == []


def test_sc02_fix_for_the_branch_the_version_is_on(source: LocalDbSource) -> None:
    # CVE-2023-43804 (urllib3 cookie leak) was fixed on two branches: 1.26.17 and 2.0.6.
    on_2x = next(g for g in groups(source, pypi("urllib3", "2.0.5")) if "CVE-2023-43804" in g.ids)
    on_1x = next(g for g in groups(source, pypi("urllib3", "1.26.16")) if "CVE-2023-43804" in g.ids)
    assert on_2x.fixed == ("2.0.6",) and on_1x.fixed == ("1.26.17",)


def test_sc02_withdrawn_advisory_is_ignored(source: LocalDbSource) -> None:
    # PYSEC-2025-74 (jinja2) is withdrawn upstream: it must never be reported.
    for version in ("2.10", "3.0.0", "3.1.4"):
        assert not any("PYSEC-2025-74" in g.ids for g in groups(source, pypi("jinja2", version)))
    db = source.databases[0]
    assert db.withdrawn >= 2


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("4.18.2", {"CVE-2024-29041", "CVE-2024-43796"}),
        ("5.0.0-beta.1", {"CVE-2024-29041", "CVE-2024-43796"}),
        ("5.0.0-beta.3", {"CVE-2024-43796"}),
        ("4.19.2", {"CVE-2024-43796"}),
        ("4.21.2", set()),
        ("5.3.0", set()),  # the Node example's express
    ],
)
def test_sc02_express_versions(source: LocalDbSource, version: str, expected: set[str]) -> None:
    assert cves(groups(source, npm("express", version))) == expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.21.1", {"CVE-2023-45857"}),
        ("1.6.0", {"CVE-2024-39338"}),  # the SSRF record spells the package "Axios"
        ("1.7.2", {"CVE-2024-39338"}),
        ("1.5.1", {"CVE-2023-45857", "CVE-2024-39338"}),
        ("1.7.4", set()),
        ("0.8.0", set()),
    ],
)
def test_sc02_axios_versions(source: LocalDbSource, version: str, expected: set[str]) -> None:
    assert cves(groups(source, npm("axios", version))) == expected


def test_sc02_zip_database_answers_like_the_directory(tmp_path: Path) -> None:
    archive = tmp_path / "PyPI-all.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted((PYPI_DB / "vulns" / "requests").glob("*.yaml")):
            zf.write(file, f"requests/{file.name}")
    zipped = LocalDbSource([LocalOsvDatabase(archive)])
    found = groups(zipped, pypi("requests", "2.19.0"))
    assert "CVE-2018-18074" in cves(found) and len(found) == 5


def test_sc02_json_records_and_alias_merge_across_files(tmp_path: Path) -> None:
    # A GHSA record (JSON) and the PYSEC record naming it as alias become one finding.
    shutil.copy(PYPI_DB / "vulns" / "requests" / "PYSEC-2018-28.yaml", tmp_path)
    ghsa = {
        "id": "GHSA-x84v-xcm2-53pg",
        "aliases": ["CVE-2018-18074"],
        "summary": "Insufficiently Protected Credentials in Requests",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "requests"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}
                ],
            }
        ],
    }
    (tmp_path / "GHSA-x84v-xcm2-53pg.json").write_text(json.dumps(ghsa))
    found = groups(LocalDbSource([LocalOsvDatabase(tmp_path)]), pypi("requests", "2.19.0"))
    assert len(found) == 1
    assert found[0].ids == ("CVE-2018-18074", "GHSA-x84v-xcm2-53pg", "PYSEC-2018-28")
    assert found[0].summary == "Insufficiently Protected Credentials in Requests"
    assert {a.id for a in found[0].advisories} == {"GHSA-x84v-xcm2-53pg", "PYSEC-2018-28"}


def test_sc02_official_snapshot_loads_too() -> None:
    db = LocalOsvDatabase(PYPI_DB_OFFICIAL)
    assert db.records_for("PyPI", "requests") and db.records > 50


def test_sc02_non_records_and_hidden_dirs_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: [push]\n")
    (tmp_path / "config.json").write_text('{"not": "osv"}')
    source = LocalDbSource([LocalOsvDatabase(tmp_path)])
    answer = source.query([pypi("requests", "2.19.0")])
    assert answer.advisories == {"pkg:pypi/requests@2.19.0": []}
    assert "1 files" in answer.notes[0] and "config.json" in answer.notes[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", "{", "cannot parse"),
        ("bad.yaml", "id: [", "cannot parse"),
        ("bad-shape.json", '{"id": "X-1", "affected": "none"}', "not a valid OSV record"),
    ],
)
def test_sc02_broken_database_files_are_named(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(InvalidInputError) as caught:
        LocalDbSource([LocalOsvDatabase(tmp_path)]).query([pypi("requests", "1.0")])
    assert message in caught.value.one_line() and name in caught.value.one_line()


def test_sc02_missing_or_unreadable_database(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no such OSV database"):
        LocalOsvDatabase(tmp_path / "nope")
    bogus = tmp_path / "db.zip"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(InvalidInputError, match="not a readable zip"):
        LocalOsvDatabase(bogus).records_for("PyPI", "x")


def test_sc02_fingerprint_changes_with_the_database(tmp_path: Path) -> None:
    shutil.copy(PYPI_DB / "vulns" / "requests" / "PYSEC-2018-28.yaml", tmp_path)
    before = LocalOsvDatabase(tmp_path).fingerprint
    shutil.copy(PYPI_DB / "vulns" / "requests" / "PYSEC-2023-74.yaml", tmp_path)
    assert LocalOsvDatabase(tmp_path).fingerprint != before
