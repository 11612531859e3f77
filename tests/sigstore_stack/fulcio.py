"""A Fulcio v2 REST front end: ``POST /api/v2/signingCert`` and the read-only endpoints.

Request (Fulcio `fulcio.proto`, JSON names): the ID token comes as
``credentials.oidcIdentityToken`` or, as sigstore-python sends it, in
``Authorization: Bearer``; the key as ``certificateSigningRequest`` (base64 of a PEM CSR,
whose self-signature is the proof of possession) or as ``publicKeyRequest`` =
``{publicKey: {algorithm, content: PEM}, proofOfPossession: base64 signature over the
principal name}``. Response (201): ``{"signedCertificateEmbeddedSct": {"chain":
{"certificates": [leaf PEM, intermediate PEM, root PEM]}}}``. Errors use the gRPC-gateway
body ``{"code": <gRPC code>, "message": ..., "details": []}``.

Issuance: verify the token against the issuer's JWKS (fetched over HTTP through OIDC
discovery), build the principal, issue a precertificate, submit it to the CT log with
``add-pre-chain``, and issue the final certificate with the returned SCT embedded.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import threading
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .ca import CertificateAuthority, LeafSpec
from .ct import SignedCertificateTimestamp, sct_list_extension
from .identity import PrincipalType, principal_from_claims
from .keys import PublicKey, verify_message
from .oidc import AUDIENCE
from .server import HttpError, Request, Response

_GRPC_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 413: 8, 500: 13, 502: 14, 503: 14}
_HTTP_TIMEOUT = 10


@dataclass(frozen=True)
class IssuerConfig:
    """An entry of Fulcio's ``oidc-issuers``: the ``iss`` it accepts and where its keys are.

    ``discovery_url`` is normally the issuer itself. Pointing it elsewhere lets the test stack
    accept tokens whose ``iss`` is the real GitHub URL while the keys come from the local
    issuer - something only a test instance should ever do.
    """

    issuer: str
    discovery_url: str
    type: PrincipalType
    client_id: str = AUDIENCE


class Fulcio:
    def __init__(
        self, ca: CertificateAuthority, issuers: list[IssuerConfig], ct_log_url: str
    ) -> None:
        self.ca = ca
        self.issuers = {cfg.issuer: cfg for cfg in issuers}
        self.ct_log_url = ct_log_url  # the stack may point this at the rogue log
        self._jwks: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        route = (request.method, request.path)
        if route == ("POST", "/api/v2/signingCert"):
            return self._signing_cert(request)
        if route == ("GET", "/api/v2/trustBundle"):
            return Response.json(200, {"chains": [{"certificates": self.ca.chain_pem()}]})
        if route == ("GET", "/api/v2/configuration"):
            return Response.json(200, {"issuers": [_describe(c) for c in self.issuers.values()]})
        raise HttpError(404, f"no such endpoint: {request.method} {request.path}")

    def _signing_cert(self, request: Request) -> Response:
        body = request.json()
        if not isinstance(body, dict):
            raise HttpError(400, "request body must be a JSON object")
        token = _token_of(body, request.headers)
        cfg, claims = self._verify_token(token)
        principal = principal_from_claims(cfg.type, cfg.issuer, claims)
        public_key = _public_key_of(body, principal.name)
        spec = LeafSpec(
            public_key=public_key,
            san=principal.san,
            extensions=principal.extensions,
            not_before=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
        )
        precert = self.ca.precertificate(spec)
        sct = self._submit_precert(precert)
        leaf = self.ca.final_certificate(spec, sct_list_extension([sct]))
        pems = [leaf.public_bytes(serialization.Encoding.PEM).decode(), *self.ca.chain_pem()]
        return Response.json(
            201, {"signedCertificateEmbeddedSct": {"chain": {"certificates": pems}}}
        )

    def _verify_token(self, token: str) -> tuple[IssuerConfig, dict[str, Any]]:
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise HttpError(401, f"malformed identity token: {exc}") from exc
        cfg = self.issuers.get(str(unverified.get("iss")))
        if cfg is None:
            raise HttpError(401, f"unsupported OIDC issuer {unverified.get('iss')!r}")
        try:
            key = self._jwks_client(cfg).get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256", "ES256", "ES384", "EdDSA"],
                audience=cfg.client_id,
                issuer=cfg.issuer,
                options={"require": ["iss", "aud", "exp", "sub"]},
            )
        except (jwt.PyJWTError, requests.RequestException) as exc:
            raise HttpError(401, f"invalid identity token: {exc}") from exc
        return cfg, claims

    def _jwks_client(self, cfg: IssuerConfig) -> jwt.PyJWKClient:
        with self._lock:
            client = self._jwks.get(cfg.issuer)
        if client is None:
            discovery = requests.get(
                f"{cfg.discovery_url}/.well-known/openid-configuration", timeout=_HTTP_TIMEOUT
            )
            discovery.raise_for_status()
            client = jwt.PyJWKClient(discovery.json()["jwks_uri"], timeout=_HTTP_TIMEOUT)
            with self._lock:
                self._jwks[cfg.issuer] = client
        return client

    def _submit_precert(self, precert: x509.Certificate) -> SignedCertificateTimestamp:
        chain = [precert, *self.ca.chain]
        payload = {
            "chain": [
                base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in chain
            ]
        }
        try:
            answer = requests.post(
                f"{self.ct_log_url}/ct/v1/add-pre-chain", json=payload, timeout=_HTTP_TIMEOUT
            )
            answer.raise_for_status()
            return SignedCertificateTimestamp.from_json(answer.json())
        except (requests.RequestException, ValueError) as exc:
            raise HttpError(500, f"error getting SCT from the CT log: {exc}") from exc


def _describe(cfg: IssuerConfig) -> dict[str, str]:
    return {
        "issuerUrl": cfg.issuer,
        "audience": cfg.client_id,
        "challengeClaim": "email" if cfg.type == "email" else "sub",
    }


def _token_of(body: dict[str, Any], headers: dict[str, str]) -> str:
    credentials = body.get("credentials")
    if isinstance(credentials, dict) and isinstance(credentials.get("oidcIdentityToken"), str):
        return str(credentials["oidcIdentityToken"])
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    raise HttpError(401, "no OIDC identity token in the request")


def _public_key_of(body: dict[str, Any], principal_name: str) -> PublicKey:
    key: object
    try:
        if "certificateSigningRequest" in body:
            pem = base64.b64decode(body["certificateSigningRequest"], validate=True)
            csr = x509.load_pem_x509_csr(pem)
            if not csr.is_signature_valid:
                raise HttpError(400, "the CSR signature does not verify")
            key = csr.public_key()
        elif "publicKeyRequest" in body:
            req = body["publicKeyRequest"]
            key = serialization.load_pem_public_key(req["publicKey"]["content"].encode())
            proof = base64.b64decode(req["proofOfPossession"], validate=True)
            if not isinstance(
                key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey | ed25519.Ed25519PublicKey
            ):
                raise HttpError(400, "unsupported public key type")
            if not verify_message(key, proof, principal_name.encode()):
                raise HttpError(400, "the proof of possession does not verify")
        else:
            raise HttpError(400, "neither certificateSigningRequest nor publicKeyRequest given")
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise HttpError(400, f"malformed key request: {exc}") from exc
    return _acceptable(key)


def _acceptable(key: object) -> PublicKey:
    """Fulcio's goodkey policy: ECDSA P-256/384/521, RSA 2048-4096, Ed25519."""
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size in (256, 384, 521):
        return key
    if isinstance(key, rsa.RSAPublicKey) and 2048 <= key.key_size <= 4096:
        return key
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    raise HttpError(400, "unsupported or weak public key")


def error_body(status: int, message: str) -> object:
    return {"code": _GRPC_CODES.get(status, 2), "message": message, "details": []}
