"""The previous release of a repository, whose bundle UP-02 and UP-04 compare with.

"Previous" is the latest release, by SemVer order of its tag (a leading ``v``
allowed), that is published (not a draft), carries an ``.mcpb`` asset and is
earlier than the current tag when there is one. Pre-releases count only when
the current release is one itself: a stable release is compared with the last
stable one. Tags that are not SemVer cannot be ordered and are left out.
Listing works anonymously for public repositories.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Final

import semver
from github.GitRelease import GitRelease
from github.GitReleaseAsset import GitReleaseAsset

from mtf_action.github.client import GitHubClient
from mtf_action.github.download import DownloadedAsset, download_asset
from mtf_action.github.releases import find_release, repository
from mtf_action.scan.updates.versions import parse

# Releases looked at, newest first: enough for any real history, bounded for a huge one.
MAX_RELEASES: Final = 1000


@dataclass(frozen=True)
class PreviousBundle:
    tag: str
    bundle: DownloadedAsset
    bundles_on_release: int  # more than one: per-platform bundles, the first by name is used


def tag_version(tag: str) -> semver.Version | None:
    """``v1.2.3`` or ``1.2.3`` as a SemVer version; None for other tags."""
    return parse(tag[1:] if tag[:1] in ("v", "V") else tag)


def bundle_assets(release: GitRelease) -> list[GitReleaseAsset]:
    """The release's uploaded ``.mcpb`` assets, by name."""
    found = [a for a in release.assets if a.name.endswith(".mcpb") and a.state == "uploaded"]
    return sorted(found, key=lambda a: a.name)


def choose_previous(
    releases: Iterable[GitRelease], *, before: semver.Version | None, prereleases: bool
) -> GitRelease | None:
    """The latest release earlier than ``before`` (any when None) with a bundle."""
    candidates: list[tuple[semver.Version, GitRelease]] = []
    for release in releases:
        version = tag_version(release.tag_name)
        if release.draft or version is None or not bundle_assets(release):
            continue
        if (release.prerelease or version.prerelease) and not prereleases:
            continue
        if before is not None and version.compare(before) >= 0:
            continue
        candidates.append((version, release))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]


def find_previous_release(
    client: GitHubClient, full_name: str, *, before: semver.Version | None, prereleases: bool
) -> GitRelease | None:
    """:func:`choose_previous` over ``full_name``'s releases (newest first, bounded)."""
    repo = repository(client, full_name)
    releases = client.call(
        f"GET /repos/{full_name}/releases",
        lambda: list(islice(repo.get_releases(), MAX_RELEASES)),
    )
    return choose_previous(releases, before=before, prereleases=prereleases)


def release_by_tag(client: GitHubClient, full_name: str, tag: str) -> GitRelease | None:
    """The release of ``tag`` (drafts only with a token that may see them)."""
    return find_release(client, repository(client, full_name), tag)


def download_previous_bundle(
    client: GitHubClient, release: GitRelease, output_dir: Path
) -> PreviousBundle | None:
    """Download the release's bundle (size- and digest-checked); None when it has none."""
    assets = bundle_assets(release)
    if not assets:
        return None
    fetched = download_asset(client, assets[0], output_dir)
    return PreviousBundle(release.tag_name, fetched, len(assets))
