"""Keyless signing through the action, GitHub artifact attestations, keyless verify.

The container gets its OIDC token the way a job with ``id-token: write`` does: the
runner sets ``ACTIONS_ID_TOKEN_REQUEST_URL`` and ``ACTIONS_ID_TOKEN_REQUEST_TOKEN``, and
the action asks that URL for a token with audience ``sigstore``. Here the URL is the
local Sigstore stack's token request API (tests/sigstore_stack/oidc.py), the
``trust-config`` input points the signer at the stack's Fulcio and Rekor, and the
release goes to the local GitHub. Nothing in signing or verification is bypassed.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from action_support import REPO, SHA, TOKEN
from sigstore.models import Bundle
from verify_support import (
    PUBLISHER_TOKEN,
    TAG,
    WORKFLOW,
    FakeGitHub,
    Fault,
    Published,
    assert_secrets_only_masked,
    errors,
    publish,
    verify_step,
)

from mtf_action.attest.assets import MTF_CLAIM, SLSA_PROVENANCE_V1
from mtf_action.signing.keybundle import BUNDLE_V03
from mtf_action.signing.policy import certificate_sans
from sigstore_stack import GITHUB_ISSUER, SigstoreStack

pytestmark = pytest.mark.slow
SIGNER = f"https://github.com/{REPO}/{WORKFLOW}@refs/tags/{TAG}"


@dataclass
class Keyless:
    published: Published
    request_token: str  # ACTIONS_ID_TOKEN_REQUEST_TOKEN
    jwts: list[str]  # the OIDC tokens the action fetched
    trust_config: Path


def _release(stack: SigstoreStack, fake: FakeGitHub, root: Path, **inputs: str) -> Keyless:
    url, request_token = stack.actions_id_token_request(
        iss=GITHUB_ISSUER, repository=REPO, ref=f"refs/tags/{TAG}", sha=SHA, workflow_path=WORKFLOW
    )
    already = len(stack.oidc.issued)
    published = publish(
        fake,
        root,
        {"sign": "sigstore", "trust-config": str(stack.trust_config_path), **inputs},
        extra_env={
            "ACTIONS_ID_TOKEN_REQUEST_URL": url,
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": request_token,
        },
    )
    jwts = stack.oidc.issued[already:]
    return Keyless(published, request_token, jwts, stack.trust_config_path)


@pytest.fixture(scope="module")
def keyless(
    tmp_path_factory: pytest.TempPathFactory,
    sigstore_stack_session: SigstoreStack,
) -> Iterator[Keyless]:
    """A keyless release with ``github-attestations: true``, published by the release flow."""
    fake = FakeGitHub(token=PUBLISHER_TOKEN)
    made = _release(
        sigstore_stack_session,
        fake,
        tmp_path_factory.mktemp("keyless-release"),
        **{"github-attestations": "true"},
    )
    yield made
    fake.close()


def test_the_action_signs_keyless_with_the_runners_oidc_token(keyless: Keyless) -> None:
    run = keyless.published.run
    assert run.code in (0, 1), run.stdout + run.stderr
    assert len(keyless.jwts) == 1  # one token request, one certificate for every signature
    signing = json.loads(keyless.published.asset(".mcpb.mtf-claim.json"))["predicate"]["signing"]
    assert signing["mode"] == "sigstore" and signing["identity"] == SIGNER
    assert run.outputs["uploaded"] == "true" and not keyless.published.release.draft
    assert run.outputs["level"] == str(keyless.published.verified_level)


def test_no_secret_appears_in_anything_printed_or_written(keyless: Keyless) -> None:
    published = keyless.published
    secrets = [PUBLISHER_TOKEN, TOKEN, keyless.request_token, *keyless.jwts]
    assert_secrets_only_masked(published.run, secrets, published.workspace, published.runner)
    # Nor in any asset on the release (what the world downloads).
    for asset in published.release.assets:
        for secret in secrets:
            assert secret.encode() not in asset.data, asset.name
    # The OIDC token itself was masked before anything could print it.
    assert f"::add-mask::{keyless.jwts[0]}" in published.run.stdout


def test_provenance_and_claim_are_stored_as_github_attestations(keyless: Keyless) -> None:
    published = keyless.published
    stored = published.fake.attestations
    assert len(stored) == 2 and all(list(body) == ["bundle"] for body in stored)
    types = set()
    for body in stored:
        bundle = body["bundle"]
        assert bundle["mediaType"] == BUNDLE_V03
        parsed = Bundle.from_json(json.dumps(bundle))  # sigstore-python reads it
        assert certificate_sans(parsed.signing_certificate) == [SIGNER]
        envelope = bundle["dsseEnvelope"]
        assert envelope["payloadType"] == "application/vnd.in-toto+json"
        statement = json.loads(base64.b64decode(envelope["payload"]))
        types.add(statement["predicateType"])
        # gh attestation verify looks attestations up by the artifact's digest.
        digests = [s["digest"]["sha256"] for s in statement["subject"]]
        assert published.bundle_sha256 in digests
    assert types == {SLSA_PROVENANCE_V1, MTF_CLAIM}
    # They are exactly the signed assets on the release.
    on_release = {json.dumps(json.loads(published.asset(s)), sort_keys=True)
                  for s in (".provenance.sigstore.json", ".mtf-claim.sigstore.json")}  # fmt: skip
    assert {json.dumps(b["bundle"], sort_keys=True) for b in stored} == on_release


def test_the_release_verifies_with_the_cli_from_github(keyless: Keyless, tmp_path: Path) -> None:
    def cli(*extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ACTIONS_"))}
        argv = ["verify", "--repository", REPO, "--tag", TAG, "--api-url",
                keyless.published.fake.api_url, "--trust-config", str(keyless.trust_config),
                "--format", "json", *extra]  # fmt: skip
        return subprocess.run(
            [sys.executable, "-m", "mtf_action", *argv],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip

    passed = cli("--workflow", "release.yml", "--ref", "refs/tags/v*")
    assert passed.returncode == 0, passed.stderr
    result = json.loads(passed.stdout)
    assert result["verified"] is True and result["level"] == keyless.published.verified_level
    assert result["trust"]["mode"] == "sigstore"
    other = cli("--workflow", "other.yml")
    assert other.returncode == 1
    assert json.loads(other.stdout)["verified"] is False
    # Tampering with the bundle on the release is caught as well.
    with keyless.published.tampered(".mcpb"):
        tampered = cli()
    assert tampered.returncode == 1
    failed = [c["name"] for c in json.loads(tampered.stdout)["checks"] if c["status"] == "fail"]
    assert "bundle-digest" in failed


def _consumer(tmp_path: Path, keyless: Keyless) -> Path:
    workspace = tmp_path / "consumer"
    (workspace / "sigstore").mkdir(parents=True)
    shutil.copy(keyless.trust_config, workspace / "sigstore" / "trust_config.json")
    return workspace


def test_verify_mode_keyless_checks_the_publisher_identity(
    keyless: Keyless, tmp_path: Path
) -> None:
    trust = {"trust-config": "sigstore/trust_config.json"}
    run = verify_step(keyless.published, _consumer(tmp_path, keyless), trust)
    assert run.code == 0, run.stdout + run.stderr
    assert run.outputs["level"] == str(keyless.published.verified_level)
    assert run.outputs["bundle-sha256"] == keyless.published.bundle_sha256
    assert f"GitHub repository {REPO}" in run.summary and errors(run) == []
    run = verify_step(
        keyless.published, _consumer(tmp_path / "w", keyless), {**trust, "workflow": "release.yml"}
    )
    assert run.code == 0, run.stdout
    # Another workflow of the same repository did not sign it.
    run = verify_step(
        keyless.published, _consumer(tmp_path / "x", keyless), {**trust, "workflow": "nightly.yml"}
    )
    assert run.code == 1 and run.outputs["level"] == ""
    assert any("::error title=MTF verify::provenance: " in line for line in errors(run)), run.stdout


def test_a_mirror_of_the_assets_fails_under_the_mirrors_identity(
    keyless: Keyless, tmp_path: Path
) -> None:
    """The same signed files re-published by another repository: verifying that
    repository's release demands its identity, which the certificates do not carry."""
    fake = keyless.published.fake
    mirror = fake.add_release("mallory/units", TAG)
    mirror.assets = list(keyless.published.release.assets)
    run = verify_step(
        keyless.published,
        _consumer(tmp_path, keyless),
        {"trust-config": "sigstore/trust_config.json", "repository": "mallory/units"},
    )
    assert run.code == 1, run.stdout
    assert "GitHub repository mallory/units" in run.summary
    failed = {line.split("::")[2].split(":")[0] for line in errors(run)}
    assert {"provenance", "claim"} <= failed, run.stdout


@pytest.mark.parametrize(
    ("kind", "code", "annotation"),
    [
        ("404", None, "::warning title=github-attestations::not stored: "),
        ("403-unavailable", None, "::warning title=github-attestations::not stored: "),
        ("403-forbidden", 4, "attestations: write"),
    ],
)
def test_github_attestations_refused(
    sigstore_stack: SigstoreStack,
    tmp_path: Path,
    kind: str,
    code: int | None,
    annotation: str,
) -> None:
    """No attestations on this plan (or server): a warning, the release stands. A token
    without ``attestations: write``: the step fails and says what is missing."""
    fake = FakeGitHub(token=PUBLISHER_TOKEN)
    try:
        fake.faults.append(Fault("POST", "/attestations", kind))
        made = _release(
            sigstore_stack, fake, tmp_path, **{"github-attestations": "true", "upload": "false"},
        )  # fmt: skip
        run = made.published.run
        if code is None:
            assert run.code in (0, 1), run.stdout + run.stderr
            assert not any("github-attestations" in line for line in errors(run))
        else:
            assert run.code == code, run.stdout + run.stderr
            assert any(annotation in line for line in errors(run)), run.stdout
        assert annotation in run.stdout
        assert fake.attestations == [] and fake.count("POST", "/attestations") == 1
    finally:
        fake.close()


@pytest.mark.parametrize("sign", ["none", "key"])
def test_github_attestations_need_keyless_signing(tmp_path: Path, sign: str) -> None:
    fake = FakeGitHub(token=PUBLISHER_TOKEN)
    try:
        run = publish(fake, tmp_path, {"sign": sign, "github-attestations": "true"}).run
    finally:
        fake.close()
    assert run.code == 2 and fake.seen == []  # refused before anything was built or sent
    assert f"github-attestations needs sign: sigstore (not {sign})" in errors(run)[0]
