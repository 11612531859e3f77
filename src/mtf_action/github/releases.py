"""Releases: find by tag, create or reuse a draft, upload assets idempotently, publish.

Immutable releases (GitHub answers 422 "Cannot upload assets to an immutable
release" once such a release is published) need the draft flow: tag push →
create or reuse a *draft* release → upload every asset → publish. The classic
``release: published`` flow (a mutable release that already exists) works too:
assets are uploaded to it directly.

Re-running is idempotent: an asset with the same name and the same sha256 is
left alone (the API's ``digest`` field when it gives one, else size and then a
downloaded hash); a different one is replaced only with ``overwrite=True``.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from github.GitRelease import GitRelease
from github.GitReleaseAsset import GitReleaseAsset
from github.Repository import Repository

from github import GithubException
from mtf_action.console import Reporter
from mtf_action.digests import sha256_file
from mtf_action.errors import RemoteServiceError, UsageError
from mtf_action.github.client import GitHubClient, GitHubHttpError

_IMMUTABLE: Final = "immutable release"
_CHUNK: Final = 1 << 16


class ReleaseConflictError(RemoteServiceError):
    """An asset on the release differs from ours and ``overwrite`` was not asked for."""


class UploadIncompleteError(RemoteServiceError):
    """Some assets are up, some are not: the message lists both."""


@dataclass
class UploadReport:
    """What happened to each asset name."""

    uploaded: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def up(self) -> list[str]:
        return [*self.unchanged, *self.uploaded, *self.replaced]


def repository(client: GitHubClient, full_name: str) -> Repository:
    """A lazy repository handle (no request until it is used)."""
    owner, _, name = full_name.partition("/")
    if not owner or not name or "/" in name:
        raise UsageError(f"not a GitHub repository (expected OWNER/REPO): {full_name!r}")
    return client.github.get_repo(full_name)


def find_release(client: GitHubClient, repo: Repository, tag: str) -> GitRelease | None:
    """The release for ``tag``, a draft included, or None.

    ``GET /releases/tags/{tag}`` does not return drafts (a draft has no tag yet), so
    when it answers 404 the release list is searched for a draft with that tag.
    """
    endpoint = f"GET /repos/{repo.full_name}/releases/tags/{tag}"
    try:
        return client.call(endpoint, lambda: repo.get_release(tag))
    except GitHubHttpError as exc:
        if exc.status != 404:
            raise
    listing = client.call(
        f"GET /repos/{repo.full_name}/releases", lambda: list(repo.get_releases())
    )
    drafts = [r for r in listing if r.draft and r.tag_name == tag]
    return drafts[0] if drafts else None


def prepare_release(
    client: GitHubClient, repo: Repository, tag: str, *, reporter: Reporter
) -> GitRelease:
    """The release to upload to: the existing one for ``tag``, or a new draft."""
    found = find_release(client, repo, tag)
    if found is not None:
        state = "draft" if found.draft else "published"
        reporter.info(f"release {tag}: reusing the {state} release (id {found.id})")
        return found
    created = client.call(
        f"POST /repos/{repo.full_name}/releases",
        lambda: repo.create_git_release(tag, name=tag, message="", draft=True),
    )
    reporter.info(f"release {tag}: created a draft release (id {created.id})")
    return created


def publish_release(client: GitHubClient, release: GitRelease) -> GitRelease:
    """Turn a draft into a published release (a no-op when it is published already)."""
    if not release.draft:
        return release
    return client.call(
        f"PATCH /releases/{release.id}",
        lambda: release.update_release(
            name=release.name or release.tag_name, message=release.body or "", draft=False
        ),
    )


def _list_assets(client: GitHubClient, release: GitRelease) -> dict[str, GitReleaseAsset]:
    assets = client.call(f"GET /releases/{release.id}/assets", lambda: list(release.get_assets()))
    return {asset.name: asset for asset in assets}


def remote_sha256(client: GitHubClient, asset: GitReleaseAsset) -> str:
    """The asset's sha256: the API's ``digest`` when present, else downloaded and hashed."""
    digest = client.call(f"GET /releases/assets/{asset.id}", lambda: asset.digest)
    if digest and digest.startswith("sha256:"):
        return digest.removeprefix("sha256:")

    def fetch() -> str:
        hasher = hashlib.sha256()
        _, _, chunks = asset.download_asset(chunk_size=_CHUNK)
        for chunk in chunks:
            hasher.update(chunk)
        return hasher.hexdigest()

    return client.call(f"GET /releases/assets/{asset.id} (download)", fetch)


def _same(client: GitHubClient, asset: GitReleaseAsset, path: Path, sha256: str) -> bool:
    if asset.size != path.stat().st_size:
        return False
    return remote_sha256(client, asset) == sha256


def _immutable_error(release: GitRelease) -> RemoteServiceError:
    return RemoteServiceError(
        f"release {release.tag_name} is published and immutable, so GitHub accepts no new "
        "assets. Use the draft flow: on the tag push create (or reuse) a draft release, "
        "upload every asset, then publish it; or disable release immutability for the "
        "classic 'release: published' flow"
    )


def _upload_one(client: GitHubClient, release: GitRelease, path: Path, sha256: str) -> None:
    name = path.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    endpoint = f"POST /releases/{release.id}/assets?name={name} (uploads host)"
    try:
        client.call(
            endpoint,
            lambda: release.upload_asset(str(path), name=name, content_type=content_type),
        )
    except GitHubHttpError as exc:
        if exc.status == 422 and _IMMUTABLE in exc.reason.lower():
            raise _immutable_error(release) from None
        if exc.status == 422 and exc.has_error_code("already_exists"):
            # An earlier attempt may have landed before the connection dropped.
            landed = _list_assets(client, release).get(name)
            if landed is not None and _same(client, landed, path, sha256):
                return
        raise


def upload_assets(
    client: GitHubClient,
    release: GitRelease,
    files: Sequence[Path],
    *,
    overwrite: bool = False,
    reporter: Reporter,
) -> UploadReport:
    """Upload ``files`` (named by their file names) to ``release``, idempotently.

    Conflicts (same name, different content, no ``overwrite``) are all reported
    before anything is uploaded. If an upload fails after retries the error says
    which assets are up and which are not.
    """
    if release.immutable and not release.draft:
        raise _immutable_error(release)
    existing = _list_assets(client, release)
    report = UploadReport()
    plan: list[tuple[Path, str, GitReleaseAsset | None]] = []
    conflicts: list[str] = []
    for path in files:
        sha256 = sha256_file(path)
        asset = existing.get(path.name)
        if asset is not None and asset.state == "uploaded" and _same(client, asset, path, sha256):
            report.unchanged.append(path.name)
        elif asset is not None and asset.state == "uploaded" and not overwrite:
            conflicts.append(path.name)
        else:  # new, different (overwrite) or a broken partial upload (state "starter")
            plan.append((path, sha256, asset))
    if conflicts:
        raise ReleaseConflictError(
            f"release {release.tag_name} already has different assets named "
            f"{', '.join(conflicts)}; pass overwrite to replace them (nothing was uploaded)"
        )
    with reporter.step(f"uploading {len(plan)} assets to {release.tag_name}", len(plan)) as advance:
        for index, (path, sha256, old) in enumerate(plan):
            try:
                if old is not None:
                    client.call(f"DELETE /releases/assets/{old.id}", old.delete_asset)
                _upload_one(client, release, path, sha256)
            except (RemoteServiceError, GithubException) as exc:
                pending = [p.name for p, _, _ in plan[index:]]
                up = ", ".join(report.up) or "none"
                raise UploadIncompleteError(
                    f"upload to release {release.tag_name} failed at {path.name}: "
                    f"{client.redact(str(exc))}. Up: {up}. Not up: {', '.join(pending)}"
                ) from None
            (
                report.replaced if old is not None and old.state == "uploaded" else report.uploaded
            ).append(path.name)
            advance(1)
    return report
