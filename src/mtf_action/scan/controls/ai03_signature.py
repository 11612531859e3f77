"""AI-03 Bundle Signing (MTF-0.1 sections 3.2 and 5.1), an L3 control.

What the scan checks on the embedded signature (``.sigstore/mtf-payload.json`` and
``.sigstore/mtf-payload.sigstore.json``, as ``mtf-attest attest`` seals them):

* both members are present ("Missing signature at L3+": BLOCK);
* the payload is an MTF 5.1 ``bundle_signature`` payload in RFC 8785 form, and
  its name, version, canonical manifest hash and SBOM hash are this bundle's
  ("Payload hash mismatch": BLOCK);
* the signature over the payload bytes is valid ("Invalid signature": BLOCK):
  keyless under the trusted root (``ScanOptions.trusted_root``, default the
  offline production root), key mode with ``ScanOptions.public_key`` (without
  it the signature cannot be checked, which blocks like a missing one);
* the payload's ``signer_identity`` is the one that signed (the certificate SAN
  or the key fingerprint).

"Signer not authorized for package" needs a publisher policy, which a scan does
not have: the identity is reported (``info``) and ``mtf-attest verify`` judges
it. Every BLOCK row blocks from L3, the control's level, like the other
controls; tampering rows are ``critical`` so they show at every level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from mtf_action.attest.embedded import (
    EMBEDDED_PAYLOAD,
    EMBEDDED_SIGNATURE,
    OTHER_LOCATIONS,
    payload_mismatches,
)
from mtf_action.errors import InvalidInputError, ManifestError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.signing.payload import BundleSignaturePayload, parse_payload

if TYPE_CHECKING:
    from mtf_action.signing.verify import SignatureCheck

LEVEL = 3
SBOM_MEMBER = "sbom.cdx.json"
_ATTEST = "sign the bundle with `mtf-attest attest --sign sigstore` (or --sign key --key K)"


class BundleSigning(Control):
    """AI-03: a signature inside the bundle binds its manifest and SBOM to a signer."""

    id: ClassVar[str] = "AI-03"

    def _block(
        self,
        rule: str,
        severity: Severity,
        title: str,
        text: str,
        fix: str = _ATTEST,
        *,
        file: str | None = EMBEDDED_PAYLOAD,
    ) -> Finding:
        # Findings about a member that is absent name no file: code scanning
        # cannot place a result on a file that does not exist (it lands on the
        # manifest instead).
        return self.finding(
            rule, severity, title, text, blocks_at=LEVEL, file=file, remediation=fix
        )

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        has_payload, has_signature = ctx.has(EMBEDDED_PAYLOAD), ctx.has(EMBEDDED_SIGNATURE)
        if not (has_payload or has_signature):
            return ControlOutcome(findings=[self._missing(ctx)], details={"signed": False})
        if not (has_payload and has_signature):
            absent = EMBEDDED_SIGNATURE if has_payload else EMBEDDED_PAYLOAD
            finding = self._block(
                "signature-incomplete",
                Severity.HIGH,
                "Embedded signature incomplete",
                f"{absent} is missing; the payload and its Sigstore bundle go together",
                file=EMBEDDED_PAYLOAD if has_payload else EMBEDDED_SIGNATURE,
            )
            return ControlOutcome(findings=[finding], details={"signed": False})
        payload_bytes = ctx.read_bytes(EMBEDDED_PAYLOAD)
        try:
            payload = parse_payload(payload_bytes, source=EMBEDDED_PAYLOAD)
        except InvalidInputError as exc:
            finding = self._block(
                "payload-invalid", Severity.HIGH, "Signed payload invalid", exc.message
            )
            return ControlOutcome(findings=[finding], details={"signed": False})
        details: dict[str, Any] = {
            "signed": True,
            "payload": EMBEDDED_PAYLOAD,
            "signer_identity": payload.signer_identity,
            "timestamp": payload.timestamp,
        }
        findings = self._coverage(ctx, payload)
        findings += self._signature(ctx, payload, payload_bytes, details)
        return ControlOutcome(findings=findings, details=details)

    def _missing(self, ctx: ScanContext) -> Finding:
        others = [name for name in OTHER_LOCATIONS if ctx.has(name)]
        others += [f for f in ctx.files if f.startswith(".sigstore/")]
        if others:
            text = (
                f"found {', '.join(others)}, but no MTF 5.1 payload ({EMBEDDED_PAYLOAD}) "
                "covering the manifest and SBOM hashes, as AI-03 requires"
            )
        else:
            text = "the bundle carries no signature (MTF AI-03: BLOCK at L3+)"
        return self._block(
            "signature-missing", Severity.MEDIUM, "Bundle not signed", text, file=None
        )

    def _coverage(self, ctx: ScanContext, payload: BundleSignaturePayload) -> list[Finding]:
        try:
            loaded = ctx.loaded_manifest()
        except ManifestError as exc:
            return [
                self._block(
                    "payload-manifest-unreadable",
                    Severity.HIGH,
                    "Signed manifest unreadable",
                    exc.one_line(),
                )
            ]
        raw = loaded.raw
        name, version = raw.get("name"), raw.get("version")
        sbom = ctx.read_bytes(SBOM_MEMBER) if ctx.has(SBOM_MEMBER) else None
        try:
            mismatches = payload_mismatches(
                payload,
                name=name if isinstance(name, str) else None,
                version=version if isinstance(version, str) else None,
                manifest=loaded.data,
                sbom=sbom,
            )
        except InvalidInputError as exc:  # a manifest that has no RFC 8785 form
            return [
                self._block(
                    "payload-manifest-unreadable",
                    Severity.HIGH,
                    "No canonical manifest",
                    exc.message,
                )
            ]
        return [
            self._block(
                m.rule,
                Severity.CRITICAL,
                "Signed payload does not match the bundle",
                m.description,
                fix="the bundle changed after signing: rebuild and sign it again",
            )
            for m in mismatches
        ]

    def _signature(
        self,
        ctx: ScanContext,
        payload: BundleSignaturePayload,
        payload_bytes: bytes,
        details: dict[str, Any],
    ) -> list[Finding]:
        # Imported here: sigstore's models and the in-toto protobufs cost ~0.2 s
        # at start-up and most scans (unsigned bundles, source trees) never get this far.
        from mtf_action.attest.verifiers import bundle_mode, scan_verifier
        from mtf_action.signing.verify import VerificationFailure

        bundle = ctx.read_bytes(EMBEDDED_SIGNATURE)
        try:
            mode = bundle_mode(bundle, source=EMBEDDED_SIGNATURE)
        except InvalidInputError as exc:
            return [
                self._block("signature-invalid", Severity.HIGH, "Invalid signature", exc.message)
            ]
        details["mode"] = mode
        verifier = scan_verifier(
            mode, public_key=ctx.options.public_key, trusted_root=ctx.options.trusted_root
        )
        if verifier is None:
            return [
                self._block(
                    "signature-not-verified",
                    Severity.MEDIUM,
                    "Signature not verified",
                    "the bundle is signed with a long-lived key; without its public key the "
                    "signature cannot be checked",
                    fix="pass the signer's public key (PEM) to check the signature",
                )
            ]
        try:
            check = verifier.verify_blob(payload_bytes, bundle, source=EMBEDDED_SIGNATURE)
        except VerificationFailure as exc:
            return [
                self._block(
                    "signature-invalid",
                    Severity.CRITICAL,
                    "Invalid signature",
                    f"{exc.check}: {exc.reason}",
                    fix="the signature does not verify: rebuild and sign the bundle again",
                )
            ]
        except InvalidInputError as exc:
            return [
                self._block("signature-invalid", Severity.HIGH, "Invalid signature", exc.message)
            ]
        details.update(_describe(check))
        if check.signer_identity != payload.signer_identity:
            return [
                self._block(
                    "signer-identity-mismatch",
                    Severity.CRITICAL,
                    "Signer identity differs from the payload",
                    f"the payload names {payload.signer_identity!r}, but "
                    f"{check.signer_identity!r} signed it",
                )
            ]
        return [
            self.finding(
                "signer-identity",
                Severity.INFO,
                "Signature valid",
                f"signed by {check.signer_identity} ({mode}); whether this signer may "
                "publish the package is checked by `mtf-attest verify` with a publisher policy",
                blocks_at=None,
                file=EMBEDDED_SIGNATURE,
            )
        ]


def _describe(check: SignatureCheck) -> dict[str, Any]:
    return {
        "verified_identity": check.signer_identity,
        "issuer": check.issuer,
        "transparency_log": check.transparency_log,
        "log_index": check.log_index,
    }
