"""The machine-readable result of ``mtf-attest attest`` (``--json``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mtf_action.models.build_summary import BuildSummary, BuiltFile
from mtf_action.models.claim import SigningModeName
from mtf_action.scan.engine import ScanResult


class AttestResult(BaseModel):
    """What was produced, the levels, and whether the run met its requirements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    bundle: BuiltFile
    assets: dict[str, str]  # asset kind -> path of every file written
    signing_mode: SigningModeName
    signer_identity: str | None
    builder_id: str
    level_claimed: int | None
    level_verified: int
    level_required: int | None
    verification_result: str  # the VSA's PASSED / FAILED
    ok: bool  # exit 0: verified >= --level (if given) and >= the claim (if any)
    problems: list[str]  # why ok is false
    warnings: list[str]


def attest_result(
    summary: BuildSummary,
    result: ScanResult,
    *,
    required: int | None,
    mode: SigningModeName,
    identity: str | None,
    builder_id: str,
    verdict: str,
    written: dict[str, str],
) -> AttestResult:
    """The run's result; ``ok`` per the exit-code rule of ``attest``."""
    problems = []
    if required is not None and result.level_verified < required:
        problems.append(f"verified level L{result.level_verified} is below --level {required}")
    claimed = result.level_claimed
    if claimed is not None and result.level_verified < claimed:
        problems.append(f"the manifest claims L{claimed} but L{result.level_verified} was verified")
    return AttestResult(
        name=summary.name,
        version=summary.version,
        bundle=summary.bundle,
        assets=written,
        signing_mode=mode,
        signer_identity=identity,
        builder_id=builder_id,
        level_claimed=claimed,
        level_verified=result.level_verified,
        level_required=required,
        verification_result=verdict,
        ok=not problems,
        problems=problems,
        warnings=list(summary.warnings),
    )
