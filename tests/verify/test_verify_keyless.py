"""``verify`` of keyless releases, end to end against the local Sigstore stack (offline).

``mtf-attest attest --sign sigstore`` signs through sigstore-python's real client: Fulcio
certificates (with SCTs from the local CT log) and Rekor v1 entries from the stack, for
tokens minted by the stack's OIDC issuers; ``verify`` checks them under the stack's trusted root
(``--trusted-root`` / ``--trust-config``). A release signed by another repository,
workflow, ref, issuer or identity is rejected by every signature check, each naming the
part of the identity that differs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from release_kit import ReleaseDir, attest_release, quiet, write_source

from mtf_action._cli import main
from mtf_action.models.verification import VerificationResult
from mtf_action.signing.policy import IdentityRequirement
from mtf_action.signing.trust import VerifyTrust
from mtf_action.verify import VerifyOptions, verify_release
from sigstore_stack import GITHUB_ISSUER, SigstoreStack

REPO = "acme/clock"
EXPECTED = IdentityRequirement(repository=REPO, workflow="release.yml", ref="refs/tags/v*")
SIGNATURE_CHECKS = ("provenance", "claim", "sbom-attestation", "vsa", "embedded-signature")

MakeRelease = Callable[..., ReleaseDir]


@pytest.fixture
def make_release(sigstore_stack: SigstoreStack, tmp_path: Path) -> MakeRelease:
    """A release signed keyless with a token minted for ``claims`` (``kind`` github/email)."""

    def make(kind: str = "github", **claims: object) -> ReleaseDir:
        if kind == "github":
            claims = {"iss": GITHUB_ISSUER, "repository": REPO, "ref": "refs/tags/v1.0.0"} | claims
        token = sigstore_stack.mint_token(kind, **claims)  # type: ignore[arg-type]
        source = write_source(tmp_path / "src")
        trust = ("--trust-config", sigstore_stack.trust_config_path)
        return attest_release(
            source, tmp_path / "out", "--sign", "sigstore", *trust, MTF_IDENTITY_TOKEN=token
        )

    return make


def _verify(
    stack: SigstoreStack, release: ReleaseDir, requirement: IdentityRequirement, **options: object
) -> VerificationResult:
    trust = VerifyTrust(trusted_root=stack.trusted_root_path)
    return verify_release(
        VerifyOptions(bundle=release.bundle, trust=trust, identity=requirement, **options),  # type: ignore[arg-type]
        quiet(),
    )


def test_keyless_round_trip_every_check_passes(
    sigstore_stack: SigstoreStack, make_release: MakeRelease
) -> None:
    release = make_release()
    result = _verify(sigstore_stack, release, EXPECTED, rescan=True, min_level=1)
    assert [c.status for c in result.checks] == ["pass"] * 8, [
        c.reason for c in result.failed_checks
    ]
    assert (result.exit_code, result.level, result.trust.mode) == (0, 1, "sigstore")
    san = f"https://github.com/{REPO}/.github/workflows/release.yml@refs/tags/v1.0.0"
    for name in SIGNATURE_CHECKS:
        signature = result.check(name).details["signature"]
        assert signature["signer_identity"] == san
        assert signature["issuer"] == GITHUB_ISSUER
        assert signature["transparency_log"] == "verified"
    assert "repository acme/clock, workflow release.yml, ref refs/tags/v*" in result.trust.policy


def test_keyless_cli_with_the_trust_config(
    sigstore_stack: SigstoreStack, make_release: MakeRelease, capsys: pytest.CaptureFixture[str]
) -> None:
    release = make_release()
    code = main(
        [
            "verify",
            str(release.bundle),
            "--trust-config",
            str(sigstore_stack.trust_config_path),
            "--repository",
            REPO,
            "--ref",
            "refs/tags/v*",
            "--rescan",
            "--min-level",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[-1] == "verified: acme-clock-1.0.0.mcpb, MTF level 1 (8 checks passed)"


@pytest.mark.parametrize(
    ("kind", "claims", "requirement", "cause", "words"),
    [
        (
            "github",
            {"repository": "evil/clock"},
            EXPECTED,
            "repository",
            "source repository is 'https://github.com/evil/clock', expected 'https://github.com/acme/clock'",
        ),
        (
            "github",
            {"workflow_path": ".github/workflows/nightly.yml"},
            EXPECTED,
            "workflow",
            "/.github/workflows/nightly.yml@refs/tags/v1.0.0', expected",
        ),
        (
            "github",
            {"ref": "refs/heads/feature"},
            EXPECTED,
            "ref",
            "source ref is 'refs/heads/feature', which does not match 'refs/tags/v*'",
        ),
        (
            "github",
            {"iss": None},  # the stack's own GitHub-like issuer, not GitHub's
            EXPECTED,
            "issuer",
            f"expected '{GITHUB_ISSUER}'",
        ),
        (
            "email",
            {},
            IdentityRequirement(identity="release@acme.example", issuer="EMAIL_ISSUER"),
            "identity",
            "certificate identity is signer@example.com, expected release@acme.example",
        ),
    ],
    ids=["repository", "workflow", "ref", "issuer", "identity"],
)
def test_release_signed_by_another_identity_fails_every_signature(
    sigstore_stack: SigstoreStack,
    make_release: MakeRelease,
    kind: str,
    claims: dict[str, object],
    requirement: IdentityRequirement,
    cause: str,
    words: str,
) -> None:
    if kind == "github" and claims.get("iss", "") is None:
        claims = {"iss": sigstore_stack.issuer_url}
    if requirement.issuer == "EMAIL_ISSUER":
        requirement = IdentityRequirement(
            identity=requirement.identity, issuer=sigstore_stack.email_issuer_url
        )
    release = make_release(kind, **claims)
    result = _verify(sigstore_stack, release, requirement)
    assert result.check("bundle-digest").status == "pass"
    for name in SIGNATURE_CHECKS:
        check = result.check(name)
        assert (check.status, check.cause) == ("fail", cause), check.reason
        assert words in check.reason
    assert result.exit_code == 1


def test_keyless_release_under_another_trusted_root_fails_the_chain(
    sigstore_stack: SigstoreStack,
    make_release: MakeRelease,
    production_root: Path,
) -> None:
    release = make_release()
    result = verify_release(
        VerifyOptions(
            bundle=release.bundle,
            trust=VerifyTrust(trusted_root=production_root),
            identity=EXPECTED,
        ),
        quiet(),
    )
    for name in SIGNATURE_CHECKS:
        check = result.check(name)
        assert check.status == "fail"
        assert check.cause in {"certificate", "transparency-log", "timestamp"}, check.reason
    assert result.exit_code == 1


def test_keyless_release_verified_with_a_key_is_a_mode_mismatch(
    sigstore_stack: SigstoreStack, make_release: MakeRelease, tmp_path: Path
) -> None:
    from mtf_action.signing.key_algorithms import KeyAlgorithm
    from mtf_action.signing.keygen import generate_private_key
    from mtf_action.signing.keys import public_key_pem

    public = tmp_path / "k.pub"
    public.write_bytes(public_key_pem(generate_private_key(KeyAlgorithm.ED25519).public_key()))
    release = make_release()
    result = verify_release(VerifyOptions(bundle=release.bundle, key=public), quiet())
    for name in SIGNATURE_CHECKS:
        check = result.check(name)
        assert (check.status, check.cause, check.unreadable) == ("fail", "mode", False)
        assert "signed keyless (Fulcio certificate): verify with --repository" in check.reason
    assert result.exit_code == 1
