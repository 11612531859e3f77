"""The retry loop against real faults from the local server, through PyGithub's client."""

from __future__ import annotations

import pytest
from fake_github import FakeGitHub, Fault
from github.GitRelease import GitRelease
from github_support import TOKEN, Sleeps

from mtf_action.errors import ExitCode, RemoteServiceError
from mtf_action.github.client import GitHubClient, GitHubHttpError
from mtf_action.github.releases import find_release, repository

REPO = "acme/tiny"


def _lookup(client: GitHubClient) -> GitRelease | None:
    return find_release(client, repository(client, REPO), "v1.0.0")


@pytest.mark.parametrize("kind", ["500", "502"])
def test_server_errors_are_retried_with_backoff(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps, kind: str
) -> None:
    fake.add_release(REPO, "v1.0.0")
    fake.faults.append(Fault("GET", "/releases/tags/", kind, times=2))
    found = _lookup(client)
    assert found is not None and found.tag_name == "v1.0.0"
    assert sleeps == [0.5, 1.0]  # exponential backoff, no hint from the server
    assert fake.count("GET", "/releases/tags/v1.0.0") == 3


def test_429_honours_retry_after(fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps) -> None:
    fake.add_release(REPO, "v1.0.0")
    fake.faults.append(Fault("GET", "/releases/tags/", "429", retry_after=7))
    assert _lookup(client) is not None
    assert sleeps == [7.0]


def test_secondary_rate_limit_403_honours_retry_after(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.add_release(REPO, "v1.0.0")
    fake.faults.append(Fault("GET", "/releases/tags/", "403-secondary", retry_after=3))
    assert _lookup(client) is not None
    assert sleeps == [3.0]


def test_exhausted_primary_limit_waits_until_reset(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.add_release(REPO, "v1.0.0")
    fake.faults.append(Fault("GET", "/releases/tags/", "403-primary", retry_after=20))
    assert _lookup(client) is not None
    assert len(sleeps) == 1 and 17 <= sleeps[0] <= 20  # x-ratelimit-reset minus now


def test_dropped_connection_is_retried(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.add_release(REPO, "v1.0.0")
    fake.faults.append(Fault("GET", "/releases/tags/", "reset"))
    assert _lookup(client) is not None
    assert sleeps == [0.5]


def test_gives_up_with_the_endpoint_and_never_the_token(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.faults.append(Fault("GET", "/releases/tags/", "502", times=10))
    with pytest.raises(RemoteServiceError) as caught:
        _lookup(client)
    message = caught.value.one_line()
    assert "GET /repos/acme/tiny/releases/tags/v1.0.0" in message
    assert "HTTP 502" in message and "gave up after 4 attempts" in message
    assert TOKEN not in message
    assert caught.value.exit_code == ExitCode.ENVIRONMENT
    assert len(sleeps) == 3


def test_a_wait_beyond_the_limit_fails_at_once(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.faults.append(Fault("GET", "/releases/tags/", "429", retry_after=3600))
    with pytest.raises(RemoteServiceError, match="asks to wait 3600 s"):
        _lookup(client)
    assert sleeps == []


def test_client_errors_are_not_retried(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    repo = repository(client, REPO)
    with pytest.raises(GitHubHttpError) as caught:
        client.call("GET /releases/tags/nope", lambda: repo.get_release("nope"))
    assert caught.value.status == 404 and sleeps == []
    # find_release turns the 404 into "no such release" after looking for a draft.
    assert _lookup(client) is None
