"""``previous-release: auto``: the latest earlier release with a bundle, found and fetched
through PyGithub on the local GitHub (anonymously), its digest checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_github import Asset, FakeGitHub
from github_support import Sleeps, settings_for

from mtf_action.errors import RemoteServiceError
from mtf_action.github.client import GitHubClient
from mtf_action.github.previous import (
    download_previous_bundle,
    find_previous_release,
    release_by_tag,
    tag_version,
)

REPO = "acme/units"


def _release(
    fake: FakeGitHub, tag: str, *, bundle: bool = True, draft: bool = False, pre: bool = False
) -> None:
    release = fake.add_release(REPO, tag, draft=draft, prerelease=pre)
    names = [f"units-{tag}.mcpb"] if bundle else []
    for name in [*names, f"units-{tag}.claim.json"]:
        release.assets.append(
            Asset(fake.next_id(), name, f"{name} bytes".encode(), "application/octet-stream")
        )


@pytest.fixture
def history(fake: FakeGitHub) -> FakeGitHub:
    _release(fake, "v0.9.0")
    _release(fake, "v1.0.0")
    _release(fake, "v1.1.0")
    _release(fake, "v1.1.1", bundle=False)  # no .mcpb: not a candidate
    _release(fake, "v1.2.0-rc.1", pre=True)
    _release(fake, "v1.2.0", draft=True)  # drafts are not releases yet
    _release(fake, "nightly")  # not SemVer: cannot be ordered
    fake.add_release("other/repo", "v1.1.5")
    return fake


@pytest.fixture
def anonymous(fake: FakeGitHub, sleeps: Sleeps) -> GitHubClient:
    return GitHubClient(settings_for(fake, sleeps, token=None))


@pytest.mark.parametrize(
    ("before", "prereleases", "expected"),
    [
        ("v1.2.0", False, "v1.1.0"),  # v1.1.1 has no bundle, the rc is a pre-release
        ("v1.2.0", True, "v1.2.0-rc.1"),  # a pre-release compares with pre-releases too
        ("v1.1.0", False, "v1.0.0"),  # strictly earlier: never the release itself
        ("1.0.0", False, "v0.9.0"),
        ("v0.9.0", False, None),  # the first release has no previous one
        (None, False, "v1.1.0"),  # pull requests: the latest release
    ],
)
def test_latest_earlier_release_with_a_bundle(
    history: FakeGitHub,
    anonymous: GitHubClient,
    before: str | None,
    prereleases: bool,
    expected: str | None,
) -> None:
    version = tag_version(before) if before else None
    found = find_previous_release(anonymous, REPO, before=version, prereleases=prereleases)
    assert (found.tag_name if found else None) == expected
    assert all(a == "" for a in history.authorizations)  # anonymous: no token sent


def test_bundle_is_downloaded_and_digest_checked(
    history: FakeGitHub, anonymous: GitHubClient, tmp_path: Path
) -> None:
    found = find_previous_release(anonymous, REPO, before=tag_version("v1.2.0"), prereleases=False)
    assert found is not None
    previous = download_previous_bundle(anonymous, found, tmp_path / "prev")
    assert previous is not None and previous.tag == "v1.1.0"
    assert previous.bundle.path == tmp_path / "prev" / "units-v1.1.0.mcpb"
    assert previous.bundle.path.read_bytes() == b"units-v1.1.0.mcpb bytes"
    assert previous.bundle.digest_checked and previous.bundles_on_release == 1
    assert sorted(p.name for p in (tmp_path / "prev").iterdir()) == ["units-v1.1.0.mcpb"]
    # The listing promised a digest; bytes that differ on download are refused.
    asset = next(a for a in history.release("v1.1.0").assets if a.name.endswith(".mcpb"))
    asset.data = b"units-v1.1.0.mcpb BYTES"  # same size, other content
    with pytest.raises(RemoteServiceError, match="differs from the API's"):
        download_previous_bundle(anonymous, found, tmp_path / "again")
    assert not (tmp_path / "again" / "units-v1.1.0.mcpb").exists()


def test_explicit_tag_and_a_release_without_bundle(
    history: FakeGitHub, anonymous: GitHubClient, tmp_path: Path
) -> None:
    named = release_by_tag(anonymous, REPO, "v0.9.0")
    assert named is not None and named.tag_name == "v0.9.0"
    assert release_by_tag(anonymous, REPO, "v9.9.9") is None
    bare = release_by_tag(anonymous, REPO, "v1.1.1")
    assert bare is not None and download_previous_bundle(anonymous, bare, tmp_path) is None


def test_tag_versions() -> None:
    assert str(tag_version("v1.2.3")) == "1.2.3" and str(tag_version("V2.0.0-rc.1")) == "2.0.0-rc.1"
    assert tag_version("release-1") is None and tag_version("v1.2") is None
