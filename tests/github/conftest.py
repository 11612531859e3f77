"""Fixtures for the GitHub API tests: the local fake GitHub and a fast-retrying client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_github import FakeGitHub
from github_support import TOKEN, Sleeps, settings_for

from mtf_action.console import Reporter
from mtf_action.github.client import GitHubClient


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub(token=TOKEN)
    yield server
    server.close()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(fake: FakeGitHub, sleeps: Sleeps) -> GitHubClient:
    return GitHubClient(settings_for(fake, sleeps))


@pytest.fixture
def reporter() -> Reporter:
    return Reporter(quiet=True)
