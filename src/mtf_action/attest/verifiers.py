"""Picking a verifier for a Sigstore bundle found in a scan (MTF AI-03, PR-03).

The scan controls check that a signature is cryptographically valid and that
it covers this bundle; *who* signed is a policy question answered by
``mtf-attest verify`` (``--repository``, ``--identity`` or ``--key``). So a
keyless bundle is verified under the trusted root (Fulcio chain, SCT, Rekor
inclusion and signing time) with :class:`AnyIdentity`, and the certificate's
identity is reported rather than judged. A key-mode bundle can only be checked
with the public key the caller supplies (``ScanOptions.public_key``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from cryptography.x509 import Certificate
from sigstore.models import TrustedRoot

from mtf_action.errors import InvalidInputError
from mtf_action.signing.keys import load_public_key
from mtf_action.signing.policy import PolicyMismatch, certificate_sans
from mtf_action.signing.trust import (
    VerifyTrust,
    load_trust_config_file,
    load_trusted_root_file,
    verification_trusted_root,
)
from mtf_action.signing.verify import BundleVerifier
from mtf_action.signing.verify_key import KeyVerifier
from mtf_action.signing.verify_keyless import KeylessVerifier

BundleMode = Literal["key", "sigstore"]


class AnyIdentity:
    """A verification policy that accepts any certificate identity (see module docstring).

    It is not sigstore's ``UnsafeNoOp``: the chain to the trusted Fulcio CA, the
    SCT and the transparency-log entry are still verified by sigstore-python; only
    the question "is this the right signer" is deferred to ``verify``. A
    certificate without any SAN is refused, since it names nobody.
    """

    def verify(self, cert: Certificate) -> None:
        if not certificate_sans(cert):
            raise PolicyMismatch("identity", "the signing certificate names no identity")


def bundle_mode(data: bytes, *, source: str | Path | None = None) -> BundleMode:
    """Whether a Sigstore bundle is signed with a key or a Fulcio certificate."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInputError("not a Sigstore bundle: not JSON", path=source) from None
    material = raw.get("verificationMaterial") if isinstance(raw, dict) else None
    if not isinstance(material, dict):
        raise InvalidInputError("not a Sigstore bundle: no verificationMaterial", path=source)
    return "key" if "publicKey" in material else "sigstore"


def scan_trusted_root(path: Path | None) -> TrustedRoot:
    """The trusted root of ``path`` (a trusted root or a client trust config file).

    Without a path: the production root, offline (sigstore-python's TUF cache,
    else the copy embedded in sigstore-python); the scan never goes online.
    """
    if path is None:
        return verification_trusted_root(VerifyTrust(offline=True))
    try:
        media_type = json.loads(path.read_bytes()).get("mediaType", "")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        media_type = ""
    if "clienttrustconfig" in str(media_type).lower():
        return load_trust_config_file(path).trusted_root
    return load_trusted_root_file(path)


def scan_verifier(
    mode: BundleMode, *, public_key: Path | None, trusted_root: Path | None
) -> BundleVerifier | None:
    """The verifier for a bundle of ``mode``; None when key mode has no key to check with."""
    if mode == "key":
        return KeyVerifier(load_public_key(public_key)) if public_key is not None else None
    return KeylessVerifier(scan_trusted_root(trusted_root), AnyIdentity())
