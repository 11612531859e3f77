"""Every call the action makes into the GitHub API layer (:mod:`mtf_action.github`).

Kept in one module so the entrypoint stays a list of library calls and the API
layer can change its signatures in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mtf_action.console import Reporter
from mtf_action.errors import UsageError

if TYPE_CHECKING:
    from mtf_action.github.client import GitHubClient


@dataclass(frozen=True)
class Api:
    """Where the API is and who we are (from the runner's environment and the inputs)."""

    api_url: str
    token: str | None
    repository: str  # OWNER/REPO of this run


def api_from_env(env: Mapping[str, str], token: str) -> Api:
    return Api(
        api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
        token=token or None,
        repository=env.get("GITHUB_REPOSITORY", ""),
    )


def _client(api: Api) -> GitHubClient:
    # PyGithub is imported only when the API is used: local modes start faster.
    from mtf_action.github.client import GitHubSettings, make_client

    return make_client(GitHubSettings(api_url=api.api_url, token=api.token))


def _need_token(api: Api, what: str) -> None:
    if not api.token:
        raise UsageError(f"{what} needs the github-token input (e.g. ${{{{ github.token }}}})")
    if not api.repository:
        raise UsageError(f"{what} needs GITHUB_REPOSITORY (set by the runner)")


def publish_assets(
    api: Api,
    tag: str,
    files: Sequence[Path],
    *,
    overwrite: bool,
    publish: bool,
    reporter: Reporter,
) -> list[str]:
    """Upload ``files`` to the release of ``tag`` (a new draft if none), then publish it.

    ``publish``: publish a draft after every asset is up (the immutable-release
    flow, on tag pushes); a release that is already published stays as it is.
    Returns the asset names that are on the release.
    """
    from mtf_action.github.releases import prepare_release, publish_release, repository
    from mtf_action.github.releases import upload_assets as upload

    _need_token(api, "upload")
    client = _client(api)
    repo = repository(client, api.repository)
    release = prepare_release(client, repo, tag, reporter=reporter)
    report = upload(client, release, files, overwrite=overwrite, reporter=reporter)
    if publish and release.draft:
        publish_release(client, release)
        reporter.info(f"release {tag}: published")
    return report.up


def sticky_comment(api: Api, number: int, body: str) -> str:
    """Create or update the pull request's one MTF comment; returns its URL."""
    from mtf_action.github.comments import upsert_sticky_comment

    _need_token(api, "comment")
    return str(upsert_sticky_comment(_client(api), api.repository, number, body).url)


def store_attestations(api: Api, bundles: Sequence[Path]) -> list[int]:
    """Store Sigstore bundles with GitHub's artifact attestations API."""
    from mtf_action.github.attestations import store_attestation

    _need_token(api, "github-attestations")
    client = _client(api)
    return [store_attestation(client, api.repository, b) for b in bundles]


def download_assets(
    api: Api, repository: str, tag: str, output_dir: Path, *, reporter: Reporter
) -> list[Path]:
    """Fetch every asset of ``repository``'s release ``tag`` (anonymous without a token)."""
    from mtf_action.github.download import download_release

    client = _client(api)
    return [
        a.path for a in download_release(client, repository, tag, output_dir, reporter=reporter)
    ]
