"""Release mode end to end against the local fake GitHub (tests/github/fake_github.py):
tag push -> draft -> every asset uploaded -> published; a re-run changes nothing."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_support import REPO, TAG_PUSH, every_file_text, run_action

from mtf_action.signing.keygen import write_key_pair

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "github"))
from fake_github import FakeGitHub

pytestmark = pytest.mark.slow
TOKEN = "ghs_UploadT0kenValue0123456789abcdefQRS"


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub(token=TOKEN)
    yield server
    server.close()


def test_tag_push_uploads_every_asset_then_publishes(
    fake: FakeGitHub, tmp_path: Path, python_example_tree: Path
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(python_example_tree, workspace / "server")
    keys = write_key_pair(tmp_path / "keys")
    inputs = {
        "directory": "server",
        "sign": "key",
        "signing-key": Path(keys.private_key).read_text(),
        "vendor": "false",
        "github-token": TOKEN,
    }
    api = {"GITHUB_API_URL": fake.api_url}
    first = run_action(workspace, tmp_path / "runner", "push", TAG_PUSH, inputs, extra_env=api)
    assert first.code in (0, 1), first.stdout + first.stderr
    assert first.outputs["uploaded"] == "true"
    release = fake.release("v1.0.0")
    assert release.repo == REPO and release.draft is False  # published after the uploads
    on_release = sorted(a.name for a in release.assets)
    assert on_release == sorted(p.name for p in (workspace / "dist").iterdir())
    assert Path(first.outputs["bundle-path"]).name in on_release
    uploads = fake.count("POST", "/assets")
    second = run_action(workspace, tmp_path / "runner2", "push", TAG_PUSH, inputs, extra_env=api)
    # attest re-signs (new timestamp => new bundle digest): a re-run is a conflict
    # unless overwrite is set, and says so without uploading anything.
    assert second.code == 4, second.stdout
    assert "pass overwrite to replace them (nothing was uploaded)" in second.stdout
    assert fake.count("POST", "/assets") == uploads
    seen = "\n".join([first.stdout, first.stderr, second.stdout, second.stderr,
                      every_file_text(workspace, tmp_path / "runner")])  # fmt: skip
    assert seen.count(TOKEN) == seen.count(f"::add-mask::{TOKEN}")
