"""The MTF claim of a release: the scan's verdict, as a signed in-toto statement.

Why a claim of our own *and* a SLSA VSA (:mod:`.vsa`): the VSA vocabulary has a
verdict, a policy URI and level names, which is what generic policy engines
read; it has nowhere to put per-control statuses, finding counts, the MTF
digests (canonical manifest, SBOM) or the asset names a verifier needs. The
claim carries all of that; the VSA summarises it for tools that only speak SLSA.
"""

from __future__ import annotations

from collections import Counter

from mtf_action import __version__
from mtf_action.attest.assets import claim_bytes
from mtf_action.attest.names import AssetNames
from mtf_action.attest.provenance import BuildContext
from mtf_action.errors import MtfError
from mtf_action.models.claim import (
    Claim,
    ClaimAssets,
    ClaimBuild,
    ClaimControl,
    ClaimDigests,
    ClaimGenerator,
    ClaimLevel,
    ClaimPackage,
    ClaimPredicate,
    ClaimSigning,
    FindingCounts,
    SigningModeName,
)
from mtf_action.scan.engine import ScanResult
from mtf_action.signing.intoto import Statement, Subject, build_statement

GENERATOR = "mtf-attest"


def claim_controls(result: ScanResult) -> tuple[ClaimControl, ...]:
    """Every catalog control, with its status at the evaluated level and finding counts."""
    level = result.level_evaluated
    controls = []
    for item in result.controls:
        counts = Counter(f.severity.value for f in (item.outcome.findings if item.outcome else []))
        controls.append(
            ClaimControl(
                id=item.spec.id,
                name=item.spec.name,
                level=item.spec.level,
                enforcement=item.spec.enforcement.value,
                status=item.status_at(level).value,
                findings=FindingCounts(**counts),
            )
        )
    return tuple(controls)


def build_claim(
    *,
    names: AssetNames,
    package: ClaimPackage,
    digests: ClaimDigests,
    result: ScanResult,
    context: BuildContext,
    source_date_epoch: int,
    mode: SigningModeName,
    identity: str | None,
) -> Claim:
    """The claim statement; signature assets are named only when they are produced."""
    signed = mode != "none"
    return Claim(
        subject=(Subject(name=names.bundle, digest={"sha256": digests.bundle}),),
        predicate=ClaimPredicate(
            package=package,
            level=ClaimLevel(claimed=result.level_claimed, verified=result.level_verified),
            controls=claim_controls(result),
            digests=digests,
            generator=ClaimGenerator(name=GENERATOR, version=__version__),
            build=ClaimBuild(
                builder_id=context.builder_id,
                invocation_id=context.invocation_id,
                source_date_epoch=source_date_epoch,
                commit=context.commit,
            ),
            signing=ClaimSigning(mode=mode, identity=identity if signed else None),
            assets=ClaimAssets(
                bundle=names.bundle,
                sbom=names.sbom,
                hashes=names.hashes,
                provenance=names.provenance if signed else None,
                claim_signature=names.claim_signature if signed else None,
                sbom_attestation=names.sbom_attestation if signed else None,
                vsa=names.vsa if signed else None,
            ),
        ),
    )


def claim_statement(claim: Claim) -> Statement:
    """The claim as a signable statement whose DSSE payload is exactly the claim file."""
    statement = build_statement(
        name=claim.only_subject.name,
        sha256=claim.only_subject.sha256,
        predicate_type=claim.predicate_type,
        predicate=claim.predicate.model_dump(mode="json"),
    )
    if statement.to_bytes() != claim_bytes(claim):  # the invariant verify relies on
        raise MtfError("internal error: the claim statement does not serialise to the claim")
    return statement
