"""Is a release already attested for the same content? (idempotent re-runs)

A signed bundle carries its signing time (the AI-03 payload sealed inside it),
so re-running the release job on the same tag produces a bundle, and signature
assets, whose digests differ from the release's even when nothing else changed.
A re-run is recognised by the content that is *not* the signature: for every
``*.hashes.json`` about to be uploaded, the release's asset of the same name
must list the same members with the same digests and sizes once ``.sigstore/``
is left out; and every asset name about to be uploaded must already be on the
release (an earlier run that stopped half way is not "attested"). When both
hold the release is left alone.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from github.GitRelease import GitRelease

from mtf_action.attest.embedded import EMBEDDED_DIR
from mtf_action.bundle.hashes import HASHES_SUFFIX, read_hashes
from mtf_action.github.client import GitHubClient
from mtf_action.github.download import download_asset
from mtf_action.models.hashes import HashesDocument


@dataclass(frozen=True)
class RerunCheck:
    """``attested``: the release holds this content already; else ``reason`` says why not."""

    attested: bool
    reason: str = ""


def unsigned_members(document: HashesDocument) -> dict[str, tuple[str, int]]:
    """Member path -> (sha256, size), the ``.sigstore/`` signature members left out."""
    return {
        f.path: (f.sha256, f.size) for f in document.files if not f.path.startswith(EMBEDDED_DIR)
    }


def check_rerun(client: GitHubClient, release: GitRelease, files: Sequence[Path]) -> RerunCheck:
    """Whether ``release`` already carries an attestation of the content of ``files``."""
    listed = client.call(f"GET /releases/{release.id}/assets", lambda: list(release.get_assets()))
    on_release = {a.name: a for a in listed if a.state == "uploaded"}
    missing = sorted(p.name for p in files if p.name not in on_release)
    if missing:
        return RerunCheck(False, f"not on the release yet: {', '.join(missing)}")
    hashes = [p for p in files if p.name.endswith(HASHES_SUFFIX)]
    if not hashes:
        return RerunCheck(False, "no hashes.json to compare the content with")
    with tempfile.TemporaryDirectory(prefix="mtf-attest-rerun-") as tmp:
        for local in hashes:
            remote = download_asset(client, on_release[local.name], Path(tmp))
            if unsigned_members(read_hashes(remote.path)) != unsigned_members(read_hashes(local)):
                return RerunCheck(False, f"{local.name} on the release lists other content")
    return RerunCheck(True)
