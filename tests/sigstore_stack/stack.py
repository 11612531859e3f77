"""The whole local Sigstore instance: OIDC issuers, CT log, Fulcio and Rekor on 127.0.0.1.

`SigstoreStack.start()` makes fresh keys and a fresh CA, starts the four services, and
writes ``trusted_root.json``, ``signing_config.json`` and ``trust_config.json`` into its
work directory. sigstore-python then signs with
``SigningContext.from_trust_config(ClientTrustConfig.from_json(stack.trust_config_json))``
and verifies with ``Verifier(trusted_root=TrustedRoot.from_file(stack.trusted_root_path))``.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from . import ct, fulcio, oidc, rekor, trust
from .ca import CertificateAuthority
from .fulcio import Fulcio, IssuerConfig
from .identity import principal_from_claims
from .oidc import ACTIONS_TOKEN_PATH, GITHUB_ISSUER, OIDCService, TokenKind
from .rekor import RekorLog
from .server import FaultInjector, HttpError, HttpService, Request, Response

REKOR_HOSTNAME = "rekor.sigstore.test"  # the checkpoint origin's host part (RFC 2606 name)


@dataclass(frozen=True)
class StackFaults:
    """Fault injection per service; see `server.FaultInjector`."""

    fulcio: FaultInjector
    rekor: FaultInjector
    oidc: FaultInjector
    ct: FaultInjector

    def clear(self) -> None:
        for injector in (self.fulcio, self.rekor, self.oidc, self.ct):
            injector.clear()


class SigstoreStack:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.ca = CertificateAuthority(datetime.datetime.now(datetime.UTC))
        # A key in no trusted root: for forged SETs and the rogue CT log.
        self.rogue_key = ec.generate_private_key(ec.SECP256R1())
        self.ct_log = ct.CTLog("trusted", ec.generate_private_key(ec.SECP256R1()), [self.ca.root])
        self.rogue_ct_log = ct.CTLog("rogue", self.rogue_key, [self.ca.root])
        self.rekor_log = RekorLog(
            ec.generate_private_key(ec.SECP256R1()), REKOR_HOSTNAME, secrets.randbits(62)
        )
        self.oidc = OIDCService()
        self._oidc_http = HttpService("oidc", self.oidc.handle, oidc.error_body)
        ct_service = ct.CTService([self.ct_log, self.rogue_ct_log])
        self._ct_http = HttpService("ct", ct_service.handle, ct.error_body)
        self.fulcio: Fulcio | None = None  # needs the issuer URLs: made in `start`
        self._fulcio_http = HttpService("fulcio", self._handle_fulcio, fulcio.error_body)
        self._rekor_http = HttpService("rekor", self.rekor_log.handle, rekor.error_body)
        self.faults = StackFaults(
            self._fulcio_http.faults,
            self._rekor_http.faults,
            self._oidc_http.faults,
            self._ct_http.faults,
        )

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        self._oidc_http.start()
        self.oidc.set_base_url(self._oidc_http.url)
        self._ct_http.start()
        self.fulcio = Fulcio(
            self.ca,
            [
                IssuerConfig(self.issuer_url, self.issuer_url, "github-workflow"),
                IssuerConfig(self.email_issuer_url, self.email_issuer_url, "email"),
                # The real GitHub issuer string, keyed to the local issuer (test-only alias).
                IssuerConfig(GITHUB_ISSUER, self.issuer_url, "github-workflow"),
            ],
            self.ct_log_url("trusted"),
        )
        self._fulcio_http.start()
        self._rekor_http.start()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.trusted_root_path.write_text(json.dumps(self.trusted_root(), indent=2))
        self.signing_config_path.write_text(json.dumps(self._signing_config(), indent=2))
        self.trust_config_path.write_text(self.trust_config_json)

    def stop(self) -> None:
        for service in (self._rekor_http, self._fulcio_http, self._ct_http, self._oidc_http):
            service.stop()

    def reset(self) -> None:
        """Undo per-test changes: pending faults, request logs, the CT log Fulcio uses."""
        self.faults.clear()
        self.oidc.revoke_grants()
        if self.fulcio is not None:
            self.fulcio.ct_log_url = self.ct_log_url("trusted")

    # -- URLs and files -------------------------------------------------------------------
    def _handle_fulcio(self, request: Request) -> Response:
        if self.fulcio is None:
            raise HttpError(503, "Fulcio is starting")
        return self.fulcio.handle(request)

    @property
    def fulcio_url(self) -> str:
        return self._fulcio_http.url

    @property
    def rekor_url(self) -> str:
        return self._rekor_http.url

    @property
    def issuer_url(self) -> str:
        """The GitHub-Actions-like issuer (``iss`` of ``mint_token("github")``)."""
        return self.oidc.github.url

    @property
    def email_issuer_url(self) -> str:
        return self.oidc.email.url

    def ct_log_url(self, name: str = "trusted") -> str:
        return f"{self._ct_http.url}/{name}"

    @property
    def trusted_root_path(self) -> Path:
        return self.workdir / "trusted_root.json"

    @property
    def signing_config_path(self) -> Path:
        return self.workdir / "signing_config.json"

    @property
    def trust_config_path(self) -> Path:
        return self.workdir / "trust_config.json"

    @property
    def trust_config_json(self) -> str:
        """The `ClientTrustConfig` JSON: trusted root + signing config with the local URLs."""
        return self.trust_config()

    # -- documents ------------------------------------------------------------------------
    def trusted_root(self, ctlogs: Sequence[str] = ("trusted",)) -> dict[str, Any]:
        """The trusted root; ``ctlogs`` picks which CT log keys it trusts (for negative tests)."""
        logs = {"trusted": self.ct_log, "rogue": self.rogue_ct_log}
        ct_keys = [
            trust.LogKey(self.ct_log_url(n), logs[n].key.public_key(), self.ca.not_before)
            for n in ctlogs
        ]
        rekor_key = trust.LogKey(
            self.rekor_url, self.rekor_log.key.public_key(), self.ca.not_before
        )
        return trust.trusted_root(self.ca, self.fulcio_url, [rekor_key], ct_keys)

    def trust_config(self, ctlogs: Sequence[str] = ("trusted",)) -> str:
        return json.dumps(
            trust.client_trust_config(self.trusted_root(ctlogs), self._signing_config())
        )

    def _signing_config(self) -> dict[str, Any]:
        return trust.signing_config(
            self.fulcio_url, self.rekor_url, self.issuer_url, self.ca.not_before
        )

    # -- tokens and knobs -----------------------------------------------------------------
    def mint_token(self, kind: TokenKind = "github", **claims: Any) -> str:
        """An ID token from the local issuer; see `oidc.OIDCService.mint` for the options."""
        return self.oidc.mint(kind, **claims)

    def actions_id_token_request(self, **options: Any) -> tuple[str, str]:
        """``(ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN)`` of a job with
        ``id-token: write``: the URL hands out ``mint_token("github", **options)`` tokens
        (see `oidc.OIDCService.grant_actions_token`); JWTs it issued are in ``oidc.issued``."""
        request_token = self.oidc.grant_actions_token(**options)
        return f"{self._oidc_http.url}{ACTIONS_TOKEN_PATH}?api-version=2.0", request_token

    def identity_of(self, token: str) -> tuple[str, str]:
        """The (SAN, OIDC issuer) that Fulcio certifies for ``token``: what a policy expects."""
        assert self.fulcio is not None, "the stack is not started"
        claims = jwt.decode(token, options={"verify_signature": False})
        config = self.fulcio.issuers[claims["iss"]]
        principal = principal_from_claims(config.type, config.issuer, claims)
        return str(principal.san.value), config.issuer

    @contextmanager
    def use_rogue_ct_log(self) -> Iterator[None]:
        """Make Fulcio embed SCTs from a CT log whose key is in no trusted root."""
        assert self.fulcio is not None, "the stack is not started"
        self.fulcio.ct_log_url = self.ct_log_url("rogue")
        try:
            yield
        finally:
            self.fulcio.ct_log_url = self.ct_log_url("trusted")
