"""Download a release's assets by tag and check each one's size and digest.

Anonymous access works for public repositories (60 requests an hour); a token
raises the limit and reaches private ones. Each asset is streamed to a temporary
name, checked against the size the API lists and, when the API gives one, its
``sha256:`` digest, and only then renamed into place.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from github.GitReleaseAsset import GitReleaseAsset

from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError, RemoteServiceError
from mtf_action.github.client import GitHubClient
from mtf_action.github.releases import find_release, repository

_CHUNK: Final = 1 << 16


@dataclass(frozen=True)
class DownloadedAsset:
    name: str
    path: Path
    size: int
    sha256: str
    digest_checked: bool  # False when the API gave no digest (size was still checked)


def _safe_name(name: str) -> str:
    # Asset names come from the server: never let one climb out of the directory.
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise InvalidInputError(f"release asset has an unsafe name: {name!r}")
    return name


def _fetch(client: GitHubClient, asset: GitReleaseAsset, target: Path) -> DownloadedAsset:
    partial = target.with_name(target.name + ".part")

    def stream() -> str:
        hasher = hashlib.sha256()
        _, _, chunks = asset.download_asset(chunk_size=_CHUNK)
        with partial.open("wb") as handle:
            for chunk in chunks:
                hasher.update(chunk)
                handle.write(chunk)
        return hasher.hexdigest()

    try:
        sha256 = client.call(f"GET /releases/assets/{asset.id} ({asset.name})", stream)
        size = partial.stat().st_size
        if size != asset.size:
            raise RemoteServiceError(
                f"release asset {asset.name}: downloaded {size} bytes, the API lists {asset.size}"
            )
        digest = asset.digest
        if digest and digest.startswith("sha256:") and digest.removeprefix("sha256:") != sha256:
            raise RemoteServiceError(
                f"release asset {asset.name}: sha256 {sha256} differs from the API's {digest}"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    checked = bool(digest and digest.startswith("sha256:"))
    return DownloadedAsset(asset.name, target, size, sha256, checked)


def download_asset(
    client: GitHubClient, asset: GitReleaseAsset, output_dir: Path
) -> DownloadedAsset:
    """Download one asset into ``output_dir``, size- and digest-checked."""
    output_dir.mkdir(parents=True, exist_ok=True)
    return _fetch(client, asset, output_dir / _safe_name(asset.name))


def download_release(
    client: GitHubClient,
    full_name: str,
    tag: str,
    output_dir: Path,
    *,
    reporter: Reporter,
) -> list[DownloadedAsset]:
    """Download every asset of release ``tag`` of ``full_name`` into ``output_dir``."""
    repo = repository(client, full_name)
    release = find_release(client, repo, tag)
    if release is None:
        raise RemoteServiceError(f"{full_name} has no release for tag {tag}")
    assets = client.call(
        f"GET /repos/{full_name}/releases/{release.id}/assets", lambda: list(release.get_assets())
    )
    if not assets:
        raise RemoteServiceError(f"release {tag} of {full_name} has no assets")
    output_dir.mkdir(parents=True, exist_ok=True)
    done: list[DownloadedAsset] = []
    with reporter.step(f"downloading {len(assets)} assets of {tag}", len(assets)) as advance:
        for asset in assets:
            done.append(_fetch(client, asset, output_dir / _safe_name(asset.name)))
            advance(1)
    return done
