"""Idempotent re-runs: a release that already attests the same unsigned content is left alone.

Two key-signed ``attest`` runs of one tree differ only in ``.sigstore/`` (the
signing time is inside the bundle); a changed source file is different content.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_github import FakeGitHub

from mtf_action._cli import main
from mtf_action.console import Reporter
from mtf_action.github.client import GitHubClient
from mtf_action.github.releases import prepare_release, repository, upload_assets
from mtf_action.github.rerun import check_rerun

REPO = "acme/tiny"
TAG = "v1.0.0"
MANIFEST = {
    "manifest_version": "0.4", "name": "acme-tiny", "version": "1.0.0", "description": "Tiny",
    "author": {"name": "Acme"},
    "server": {"type": "python", "entry_point": "server.py",
               "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]}},
}  # fmt: skip


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _attest(tmp_path: Path, out: str, source: str = "def echo(t):\n    return t\n") -> list[Path]:
    tree = tmp_path / f"tree-{out}"
    tree.mkdir()
    (tree / "server.py").write_text(source)
    (tree / "manifest.json").write_text(json.dumps(MANIFEST))
    keys = tmp_path / "keys"
    if not keys.exists():
        assert main(["keygen", "--output-dir", str(keys)]) == 0
    argv = ["attest", str(tree), "-o", str(tmp_path / out), "--key", str(keys / "mtf-signing.key"),
            "--no-vendor", "--source-date-epoch", "1700000000", "-q"]  # fmt: skip
    assert main(argv) == 0
    return sorted((tmp_path / out).iterdir())


def test_same_content_is_attested_other_content_is_not(
    fake: FakeGitHub, client: GitHubClient, reporter: Reporter, tmp_path: Path
) -> None:
    first = _attest(tmp_path, "first")
    release = prepare_release(client, repository(client, REPO), TAG, reporter=reporter)
    assert not check_rerun(client, release, first).attested  # nothing there yet
    upload_assets(client, release, first[:3], reporter=reporter)
    partial = check_rerun(client, release, first)
    assert not partial.attested and "not on the release yet" in partial.reason
    upload_assets(client, release, first, reporter=reporter)
    assert check_rerun(client, release, first).attested
    again = _attest(tmp_path, "again")  # re-signed: other bundle digest, same members
    bundle = next(p for p in again if p.suffix == ".mcpb")
    assert bundle.read_bytes() != (tmp_path / "first" / bundle.name).read_bytes()
    assert check_rerun(client, release, again).attested
    changed = _attest(tmp_path, "changed", source="def echo(t):\n    return t * 2\n")
    other = check_rerun(client, release, changed)
    assert not other.attested and "lists other content" in other.reason
    # Without a hashes.json there is nothing to compare: never "attested".
    no_hashes = [p for p in again if not p.name.endswith(".hashes.json")]
    assert not check_rerun(client, release, no_hashes).attested
