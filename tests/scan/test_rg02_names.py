"""RG-02 Name Pattern Review (publisher-side advisory pre-check)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx, manifest
from issue6_fixtures import (
    AFFILIATION_DISCLAIMERS,
    GENERIC_COMPOUNDS,
    HOMOGLYPH_DISPLAY_NAME,
    HOMOGLYPH_NAMES,
    MIXED_SCRIPT_NAME,
    NOT_AFFILIATED,
    NOT_GENERIC,
    NOT_SIMILAR_NAMES,
    OWN_OR_UNRELATED_SCOPES,
    SCOPE_MIMICRY,
    SERVICE_DISCLAIMED_NAME,
    SERVICE_NAMES,
    SERVICE_OWN_FIELDS,
    SIMILAR_NAMES,
    UNKNOWN_VERSION_SUFFIX,
    UNOFFICIAL,
    VERSION_SUFFIXES,
)

from mtf_action.scan.controls.rg02_names import NamePatternReview
from mtf_action.scan.names.catalog import popular_names, services
from mtf_action.scan.names.forms import NameForms
from mtf_action.scan.names.lookalike import analyse, skeleton
from mtf_action.scan.names.similarity import max_distance, neighbours
from mtf_action.scan.result import ControlOutcome, Status

RG02 = NamePatternReview()


def evaluate(tmp_path: Path, **fields: Any) -> ControlOutcome:
    return RG02.evaluate(make_ctx(tmp_path, {}, manifest(**fields)))


def rules(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings}


def finding(outcome: ControlOutcome, rule: str) -> str:
    return next(f.description for f in outcome.findings if f.rule == rule)


# --- reference data -------------------------------------------------------------------------


def test_rg02_popular_names_state_their_sources() -> None:
    data = popular_names()
    ids = {g.id for g in data.groups}
    assert {"reference-servers", "vendor-servers", "corpus-mcpb-manifests"} <= ids
    assert all(len(g.source) > 40 for g in data.groups)
    names = {n for n, _ in data.all_names()}
    for expected in (
        "@modelcontextprotocol/server-filesystem",
        "mcp-server-fetch",
        "@stripe/mcp",
        "@playwright/mcp",
        "github-mcp-server",
    ):
        assert expected in names


def test_rg02_corpus_group_matches_the_corpus(shared_dir: Path) -> None:
    listed = set(next(g for g in popular_names().groups if g.id == "corpus-mcpb-manifests").names)
    corpus = set()
    for path in (shared_dir / "corpus" / "manifests").glob("*.json"):
        try:
            name = json.loads(path.read_text(encoding="utf-8")).get("name")
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(name, str):
            corpus.add(name)
    assert listed <= corpus  # nothing invented
    assert len(listed) >= 55


def test_rg02_services_are_unique_tokens() -> None:
    tokens = [t for s in services().services for t in s.tokens]
    assert len(tokens) == len(set(tokens))


# --- homoglyphs and scripts (UTS #39) --------------------------------------------------------


@pytest.mark.parametrize("name", HOMOGLYPH_NAMES)
def test_rg02_homoglyph_in_name_blocks(tmp_path: Path, name: str) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["homoglyph"] == 2
    assert outcome.status_at(2) is Status.FAIL


def test_rg02_homoglyph_names_what_it_reads_as(tmp_path: Path) -> None:
    text = finding(evaluate(tmp_path, name="ѕtripe-mcp"), "homoglyph")
    assert "'stripe-mcp'" in text and "CYRILLIC SMALL LETTER DZE" in text


def test_rg02_mixed_scripts_without_lookalikes_warns(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, name=MIXED_SCRIPT_NAME)
    assert rules(outcome) == {"mixed-scripts": None}


def test_rg02_display_name_homoglyph(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, display_name=HOMOGLYPH_DISPLAY_NAME)
    assert rules(outcome) == {"homoglyph-display-name": None}


def test_rg02_skeleton() -> None:
    assert skeleton("GіtHub") == "github"
    assert analyse("@acme/demo").deceptive is False


# --- similarity -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "resembles"), SIMILAR_NAMES)
def test_rg02_similar_name_names_the_known_one(tmp_path: Path, name: str, resembles: str) -> None:
    outcome = evaluate(tmp_path, name=name, description=UNOFFICIAL)
    assert rules(outcome).get("similar-name", "absent") is None  # WARN: enhanced review
    assert resembles in finding(outcome, "similar-name")


@pytest.mark.parametrize("name", NOT_SIMILAR_NAMES)
def test_rg02_no_similarity_finding(tmp_path: Path, name: str) -> None:
    assert "similar-name" not in rules(evaluate(tmp_path, name=name))


def test_rg02_distance_scales_with_length() -> None:
    assert [max_distance(n) for n in (3, 4, 5, 7, 8, 30)] == [0, 0, 1, 1, 2, 2]
    assert neighbours(NameForms.parse("mcp-server-git")) == []  # listed itself


# --- scope mimicry --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "scope"), SCOPE_MIMICRY)
def test_rg02_scope_mimicry_blocks(tmp_path: Path, name: str, scope: str) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["scope-mimicry"] == 2
    assert scope in finding(outcome, "scope-mimicry")


@pytest.mark.parametrize("name", OWN_OR_UNRELATED_SCOPES)
def test_rg02_own_or_unrelated_scope_is_no_mimicry(tmp_path: Path, name: str) -> None:
    assert "scope-mimicry" not in rules(evaluate(tmp_path, name=name))


# --- patterns -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "base"), VERSION_SUFFIXES)
def test_rg02_version_suffix_on_known_name(tmp_path: Path, name: str, base: str) -> None:
    outcome = evaluate(tmp_path, name=name, description=NOT_AFFILIATED)
    assert rules(outcome)["version-suffix"] is None
    assert base in finding(outcome, "version-suffix")


def test_rg02_version_suffix_on_unknown_name_is_fine(tmp_path: Path) -> None:
    assert "version-suffix" not in rules(evaluate(tmp_path, name=UNKNOWN_VERSION_SUFFIX))


@pytest.mark.parametrize("name", GENERIC_COMPOUNDS)
def test_rg02_generic_compounds_need_review(tmp_path: Path, name: str) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["generic-compound"] is None
    assert outcome.status_at(4) is Status.WARN


@pytest.mark.parametrize("name", NOT_GENERIC)
def test_rg02_not_generic(tmp_path: Path, name: str) -> None:
    assert "generic-compound" not in rules(evaluate(tmp_path, name=name))


# --- service-name compounds -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "service"), SERVICE_NAMES)
def test_rg02_service_name_without_disclaimer_blocks(
    tmp_path: Path, name: str, service: str
) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["service-name-undisclaimed"] == 2
    assert service in finding(outcome, "service-name-undisclaimed")


@pytest.mark.parametrize("description", AFFILIATION_DISCLAIMERS)
def test_rg02_affiliation_disclaimer_allows_service_names(tmp_path: Path, description: str) -> None:
    outcome = evaluate(tmp_path, name=SERVICE_DISCLAIMED_NAME, description=description)
    assert rules(outcome) == {"service-name-disclaimed": None}
    assert outcome.status_at(4) is Status.PASS


@pytest.mark.parametrize("fields", SERVICE_OWN_FIELDS)
def test_rg02_service_own_package_needs_no_disclaimer(
    tmp_path: Path, fields: dict[str, Any]
) -> None:
    outcome = evaluate(tmp_path, **{"name": SERVICE_DISCLAIMED_NAME, **fields})
    assert "service-name-undisclaimed" not in rules(outcome)


def test_rg02_details_and_skip(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path)
    assert outcome.findings == []
    assert outcome.details["enforced_by"] == "registry"
    assert "account age" in outcome.details["not_checked"]
    skipped = evaluate(tmp_path / "none", name=None)
    assert skipped.skipped is not None
