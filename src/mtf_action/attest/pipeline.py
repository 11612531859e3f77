"""``attest``: build and seal, then provenance, scan, claim, SBOM attestation and VSA.

Order, and why:

1. ``build`` with the :class:`~.seal.Sealer` hook: the AI-03 signature is inside
   the bundle before its digest exists (MTF 5.2.3 ``.sigstore/``);
2. SLSA provenance about the finished bundle (PR-03), written beside it, so that
3. the scan of the sealed bundle sees both signatures (AI-03 and PR-03 count
   toward the level like every other control);
4. the claim records that scan; 5. the SBOM attestation; 6. the VSA.

Every signature comes from the one ``Signer`` (keyless: one Fulcio certificate).
Signature assets left in the output directory by an earlier run for the same
bundle name are removed first: they would describe another bundle.

Steps 2-6 are :func:`attest_built`, shared with :mod:`.prebuilt`, where step 1
seals a bundle that was built elsewhere instead of building one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from mtf_action.attest.assets import claim_bytes
from mtf_action.attest.claim import build_claim, claim_statement
from mtf_action.attest.names import AssetNames, asset_names_for_bundle
from mtf_action.attest.provenance import (
    BuildContext,
    build_context,
    provenance_predicate,
    provenance_statement,
)
from mtf_action.attest.result import AttestResult, attest_result
from mtf_action.attest.seal import Sealer
from mtf_action.attest.vsa import (
    input_attestations,
    sbom_statement,
    vsa_predicate,
    vsa_statement,
)
from mtf_action.build import BuildOptions, build_bundle
from mtf_action.bundle.atomic import atomic_write_bytes
from mtf_action.bundle.naming import DEFAULT_TEMPLATE
from mtf_action.bundle.platform import Platform
from mtf_action.console import Reporter
from mtf_action.models.build_summary import BuildSummary
from mtf_action.models.claim import Claim, ClaimDigests, ClaimPackage
from mtf_action.models.provenance import ResourceDescriptor, VsaPredicate
from mtf_action.scan.context import ScanOptions
from mtf_action.scan.engine import ScanResult
from mtf_action.signing.canonical import sha256_hex
from mtf_action.signing.keys import PublicKey, public_key_pem
from mtf_action.signing.payload import canonical_manifest_sha256
from mtf_action.signing.signers import Signer
from mtf_action.vulns.options import VulnOptions
from mtf_action.vulns.preflight import check_vuln_options, require_reachable


@dataclass(frozen=True)
class AttestOptions:
    source_dir: Path
    output_dir: Path
    vendor: bool = True
    source_date_epoch: int | None = None
    level: int | None = None  # exit 1 unless this level is verified
    # Keyless: the trusted root (or client trust config) the scan checks the new
    # signatures with; None = production (sigstore's TUF cache, refreshed by signing).
    trusted_root: Path | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    # The bundle's file name template and target platform (bundle/naming.py).
    output_name: str = DEFAULT_TEMPLATE
    platform: Platform | None = None
    # SC-02 of the sealed bundle's scan (advisory source, offline databases, VEX...).
    vulns: VulnOptions = field(default_factory=VulnOptions)


@dataclass(frozen=True)
class SealedBundle:
    """Step 1's result: a bundle with the AI-03 signature inside, and how it was made."""

    summary: BuildSummary
    sealer: Sealer
    started: datetime
    finished: datetime
    # Extra inputs for the provenance's resolvedDependencies (a prebuilt bundle).
    inputs: tuple[ResourceDescriptor, ...] = ()


def _now() -> datetime:
    return datetime.now(UTC)


def _write(path: Path, data: bytes, written: dict[str, str], kind: str) -> None:
    atomic_write_bytes(path, data)
    written[kind] = str(path)


def _remove_stale(names: AssetNames, out: Path, reporter: Reporter) -> None:
    for name in (names.claim, *names.signatures):
        stale = out / name
        if stale.is_file():
            stale.unlink()
            reporter.debug(f"removed {stale} from an earlier run")


def _build_signer_uri(signature: bytes | None) -> str | None:
    """The Fulcio Build Signer URI (``${server}/${job_workflow_ref}``) of a keyless bundle."""
    if signature is None:
        return None
    from sigstore.models import Bundle

    from mtf_action.signing.policy import OID_BUILD_SIGNER_URI, extension_text

    cert = Bundle.from_json(signature).signing_certificate
    return extension_text(cert, OID_BUILD_SIGNER_URI)


def _scan(bundle: Path, options: ScanOptions, reporter: Reporter) -> ScanResult:
    from mtf_action.scan.controls import all_controls
    from mtf_action.scan.controls.ai03_signature import BundleSigning
    from mtf_action.scan.controls.pr03_provenance import BuildAttestation
    from mtf_action.scan.engine import run_scan
    from mtf_action.scan.target import open_target

    controls = list(all_controls())
    known = {c.id for c in controls}
    # AI-03 and PR-03 always take part, whether or not the registry lists them yet.
    controls += [c for c in (BundleSigning(), BuildAttestation()) if c.id not in known]
    with (
        open_target(bundle, options, reporter=reporter) as ctx,
        reporter.step(f"scanned the sealed bundle ({len(controls)} controls)"),
    ):
        return run_scan(ctx, controls)


def _slsa_build_l2(context: BuildContext, signer: Signer) -> bool:
    """See :mod:`.vsa`: keyless provenance from a GitHub-hosted runner."""
    return (
        context.github_actions
        and signer.mode == "sigstore"
        and context.runner_environment == "github-hosted"
    )


def attest(
    opts: AttestOptions,
    signer: Signer,
    reporter: Reporter,
    *,
    public_key: PublicKey | None = None,
) -> AttestResult:
    """Produce every release asset for ``opts.source_dir`` (see the module docstring).

    ``public_key``: the key of a key-mode ``signer``, for the scan's AI-03/PR-03 checks.
    """
    check_vuln_options(opts.vulns)  # a bad --vuln-db fails now, not after the build
    started = _now()
    sealer = Sealer(signer)
    summary = build_bundle(
        BuildOptions(
            source_dir=opts.source_dir,
            output_dir=opts.output_dir,
            vendor=opts.vendor,
            source_date_epoch=opts.source_date_epoch,
            env=opts.env,
            seal=sealer,
            output_name=opts.output_name,
            platform=opts.platform,
        ),
        reporter,
    )
    built = SealedBundle(summary, sealer, started, _now())
    return attest_built(built, opts, signer, reporter, public_key=public_key)


def attest_built(
    built: SealedBundle,
    opts: AttestOptions,
    signer: Signer,
    reporter: Reporter,
    *,
    public_key: PublicKey | None = None,
) -> AttestResult:
    """Steps 2-6 for a sealed bundle; ``opts.source_dir`` is the checkout it came from."""
    summary, sealer, started, finished = built.summary, built.sealer, built.started, built.finished
    bundle = Path(summary.bundle.path)
    out = bundle.parent
    names = asset_names_for_bundle(bundle)
    _remove_stale(names, out, reporter)
    written = {"bundle": str(bundle), "sbom": summary.sbom.path, "hashes": summary.hashes.path}
    sealed = sealer.sealed
    assert sealed is not None  # build always calls the hook
    context = build_context(
        opts.env,
        Path(opts.source_dir).resolve(),
        source_date_epoch=summary.source_date_epoch,
        vendor=opts.vendor,
        builder_uri=_build_signer_uri(sealer.signature) if signer.mode == "sigstore" else None,
        vendored_with=summary.vendored_with,
    )
    if built.inputs:
        context = replace(context, dependencies=(*context.dependencies, *built.inputs))
    digest = summary.bundle.sha256
    if signer.signed:
        with reporter.step("signed the SLSA provenance"):
            predicate = provenance_predicate(context, started=started, finished=finished)
            statement = provenance_statement(names.bundle, digest, predicate)
            _write(out / names.provenance, signer.sign_statement(statement), written, "provenance")
    with tempfile.TemporaryDirectory(prefix="mtf-attest-") as tmp:
        key_file = None
        if public_key is not None:
            key_file = Path(tmp) / "signer.pub.pem"
            key_file.write_bytes(public_key_pem(public_key))
        result = _scan(
            bundle,
            # No source_dir: AI-04's rebuild of the tree would lack the .sigstore/
            # members and report the sealed bundle as not reproducible.
            ScanOptions(
                level=opts.level,
                public_key=key_file,
                trusted_root=opts.trusted_root,
                provenance=out / names.provenance,
                vulns=opts.vulns,
            ),
            reporter,
        )
    # Before the claim: a claim must not record a level capped by a source asked to be online.
    require_reachable(result, opts.vulns)
    verified_at = _now()
    claim = build_claim(
        names=names,
        package=ClaimPackage(name=sealed.name, version=sealed.version),
        digests=ClaimDigests(
            bundle=digest,
            manifest=canonical_manifest_sha256(sealed.manifest),
            sbom=sha256_hex(sealed.sbom),
        ),
        result=result,
        context=context,
        source_date_epoch=summary.source_date_epoch,
        mode=signer.mode,
        identity=signer.identity if signer.signed else None,
    )
    data = claim_bytes(claim)
    _write(out / names.claim, data, written, "claim")
    vsa = vsa_predicate(
        resource_uri=names.bundle,
        claimed=result.level_claimed,
        verified=result.level_verified,
        time_verified=verified_at,
        slsa_build_l2=_slsa_build_l2(context, signer),
        inputs=input_attestations(out, names, data) if signer.signed else (),
    )
    if signer.signed:
        with reporter.step("signed the claim, the SBOM attestation and the VSA"):
            _sign_rest(
                signer,
                names,
                out,
                claim=claim,
                sbom=sealed.sbom,
                vsa=vsa,
                digest=digest,
                written=written,
            )
    return attest_result(
        summary,
        result,
        required=opts.level,
        mode=signer.mode,
        identity=signer.identity if signer.signed else None,
        builder_id=context.builder_id,
        verdict=vsa.verification_result,
        written=written,
    )


def _sign_rest(
    signer: Signer,
    names: AssetNames,
    out: Path,
    *,
    claim: Claim,
    sbom: bytes,
    vsa: VsaPredicate,
    digest: str,
    written: dict[str, str],
) -> None:
    signed_claim = signer.sign_statement(claim_statement(claim))
    _write(out / names.claim_signature, signed_claim, written, "claim_signature")
    signed_sbom = signer.sign_statement(sbom_statement(names, digest, sbom))
    _write(out / names.sbom_attestation, signed_sbom, written, "sbom_attestation")
    signed_vsa = signer.sign_statement(vsa_statement(names.bundle, digest, vsa))
    _write(out / names.vsa, signed_vsa, written, "vsa")
