"""One place that turns "how should we sign" into a ready :class:`~.signers.Signer`.

Used by ``mtf-attest attest`` and by the action's release mode, so both sign
the same way. Besides the signer it yields what the scan of the freshly signed
bundle needs to check those signatures: the public key of a key-mode signer,
and for keyless signing the trusted root the signatures were made under.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mtf_action.console import Reporter
from mtf_action.errors import UsageError

if TYPE_CHECKING:  # the signers (DSSE, in-toto, cryptography) load when a signer opens
    from mtf_action.signing.keys import PublicKey
    from mtf_action.signing.signers import Signer, SigningMode

# Keeps the OIDC token out of the process list (``--identity-token`` is visible there).
IDENTITY_TOKEN_ENV = "MTF_IDENTITY_TOKEN"


@dataclass(frozen=True)
class SigningRequest:
    """The signing mode and its options; which options apply depends on ``mode``."""

    mode: SigningMode
    key: Path | None = None  # key: PEM private key
    password_env: str | None = None  # key: variable holding the key's password
    identity_token: str | None = None  # sigstore: explicit OIDC token
    staging: bool = False  # sigstore: Sigstore's staging instance
    trust_config: Path | None = None  # sigstore: client trust config (private instance)

    def __post_init__(self) -> None:
        if self.mode == "key" and self.key is None:
            raise UsageError("key signing needs a private key (make one with `mtf-attest keygen`)")
        if self.mode != "key" and (self.key is not None or self.password_env):
            raise UsageError(f"a private key is only used with key signing (not {self.mode})")
        keyless = self.identity_token or self.staging or self.trust_config
        if self.mode != "sigstore" and keyless:
            raise UsageError("identity token, staging and trust config only apply to sigstore")


@dataclass(frozen=True)
class ReadySigner:
    """An open signer and what a scan needs to check its signatures."""

    signer: Signer
    public_key: PublicKey | None  # key mode
    trusted_root: Path | None  # sigstore: the root (or trust config) it signed under


@contextmanager
def open_signer(
    request: SigningRequest, reporter: Reporter, env: Mapping[str, str] | None = None
) -> Iterator[ReadySigner]:
    """The signer for ``request``, closed (keyless: certificate dropped) on exit.

    ``env``: where ``MTF_IDENTITY_TOKEN`` is looked up (default: this process's).
    """
    from mtf_action.signing.keys import load_private_key
    from mtf_action.signing.signers import KeySigner, NoneSigner

    if request.mode == "none":
        yield ReadySigner(NoneSigner(), None, None)
        return
    if request.mode == "key":
        assert request.key is not None  # checked in SigningRequest
        key = load_private_key(request.key, password_env=request.password_env)
        with KeySigner(key) as signer:
            yield ReadySigner(signer, key.public_key(), None)
        return
    with _keyless(request, reporter, os.environ if env is None else env) as ready:
        yield ready


@contextmanager
def _keyless(
    request: SigningRequest, reporter: Reporter, env: Mapping[str, str]
) -> Iterator[ReadySigner]:
    from mtf_action.signing.sigstore_signer import SigstoreSigner, resolve_identity_token
    from mtf_action.signing.trust import SigningTrust, signing_trust_config

    trust = SigningTrust(staging=request.staging, trust_config=request.trust_config)
    config = signing_trust_config(trust)
    token = resolve_identity_token(request.identity_token or env.get(IDENTITY_TOKEN_ENV))
    with (
        SigstoreSigner(token, config, reporter=reporter) as signer,
        tempfile.TemporaryDirectory(prefix="mtf-attest-root-") as tmp,
    ):
        root = trust.trust_config
        if root is None:
            # The scan checks the new signatures under the root they were made with
            # (sigstore-python has no public serialiser for it; without one the scan
            # falls back to the production root in sigstore's TUF cache).
            inner = getattr(config.trusted_root, "_inner", None)
            if inner is not None and hasattr(inner, "to_json"):
                root = Path(tmp) / "trusted_root.json"
                root.write_text(inner.to_json(), encoding="utf-8")
        yield ReadySigner(signer, None, root)
