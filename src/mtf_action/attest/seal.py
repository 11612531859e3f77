"""The ``BuildOptions.seal`` hook of ``attest``: MTF AI-03 signed inside the bundle.

Called by ``build`` after the SBOM exists and before the archive is written, it
builds the MTF 5.1 payload over the exact manifest and SBOM bytes that will be
packed, signs its RFC 8785 bytes, and returns both as ``.sigstore/`` members.

The payload's timestamp is the signing time (UTC, seconds), so two signed runs
give different bundle digests; an unsigned run (``--sign none``) adds nothing
and the bundle stays byte-for-byte reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from mtf_action.attest.embedded import EMBEDDED_PAYLOAD, EMBEDDED_SIGNATURE
from mtf_action.build import SealInput
from mtf_action.bundle.model import BundleEntry
from mtf_action.signing.payload import BundleSignaturePayload, build_payload
from mtf_action.signing.signers import Signer


def _now() -> datetime:
    return datetime.now(UTC)


class Sealer:
    """Signs the AI-03 payload with ``signer`` and remembers what it sealed."""

    def __init__(self, signer: Signer, *, clock: Callable[[], datetime] = _now) -> None:
        self._signer = signer
        self._clock = clock
        self.sealed: SealInput | None = None
        self.payload: BundleSignaturePayload | None = None
        self.signature: bytes | None = None

    def __call__(self, item: SealInput) -> list[BundleEntry]:
        self.sealed = item
        if not self._signer.signed:
            return []
        payload = build_payload(
            name=item.name,
            version=item.version,
            manifest=item.manifest,
            sbom=item.sbom,
            signer_identity=self._signer.identity,
            timestamp=self._clock(),
        )
        data = payload.canonical_bytes()
        signature = self._signer.sign_blob(data)
        self.payload, self.signature = payload, signature
        return [
            BundleEntry(arcname=EMBEDDED_PAYLOAD, data=data, size=len(data)),
            BundleEntry(arcname=EMBEDDED_SIGNATURE, data=signature, size=len(signature)),
        ]
