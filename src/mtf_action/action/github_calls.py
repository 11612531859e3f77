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
    import semver

    from mtf_action.github.client import GitHubClient
    from mtf_action.github.previous import PreviousBundle


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


def _client(api: Api, *, attempts: int | None = None) -> GitHubClient:
    # PyGithub is imported only when the API is used: local modes start faster.
    from mtf_action.github.client import GitHubSettings, RetryPolicy, make_client

    settings = GitHubSettings(api_url=api.api_url, token=api.token)
    if attempts is not None:
        settings = GitHubSettings(
            api_url=api.api_url, token=api.token, retry=RetryPolicy(attempts=attempts, backoff=1.0)
        )
    return make_client(settings)


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
) -> tuple[list[str], bool]:
    """Upload ``files`` to the release of ``tag`` (a new draft if none), then publish it.

    ``publish``: publish a draft after every asset is up (the immutable-release
    flow, on tag pushes); a release that is already published stays as it is.
    Without ``overwrite``, a release that already attests the same content (a
    re-run, see :mod:`mtf_action.github.rerun`) is left alone. Returns the asset
    names on the release, and whether it was left alone for that reason.
    """
    from mtf_action.github.releases import prepare_release, publish_release, repository
    from mtf_action.github.releases import upload_assets as upload
    from mtf_action.github.rerun import check_rerun

    _need_token(api, "upload")
    client = _client(api)
    repo = repository(client, api.repository)
    release = prepare_release(client, repo, tag, reporter=reporter)
    attested = False
    if not overwrite:
        check = check_rerun(client, release, files)
        attested = check.attested
        if not attested:
            reporter.debug(f"release {tag}: uploading ({check.reason})")
    if attested:
        reporter.info(f"release {tag}: already attested for this content, left as it is")
        up = [p.name for p in files]
    else:
        up = upload(client, release, files, overwrite=overwrite, reporter=reporter).up
    if publish and release.draft:
        publish_release(client, release)
        reporter.info(f"release {tag}: published")
    return up, attested


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


# An optional lookup (the run goes on without it) retries less than an upload.
LOOKUP_ATTEMPTS = 2


def previous_bundle(
    api: Api,
    output_dir: Path,
    *,
    tag: str | None,
    before: semver.Version | None,
    prereleases: bool,
) -> PreviousBundle | None:
    """Download the bundle of this repository's previous release (anonymous without a token).

    ``tag``: that release's tag, given explicitly; else the latest release earlier
    than ``before`` (see :mod:`mtf_action.github.previous`). None: no such release
    or it has no ``.mcpb`` asset.
    """
    from mtf_action.github.previous import (
        download_previous_bundle,
        find_previous_release,
        release_by_tag,
    )

    if not api.repository:
        raise UsageError("previous-release needs GITHUB_REPOSITORY (set by the runner)")
    client = _client(api, attempts=LOOKUP_ATTEMPTS)
    release = (
        release_by_tag(client, api.repository, tag)
        if tag is not None
        else find_previous_release(client, api.repository, before=before, prereleases=prereleases)
    )
    if release is None:
        return None
    return download_previous_bundle(client, release, output_dir)
