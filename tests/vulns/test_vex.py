"""OpenVEX v0.2.0 handling for SC-02 (MTF 5.4 format, SC-02 "VEX Statement Handling")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vulns_fixtures import VEX_DIR, npm, pypi

from mtf_action.vulns.vex import VexDocument, VexIndex, VexProblem, load_vex_file, parse_vex

REQUESTS = pypi("requests", "2.19.0")
IDS = {"CVE-2018-18074", "GHSA-x84v-xcm2-53pg", "PYSEC-2018-28"}


def document(*statements: dict[str, Any], timestamp: str = "2026-02-06T12:00:00Z") -> VexDocument:
    """A document in the shape of the MTF 5.4 example."""
    parsed = parse_vex(
        "vex.json",
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/2026-001",
            "author": "publisher@example.com",
            "timestamp": timestamp,
            "version": 1,
            "statements": list(statements),
        },
    )
    assert isinstance(parsed, VexDocument), parsed
    return parsed


def statement(
    status: str, product: str = "pkg:pypi/requests@2.19.0", **extra: Any
) -> dict[str, Any]:
    return {
        "vulnerability": {"@id": "CVE-2018-18074"},
        "products": [{"@id": product}],
        "status": status,
        **extra,
    }


def applied(*docs: VexDocument, component: Any = REQUESTS, ids: set[str] = IDS) -> Any:
    return VexIndex([(d.origin, d) for d in docs]).applicable(component, ids)


def test_sc02_not_affected_with_justification_suppresses() -> None:
    result = applied(
        document(
            statement(
                "not_affected",
                justification="vulnerable_code_not_in_execute_path",
                impact_statement="not called",
            )
        )
    )
    assert result.suppresses and result.effect == "suppressed"
    assert result.justification == "vulnerable_code_not_in_execute_path"


@pytest.mark.parametrize(
    "extra",
    [{}, {"impact_statement": "we think it is fine"}, {"justification": "trust_me"}],
)
def test_sc02_not_affected_without_justification_is_not_honoured(extra: dict[str, str]) -> None:
    result = applied(document(statement("not_affected", **extra)))
    assert not result.suppresses and result.effect == "unjustified"
    assert "not honoured" in result.note


def test_sc02_fixed_only_for_the_bundled_version() -> None:
    assert applied(document(statement("fixed"))).suppresses
    unversioned = applied(document(statement("fixed", product="pkg:pypi/requests")))
    assert unversioned.effect == "fixed-elsewhere" and not unversioned.suppresses
    # A statement about another version does not name this component at all.
    assert applied(document(statement("fixed", product="pkg:pypi/requests@2.20.0"))) is None


def test_sc02_under_investigation_and_affected() -> None:
    assert applied(document(statement("under_investigation"))).effect == "investigating"
    assert applied(document(statement("affected", action_statement="upgrade"))).effect == "affected"


def test_sc02_statement_matches_by_alias_subcomponent_and_normalised_purl() -> None:
    by_alias = {
        "vulnerability": {"name": "GHSA-x84v-xcm2-53pg"},
        "products": [
            {
                "@id": "pkg:mcpb/acme/demo@1.0.0",
                "subcomponents": [{"identifiers": {"purl": "pkg:pypi/Requests@2.19.0"}}],
            }
        ],
        "status": "not_affected",
        "justification": "component_not_present",
    }
    assert applied(document(by_alias)).suppresses
    other_package = statement(
        "not_affected", product="pkg:pypi/urllib3@2.19.0", justification="component_not_present"
    )
    assert applied(document(other_package)) is None
    other_vuln = {
        **statement("not_affected", justification="component_not_present"),
        "vulnerability": {"name": "CVE-2099-0001"},
    }
    assert applied(document(other_vuln)) is None
    scoped = statement("under_investigation", product="pkg:npm/%40acme/demo@1.0.0")
    assert applied(document(scoped), component=npm("@acme/demo", "1.0.0"), ids={"CVE-2018-18074"})


def test_sc02_latest_statement_wins() -> None:
    old = document(
        statement("not_affected", justification="component_not_present"),
        timestamp="2026-01-01T00:00:00Z",
    )
    new = document(
        statement("affected", action_statement="upgrade"), timestamp="2026-03-01T00:00:00Z"
    )
    assert applied(old, new).effect == "affected"
    assert applied(new, old).effect == "affected"
    stamped = statement("under_investigation", timestamp="2026-04-01T00:00:00Z")
    assert (
        applied(new, document(stamped, timestamp="2025-01-01T00:00:00Z")).effect == "investigating"
    )


def test_sc02_real_openvex_documents_parse() -> None:
    v020 = [
        VEX_DIR / "go-vex/pkg/vex/testdata/v0.2.0.json",
        VEX_DIR / "go-vex/pkg/vex/testdata/v020-1.vex.json",
        VEX_DIR / "aquasecurity-vexhub/pkg/golang/github.com/aquasecurity/trivy/trivy.openvex.json",
        *sorted((VEX_DIR / "vexctl/examples/openvex").glob("*.json")),
    ]
    for path in v020:
        loaded = load_vex_file(path)
        assert isinstance(loaded, VexDocument), (path, loaded)
        assert loaded.statements
    trivy = load_vex_file(v020[2])
    assert isinstance(trivy, VexDocument) and len(trivy.statements) == 21
    assert trivy.statements[0].justification == "vulnerable_code_not_in_execute_path"


@pytest.mark.parametrize("name", ["v0.0.1.json", "v001-1.vex.json", "v0.0.1-noversion.json"])
def test_sc02_legacy_openvex_is_reported_not_applied(name: str) -> None:
    loaded = load_vex_file(VEX_DIR / "go-vex/pkg/vex/testdata" / name)
    assert isinstance(loaded, VexProblem) and "not OpenVEX v0.2.0" in loaded.reason


def test_sc02_broken_vex_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{")
    (tmp_path / "b.json").write_text(
        json.dumps(
            {"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"status": "maybe"}]}
        )
    )
    first = load_vex_file(tmp_path / "a.json")
    second = load_vex_file(tmp_path / "b.json")
    missing = load_vex_file(tmp_path / "none.json")
    assert isinstance(first, VexProblem) and "not JSON" in first.reason
    assert isinstance(second, VexProblem) and "statements/0" in second.reason
    assert isinstance(missing, VexProblem) and "cannot read" in missing.reason
