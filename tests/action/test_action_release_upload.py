"""Release mode end to end against the local fake GitHub (tests/github/fake_github.py):
tag push -> draft -> every asset uploaded -> published; a re-run changes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_support import REPO, TAG_PUSH, every_file_text, run_action

from mtf_action._cli import main as cli
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
    # attest re-signs (new signing time => new bundle digest), but the unsigned content
    # is the same: the release already attests it and is left alone.
    assert second.code == first.code, second.stdout
    assert second.outputs["already-attested"] == "true" and second.outputs["uploaded"] == "true"
    assert "already carries an attestation of this content" in second.stdout
    assert fake.count("POST", "/assets") == uploads and fake.count("DELETE", "/assets") == 0
    # dist/ and the outputs now describe what the release holds, not this run's
    # re-signed copies (their digest carries a new signing time).
    published = {a.name: a.data for a in fake.release("v1.0.0").assets}
    local = Path(second.outputs["bundle-path"])
    local = local if local.is_absolute() else workspace / local
    assert local.read_bytes() == published[local.name]
    assert second.outputs["bundle-sha256"] == hashlib.sha256(published[local.name]).hexdigest()
    assert all((workspace / "dist" / n).read_bytes() == d for n, d in published.items())
    # Other content without overwrite: a clear error naming the assets, nothing uploaded.
    server_py = next((workspace / "server").rglob("server.py"))
    server_py.write_text(server_py.read_text() + "\n# changed\n")
    third = run_action(workspace, tmp_path / "runner3", "push", TAG_PUSH, inputs, extra_env=api)
    assert third.code == 4, third.stdout
    assert "pass overwrite to replace them (nothing was uploaded)" in third.stdout
    assert Path(third.outputs["bundle-path"]).name in third.stdout
    assert fake.count("POST", "/assets") == uploads
    # With overwrite: replaced, and the release now holds the new bundle.
    fourth = run_action(workspace, tmp_path / "runner4", "push", TAG_PUSH,
                        {**inputs, "overwrite": "true"}, extra_env=api)  # fmt: skip
    assert fourth.code in (0, 1) and fourth.outputs["uploaded"] == "true", fourth.stdout
    assert fourth.outputs["already-attested"] == "false"
    bundle = next(a for a in fake.release("v1.0.0").assets if a.name.endswith(".mcpb"))
    assert hashlib.sha256(bundle.data).hexdigest() == fourth.outputs["bundle-sha256"]
    seen = "\n".join([first.stdout, first.stderr, second.stdout, second.stderr,
                      every_file_text(workspace, tmp_path / "runner")])  # fmt: skip
    assert seen.count(TOKEN) == seen.count(f"::add-mask::{TOKEN}")


def test_prebuilt_platform_bundles_are_attested_and_released(
    fake: FakeGitHub,
    tmp_path: Path,
    python_example_tree: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The multi-platform flow: per-platform `mtf-attest build`, one job attests them all.
    workspace = tmp_path / "workspace"
    shutil.copytree(python_example_tree, workspace / "server")
    for os_name, arch in (("linux", "x64"), ("darwin", "arm64")):
        code = cli(["build", str(workspace / "server"), "-o", str(workspace / "bundles"),
                    "--no-vendor", "--platform-os", os_name, "--platform-arch", arch, "-q"])  # fmt: skip
        assert code == 0
    keys = write_key_pair(tmp_path / "keys")
    inputs = {
        "bundles": "bundles/*.mcpb",
        "sign": "key",
        "signing-key": Path(keys.private_key).read_text(),
        "github-token": TOKEN,
    }
    api = {"GITHUB_API_URL": fake.api_url}
    run = run_action(workspace, tmp_path / "runner", "push", TAG_PUSH, inputs, extra_env=api)
    assert run.code in (0, 1), run.stdout + run.stderr
    paths = run.outputs["bundle-path"].splitlines()
    assert [Path(p).name for p in paths] == [
        "mtf-examples-unit-converter-1.0.0-darwin-arm64.mcpb",
        "mtf-examples-unit-converter-1.0.0-linux-x64.mcpb",
    ]
    assert len(run.outputs["bundle-sha256"].splitlines()) == 2
    assert run.outputs["uploaded"] == "true"
    on_release = {a.name for a in fake.release("v1.0.0").assets}
    assert on_release == {p.name for p in (workspace / "dist").iterdir()}
    assert len(on_release) == 16  # 8 assets per bundle
    for path in paths:  # each sealed bundle verifies on its own
        argv = ["verify", str(workspace / path), "--key", str(keys.public_key), "--format", "json"]
        cli(argv)
        checks = json.loads(capsys.readouterr().out)["checks"]
        failed = [c["name"] for c in checks if c["status"] == "fail"]
        # Every signature and digest holds; the example claims L2 and reaches L1, which
        # the VSA records as FAILED (as for a bundle built from the directory).
        assert failed == ["vsa"], path
        assert {c["name"] for c in checks if c["status"] == "pass"} >= {
            "bundle-digest", "provenance", "claim", "embedded-signature"
        }  # fmt: skip
    bad = run_action(workspace, tmp_path / "runner2", "push", TAG_PUSH,
                     {**inputs, "bundles": "nothing/*.mcpb"}, extra_env=api)  # fmt: skip
    assert bad.code == 2 and "bundles: nothing matches 'nothing/*.mcpb'" in bad.stdout
