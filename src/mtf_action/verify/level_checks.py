"""Checks ``rescan`` and ``min-level``: the MTF level a consumer may rely on.

``rescan`` (with ``--rescan``) runs every registered control on the bundle
itself, with the key or trusted root verify uses, so AI-03 and PR-03 are
evaluated against the same trust (their identity is judged by the other checks,
not by the scan), and SC-02 with the vulnerability options verify was given
(``--vuln-db``...). The signed claim's verified level must not exceed the level
the rescan computes: a publisher, or a compromised builder, cannot sign its
way to a level the bundle does not reach.

``min-level`` (with ``--min-level N``) needs the verified claim: its level,
lowered to the rescan's when one ran, must be at least N.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mtf_action.models.verification import CheckResult
from mtf_action.scan.catalog import Enforcement
from mtf_action.scan.context import ScanOptions
from mtf_action.scan.controls import registered
from mtf_action.scan.engine import ScanResult, run_scan
from mtf_action.scan.target import open_target
from mtf_action.verify.context import VerifyContext
from mtf_action.verify.result import CheckFailed, passed, skipped
from mtf_action.vulns.preflight import require_reachable


@contextmanager
def _scan_trusted_root(ctx: VerifyContext) -> Iterator[Path | None]:
    """A trusted-root file for the scan: the one verify was given, else verify's own root.

    Without a file (TUF refresh, ``--offline``, ``--staging``) the root verify
    obtained is written to a private temporary file, so the scan trusts exactly
    what verify trusts. sigstore-python's ``TrustedRoot`` has no public
    serialiser; its protobuf-specs model (``_inner``) is the document itself.
    """
    trust = ctx.options.trust
    root = ctx.verification.trusted_root
    if trust.trusted_root is not None or trust.trust_config is not None:
        yield trust.trusted_root or trust.trust_config
        return
    if root is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="mtf-verify-root-") as tmp:
        path = Path(tmp) / "trusted_root.json"
        path.write_text(root._inner.to_json(), encoding="utf-8")
        yield path


def _rescan(ctx: VerifyContext) -> ScanResult:
    release = ctx.release
    provenance = release.asset_path("provenance")
    with _scan_trusted_root(ctx) as root:
        options = ScanOptions(
            public_key=ctx.verification.public_key,
            trusted_root=root,
            provenance=provenance if provenance.is_file() else None,
            vulns=ctx.options.vulns,
        )
        with ctx.reporter.step("rescanned the bundle with every registered control"):
            scan = open_target(release.bundle_path, options, reporter=ctx.reporter)
            with scan:
                result = run_scan(scan, registered())
    require_reachable(result, options.vulns)  # exit 4 for the run, not a verdict
    return result


def _blockers(result: ScanResult, level: int) -> list[str]:
    """Scanner-enforced controls required at ``level`` that the rescan did not satisfy."""
    return [
        f"{e.spec.id} ({e.status_at(level).value})"
        for e in result.controls
        if e.spec.enforcement is Enforcement.SCANNER
        and e.spec.level <= level
        and not e.satisfied_at(level)
    ]


def check_rescan(ctx: VerifyContext) -> CheckResult:
    if not ctx.options.rescan:
        return skipped("rescan", "not requested (--rescan recomputes the level from the bundle)")
    result = _rescan(ctx)
    level = result.level_verified
    ctx.rescan_level = level
    claim = ctx.claim
    if claim is None:
        raise CheckFailed(
            "no-claim",
            f"the rescan verifies MTF level {level}, but there is no verified claim to "
            "compare it with",
            rescan_level=level,
        )
    claimed = claim.predicate.level.verified
    if claimed > level:
        blockers = _blockers(result, claimed)
        raise CheckFailed(
            "level",
            f"the claim says MTF level {claimed} was verified, a rescan of the bundle "
            f"verifies level {level}"
            + (f" (not satisfied at level {claimed}: {', '.join(blockers)})" if blockers else ""),
            rescan_level=level,
            claim_level=claimed,
            blockers=blockers,
        )
    return passed(
        "rescan",
        f"a rescan verifies MTF level {level}; the claim's level {claimed} does not exceed it",
        rescan_level=level,
        claim_level=claimed,
    )


def check_min_level(ctx: VerifyContext) -> CheckResult:
    wanted = ctx.options.min_level
    if wanted is None:
        return skipped("min-level", "no minimum requested (--min-level N)")
    level = ctx.trusted_level()
    if level is None:
        raise CheckFailed(
            "no-level", f"no verified MTF level (the claim did not verify); required {wanted}"
        )
    if level < wanted:
        raise CheckFailed(
            "level",
            f"the verified MTF level is {level}, below the required {wanted}",
            level=level,
            required=wanted,
        )
    return passed(
        "min-level", f"verified MTF level {level} meets the required {wanted}", level=level
    )
