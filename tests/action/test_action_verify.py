"""Verify mode: a consumer's workflow gates on a dependency's release (issue 5, Consumers).

The release is made by the action's own release flow (key-signed, tag push, local
GitHub); the consumer step then runs ``mode: verify`` exactly as the runner starts the
container. Exit codes are the CLI's: 0 verified; 1 a check failed (tampered asset, the
level below ``min-level``); 3 an asset unreadable. Every failed check is an ``::error``
annotation, and the step summary holds the verify report.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from verify_support import (
    PUBLISHER_TOKEN,
    FakeGitHub,
    Published,
    assert_secrets_only_masked,
    errors,
    publish,
    verify_step,
)

from mtf_action.signing.keygen import write_key_pair

pytestmark = pytest.mark.slow
CONSUMER_TOKEN = "ghs_C0nsumerT0kenValue0123456789abcdefXY"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """A key-signed release, published by the release flow."""
    fake = FakeGitHub(token=PUBLISHER_TOKEN)
    root = tmp_path_factory.mktemp("key-release")
    keys = write_key_pair(root / "keys")
    release = publish(
        fake,
        root,
        {"sign": "key", "signing-key": Path(keys.private_key).read_text()},
    )
    assert release.run.code in (0, 1), release.run.stdout + release.run.stderr
    assert release.run.outputs["uploaded"] == "true" and not release.release.draft
    yield release
    fake.close()


def _consumer(workspace: Path, published: Published) -> Path:
    """A consumer's workspace holding the publisher's public key (as a repository file)."""
    (workspace / "keys").mkdir(parents=True)
    public = next((published.workspace.parent / "keys").glob("*.pub"))
    shutil.copy(public, workspace / "keys" / "publisher.pub")
    return workspace


@pytest.fixture
def consumer(tmp_path: Path, published: Published) -> Path:
    return _consumer(tmp_path / "consumer", published)


def test_verify_passes_on_the_published_release(published: Published, consumer: Path) -> None:
    run = verify_step(published, consumer, {"key": "keys/publisher.pub"})
    assert run.code == 0, run.stdout + run.stderr
    assert errors(run) == []
    outputs = run.outputs
    assert outputs["mode"] == "verify" and outputs["uploaded"] == "false"
    bundle = consumer / outputs["bundle-path"]
    assert outputs["bundle-path"].startswith("deps/") and bundle.suffix == ".mcpb"
    assert outputs["bundle-sha256"] == published.bundle_sha256
    assert outputs["bundle-sha256"] == hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert outputs["level"] == str(published.verified_level)
    # Every asset of the release was downloaded beside the bundle.
    assert sorted(p.name for p in bundle.parent.iterdir()) == sorted(
        a.name for a in published.release.assets
    )
    assert run.summary.startswith("### MTF verify")
    assert f"verified: {bundle.name}, MTF level {outputs['level']}" in run.summary
    assert "signed by key" in run.summary  # the policy that was applied


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".mcpb", "bundle-digest"),
        (".mcpb.mtf-claim.json", "claim"),
        (".mcpb.provenance.sigstore.json", "provenance"),
    ],
)
def test_verify_fails_after_an_asset_is_tampered_with(
    published: Published, consumer: Path, suffix: str, check: str
) -> None:
    with published.tampered(suffix):
        run = verify_step(published, consumer, {"key": "keys/publisher.pub"})
    assert run.code in (1, 3), run.stdout + run.stderr  # 3: the tamper broke the JSON
    assert any(line.startswith(f"::error title=MTF verify::{check}: ") for line in errors(run)), (
        run.stdout
    )
    assert run.outputs["level"] == ""  # no level to rely on
    assert "FAILED" in run.summary or "unreadable input" in run.summary
    assert "Traceback" not in run.stderr


def test_min_level_above_the_verified_level_fails(published: Published, consumer: Path) -> None:
    above = published.verified_level + 1
    assert above <= 4, "the example must leave a level to ask for"
    run = verify_step(published, consumer, {"key": "keys/publisher.pub", "min-level": str(above)})
    assert run.code == 1, run.stdout + run.stderr
    assert any(line.startswith("::error title=MTF verify::min-level: ") for line in errors(run))
    # At the verified level itself the same release passes.
    again = _consumer(consumer.parent / "again", published)
    run = verify_step(published, again, {"key": "keys/publisher.pub", "min-level": str(above - 1)})
    assert run.code == 0 and run.outputs["level"] == str(above - 1), run.stdout


def test_wrong_key_fails_and_a_consumer_token_stays_secret(
    published: Published, consumer: Path, tmp_path: Path
) -> None:
    other = write_key_pair(tmp_path / "other")
    shutil.copy(other.public_key, consumer / "keys" / "other.pub")
    published.fake.token = CONSUMER_TOKEN  # the server now knows the consumer's token
    try:
        run = verify_step(
            published, consumer, {"key": "keys/other.pub", "github-token": CONSUMER_TOKEN}
        )
    finally:
        published.fake.token = PUBLISHER_TOKEN
    assert run.code == 1, run.stdout + run.stderr
    failed = {line.split("::")[2].split(":")[0] for line in errors(run)}
    assert {"provenance", "claim"} <= failed, run.stdout
    # The consumer's token authenticated the downloads and was never printed or written.
    assert f"token {CONSUMER_TOKEN}" in published.fake.authorizations
    assert_secrets_only_masked(run, [CONSUMER_TOKEN], consumer, tmp_path)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"tag": ""}, "mode verify needs the repository and tag inputs"),
        ({"tag": "v9.9.9"}, "no release for tag v9.9.9"),
        ({"trust-config": "missing.json"}, "trust-config apply to keyless verification only"),
    ],
)
def test_verify_usage_and_lookup_errors(
    published: Published, consumer: Path, inputs: dict[str, str], message: str
) -> None:
    run = verify_step(published, consumer, {"key": "keys/publisher.pub", **inputs})
    assert run.code in (2, 4), run.stdout
    assert len(errors(run)) == 1 and message in errors(run)[0], run.stdout
