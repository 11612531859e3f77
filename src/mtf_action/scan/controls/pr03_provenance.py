"""PR-03 Build Attestation (MTF-0.1 sections 3.6 and 5.3), an L3 control.

The attestation is a Sigstore bundle (DSSE) of an in-toto statement whose single
subject is the bundle itself, so it cannot live *inside* the bundle it
describes: it is ``ScanOptions.provenance`` (``--provenance FILE``) or, by
default, ``<bundle>.provenance.sigstore.json`` beside the scanned bundle (the
name ``mtf-attest attest`` writes). Checks, with the spec's severity table:

* missing attestation at L3+: BLOCK;
* invalid attestation signature: BLOCK (keyless under the trusted root, key
  mode with ``ScanOptions.public_key``; without the key it cannot be checked);
* attestation subject mismatch (its sha256 is not this bundle's): BLOCK;
* not SLSA Provenance v1, or no builder id ("unknown builder"): BLOCK;
* missing source commit (no ``gitCommit`` among resolvedDependencies): WARN.

Which builders and identities are *trusted* is a publisher policy: the builder
and the signer are reported (``info``) and ``mtf-attest verify`` judges them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from mtf_action.errors import InvalidInputError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.result import ControlOutcome, Finding, Severity

if TYPE_CHECKING:
    from mtf_action.signing.verify import BundleVerifier

LEVEL = 3
MAX_ATTESTATION = 32 * 1024 * 1024
_ATTEST = "produce one with `mtf-attest attest` and publish it beside the bundle"
_RULES = {"subject": "subject-mismatch", "predicate-type": "not-slsa-provenance"}


def provenance_path(ctx: ScanContext) -> Path | None:
    """Where the attestation is looked for (see the module docstring)."""
    if ctx.options.provenance is not None:
        return ctx.options.provenance
    if ctx.kind == "bundle" and ctx.bundle_path is not None:
        from mtf_action.attest.names import asset_names_for_bundle

        return ctx.bundle_path.with_name(asset_names_for_bundle(ctx.bundle_path).provenance)
    return None


class BuildAttestation(Control):
    """PR-03: signed SLSA provenance about exactly this bundle, linking it to a commit."""

    id: ClassVar[str] = "PR-03"

    def _block(
        self, rule: str, severity: Severity, title: str, text: str, file: str | None
    ) -> Finding:
        return self.finding(
            rule, severity, title, text, blocks_at=LEVEL, file=file, remediation=_ATTEST
        )

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        path = provenance_path(ctx)
        details: dict[str, Any] = {"attestation": str(path) if path else None}
        if path is None or not path.is_file():
            where = f"no {path.name} beside the bundle" if path else "no attestation given"
            if ctx.options.provenance is not None:
                where = f"{path} does not exist"
            finding = self._block(
                "attestation-missing",
                Severity.MEDIUM,
                "No build attestation",
                f"{where} (MTF PR-03: SLSA provenance required at L3+)",
                file=None,  # nothing to point at: the attestation does not exist
            )
            return ControlOutcome(findings=[finding], details=details)
        # Imported here: sigstore, the in-toto protobufs and the provenance models
        # cost ~0.2 s at start-up; most scans have no attestation.
        from mtf_action.attest.verifiers import bundle_mode, scan_verifier

        try:
            data = _read(path)
            mode = bundle_mode(data, source=path)
        except InvalidInputError as exc:
            return ControlOutcome(findings=[self._unreadable(exc, path)], details=details)
        details["mode"] = mode
        # An unusable --public-key or trusted root is the caller's input problem:
        # it propagates and the engine reports the control as an error.
        verifier = scan_verifier(
            mode, public_key=ctx.options.public_key, trusted_root=ctx.options.trusted_root
        )
        if verifier is None:
            finding = self._block(
                "attestation-not-verified",
                Severity.MEDIUM,
                "Attestation signature not verified",
                "the attestation is signed with a long-lived key; without its public key "
                "the signature cannot be checked",
                path.name,
            )
            return ControlOutcome(findings=[finding], details=details)
        try:
            findings = self._verified(ctx, verifier, path, data, details)
        except InvalidInputError as exc:
            findings = [self._unreadable(exc, path)]
        return ControlOutcome(findings=findings, details=details)

    def _unreadable(self, exc: InvalidInputError, path: Path) -> Finding:
        return self._block(
            "attestation-invalid", Severity.HIGH, "Unreadable attestation", exc.message, path.name
        )

    def _verified(
        self,
        ctx: ScanContext,
        verifier: BundleVerifier,
        path: Path,
        data: bytes,
        details: dict[str, Any],
    ) -> list[Finding]:
        from mtf_action.attest.assets import SLSA_PROVENANCE_V1, load_provenance_predicate
        from mtf_action.signing.verify import VerificationFailure, verify_statement

        if not ctx.bundle_sha256:
            raise InvalidInputError("the scanned target has no digest to compare with")
        try:
            verified = verify_statement(
                verifier,
                data,
                artifact_sha256=ctx.bundle_sha256,
                source=path.name,
                predicate_type=SLSA_PROVENANCE_V1,
            )
        except VerificationFailure as exc:
            rule = _RULES.get(str(exc.check), "signature-invalid")
            title = {
                "subject-mismatch": "Attestation subject mismatch",
                "not-slsa-provenance": "Not SLSA Provenance v1",
            }.get(rule, "Invalid attestation signature")
            return [self._block(rule, Severity.CRITICAL, title, exc.reason, path.name)]
        mode = details.get("mode")
        predicate = load_provenance_predicate(verified.statement.predicate, source=path.name)
        builder = predicate.run_details.builder.id
        details.update(
            signer_identity=verified.signature.signer_identity,
            builder_id=builder,
            build_type=predicate.build_definition.build_type,
            source_commits=predicate.source_commits,
        )
        findings = [
            self.finding(
                "attestation-valid",
                Severity.INFO,
                "Build attestation valid",
                f"SLSA Provenance v1 for this bundle from builder {builder}, signed by "
                f"{verified.signature.signer_identity} ({mode}); whether that builder and "
                "signer are trusted is checked by `mtf-attest verify`",
                blocks_at=None,
                file=path.name,
            )
        ]
        if not predicate.source_commits:
            findings.append(
                self.finding(
                    "source-commit-missing",
                    Severity.LOW,
                    "No source commit in the attestation",
                    "no resolvedDependencies entry carries a gitCommit digest, so the bundle "
                    "is not linked to a source commit (MTF PR-03: WARN)",
                    blocks_at=None,
                    file=path.name,
                    remediation="attest from a git checkout (or in GitHub Actions)",
                )
            )
        return findings


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_ATTESTATION + 1)
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror}", path=path) from None
    if len(data) > MAX_ATTESTATION:
        raise InvalidInputError("attestation is larger than 32 MiB", path=path)
    return data
