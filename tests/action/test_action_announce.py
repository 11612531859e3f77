"""announce: mcpb-pack's payload and OIDC audience, against a local registry on 127.0.0.1.

The library is driven with recorded waits; the action end to end (tag push,
upload to the local GitHub, then the announcement) with the runner's OIDC
variables pointing at the local token endpoint.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_support import TAG_PUSH, every_file_text, run_action
from fake_registry import OIDC_TOKEN, REQUEST_TOKEN, FakeRegistry

from mtf_action.announce import (
    MPAK_AUDIENCE,
    AnnounceArtifact,
    AnnouncePayload,
    announce,
)
from mtf_action.errors import RemoteServiceError
from mtf_action.signing.keygen import write_key_pair
from mtf_action.signing.oidc import ambient_oidc_token

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "github"))
from fake_github import FakeGitHub

GITHUB_TOKEN = "ghs_AnnounceUploadT0ken0123456789abcdef"
PAYLOAD = AnnouncePayload(
    name="@acme/tiny",
    version="1.0.0",
    manifest={"name": "@acme/tiny", "version": "1.0.0"},
    release_tag="v1.0.0",
    prerelease=False,
    artifact=AnnounceArtifact(
        filename="acme-tiny-1.0.0-linux-x64.mcpb", os="linux", arch="x64", sha256="a" * 64, size=9
    ),
)


@pytest.fixture
def registry() -> Iterator[FakeRegistry]:
    server = FakeRegistry()
    yield server
    server.close()


def test_the_propagation_lag_is_waited_out(registry: FakeRegistry) -> None:
    registry.answers += [(404, "Asset not found in release v1.0.0")] * 2
    waits: list[float] = []
    outcome = announce(registry.url, OIDC_TOKEN, PAYLOAD, sleep=waits.append)
    assert (outcome.state, outcome.status, outcome.attempts) == ("announced", 201, 3)
    assert waits == [5.0, 10.0]  # mcpb-pack's waits
    assert registry.announced == [PAYLOAD.model_dump(mode="json")] * 3
    assert set(registry.announced[0]) == {
        "name", "version", "manifest", "release_tag", "prerelease", "artifact"
    }  # fmt: skip
    assert set(registry.announced[0]["artifact"]) == {"filename", "os", "arch", "sha256", "size"}


def test_409_means_already_announced(registry: FakeRegistry) -> None:
    registry.answers.append((409, "version already announced"))
    waits: list[float] = []
    outcome = announce(registry.url, OIDC_TOKEN, PAYLOAD, sleep=waits.append)
    assert (outcome.state, outcome.attempts, waits) == ("already-announced", 1, [])


def test_a_refusal_fails_at_once_without_the_token(registry: FakeRegistry) -> None:
    registry.answers.append((403, "repository is not the bundle's publisher"))
    waits: list[float] = []
    with pytest.raises(RemoteServiceError) as caught:
        announce(registry.url, OIDC_TOKEN, PAYLOAD, sleep=waits.append)
    message = str(caught.value)
    assert "HTTP 403" in message and "not the bundle's publisher" in message
    assert (
        OIDC_TOKEN not in message
        and "eyJhdWQiOiJodHRwczovL21wYWsuZGV2In0mpakAudience" not in message
    )
    assert waits == []


def test_server_errors_and_dropped_connections_give_up_after_four_attempts(
    registry: FakeRegistry,
) -> None:
    registry.answers += [(503, "busy")] * 4
    waits: list[float] = []
    with pytest.raises(RemoteServiceError, match=r"after 4 attempt\(s\): HTTP 503"):
        announce(registry.url, OIDC_TOKEN, PAYLOAD, sleep=waits.append)
    assert waits == [5.0, 10.0, 15.0] and len(registry.announced) == 4
    closed = registry.base.rsplit(":", 1)[0] + ":9" + "/v1/bundles/announce"
    waits.clear()
    with pytest.raises(RemoteServiceError, match="ConnectionError"):
        announce(closed, OIDC_TOKEN, PAYLOAD, waits=(0.0, 0.0), sleep=waits.append)
    assert waits == [0.0, 0.0]
    assert registry.refused == 0


def test_the_token_comes_from_the_runner_for_the_mpak_audience(
    registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for name, value in registry.oidc_env.items():
        monkeypatch.setenv(name, value)
    assert ambient_oidc_token(MPAK_AUDIENCE) == OIDC_TOKEN
    assert registry.audiences == ["https://mpak.dev"]
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "wrong")
    with pytest.raises(Exception, match="OIDC"):
        ambient_oidc_token(MPAK_AUDIENCE)


# -- the action end to end -------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub(token=GITHUB_TOKEN)
    yield server
    server.close()


def _inputs(tmp_path: Path, **more: str) -> dict[str, str]:
    keys = write_key_pair(tmp_path / "keys")
    return {
        "directory": "server",
        "sign": "key",
        "signing-key": Path(keys.private_key).read_text(),
        "vendor": "false",
        "github-token": GITHUB_TOKEN,
        **more,
    }


@pytest.mark.slow
def test_release_uploads_then_announces_the_platform_bundle(
    fake: FakeGitHub, registry: FakeRegistry, tmp_path: Path, python_example_tree: Path
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(python_example_tree, workspace / "server")
    inputs = _inputs(tmp_path, **{"platform-os": "linux", "platform-arch": "x64",
                                  "announce": "true", "announce-url": registry.url})  # fmt: skip
    env = {"GITHUB_API_URL": fake.api_url, **registry.oidc_env}
    run = run_action(workspace, tmp_path / "runner", "push", TAG_PUSH, inputs, extra_env=env)
    assert run.code in (0, 1), run.stdout + run.stderr
    outputs = run.outputs
    assert outputs["uploaded"] == "true" and outputs["announced"] == "true"
    bundle = workspace / outputs["bundle-path"]
    assert bundle.name == "mtf-examples-unit-converter-1.0.0-linux-x64.mcpb"
    assert bundle.name in {a.name for a in fake.release("v1.0.0").assets}
    [sent] = registry.announced
    assert sent["name"] == "@mtf-examples/unit-converter" and sent["version"] == "1.0.0"
    assert sent["manifest"]["name"] == sent["name"]
    assert (sent["release_tag"], sent["prerelease"]) == ("v1.0.0", False)
    assert sent["artifact"] == {
        "filename": bundle.name,
        "os": "linux",
        "arch": "x64",
        "sha256": hashlib.sha256(bundle.read_bytes()).hexdigest(),
        "size": bundle.stat().st_size,
    }
    assert registry.audiences == ["https://mpak.dev"] and registry.refused == 0
    seen = "\n".join([run.stdout, run.stderr, every_file_text(workspace, tmp_path / "runner")])
    for secret in (OIDC_TOKEN, REQUEST_TOKEN, GITHUB_TOKEN):
        assert seen.count(secret) == run.stdout.count(f"::add-mask::{secret}") == 1, secret


@pytest.mark.slow
def test_a_failed_announcement_warns_unless_it_is_required(
    registry: FakeRegistry, tmp_path: Path, python_example_tree: Path
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(python_example_tree, workspace / "server")
    registry.answers += [(422, "manifest rejected")] * 2
    inputs = _inputs(tmp_path, upload="false", announce="true", **{"announce-url": registry.url})
    run = run_action(workspace, tmp_path / "r1", "push", TAG_PUSH, inputs,
                     extra_env=registry.oidc_env)  # fmt: skip
    assert run.code in (0, 1), run.stdout + run.stderr
    assert run.outputs["announced"] == "false"
    assert "::warning title=announce::not announced: " in run.stdout
    assert "HTTP 422: manifest rejected" in run.stdout
    required = {**inputs, "announce-required": "true"}
    run = run_action(workspace, tmp_path / "r2", "push", TAG_PUSH, required,
                     extra_env=registry.oidc_env)  # fmt: skip
    assert run.code == 4 and "::error title=mtf-attest::" in run.stdout
    assert OIDC_TOKEN not in run.stdout.replace(f"::add-mask::{OIDC_TOKEN}", "")
