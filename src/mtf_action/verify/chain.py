"""``verify_release``: every check of the contract, in order, into one :class:`VerificationResult`.

Every check runs even after one failed, so the result names everything that is
wrong, not only the first thing. Exit code: 0 when every check passed or was
skipped; 1 when a check failed on its merits (a signature, digest or level that
does not hold); 3 when the only failures are missing or unreadable inputs. A
tampered bundle that also breaks parsing therefore still exits 1: what matters
is that it is not the bundle that was signed. Errors before any check (usage,
an unreadable bundle path, an unreachable TUF repository) are raised, for the
CLI to turn into exit codes 2, 3 and 4.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Literal

from mtf_action.console import Reporter
from mtf_action.models.verification import (
    CheckName,
    CheckResult,
    VerificationResult,
)
from mtf_action.verify.attestations import check_provenance, check_sbom_attestation, check_vsa
from mtf_action.verify.claim_check import check_claim
from mtf_action.verify.context import VerifyContext
from mtf_action.verify.digest_check import check_bundle_digest
from mtf_action.verify.embedded_check import check_embedded_signature
from mtf_action.verify.level_checks import check_min_level, check_rescan
from mtf_action.verify.options import VerifyOptions, check_options, make_verification
from mtf_action.verify.release import Release
from mtf_action.verify.result import run_check

Check = Callable[[VerifyContext], CheckResult]

# The contract's order (issue 4). The claim runs before the VSA and the levels,
# which read what it verified.
CHECKS: tuple[tuple[CheckName, Check], ...] = (
    ("bundle-digest", lambda ctx: check_bundle_digest(ctx.release)),
    ("provenance", check_provenance),
    ("claim", check_claim),
    ("sbom-attestation", check_sbom_attestation),
    ("vsa", check_vsa),
    ("embedded-signature", check_embedded_signature),
    ("rescan", check_rescan),
    ("min-level", check_min_level),
)


def exit_code_of(checks: list[CheckResult]) -> Literal[0, 1, 3]:
    failed = [c for c in checks if c.failed]
    if not failed:
        return 0
    return 3 if all(c.unreadable for c in failed) else 1


def verify_release(options: VerifyOptions, reporter: Reporter) -> VerificationResult:
    """Verify ``options.bundle`` and its release assets (see the module docstring)."""
    check_options(options)  # usage errors before reading or fetching anything
    with Release(options.bundle, options.assets_dir) as release:
        with reporter.step("loaded the trusted root and the verification policy"):
            verification = make_verification(options)
        ctx = VerifyContext(
            options=options, release=release, verification=verification, reporter=reporter
        )
        results: list[CheckResult] = []
        for name, check in CHECKS:
            reporter.debug(f"check {name}")
            results.append(run_check(name, partial(check, ctx)))
        code = exit_code_of(results)
        return VerificationResult(
            bundle=str(options.bundle),
            bundle_sha256=release.bundle_sha256,
            assets_dir=str(release.assets_dir),
            trust=verification.used,
            verified=code == 0,
            exit_code=code,
            level=ctx.trusted_level() if code == 0 else None,
            checks=results,
        )
