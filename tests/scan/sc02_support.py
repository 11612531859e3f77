"""Targets for the SC-02 tests: a CycloneDX SBOM and lockfiles listing real packages.

Advisory data: the real PYSEC advisories (shared/data/osv), the npm records written
for these tests (tests/data/osv-npm, see its SOURCES.md), the real CISA KEV catalog
and EPSS scores (shared/data/kev, shared/data/epss).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from mtf_action.vulns.options import VulnOptions

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("MTF_SHARED") or REPO.parent / "shared") / "data"
PYPI_DB = DATA / "osv" / "pypa-advisory-database-westonsteimel-fork"
NPM_DB = REPO / "tests" / "data" / "osv-npm"
KEV = DATA / "kev" / "known_exploited_vulnerabilities.json"
EPSS = DATA / "epss" / "derived" / "epss_all_cves_from_emba_2026-08-16.csv.gz"


def offline(tmp_path: Path, *, epss: bool = True, kev: bool = True, **more: Any) -> VulnOptions:
    """Offline SC-02 options over the real data, cache in ``tmp_path``."""
    return VulnOptions(
        db=(PYPI_DB, NPM_DB),
        epss=EPSS if epss else None,
        kev=KEV if kev else None,
        cache_dir=tmp_path / "vuln-cache",
        **more,
    )


def sbom(*packages: tuple[str, str, str]) -> str:
    """CycloneDX 1.6 listing (purl type, name, version) components."""
    components = []
    for kind, name, version in packages:
        namespace, _, short = name.rpartition("/") if kind == "npm" else ("", "", name)
        purl = PackageURL(kind, namespace or None, short, version).to_string()
        item: dict[str, Any] = {
            "type": "library",
            "bom-ref": purl,
            "name": short,
            "version": version,
            "purl": purl,
        }
        if namespace:
            item["group"] = namespace
        components.append(item)
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "version": 1,
            "metadata": {"timestamp": "2026-01-01T00:00:00Z"},
            "components": components,
        }
    )


def requirements(*pins: tuple[str, str]) -> str:
    return "# runtime pins\n" + "".join(f"{n}=={v}\n" for n, v in pins)


def package_lock(*packages: tuple[str, str]) -> str:
    entries: dict[str, Any] = {
        "": {"name": "demo", "version": "1.0.0", "dependencies": dict(packages)}
    }
    for name, version in packages:
        entries[f"node_modules/{name}"] = {
            "version": version,
            "resolved": f"https://registry.npmjs.org/{name}/-/{name.rpartition('/')[2]}-{version}.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
        }
    return json.dumps(
        {
            "name": "demo",
            "version": "1.0.0",
            "lockfileVersion": 3,
            "requires": True,
            "packages": entries,
        },
        indent=2,
    )


def vex(*statements: dict[str, Any]) -> str:
    return json.dumps(
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://acme.example/vex/1",
            "author": "mcp@acme.example",
            "timestamp": "2026-02-06T12:00:00Z",
            "version": 1,
            "statements": list(statements),
        }
    )


def statement(cve: str, purl: str, status: str, **extra: str) -> dict[str, Any]:
    return {"vulnerability": {"@id": cve}, "products": [{"@id": purl}], "status": status, **extra}
