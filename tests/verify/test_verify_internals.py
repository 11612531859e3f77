"""Pieces of verify that the end-to-end tests reach only on paths they cannot take offline."""

from __future__ import annotations

import json
from pathlib import Path

from release_kit import KeyMaterial, ReleaseDir, quiet, rezip

from mtf_action.attest.embedded import EMBEDDED_SIGNATURE
from mtf_action.models.verification import CheckResult
from mtf_action.signing.policy import IdentityRequirement
from mtf_action.signing.trust import VerifyTrust, load_trusted_root_file
from mtf_action.verify import VerifyOptions, verify_release
from mtf_action.verify.chain import exit_code_of
from mtf_action.verify.context import VerifyContext
from mtf_action.verify.level_checks import _scan_trusted_root
from mtf_action.verify.options import make_verification
from mtf_action.verify.release import Release


def test_rescan_trusts_the_root_verify_obtained(
    key_release: ReleaseDir, production_root: Path
) -> None:
    # With a TUF-refreshed, --offline or --staging root there is no file to hand to the
    # scan: verify writes the root it obtained, so both judge signatures the same way.
    options = VerifyOptions(
        bundle=key_release.bundle,
        trust=VerifyTrust(offline=True),
        identity=IdentityRequirement(repository="acme/clock"),
    )
    verification = make_verification(options)
    with Release(key_release.bundle) as release:
        ctx = VerifyContext(options, release, verification, quiet())
        with _scan_trusted_root(ctx) as path:
            assert path is not None and path.name == "trusted_root.json"
            written = load_trusted_root_file(path)
            kept = path
        assert not kept.exists()  # private and temporary
    embedded = json.loads(production_root.read_bytes())
    assert {t["baseUrl"] for t in embedded["tlogs"]} == {t.base_url for t in written._inner.tlogs}


def test_rescan_uses_a_pinned_root_file_as_is(
    key_release: ReleaseDir, production_root: Path
) -> None:
    options = VerifyOptions(
        bundle=key_release.bundle,
        trust=VerifyTrust(trusted_root=production_root),
        identity=IdentityRequirement(repository="acme/clock"),
    )
    with Release(key_release.bundle) as release:
        ctx = VerifyContext(options, release, make_verification(options), quiet())
        with _scan_trusted_root(ctx) as path:
            assert path == production_root


def test_ai03_malformed_embedded_signature_is_a_failure_not_unreadable_input(
    key_release: ReleaseDir, key_material: KeyMaterial
) -> None:
    rezip(key_release, {EMBEDDED_SIGNATURE: b"not json"})
    result = verify_release(
        VerifyOptions(bundle=key_release.bundle, key=key_material.public), quiet()
    )
    check = result.check("embedded-signature")
    assert (check.status, check.cause, check.unreadable) == ("fail", "bundle", False)
    assert f"acme-clock-1.0.0.mcpb!{EMBEDDED_SIGNATURE}: not a Sigstore bundle" in check.reason
    assert result.exit_code == 1


def _check(status: str, unreadable: bool = False) -> CheckResult:
    return CheckResult(
        name="claim",
        status=status,
        reason="r",
        cause="c" if status == "fail" else None,
        unreadable=unreadable,  # type: ignore[arg-type]
    )


def test_exit_code_prefers_a_verification_failure_over_unreadable_input() -> None:
    assert exit_code_of([_check("pass"), _check("skip")]) == 0
    assert exit_code_of([_check("pass"), _check("fail", unreadable=True)]) == 3
    assert exit_code_of([_check("fail"), _check("fail", unreadable=True)]) == 1
