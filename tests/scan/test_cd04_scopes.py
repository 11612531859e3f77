"""CD-04 Credential Scope Declaration: scope classification, justification, over-broad and
unused scopes, and OAuth flows in code without a credentials declaration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx, manifest
from issue6_fixtures import (
    CD04_CRITICAL_JUSTIFIED,
    CD04_CRITICAL_JUSTIFIED_TOOLS,
    CD04_CRITICAL_UNJUSTIFIED,
    CD04_GITHUB_READ_USER,
    CD04_GOOGLE_CALENDAR_READ,
    CD04_HIGH_UNJUSTIFIED,
    CD04_IDENTITY_SCOPES,
    CD04_LOW_UNJUSTIFIED,
    CD04_NO_SCOPES,
    CD04_OVER_BROAD,
    CD04_SPEC_L3_EXAMPLE,
    CD04_SPEC_L3_TOOLS,
    CD04_UNUSED_SCOPE,
    CD04_UNUSED_SCOPE_TOOLS,
    GOOGLE,
    JS_FLOWS,
    JUSTIFIED,
    NOT_OAUTH,
    PY_FLOWS,
    with_credentials,
)

from mtf_action.scan.controls.cd04_scopes import CredentialScopes, tool_vocabulary, uses_any
from mtf_action.scan.credentials.catalog import Risk, scope_catalog
from mtf_action.scan.credentials.justification import is_justified
from mtf_action.scan.credentials.scopes import classify
from mtf_action.scan.result import ControlOutcome, Status

CD04 = CredentialScopes()


def evaluate(tmp_path: Path, raw: dict[str, Any], files: dict[str, str] | None = None):
    return CD04.evaluate(make_ctx(tmp_path, files or {"server.py": "print('hi')\n"}, raw))


def rules(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings}


# --- the classification table (MTF CD-04 "Scope Risk Classification") -------------------


@pytest.mark.parametrize(
    ("provider", "scope", "risk"),
    [
        # the spec's own examples
        ("google", GOOGLE + "calendar.readonly", Risk.LOW),
        ("github", "read:user", Risk.LOW),
        ("google", GOOGLE + "calendar", Risk.MEDIUM),
        ("github", "repo:status", Risk.MEDIUM),
        ("microsoft", "Mail.Read", Risk.HIGH),
        ("github", "repo", Risk.HIGH),
        ("slack", "admin", Risk.CRITICAL),
        ("google", "https://mail.google.com/", Risk.CRITICAL),
        # per provider
        ("google", GOOGLE + "drive.file", Risk.MEDIUM),
        ("google", GOOGLE + "drive", Risk.HIGH),
        ("google", GOOGLE + "gmail.readonly", Risk.HIGH),
        ("google", GOOGLE + "cloud-platform", Risk.CRITICAL),
        ("google", GOOGLE + "admin.directory.user", Risk.CRITICAL),
        ("google", "calendar.readonly", Risk.LOW),  # short spelling (spec CD-05 example)
        ("github", "admin:org", Risk.CRITICAL),
        ("github", "delete_repo", Risk.CRITICAL),
        ("github", "write:org", Risk.HIGH),
        ("slack", "channels:read", Risk.LOW),
        ("slack", "chat:write", Risk.MEDIUM),
        ("slack", "usergroups:write", Risk.HIGH),
        ("slack", "admin.users:write", Risk.CRITICAL),
        ("microsoft", "User.Read", Risk.LOW),
        ("microsoft", "Calendars.ReadWrite", Risk.MEDIUM),
        ("microsoft", "Directory.ReadWrite.All", Risk.CRITICAL),
        ("microsoft", "Notes.ReadWrite.All", Risk.CRITICAL),
        ("azure", "https://graph.microsoft.com/Mail.Send", Risk.HIGH),
        # unknown providers: by the scope's words
        ("acme", "superadmin", Risk.CRITICAL),
        ("acme", "projects:owner", Risk.CRITICAL),
        ("acme", "full_access", Risk.HIGH),
        ("acme", "*", Risk.HIGH),
        ("acme", "records.delete", Risk.HIGH),
        ("acme", "records:write", Risk.MEDIUM),
        ("acme", "records:read", Risk.LOW),
    ],
)
def test_cd04_scope_risk_classification(provider: str, scope: str, risk: Risk) -> None:
    assert classify(scope, provider).risk is risk


def test_cd04_scope_spelling_identifies_the_provider() -> None:
    # A Google scope is Google's whatever provider name the manifest uses.
    found = classify(GOOGLE + "drive", "my-docs-service")
    assert found.provider == "google"
    assert found.method == "rule"


def test_cd04_unclassified_scope_is_medium() -> None:
    found = classify("frobnicate", "acme")
    assert (found.risk, found.method) == (Risk.MEDIUM, "unclassified")


def test_cd04_every_rule_states_its_source() -> None:
    catalog = scope_catalog()
    assert {p.id for p in catalog.providers} == {"google", "github", "slack", "microsoft"}
    for provider in catalog.providers:
        assert provider.documentation.startswith("https://")
        for rule in provider.rules:
            assert rule.source.strip() and rule.why.strip()
            assert rule.service is None or rule.service in provider.services


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (None, False),
        ("", False),
        ("  TODO ", False),
        ("n/a", False),
        ("Required.", False),
        ("sync", False),
        ("Read calendar events for scheduling", True),
    ],
)
def test_cd04_what_counts_as_a_justification(text: str | None, ok: bool) -> None:
    assert is_justified(text) is ok


# --- severity table ------------------------------------------------------------------------


def test_cd04_spec_l3_example_passes(tmp_path: Path) -> None:
    raw = with_credentials(CD04_SPEC_L3_EXAMPLE, tools=CD04_SPEC_L3_TOOLS)
    outcome = evaluate(tmp_path, raw)
    assert outcome.findings == []
    assert outcome.status_at(3) is Status.PASS
    assert outcome.details["scopes"][0]["risk"] == "medium"


def test_cd04_critical_scope_without_justification_blocks_at_l3(tmp_path: Path) -> None:
    raw = with_credentials(CD04_CRITICAL_UNJUSTIFIED)
    outcome = evaluate(tmp_path, raw)
    assert rules(outcome)["critical-scope-unjustified"] == 3
    assert outcome.status_at(2) is Status.WARN
    assert outcome.status_at(3) is Status.FAIL
    finding = next(f for f in outcome.findings if f.rule == "critical-scope-unjustified")
    assert finding.file == "manifest.json" and finding.line is not None


def test_cd04_critical_scope_with_justification_does_not_block(tmp_path: Path) -> None:
    raw = with_credentials(CD04_CRITICAL_JUSTIFIED, tools=CD04_CRITICAL_JUSTIFIED_TOOLS)
    outcome = evaluate(tmp_path, raw)
    assert "critical-scope-unjustified" not in rules(outcome)
    assert outcome.status_at(3) is Status.WARN  # still over-broad (narrower Gmail scopes exist)
    assert rules(outcome) == {"over-broad-scope": None}


def test_cd04_high_scope_without_justification_warns(tmp_path: Path) -> None:
    raw = with_credentials(CD04_HIGH_UNJUSTIFIED)
    outcome = evaluate(tmp_path, raw)
    assert rules(outcome)["high-scope-unjustified"] is None
    assert outcome.status_at(4) is Status.WARN


def test_cd04_low_scope_without_justification_is_fine(tmp_path: Path) -> None:
    raw = with_credentials(CD04_LOW_UNJUSTIFIED)
    assert evaluate(tmp_path, raw).findings == []


@pytest.mark.parametrize(("provider", "scope", "narrower"), CD04_OVER_BROAD)
def test_cd04_over_broad_scope_names_the_narrower_one(
    tmp_path: Path, provider: str, scope: str, narrower: str
) -> None:
    raw = with_credentials({"provider": provider, "scopes": [scope], "justification": JUSTIFIED})
    outcome = evaluate(tmp_path, raw)
    finding = next(f for f in outcome.findings if f.rule == "over-broad-scope")
    assert narrower in finding.description and finding.blocks_at is None


def test_cd04_narrow_scope_is_not_over_broad(tmp_path: Path) -> None:
    raw = with_credentials(
        {"provider": "google", "scopes": [GOOGLE + "drive.file"], "justification": JUSTIFIED}
    )
    assert "over-broad-scope" not in rules(evaluate(tmp_path, raw))


def test_cd04_scope_not_used_by_any_declared_tool(tmp_path: Path) -> None:
    raw = with_credentials(CD04_UNUSED_SCOPE, tools=CD04_UNUSED_SCOPE_TOOLS)
    outcome = evaluate(tmp_path, raw)
    unused = [f for f in outcome.findings if f.rule == "scope-unused"]
    assert len(unused) == 1 and "gmail.readonly" in unused[0].description
    assert unused[0].blocks_at is None


def test_cd04_scope_usage_undecidable_without_static_tools(tmp_path: Path) -> None:
    raw = with_credentials(
        {"provider": "google", "scopes": [GOOGLE + "gmail.readonly"], "justification": JUSTIFIED},
        tools=[{"name": "echo", "description": "Echo"}],
    )
    raw["tools_generated"] = True
    outcome = evaluate(tmp_path, raw)
    assert "scope-unused" not in rules(outcome)
    assert outcome.details["tool_usage_decidable"] is False


def test_cd04_identity_scopes_are_never_unused(tmp_path: Path) -> None:
    raw = with_credentials(CD04_IDENTITY_SCOPES)
    assert evaluate(tmp_path, raw).findings == []


def test_cd04_tool_vocabulary_matching() -> None:
    words = tool_vocabulary(manifest(tools=[{"name": "sendEmail", "description": "Send it"}]))
    assert words is not None
    assert uses_any(words, ("email",))
    assert uses_any(words, ("mail",)) is False  # word starts only: "email" is not "mail"
    assert uses_any("print a report", ("pr",)) is False  # short keywords: whole words


def test_cd04_credential_without_scopes_warns(tmp_path: Path) -> None:
    raw = with_credentials(CD04_NO_SCOPES)
    assert rules(evaluate(tmp_path, raw)) == {"scopes-missing": None}


# --- OAuth flows in code ---------------------------------------------------------------------


@pytest.mark.parametrize("code", list(PY_FLOWS.values()), ids=list(PY_FLOWS))
def test_cd04_python_oauth_without_declaration_blocks(tmp_path: Path, code: str) -> None:
    outcome = evaluate(tmp_path, manifest(), {"server.py": code})
    assert rules(outcome) == {"oauth-undeclared": 3}
    assert outcome.findings[0].file == "server.py"
    assert outcome.status_at(3) is Status.FAIL


@pytest.mark.parametrize("code", list(JS_FLOWS.values()), ids=list(JS_FLOWS))
def test_cd04_js_oauth_without_declaration_blocks(tmp_path: Path, code: str) -> None:
    outcome = evaluate(tmp_path, manifest(), {"server/index.ts": code})
    assert rules(outcome) == {"oauth-undeclared": 3}


def test_cd04_api_keys_tests_and_vendored_code_are_not_oauth(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, manifest(), NOT_OAUTH)
    assert outcome.findings == [], [(f.rule, f.file, f.description) for f in outcome.findings]
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["oauth_evidence"] == []


def test_cd04_declared_credentials_cover_generic_oauth(tmp_path: Path) -> None:
    raw = with_credentials(CD04_GITHUB_READ_USER)
    outcome = evaluate(tmp_path, raw, {"server.py": PY_FLOWS["concatenated endpoint"]})
    assert outcome.findings == []
    assert outcome.details["oauth_evidence"][0]["provider"] == "github"


def test_cd04_oauth_to_an_undeclared_provider_blocks(tmp_path: Path) -> None:
    raw = with_credentials(CD04_GOOGLE_CALENDAR_READ)
    outcome = evaluate(tmp_path, raw, {"server.py": PY_FLOWS["msal"]})
    finding = next(f for f in outcome.findings if f.rule == "oauth-undeclared")
    assert "microsoft" in finding.description and finding.blocks_at == 3


def test_cd04_skips_without_credentials_or_code(tmp_path: Path) -> None:
    outcome = CD04.evaluate(make_ctx(tmp_path, {"README.md": "# x\n"}, manifest()))
    assert outcome.skipped is not None and "no credentials" in outcome.skipped


def test_cd04_unparseable_server_file_is_reported(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, manifest(), {"server.py": "def (:\n"})
    assert rules(outcome) == {"not-analysed": None}


def test_cd04_reads_each_file_once(tmp_path: Path) -> None:
    files = {"server.py": PY_FLOWS["msal"], "a.js": JS_FLOWS["simple-oauth2"]}
    ctx = make_ctx(tmp_path, files, manifest())
    CD04.evaluate(ctx)
    CD04.evaluate(ctx)
    assert max(ctx.reads.values()) == 1
