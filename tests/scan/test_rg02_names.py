"""RG-02 Name Pattern Review (publisher-side advisory pre-check)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx, manifest

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


@pytest.mark.parametrize(
    "name",
    [
        "ѕtripe-mcp",  # Cyrillic dze
        "@modelcontextprotocоl/server-git",  # Cyrillic o in the scope
        "ｓｔｒｉｐｅ-mcp",  # fullwidth
        "stri\u200bpe-mcp",  # zero-width space
        "notes\u202e-mcp",  # bidi override
        "арр",  # whole-script Cyrillic look-alike of "app"
    ],
)
def test_rg02_homoglyph_in_name_blocks(tmp_path: Path, name: str) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["homoglyph"] == 2
    assert outcome.status_at(2) is Status.FAIL


def test_rg02_homoglyph_names_what_it_reads_as(tmp_path: Path) -> None:
    text = finding(evaluate(tmp_path, name="ѕtripe-mcp"), "homoglyph")
    assert "'stripe-mcp'" in text and "CYRILLIC SMALL LETTER DZE" in text


def test_rg02_mixed_scripts_without_lookalikes_warns(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, name="天気-mcp")
    assert rules(outcome) == {"mixed-scripts": None}


def test_rg02_display_name_homoglyph(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, display_name="Demo ѕerver")
    assert rules(outcome) == {"homoglyph-display-name": None}


def test_rg02_skeleton() -> None:
    assert skeleton("GіtHub") == "github"
    assert analyse("@acme/demo").deceptive is False


# --- similarity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "resembles"),
    [
        ("strpe-mcp", "@stripe/mcp"),  # the spec's example, against the flattened scope
        ("mcp-server-fecth", "mcp-server-fetch"),
        ("@acme/server-filesystem", "@modelcontextprotocol/server-filesystem"),
        ("@someone/playwrigt-mcp", "@playwright/mcp"),
        ("notion-mcp-servr", "@notionhq/notion-mcp-server"),
        ("mcp-server-gif", "mcp-server-git"),
    ],
)
def test_rg02_similar_name_names_the_known_one(tmp_path: Path, name: str, resembles: str) -> None:
    outcome = evaluate(
        tmp_path, name=name, description="Unofficial community server, not affiliated"
    )
    assert rules(outcome).get("similar-name", "absent") is None  # WARN: enhanced review
    assert resembles in finding(outcome, "similar-name")


@pytest.mark.parametrize(
    "name",
    [
        "@modelcontextprotocol/server-filesystem",  # is the popular name itself
        "@modelcontextprotocol/server-new-thing",  # same owner as the neighbours
        "@acme/weather-server",
        "@mtf-examples/notes",
        "mcp-server-weather",
        "@acme/gif",  # short names: exact matches only
    ],
)
def test_rg02_no_similarity_finding(tmp_path: Path, name: str) -> None:
    assert "similar-name" not in rules(evaluate(tmp_path, name=name))


def test_rg02_distance_scales_with_length() -> None:
    assert [max_distance(n) for n in (3, 4, 5, 7, 8, 30)] == [0, 0, 1, 1, 2, 2]
    assert neighbours(NameForms.parse("mcp-server-git")) == []  # listed itself


# --- scope mimicry --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("@modeIcontextprotocol/server-git", "@modelcontextprotocol"),
        ("@stripe-official/mcp", "@stripe"),
        ("@notionhq-team/x", "@notionhq"),
        ("@playwrigth/mcp", "@playwright"),
    ],
)
def test_rg02_scope_mimicry_blocks(tmp_path: Path, name: str, scope: str) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["scope-mimicry"] == 2
    assert scope in finding(outcome, "scope-mimicry")


@pytest.mark.parametrize("name", ["@acme/demo", "@stripe/agent-toolkit", "@nimblebraininc/new"])
def test_rg02_own_or_unrelated_scope_is_no_mimicry(tmp_path: Path, name: str) -> None:
    assert "scope-mimicry" not in rules(evaluate(tmp_path, name=name))


# --- patterns -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("mcp-server-fetch2", "mcp-server-fetch"),
        ("mcp-server-fetch-next", "mcp-server-fetch"),
        ("@acme/playwright-mcp-v2", "@playwright/mcp"),
        ("context7-mcp-pro", "@upstash/context7-mcp"),
    ],
)
def test_rg02_version_suffix_on_known_name(tmp_path: Path, name: str, base: str) -> None:
    outcome = evaluate(tmp_path, name=name, description="Unofficial, not affiliated")
    assert rules(outcome)["version-suffix"] is None
    assert base in finding(outcome, "version-suffix")


def test_rg02_version_suffix_on_unknown_name_is_fine(tmp_path: Path) -> None:
    assert "version-suffix" not in rules(evaluate(tmp_path, name="@acme/weather-v2"))


@pytest.mark.parametrize(
    "name", ["@acme/utils-mcp", "@acme/file-tools", "date-helper", "fastapi-auth-middleware"]
)
def test_rg02_generic_compounds_need_review(tmp_path: Path, name: str) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["generic-compound"] is None
    assert outcome.status_at(4) is Status.WARN


@pytest.mark.parametrize("name", ["@acme/toolsmith", "@acme/unit-converter"])
def test_rg02_not_generic(tmp_path: Path, name: str) -> None:
    assert "generic-compound" not in rules(evaluate(tmp_path, name=name))


# --- service-name compounds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("stripe-payments-mcp", "Stripe"),
        ("@acme/github-issues", "GitHub"),
        ("gmail-assistant", "Google"),
        ("@acme/githubmcp", "GitHub"),
    ],
)
def test_rg02_service_name_without_disclaimer_blocks(
    tmp_path: Path, name: str, service: str
) -> None:
    outcome = evaluate(tmp_path, name=name)
    assert rules(outcome)["service-name-undisclaimed"] == 2
    assert service in finding(outcome, "service-name-undisclaimed")


@pytest.mark.parametrize(
    "description",
    [
        "Unofficial Stripe server",
        "Not affiliated with Stripe, Inc.",
        "A community-maintained integration; not an official product",
    ],
)
def test_rg02_affiliation_disclaimer_allows_service_names(tmp_path: Path, description: str) -> None:
    outcome = evaluate(tmp_path, name="stripe-payments-mcp", description=description)
    assert rules(outcome) == {"service-name-disclaimed": None}
    assert outcome.status_at(4) is Status.PASS


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "@stripe/payments-mcp"},
        {"author": {"name": "Jane", "email": "jane@stripe.com"}},
        {"repository": {"type": "git", "url": "https://github.com/stripe/payments-mcp"}},
        {"author": {"name": "Stripe, Inc.", "email": "x@example.org"}},
    ],
)
def test_rg02_service_own_package_needs_no_disclaimer(
    tmp_path: Path, fields: dict[str, Any]
) -> None:
    outcome = evaluate(tmp_path, **{"name": "stripe-payments-mcp", **fields})
    assert "service-name-undisclaimed" not in rules(outcome)


def test_rg02_details_and_skip(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path)
    assert outcome.findings == []
    assert outcome.details["enforced_by"] == "registry"
    assert "account age" in outcome.details["not_checked"]
    skipped = evaluate(tmp_path / "none", name=None)
    assert skipped.skipped is not None
