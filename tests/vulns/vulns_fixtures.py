"""Shared data for the SC-02 tests: where the real advisories and feeds are, record builders.

Real data (read-only, see each SOURCES.md): PyPI OSV advisories in
``shared/data/osv``, the CISA KEV catalog in ``shared/data/kev``, EPSS scores in
``shared/data/epss``. npm OSV records written for these tests (the shared data
has none) are in ``tests/data/osv-npm`` (see its SOURCES.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mtf_action.vulns.model import Component, OsvRecord
from mtf_action.vulns.versions import OsvEcosystem

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MTF_SHARED") or REPO.parent / "shared") / "data"
PYPI_DB = SHARED / "osv" / "pypa-advisory-database-westonsteimel-fork"
PYPI_DB_OFFICIAL = SHARED / "osv" / "pypa-advisory-database"
NPM_DB = REPO / "tests" / "data" / "osv-npm"
KEV_JSON = SHARED / "kev" / "known_exploited_vulnerabilities.json"
EPSS_FULL_GZ = SHARED / "epss" / "derived" / "epss_all_cves_from_emba_2026-08-16.csv.gz"
EPSS_SUBSET = SHARED / "epss" / "derived" / "epss_subset_kev_and_osv_cves.csv"
VEX_DIR = SHARED / "vex"


def component(ecosystem: OsvEcosystem, name: str, version: str) -> Component:
    from packageurl import PackageURL

    key = name.lower() if ecosystem == "npm" else name
    namespace, _, short = key.rpartition("/") if ecosystem == "npm" else ("", "", key)
    purl = PackageURL(
        "pypi" if ecosystem == "PyPI" else "npm", namespace or None, short, version
    ).to_string()
    return Component(ecosystem, key, key, version, purl)


def pypi(name: str, version: str) -> Component:
    return component("PyPI", name, version)


def npm(name: str, version: str) -> Component:
    return component("npm", name, version)


def record(
    vuln_id: str,
    package: str,
    events: list[dict[str, str]] | None = None,
    *,
    ecosystem: str = "PyPI",
    range_type: str = "ECOSYSTEM",
    versions: list[str] | None = None,
    aliases: list[str] | None = None,
    severity: list[dict[str, str]] | None = None,
    **extra: Any,
) -> OsvRecord:
    """A schema-shaped OSV record for edge cases (synthetic unless the test says otherwise)."""
    affected: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": package}}
    if events is not None:
        affected["ranges"] = [{"type": range_type, "events": events}]
    if versions is not None:
        affected["versions"] = versions
    return OsvRecord.model_validate(
        {
            "id": vuln_id,
            "modified": "2026-01-01T00:00:00Z",
            "aliases": aliases or [],
            "severity": severity or [],
            "affected": [affected],
            **extra,
        }
    )
