"""Keyless signing through sigstore-python (MTF 5.2.1, "Sigstore keyless (Preferred)").

Flow: an OIDC token (``--identity-token`` or the ambient GitHub Actions credential
via ``sigstore.oidc.detect_credential``) -> ``IdentityToken`` -> one ephemeral
key and Fulcio certificate per signer (``SigningContext.signer(token,
cache=True)``), reused for every signature of the release -> each signature
logged in Rekor (v1 by default, see :mod:`.trust`).

Robustness: Fulcio (certificate) and Rekor (log entry) calls are retried per
:class:`~mtf_action.signing.retry.RetryPolicy`; a request that hangs is cut by
a client timeout that sigstore-python does not set itself. Secrecy: the raw
token is scrubbed from every error this module raises and from log records
while a signing call runs (:func:`~mtf_action.signing.retry.scrubbed_logging`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from typing import Any, TypeVar

import requests
from cryptography.x509 import Certificate
from requests.adapters import HTTPAdapter
from sigstore import dsse as sigstore_dsse
from sigstore._internal.fulcio import ExpiredCertificate
from sigstore.models import ClientTrustConfig
from sigstore.oidc import ExpiredIdentity, IdentityError, IdentityToken
from sigstore.sign import Signer as SigstoreClientSigner
from sigstore.sign import SigningContext

from mtf_action.console import Reporter
from mtf_action.errors import (
    InvalidInputError,
    MtfError,
    RemoteServiceError,
    UsageError,
)
from mtf_action.signing.intoto import Statement
from mtf_action.signing.oidc import SIGSTORE_AUDIENCE, ambient_oidc_token
from mtf_action.signing.policy import certificate_sans
from mtf_action.signing.retry import RetryPolicy, call_with_retry, describe, scrubbed_logging
from mtf_action.signing.signers import Signer, SigningMode
from mtf_action.signing.trust import SigningTrust, signing_trust_config

T = TypeVar("T")
HTTP_TIMEOUT = 60.0  # seconds per request; Rekor v1 answers in well under a second


def resolve_identity_token(explicit: str | None) -> str:
    """``explicit`` if given, else the ambient credential (GitHub Actions OIDC)."""
    if explicit:
        return explicit.strip()
    raw = ambient_oidc_token(SIGSTORE_AUDIENCE)
    if not raw:
        raise UsageError(
            "keyless signing needs an OIDC identity token: pass --identity-token, or run in "
            "GitHub Actions with `permissions: id-token: write`"
        )
    return raw


class _TimeoutAdapter(HTTPAdapter):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


def _bound_timeouts(context: SigningContext, timeout: float) -> None:
    # sigstore-python's Fulcio and Rekor sessions have no timeout: a stalled server
    # would hang the release job. These are private attributes, hence the getattr
    # guards: if they move, we lose the bound, not the ability to sign.
    sessions = [getattr(getattr(context, "_fulcio", None), "session", None)]
    rekor = getattr(context, "_rekor", None)
    with suppress(Exception):  # best effort only: the property creates the session
        sessions.append(getattr(rekor, "_session", None))
    for session in sessions:
        if isinstance(session, requests.Session):
            adapter = _TimeoutAdapter(timeout)
            session.mount("https://", adapter)
            session.mount("http://", adapter)


class SigstoreSigner(Signer):
    """Keyless signer: Fulcio certificate for the token's identity, Rekor log entries."""

    mode: SigningMode = "sigstore"

    def __init__(
        self,
        token: str,
        trust_config: ClientTrustConfig,
        *,
        retry: RetryPolicy | None = None,
        reporter: Reporter | None = None,
        http_timeout: float = HTTP_TIMEOUT,
    ) -> None:
        self._raw = token
        self._retry = retry or RetryPolicy()
        self._reporter = reporter
        self._stack = ExitStack()
        self._client: SigstoreClientSigner | None = None
        with self._guard("identity token"):
            try:
                self._token = IdentityToken(token)
            except IdentityError as exc:
                raise InvalidInputError(f"identity token rejected: {exc}") from None
        with self._guard("signing config"):
            self._context = SigningContext.from_trust_config(trust_config)
        _bound_timeouts(self._context, http_timeout)

    @classmethod
    def from_options(
        cls,
        *,
        identity_token: str | None,
        trust: SigningTrust | None = None,
        retry: RetryPolicy | None = None,
        reporter: Reporter | None = None,
    ) -> SigstoreSigner:
        token = resolve_identity_token(identity_token)
        return cls(
            token, signing_trust_config(trust or SigningTrust()), retry=retry, reporter=reporter
        )

    # -- plumbing ----------------------------------------------------------------
    @contextmanager
    def _guard(self, service: str) -> Iterator[None]:
        """Scrub logs; turn foreign exceptions into one token-free ``MtfError`` line."""
        secrets = [self._raw]
        with scrubbed_logging(secrets):
            try:
                yield
            except MtfError as exc:
                exc.message = describe(Exception(exc.message), secrets)
                raise
            except ExpiredIdentity:
                raise InvalidInputError("the OIDC identity token has expired") from None
            except ExpiredCertificate:
                raise RemoteServiceError(
                    "the Fulcio signing certificate expired before signing finished (its "
                    "lifetime is about 10 minutes); sign again"
                ) from None
            except Exception as exc:  # noqa: BLE001 - see below
                # sigstore's Fulcio/Rekor client errors are plain Exceptions; whatever
                # fails here leaves as one scrubbed line, without the original chain
                # (whose texts could hold the token) attached.
                raise RemoteServiceError(f"{service}: {describe(exc, secrets)}") from None

    def _call(self, service: str, action: Callable[[], T]) -> T:
        with self._guard(service):
            return call_with_retry(
                service,
                action,
                policy=self._retry,
                secrets=[self._raw],
                on_retry=self._reporter.warn if self._reporter else None,
            )

    def _signer(self) -> SigstoreClientSigner:
        if self._client is None:

            def enter() -> SigstoreClientSigner:
                # cache=True: the certificate is requested here, once, from Fulcio.
                return self._stack.enter_context(self._context.signer(self._token, cache=True))

            self._client = self._call("Fulcio", enter)
        return self._client

    # -- Signer --------------------------------------------------------------------
    @property
    def identity(self) -> str:
        """The certificate's SAN (requests the certificate if not done yet)."""
        client = self._signer()
        cert_of = getattr(client, "_signing_cert", None)  # private: the cached certificate
        with self._guard("Fulcio"):
            cert = cert_of() if callable(cert_of) else None
        sans = certificate_sans(cert) if isinstance(cert, Certificate) else []
        return sans[0] if sans else self._token.identity

    def sign_blob(self, data: bytes) -> bytes:
        client = self._signer()
        bundle = self._call("Rekor", lambda: client.sign_artifact(data))
        return bundle.to_json().encode()

    def sign_statement(self, statement: Statement) -> bytes:
        client = self._signer()
        # The exact bytes we serialised (RFC 8785) become the DSSE payload.
        wrapped = sigstore_dsse.Statement(statement.to_bytes())
        bundle = self._call("Rekor", lambda: client.sign_dsse(wrapped))
        return bundle.to_json().encode()

    def close(self) -> None:
        self._client = None
        self._stack.close()
