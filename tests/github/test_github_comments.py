"""Sticky pull-request comment and artifact attestations against the local GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_github import FakeGitHub, Fault

from mtf_action.errors import InvalidInputError, RemoteServiceError
from mtf_action.github.attestations import AttestationsUnavailable, store_attestation
from mtf_action.github.client import GitHubClient
from mtf_action.github.comments import STICKY_MARKER, upsert_sticky_comment

REPO = "acme/tiny"


def test_sticky_comment_is_created_once_then_updated_in_place(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.comments[(REPO, 7)] = [
        {"id": 1, "body": "LGTM", "html_url": "x", "user": {"login": "someone"}}
    ]
    first = upsert_sticky_comment(client, REPO, 7, "MTF level 2 of 3")
    assert first.created is True
    second = upsert_sticky_comment(client, REPO, 7, "MTF level 3 of 3")
    assert second.created is False and second.comment_id == first.comment_id
    thread = fake.comments[(REPO, 7)]
    marked = [c for c in thread if STICKY_MARKER in c["body"]]
    assert len(thread) == 2 and len(marked) == 1
    assert marked[0]["body"] == f"{STICKY_MARKER}\nMTF level 3 of 3"
    assert fake.count("POST", "/issues/7/comments") == 1
    assert fake.count("PATCH", "/issues/comments/") == 1
    # Same text again: nothing to write.
    upsert_sticky_comment(client, REPO, 7, "MTF level 3 of 3")
    assert fake.count("PATCH", "/issues/comments/") == 1


def test_sticky_comment_survives_a_listing_fault(fake: FakeGitHub, client: GitHubClient) -> None:
    upsert_sticky_comment(client, REPO, 8, "first")
    fake.faults.append(Fault("GET", "/issues/8/comments", "502"))
    result = upsert_sticky_comment(client, REPO, 8, "second")
    assert result.created is False and len(fake.comments[(REPO, 8)]) == 1


def test_attestation_is_stored(fake: FakeGitHub, client: GitHubClient, tmp_path: Path) -> None:
    bundle = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "dsseEnvelope": {}}
    path = tmp_path / "x.provenance.sigstore.json"
    path.write_text(json.dumps(bundle))
    assert store_attestation(client, REPO, path) == 1
    assert fake.attestations == [{"bundle": bundle}]


def test_attestation_rejects_a_file_that_is_not_a_bundle(
    fake: FakeGitHub, client: GitHubClient, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[]")
    with pytest.raises(InvalidInputError, match="not a Sigstore bundle"):
        store_attestation(client, REPO, path)
    assert fake.attestations == []


def _bundle_file(tmp_path: Path) -> Path:
    bundle = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "dsseEnvelope": {}}
    path = tmp_path / "x.provenance.sigstore.json"
    path.write_text(json.dumps(bundle))
    return path


@pytest.mark.parametrize("kind", ["404", "403-unavailable"])
def test_attestations_unavailable_on_this_plan_is_its_own_error(
    fake: FakeGitHub, client: GitHubClient, tmp_path: Path, kind: str
) -> None:
    fake.faults.append(Fault("POST", "/attestations", kind))
    with pytest.raises(AttestationsUnavailable, match="not available for acme/tiny"):
        store_attestation(client, REPO, _bundle_file(tmp_path))
    assert fake.count("POST", "/attestations") == 1  # a definitive answer: no retry


def test_attestations_forbidden_names_the_missing_permission(
    fake: FakeGitHub, client: GitHubClient, tmp_path: Path
) -> None:
    fake.faults.append(Fault("POST", "/attestations", "403-forbidden"))
    with pytest.raises(RemoteServiceError, match="attestations: write") as raised:
        store_attestation(client, REPO, _bundle_file(tmp_path))
    assert not isinstance(raised.value, AttestationsUnavailable)
    assert "HTTP 403: Resource not accessible by integration" in str(raised.value)


def test_attestation_the_api_refuses_is_an_error(
    fake: FakeGitHub, client: GitHubClient, tmp_path: Path
) -> None:
    path = tmp_path / "message.sigstore.json"
    path.write_text(json.dumps({"mediaType": "application/vnd.in-toto+json"}))
    with pytest.raises(RemoteServiceError, match="HTTP 422: Invalid request: not a Sigstore"):
        store_attestation(client, REPO, path)
    assert fake.attestations == []
