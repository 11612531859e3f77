"""What shows that server code runs an OAuth flow (MTF CD-04 "OAuth used without declaration").

Evidence kinds:

- ``library``: an OAuth client library is imported (Python: oauthlib,
  requests-oauthlib, authlib's OAuth clients, google-auth / google-auth-oauthlib,
  oauth2client, msal, azure-identity, Slack's OAuth helpers...; JS/TS:
  simple-oauth2, google-auth-library, googleapis' ``google.auth.OAuth2``, the
  @octokit OAuth packages, passport OAuth strategies, msal-node, openid-client...).
  Any module whose name contains ``oauth`` counts too.
- ``endpoint``: a string naming an authorization or token endpoint
  (``/oauth/authorize``, ``/oauth2/token``, ``github.com/login/oauth/access_token``,
  ``login.microsoftonline.com/.../oauth2/v2.0/token``...).
- ``grant``: ``grant_type`` (RFC 6749 token requests) as a string, key or argument.
- ``refresh-token``: ``refresh_token`` / ``refreshToken`` handled by the code.

MCP's own HTTP-transport authorization (the SDKs' ``auth`` modules, where the
server is the resource server) is not credential aggregation and is not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PY_LIBRARIES: dict[str, str | None] = {
    "oauthlib": None,
    "requests_oauthlib": None,
    "authlib.integrations": None,
    "authlib.oauth2": None,
    "authlib.oauth1": None,
    "httpx_oauth": None,
    "flask_dance": None,
    "social_core": None,
    "rauth": None,
    "google_auth_oauthlib": "google",
    "google.oauth2": "google",
    "oauth2client": "google",
    "msal": "microsoft",
    "azure.identity": "microsoft",
    "O365": "microsoft",
    "slack_sdk.oauth": "slack",
    "slack_bolt.oauth": "slack",
}

JS_LIBRARIES: dict[str, str | None] = {
    "simple-oauth2": None,
    "client-oauth2": None,
    "oauth": None,
    "oauth4webapi": None,
    "openid-client": None,
    "grant": None,
    "passport-oauth": None,
    "passport-oauth2": None,
    "google-auth-library": "google",
    "passport-google-oauth20": "google",
    "passport-google-oauth2": "google",
    "@octokit/oauth-app": "github",
    "@octokit/oauth-methods": "github",
    "@octokit/auth-oauth-app": "github",
    "@octokit/auth-oauth-user": "github",
    "@octokit/auth-oauth-device": "github",
    "@octokit/oauth-authorization-url": "github",
    "passport-github": "github",
    "passport-github2": "github",
    "@slack/oauth": "slack",
    "passport-slack": "slack",
    "passport-slack-oauth2": "slack",
    "@azure/msal-node": "microsoft",
    "@azure/msal-browser": "microsoft",
    "@azure/identity": "microsoft",
    "passport-microsoft": "microsoft",
    "passport-azure-ad": "microsoft",
}

# googleapis is also used with API keys; only its OAuth2 client counts.
JS_MEMBERS: dict[str, str] = {"googleapis.google.auth.OAuth2": "google"}

_OAUTH_WORD = re.compile(r"(?i)(?:^|[^a-z])oauth")
_MCP_SDK = re.compile(r"^(?:@modelcontextprotocol/sdk|mcp)(?:[/.]|$)")

_ENDPOINTS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (
        re.compile(r"accounts\.google\.com/o/oauth2|oauth2\.googleapis\.com/token", re.IGNORECASE),
        "google",
    ),
    (
        re.compile(
            r"github\.com/login/(?:oauth/(?:authorize|access_token)|device/code)", re.IGNORECASE
        ),
        "github",
    ),
    (
        re.compile(r"slack\.com/(?:oauth/v2/authorize|api/oauth\.(?:v2\.)?access)", re.IGNORECASE),
        "slack",
    ),
    (re.compile(r"login\.microsoftonline\.com/[^\s\"']*/oauth2/", re.IGNORECASE), "microsoft"),
    (
        re.compile(
            r"/oauth2?/(?:v\d(?:\.\d)?/)?(?:authorize|auth|token|access_token|device/code|devicecode)\b",
            re.IGNORECASE,
        ),
        None,
    ),
)
_GRANT = re.compile(r"\bgrant_type\b")
_REFRESH = re.compile(r"\brefresh_token\b")
REFRESH_NAMES = frozenset({"refresh_token", "refreshToken", "RefreshToken"})


@dataclass(frozen=True)
class OAuthEvidence:
    """One place in the server code that shows an OAuth flow."""

    file: str
    line: int
    kind: str  # library | endpoint | grant | refresh-token
    detail: str
    provider: str | None  # known provider id the evidence names, if any

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "kind": self.kind,
            "detail": self.detail,
            "provider": self.provider,
        }


def library_provider(module: str, table: dict[str, str | None]) -> tuple[bool, str | None]:
    """(is an OAuth library, its provider) for an imported module name."""
    if _MCP_SDK.match(module):
        return False, None
    for name, provider in table.items():
        if module == name or module.startswith((name + ".", name + "/")):
            return True, provider
    return bool(_OAUTH_WORD.search(module)), None


def string_evidence(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, detail, provider) for OAuth signals inside one string value."""
    found: list[tuple[str, str, str | None]] = []
    for pattern, provider in _ENDPOINTS:
        match = pattern.search(text)
        if match:
            found.append(("endpoint", f"OAuth endpoint {match.group(0)!r}", provider))
            break
    if _GRANT.search(text):
        found.append(("grant", "OAuth token request (grant_type)", None))
    if _REFRESH.search(text):
        found.append(("refresh-token", "refresh token handling (refresh_token)", None))
    return found


def dedupe(evidence: list[OAuthEvidence]) -> list[OAuthEvidence]:
    """One record per (file, kind, detail), the first occurrence."""
    seen: set[tuple[str, str, str]] = set()
    unique: list[OAuthEvidence] = []
    for item in sorted(evidence, key=lambda e: (e.file, e.line)):
        key = (item.file, item.kind, item.detail)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
