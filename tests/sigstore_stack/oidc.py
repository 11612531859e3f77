"""Test OpenID Connect issuers: discovery document, JWKS, and signed ID tokens.

Two issuers share one HTTP service, like two tenants of an identity provider:

* the GitHub-Actions-like issuer at the service root (``issuer_url``), RS256 like
  token.actions.githubusercontent.com, minting tokens with GitHub's real claim set;
* an email issuer at ``/email`` (ES256), minting ``email`` + ``email_verified`` tokens.

Discovery follows OpenID Connect Discovery 1.0: ``<issuer>/.well-known/openid-configuration``
names ``jwks_uri``. The documents mirror GitHub's (no authorization or token endpoint: tokens
are minted in-process by `mint`, as the Actions runtime hands them to a job).

The runner's side of that hand-over is here too: `ACTIONS_TOKEN_PATH` speaks the Actions
runtime's ID token request API that ``ACTIONS_ID_TOKEN_REQUEST_URL`` points at in a job with
``id-token: write`` (``GET <url>&audience=<aud>`` with ``Authorization: bearer
<ACTIONS_ID_TOKEN_REQUEST_TOKEN>``, answered with ``{"value": <JWT>}``), so a program that
detects its ambient credential the way ``@actions/core`` and ``id`` do can be run unchanged.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from .server import HttpError, Request, Response

TokenKind = Literal["github", "email"]
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"  # the real one, for aliasing
AUDIENCE = "sigstore"  # Fulcio's client id
# The runtime's path shape (plan and job ids are GUIDs on GitHub); the URL carries api-version.
ACTIONS_TOKEN_PATH = "/_apis/distributedtask/hubs/Actions/plans/local/jobs/local/idtoken"


class Issuer:
    """One issuer: a signing key, its JWKS, and its discovery document."""

    def __init__(self, path: str, algorithm: Literal["RS256", "ES256"]) -> None:
        self.path = path  # "" for the service root, "/email" for the email issuer
        self.algorithm = algorithm
        self.kid = uuid.uuid4().hex
        self._key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
            rsa.generate_private_key(65537, 2048)
            if algorithm == "RS256"
            else ec.generate_private_key(ec.SECP256R1())
        )
        self.base_url = ""  # set once the service knows its port

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "jwks_uri": f"{self.url}/.well-known/jwks",
            "subject_types_supported": ["public", "pairwise"],
            "response_types_supported": ["id_token"],
            "claims_supported": ["sub", "aud", "exp", "iat", "iss", "jti", "nbf"],
            "id_token_signing_alg_values_supported": [self.algorithm],
            "scopes_supported": ["openid"],
        }

    def jwks(self) -> dict[str, Any]:
        public = self._key.public_key()
        jwk = (
            RSAAlgorithm.to_jwk(public, as_dict=True)
            if isinstance(public, rsa.RSAPublicKey)
            else ECAlgorithm.to_jwk(public, as_dict=True)
        )
        return {"keys": [{**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}]}

    def sign(self, claims: dict[str, Any], *, untrusted: bool = False) -> str:
        """A compact JWS; ``untrusted`` signs with a throwaway key under the same ``kid``."""
        key = self._key
        if untrusted:
            key = (
                rsa.generate_private_key(65537, 2048)
                if self.algorithm == "RS256"
                else ec.generate_private_key(ec.SECP256R1())
            )
        return jwt.encode(claims, key, algorithm=self.algorithm, headers={"kid": self.kid})


class OIDCService:
    def __init__(self) -> None:
        self.github = Issuer("", "RS256")
        self.email = Issuer("/email", "ES256")
        self._lock = threading.Lock()
        self._grants: dict[str, dict[str, Any]] = {}  # request token -> `mint` options
        self.issued: list[str] = []  # every JWT the token request API handed out

    def set_base_url(self, base_url: str) -> None:
        for issuer in (self.github, self.email):
            issuer.base_url = base_url

    def grant_actions_token(self, **options: Any) -> str:
        """A new runner request token; the token request API answers it with
        ``mint("github", **options)`` (the requested audience becomes ``aud``)."""
        request_token = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[request_token] = options
        return request_token

    def revoke_grants(self) -> None:
        with self._lock:
            self._grants.clear()
            self.issued.clear()

    def _actions_token(self, request: Request) -> Response:
        if request.method != "GET":
            raise HttpError(405, "the token request API takes GET")
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        with self._lock:
            options = self._grants.get(value) if scheme.lower() == "bearer" else None
        if options is None:
            raise HttpError(401, "bad or missing runtime token")
        audience = (request.query.get("audience") or [""])[0]
        if not audience:  # GitHub's default audience: the repository owner's URL
            owner = str(options.get("repository", "octo-org/octo-repo")).split("/", 1)[0]
            audience = f"https://github.com/{owner}"
        token = self.mint("github", **{**options, "aud": audience})
        with self._lock:
            self.issued.append(token)
        return Response.json(200, {"value": token})

    def handle(self, request: Request) -> Response:
        if request.path == ACTIONS_TOKEN_PATH:
            return self._actions_token(request)
        for issuer in (self.email, self.github):  # the longer path first
            if request.path == f"{issuer.path}/.well-known/openid-configuration":
                return Response.json(200, issuer.discovery())
            if request.path == f"{issuer.path}/.well-known/jwks":
                return Response.json(200, issuer.jwks())
        raise HttpError(404, f"no such endpoint: {request.path}")

    def mint(
        self,
        kind: TokenKind,
        *,
        expires_in: int = 300,
        workflow_path: str = ".github/workflows/release.yml",
        untrusted_key: bool = False,
        **claims: Any,
    ) -> str:
        """Mint an ID token signed by the ``kind`` issuer's key.

        Keyword claims override the defaults (``None`` removes a claim), e.g.
        ``repository="acme/server", ref="refs/heads/main"`` (the dependent claims ``sub``,
        ``workflow_ref``, ``job_workflow_ref``, ``ref_type``... follow), ``iss=GITHUB_ISSUER``
        or ``email_verified=False``. ``expires_in`` may be negative for an expired token;
        ``untrusted_key`` signs with a key the issuer's JWKS does not hold.
        """
        now = int(time.time())
        issuer = self.github if kind == "github" else self.email
        base: dict[str, Any] = {
            "jti": str(uuid.uuid4()),
            "aud": AUDIENCE,
            "iss": issuer.url,
            "iat": now,
            "nbf": now - 5,
            "exp": now + expires_in,
        }
        if kind == "github":
            base.update(github_claims(workflow_path, claims))
        else:
            base.update(
                {"sub": "signer-0001", "email": "signer@example.com", "email_verified": True}
            )
        base.update(claims)
        return issuer.sign(
            {k: v for k, v in base.items() if v is not None}, untrusted=untrusted_key
        )


def github_claims(workflow_path: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """GitHub Actions ID token claims for a workflow run, derived from repository and ref.

    The claim names and value formats are GitHub's (all values are strings). ``sub`` is
    ``repo:<owner>/<repo>:ref:<ref>`` or, for a job bound to a deployment environment,
    ``repo:<owner>/<repo>:environment:<name>``.
    """
    repository = str(overrides.get("repository", "octo-org/octo-repo"))
    ref = str(overrides.get("ref", "refs/tags/v1.0.0"))
    owner = repository.split("/", 1)[0]
    sha = str(overrides.get("sha", hashlib.sha1(f"{repository}@{ref}".encode()).hexdigest()))
    workflow_ref = str(overrides.get("workflow_ref", f"{repository}/{workflow_path}@{ref}"))
    workflow_sha = str(overrides.get("workflow_sha", sha))
    environment = overrides.get("environment")
    claims: dict[str, Any] = {
        "sub": f"repo:{repository}:environment:{environment}"
        if environment
        else f"repo:{repository}:ref:{ref}",
        "ref": ref,
        "sha": sha,
        "repository": repository,
        "repository_owner": owner,
        "repository_owner_id": "1000001",
        "repository_visibility": "public",
        "repository_id": "2000002",
        "actor_id": "3000003",
        "actor": owner,
        "run_id": "4000000004",
        "run_number": "7",
        "run_attempt": "1",
        "runner_environment": "github-hosted",
        "workflow": "Release",
        "head_ref": "",
        "base_ref": "",
        "event_name": "push",
        "ref_type": "tag" if ref.startswith("refs/tags/") else "branch",
        "ref_protected": "false",
        "workflow_ref": workflow_ref,
        "workflow_sha": workflow_sha,
        "job_workflow_ref": workflow_ref,  # differs only when a reusable workflow signs
        "job_workflow_sha": workflow_sha,
    }
    return claims


def error_body(status: int, message: str) -> object:
    return {"error": message}
