"""CD-05 Token Lifetime Limits: declared storage and lifetime, and tokens the code persists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx, manifest
from issue6_fixtures import (
    INDEFINITE_HANDLING,
    JS_WRITES,
    KEYCHAIN_WRITES,
    LONG_LIFETIME_REASON,
    NON_EXPIRING_REASON,
    NOT_TOKEN_WRITES,
    PY_WRITES,
    SPEC_EXAMPLE,
    credential,
    with_token_credentials,
)
from issue6_fixtures import PERSIST_REASON as PERSIST
from issue6_fixtures import SCOPE_REASON as PLAIN

from mtf_action.scan.controls.cd05_tokens import TokenLifetime
from mtf_action.scan.credentials.justification import justifies_token_handling
from mtf_action.scan.credentials.token_store import token_name
from mtf_action.scan.result import ControlOutcome, Status

CD05 = TokenLifetime()


def evaluate(
    tmp_path: Path, *credentials: dict[str, Any], files: dict[str, str] | None = None
) -> ControlOutcome:
    raw = with_token_credentials(*credentials)
    return CD05.evaluate(make_ctx(tmp_path, files or {"server.py": "print('hi')\n"}, raw))


def rules(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings}


def test_cd05_spec_example_passes(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential(SPEC_EXAMPLE))
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["credentials"][0]["storage_risk"] == "low"


def test_cd05_token_handling_missing_warns(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential(None))
    assert rules(outcome) == {"token-handling-missing": None}
    assert outcome.status_at(3) is Status.WARN


@pytest.mark.parametrize("storage", ["disk", "file"])
def test_cd05_persistent_storage_without_justification_warns(tmp_path: Path, storage: str) -> None:
    outcome = evaluate(tmp_path, credential({**SPEC_EXAMPLE, "storage": storage}))
    assert rules(outcome) == {"persistent-storage-unjustified": None}


def test_cd05_persistent_storage_with_justification(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential({**SPEC_EXAMPLE, "storage": "disk"}, PERSIST))
    assert outcome.findings == []


def test_cd05_keychain_storage_is_accepted(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential({**SPEC_EXAMPLE, "storage": "keychain"}))
    assert outcome.findings == []
    assert outcome.details["credentials"][0]["storage_risk"] == "medium"


@pytest.mark.parametrize("storage", [None, "cloud"])
def test_cd05_unspecified_storage_is_high(tmp_path: Path, storage: str | None) -> None:
    handling = {"max_lifetime_seconds": 3600, "refresh": True}
    if storage is not None:
        handling["storage"] = storage  # type: ignore[assignment]
    outcome = evaluate(tmp_path, credential(handling))
    assert rules(outcome) == {"storage-unspecified": None}


def test_cd05_lifetime_over_24h_without_justification_warns(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential({**SPEC_EXAMPLE, "max_lifetime_seconds": 86401}))
    assert rules(outcome) == {"long-lifetime-unjustified": None}
    day = evaluate(tmp_path / "day", credential({**SPEC_EXAMPLE, "max_lifetime_seconds": 86400}))
    assert day.findings == []


def test_cd05_long_lifetime_with_justification(tmp_path: Path) -> None:
    lifetime = {**SPEC_EXAMPLE, "max_lifetime_seconds": 2592000}
    outcome = evaluate(tmp_path, credential(lifetime, LONG_LIFETIME_REASON))
    assert outcome.findings == []


@pytest.mark.parametrize(
    "handling", list(INDEFINITE_HANDLING.values()), ids=list(INDEFINITE_HANDLING)
)
def test_cd05_indefinite_token_without_justification_blocks_at_l3(
    tmp_path: Path, handling: dict[str, Any]
) -> None:
    outcome = evaluate(tmp_path, credential(handling))
    assert rules(outcome) == {"indefinite-token-unjustified": 3}
    assert outcome.status_at(2) is Status.WARN
    assert outcome.status_at(3) is Status.FAIL


def test_cd05_indefinite_token_with_justification_does_not_block(tmp_path: Path) -> None:
    handling = {"storage": "memory", "refresh": False}
    outcome = evaluate(tmp_path, credential(handling, NON_EXPIRING_REASON))
    assert outcome.findings == []


def test_cd05_unknown_lifetime_and_refresh_are_reported(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential({"storage": "memory"}))
    assert rules(outcome) == {"lifetime-undeclared": None, "refresh-undeclared": None}
    assert outcome.status_at(4) is Status.WARN


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (PLAIN, False),  # a scope reason, silent on token handling
        ("Read calendar for the next 7 days", False),
        (PERSIST, True),
        ("TODO", False),
    ],
)
def test_cd05_token_handling_justification(text: str, ok: bool) -> None:
    assert justifies_token_handling(text) is ok


@pytest.mark.parametrize(
    ("name", "path_like", "ok"),
    [
        ("access_token", False, True),
        ("refreshToken", False, True),
        ("creds", False, True),
        ("max_tokens", False, False),
        ("token_count", False, False),
        ("tokenizer", False, False),
        ("tokens", False, False),
        ("tokens.json", True, True),
        ("a token was saved", True, False),
    ],
)
def test_cd05_token_names(name: str, path_like: bool, ok: bool) -> None:
    assert token_name(name, path_like=path_like) is ok


# --- tokens persisted by the code ------------------------------------------------------------


@pytest.mark.parametrize("code", list(PY_WRITES.values()), ids=list(PY_WRITES))
def test_cd05_python_token_file_without_declaration_warns(tmp_path: Path, code: str) -> None:
    outcome = evaluate(tmp_path, credential(SPEC_EXAMPLE), files={"server.py": code})
    assert rules(outcome) == {"token-file-undeclared": None}
    assert outcome.findings[0].file == "server.py" and outcome.findings[0].line is not None


@pytest.mark.parametrize("code", list(JS_WRITES.values()), ids=list(JS_WRITES))
def test_cd05_js_token_file_without_declaration_warns(tmp_path: Path, code: str) -> None:
    outcome = evaluate(tmp_path, files={"server/index.mjs": code})
    assert rules(outcome) == {"token-file-undeclared": None}


def test_cd05_token_file_declared_as_disk_is_fine(tmp_path: Path) -> None:
    outcome = evaluate(
        tmp_path,
        credential({**SPEC_EXAMPLE, "storage": "disk"}, PERSIST),
        files={"server.py": PY_WRITES["google quickstart"]},
    )
    assert outcome.findings == []
    assert outcome.details["token_stores_in_code"][0]["storage"] == "file"


@pytest.mark.parametrize(("path", "code"), KEYCHAIN_WRITES)
def test_cd05_keychain_use_without_declaration_is_low(tmp_path: Path, path: str, code: str) -> None:
    outcome = evaluate(tmp_path, credential(SPEC_EXAMPLE), files={path: code})
    assert rules(outcome) == {"token-keychain-undeclared": None}
    declared = evaluate(
        tmp_path / "declared",
        credential({**SPEC_EXAMPLE, "storage": "keychain"}),
        files={path: code},
    )
    assert declared.findings == []


def test_cd05_other_writes_are_not_token_persistence(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, credential(SPEC_EXAMPLE), files=NOT_TOKEN_WRITES)
    assert outcome.findings == [], [(f.rule, f.file, f.line) for f in outcome.findings]


def test_cd05_without_credentials_checks_code_only(tmp_path: Path) -> None:
    clean = evaluate(tmp_path)
    assert clean.findings == [] and clean.status_at(3) is Status.PASS
    dirty = evaluate(tmp_path / "dirty", files={"server.py": PY_WRITES["google quickstart"]})
    assert rules(dirty) == {"token-file-undeclared": None}


def test_cd05_skips_without_credentials_or_code(tmp_path: Path) -> None:
    outcome = CD05.evaluate(make_ctx(tmp_path, {"README.md": "x"}, manifest()))
    assert outcome.skipped is not None
