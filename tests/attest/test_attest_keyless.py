"""attest --sign sigstore end to end against the local Sigstore stack (tests/sigstore_stack).

sigstore-python's real signer gets one Fulcio certificate for the GitHub-style token
and logs every signature in the local Rekor; the release is then verified with
sigstore-python's real verifier under the stack's trusted root and a GitHub publisher
policy. Nothing in signing or verification is bypassed.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from attest_checks import check_release, control, members
from attest_support import REPO, SHA, TAG, Run
from sigstore.models import Bundle

from mtf_action.attest.embedded import EMBEDDED_SIGNATURE
from mtf_action.attest.names import AssetNames
from mtf_action.signing.keybundle import BUNDLE_V03
from mtf_action.signing.policy import IdentityRequirement
from mtf_action.signing.trust import VerifyTrust
from mtf_action.signing.verify import VerificationFailure, verify_statement
from mtf_action.signing.verify_keyless import KeylessVerifier
from sigstore_stack import GITHUB_ISSUER, SigstoreStack

WORKFLOW_URI = f"https://github.com/{REPO}/.github/workflows/release.yml@{TAG}"


def _token(stack: SigstoreStack, **claims: object) -> str:
    # iss=GITHUB_ISSUER: the stack's Fulcio certifies it as the real GitHub Actions issuer.
    return stack.mint_token(
        "github", iss=GITHUB_ISSUER, repository=REPO, ref=TAG, sha=SHA, **claims
    )


def _verifier(stack: SigstoreStack, **requirement: str) -> KeylessVerifier:
    return KeylessVerifier.from_options(
        VerifyTrust(trusted_root=stack.trusted_root_path), IdentityRequirement(**requirement)
    )


def _attest(
    run_cli: Callable[..., Run], tree: Path, out: Path, stack: SigstoreStack, *extra: str
) -> Run:
    return run_cli(
        "attest",
        tree,
        "-o",
        out,
        "--no-vendor",
        "--trust-config",
        stack.trust_config_path,
        "--json",
        *extra,
    )


def test_keyless_release_in_github_actions(
    sigstore_stack: SigstoreStack,
    github_env: dict[str, str],
    tiny: Path,
    tmp_path: Path,
    names: AssetNames,
    run_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MTF_IDENTITY_TOKEN", _token(sigstore_stack))
    out = tmp_path / "out"
    result = _attest(run_cli, tiny, out, sigstore_stack)  # --sign defaults to sigstore here
    assert result.code == 0, result.err
    assert result.summary["signing_mode"] == "sigstore"
    assert result.summary["signer_identity"] == WORKFLOW_URI
    # One certificate for all five signatures (AI-03 payload + four attestations).
    assert sigstore_stack.faults.fulcio.count("POST") == 1
    assert sigstore_stack.faults.rekor.count("POST") == 5
    verifier = _verifier(
        sigstore_stack, repository=REPO, workflow="release.yml", ref="refs/tags/v*"
    )
    found = check_release(out, names, verifier)
    claim = found["claim"]
    assert claim.predicate.signing.mode == "sigstore"
    assert claim.predicate.signing.identity == WORKFLOW_URI
    assert control(claim, "AI-03")[0] == "pass" and control(claim, "PR-03")[0] == "pass"
    provenance = found["provenance_predicate"]
    # Builder id: the certificate's Build Signer URI (the token's job_workflow_ref).
    assert provenance.run_details.builder.id == WORKFLOW_URI
    definition = provenance.build_definition
    assert definition.build_type == "https://github.com/mtf/attest/buildtypes/mcpb/v1"
    assert definition.external_parameters["workflow"] == {
        "ref": TAG,
        "repository": f"https://github.com/{REPO}",
        "path": ".github/workflows/release.yml",
    }
    assert definition.internal_parameters == {
        "github": {
            "event_name": "push",
            "repository_id": "812345678",
            "repository_owner_id": "91234567",
            "runner_environment": "github-hosted",
        }
    }
    assert provenance.source_commits == [SHA]
    assert found["provenance"].signature.source_digest == SHA  # the certificate agrees
    assert found["vsa_predicate"].verified_levels[-1] == "SLSA_BUILD_LEVEL_2"
    # Every bundle is a standard Sigstore bundle v0.3 that sigstore-python reads.
    inside = members(out / names.bundle)
    for data in [inside[EMBEDDED_SIGNATURE]] + [(out / n).read_bytes() for n in names.signatures]:
        assert json.loads(data)["mediaType"] == BUNDLE_V03
        Bundle.from_json(data)


def test_keyless_release_is_rejected_under_another_publisher(
    sigstore_stack: SigstoreStack,
    github_env: dict[str, str],
    tiny: Path,
    tmp_path: Path,
    names: AssetNames,
    run_cli: Callable[..., Run],
) -> None:
    out = tmp_path / "out"
    result = _attest(run_cli, tiny, out, sigstore_stack, "--identity-token", _token(sigstore_stack))
    assert result.code == 0, result.err
    digest = result.summary["bundle"]["sha256"]
    signed = (out / names.provenance).read_bytes()
    for requirement, check in (
        ({"repository": "acme/other"}, "repository"),
        ({"repository": REPO, "ref": "refs/heads/*"}, "ref"),
        ({"repository": REPO, "workflow": "other.yml"}, "workflow"),
    ):
        with pytest.raises(VerificationFailure) as failure:
            verify_statement(
                _verifier(sigstore_stack, **requirement), signed, artifact_sha256=digest
            )
        assert failure.value.check == check


def test_keyless_outside_actions_uses_the_local_builder(
    sigstore_stack: SigstoreStack,
    tiny: Path,
    tmp_path: Path,
    names: AssetNames,
    run_cli: Callable[..., Run],
) -> None:
    token = sigstore_stack.mint_token("email")
    san, issuer = sigstore_stack.identity_of(token)
    out = tmp_path / "out"
    result = _attest(
        run_cli, tiny, out, sigstore_stack, "--sign", "sigstore", "--identity-token", token
    )
    assert result.code == 0, result.err
    found = check_release(out, names, _verifier(sigstore_stack, identity=san, issuer=issuer))
    assert found["claim"].predicate.build.builder_id.endswith("/builders/local@v0.1.0")
    assert "SLSA_BUILD_LEVEL_2" not in found["vsa_predicate"].verified_levels


def _secret_pieces(token: str) -> list[str]:
    header, claims, signature = token.split(".")
    return [token, header, claims, signature]


def _all_output_bytes(out: Path) -> bytes:
    blobs = []
    for path in sorted(out.rglob("*")):
        if path.is_file():
            blobs.append(path.read_bytes())
            if path.suffix == ".mcpb":
                blobs += members(path).values()
    return b"\n".join(blobs)


def test_the_oidc_token_appears_nowhere(
    sigstore_stack: SigstoreStack,
    github_env: dict[str, str],
    tiny: Path,
    tmp_path: Path,
    names: AssetNames,
    run_cli: Callable[..., Run],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = _token(sigstore_stack)
    monkeypatch.setenv("MTF_IDENTITY_TOKEN", token)
    out = tmp_path / "out"
    # A transient Rekor failure on the way: the retry message must not carry it either.
    sigstore_stack.faults.rekor.fail(503, times=1, method="POST")
    result = _attest(run_cli, tiny, out, sigstore_stack, "--debug")
    assert result.code == 0, result.err
    assert sigstore_stack.faults.rekor.pending == 0  # the failure happened and was retried
    check_release(out, names, _verifier(sigstore_stack, repository=REPO))
    haystacks = {
        "outputs": _all_output_bytes(out),
        "stdout": result.out.encode(),
        "stderr": result.err.encode(),
        "logs": caplog.text.encode(),
    }
    for piece in _secret_pieces(token):
        for where, data in haystacks.items():
            assert piece.encode() not in data, f"token segment leaked into {where}"
            assert base64.b64encode(piece.encode()) not in data


def test_a_rejected_token_is_not_echoed(
    sigstore_stack: SigstoreStack,
    github_env: dict[str, str],
    tiny: Path,
    tmp_path: Path,
    run_cli: Callable[..., Run],
) -> None:
    token = _token(sigstore_stack, untrusted_key=True)  # Fulcio refuses its signature
    result = _attest(run_cli, tiny, tmp_path / "out", sigstore_stack, "--identity-token", token)
    assert result.code == 4
    assert "Fulcio" in result.err
    for piece in _secret_pieces(token):
        assert piece not in result.err and piece not in result.out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.mcpb"))


def test_ai03_control_checks_keyless_signatures_under_the_trusted_root(
    sigstore_stack: SigstoreStack,
    github_env: dict[str, str],
    tiny: Path,
    tmp_path: Path,
    names: AssetNames,
    run_cli: Callable[..., Run],
) -> None:
    from mtf_action.scan.context import ScanContext, ScanOptions
    from mtf_action.scan.controls.ai03_signature import BundleSigning
    from mtf_action.scan.controls.pr03_provenance import BuildAttestation
    from mtf_action.scan.result import Status

    out = tmp_path / "out"
    token = _token(sigstore_stack)
    assert _attest(run_cli, tiny, out, sigstore_stack, "--identity-token", token).code == 0
    bundle = out / names.bundle
    for root in (sigstore_stack.trusted_root_path, sigstore_stack.trust_config_path):
        with ScanContext.for_bundle(bundle, ScanOptions(trusted_root=root)) as ctx:
            for control in (BundleSigning(), BuildAttestation()):
                outcome = control.evaluate(ctx)
                assert outcome.status_at(3) is Status.PASS, outcome.findings
                assert outcome.details["mode"] == "sigstore"
    # The default is the production root, which does not know the local Fulcio CA.
    with ScanContext.for_bundle(bundle, ScanOptions()) as ctx:
        outcome = BundleSigning().evaluate(ctx)
    assert [f.rule for f in outcome.findings] == ["signature-invalid"]
    assert outcome.findings[0].description.startswith("certificate:")
