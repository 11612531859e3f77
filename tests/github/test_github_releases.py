"""Draft → upload → publish against the local GitHub, re-runs, conflicts and failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_github import FakeGitHub, Fault
from github_support import TOKEN, Sleeps, settings_for

from mtf_action.console import Reporter
from mtf_action.errors import RemoteServiceError
from mtf_action.github.client import GitHubClient
from mtf_action.github.releases import (
    ReleaseConflictError,
    UploadIncompleteError,
    UploadReport,
    prepare_release,
    publish_release,
    repository,
    upload_assets,
)

REPO = "acme/tiny"
TAG = "v1.0.0"


def _files(tmp_path: Path, **override: bytes) -> list[Path]:
    contents = {
        "acme-tiny-1.0.0.mcpb": b"PK\x03\x04 bundle bytes",
        "acme-tiny-1.0.0.sbom.cdx.json": b'{"bomFormat": "CycloneDX"}',
        "acme-tiny-1.0.0.hashes.json": b'{"bundle": {}}',
    }
    contents.update(override)
    out = tmp_path / f"assets-{len(list(tmp_path.iterdir()))}"
    out.mkdir()
    paths = []
    for name, data in contents.items():
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


def _release_flow(
    client: GitHubClient, files: list[Path], reporter: Reporter, **kw: bool
) -> UploadReport:
    repo = repository(client, REPO)
    release = prepare_release(client, repo, TAG, reporter=reporter)
    report = upload_assets(client, release, files, reporter=reporter, **kw)
    publish_release(client, release)
    return report


def test_tag_push_creates_a_draft_uploads_everything_then_publishes(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    report = _release_flow(client, files, reporter)
    release = fake.release(TAG)
    assert release.draft is False  # published after the uploads
    assert {a.name: a.data for a in release.assets} == {p.name: p.read_bytes() for p in files}
    assert report.uploaded == [p.name for p in files]
    # The draft was created before any upload and published after the last one.
    methods = [(m, p.split("?")[0]) for m, p in fake.seen if m != "GET"]
    assert methods[0] == ("POST", "/api/v3/repos/acme/tiny/releases")
    assert methods[-1][0] == "PATCH"
    assert all(p.startswith("/api/uploads/") for m, p in methods[1:-1])
    assert all(a == f"token {TOKEN}" for a in fake.authorizations)


def test_rerun_is_idempotent(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    _release_flow(client, files, reporter)
    uploads = fake.count("POST", "/api/uploads/")
    report = _release_flow(client, _files(tmp_path), reporter)  # same bytes, new paths
    assert report.unchanged == [p.name for p in files]
    assert fake.count("POST", "/api/uploads/") == uploads
    assert fake.count("DELETE", "/releases/assets/") == 0


def test_rerun_without_digest_field_compares_downloaded_hashes(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    _release_flow(client, _files(tmp_path), reporter)
    fake.expose_digest = False  # an older GitHub Enterprise Server
    report = _release_flow(client, _files(tmp_path), reporter)
    assert len(report.unchanged) == 3
    assert fake.count("GET", "/releases/assets/") >= 3  # each asset downloaded once to hash it


def test_different_asset_is_an_error_without_overwrite(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    _release_flow(client, _files(tmp_path), reporter)
    changed = _files(tmp_path, **{"acme-tiny-1.0.0.mcpb": b"PK\x03\x04 other bytes!"})
    uploads = fake.count("POST", "/api/uploads/")
    with pytest.raises(ReleaseConflictError) as caught:
        _release_flow(client, changed, reporter)
    message = caught.value.one_line()
    assert "acme-tiny-1.0.0.mcpb" in message and "overwrite" in message
    assert "sbom" not in message and fake.count("POST", "/api/uploads/") == uploads


def test_overwrite_replaces_only_the_different_asset(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    _release_flow(client, _files(tmp_path), reporter)
    changed = _files(tmp_path, **{"acme-tiny-1.0.0.mcpb": b"PK\x03\x04 other bytes!"})
    report = _release_flow(client, changed, reporter, overwrite=True)
    assert report.replaced == ["acme-tiny-1.0.0.mcpb"]
    assert len(report.unchanged) == 2
    data = {a.name: a.data for a in fake.release(TAG).assets}
    assert data["acme-tiny-1.0.0.mcpb"] == b"PK\x03\x04 other bytes!"


def test_partial_upload_failure_names_what_is_up_and_what_is_not(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    repo = repository(client, REPO)
    release = prepare_release(client, repo, TAG, reporter=reporter)
    upload_assets(client, release, files[:1], reporter=reporter)
    # From the second asset on, the uploads host answers 502 to every attempt.
    fake.faults.append(Fault("POST", "/api/uploads/", "502", times=99))
    with pytest.raises(UploadIncompleteError) as caught:
        upload_assets(client, release, files, reporter=reporter)
    message = caught.value.one_line()
    assert "failed at acme-tiny-1.0.0.sbom.cdx.json" in message
    assert "Up: acme-tiny-1.0.0.mcpb." in message
    assert "Not up: acme-tiny-1.0.0.sbom.cdx.json, acme-tiny-1.0.0.hashes.json" in message
    assert "HTTP 502" in message and TOKEN not in message
    assert fake.release(TAG).draft is True  # never published half-uploaded


def test_lost_upload_answer_is_recognised_on_retry(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    # The server stores the asset but the connection drops before the answer: the retry
    # gets 422 already_exists, and the same digest means the asset is up.
    fake.faults.append(Fault("POST", "/api/uploads/", "reset-after"))
    report = _release_flow(client, _files(tmp_path), reporter)
    assert len(report.uploaded) == 3
    assert len(fake.release(TAG).assets) == 3


def test_immutable_published_release_explains_the_draft_flow(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    fake.add_release(REPO, TAG, immutable=True)
    with pytest.raises(RemoteServiceError) as caught:
        _release_flow(client, _files(tmp_path), reporter)
    assert "immutable" in caught.value.one_line() and "draft" in caught.value.one_line()
    assert fake.count("POST", "/api/uploads/") == 0


def test_immutable_422_from_the_uploads_host_is_explained(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    # The release was published (and so became immutable) while we were uploading.
    repo = repository(client, REPO)
    release = prepare_release(client, repo, TAG, reporter=reporter)
    fake.release(TAG).draft = False
    fake.release(TAG).immutable = True
    with pytest.raises(UploadIncompleteError) as caught:
        upload_assets(client, release, _files(tmp_path), reporter=reporter)
    message = caught.value.one_line()
    assert "immutable" in message and "draft release, upload every asset, then publish" in message


def test_classic_published_release_is_reused(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    existing = fake.add_release(REPO, TAG)
    _release_flow(client, _files(tmp_path), reporter)
    assert len(fake.releases) == 1 and len(existing.assets) == 3


def test_existing_draft_is_reused(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    draft = fake.add_release(REPO, TAG, draft=True)
    _release_flow(client, _files(tmp_path), reporter)
    assert len(fake.releases) == 1 and draft.draft is False and len(draft.assets) == 3


def test_upload_faults_are_retried(
    fake: FakeGitHub, sleeps: Sleeps, reporter: Reporter, tmp_path: Path
) -> None:
    client = GitHubClient(settings_for(fake, sleeps))
    fake.faults += [
        Fault("POST", "/api/uploads/", "403-secondary", retry_after=2),
        Fault("POST", "/api/uploads/", "reset"),
        Fault("POST", "/api/uploads/", "429", retry_after=1),
    ]
    _release_flow(client, _files(tmp_path), reporter)
    assert len(fake.release(TAG).assets) == 3
    # All three hit the first upload: Retry-After 2, backoff for attempt 2, Retry-After 1.
    assert sleeps == [2.0, 1.0, 1.0]
