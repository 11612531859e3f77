"""PR-01 Source Repository (MTF-0.1 section 3.6).

Severity table: missing ``repository`` BLOCK (L2+); invalid URL BLOCK; non-HTTPS
WARN; unknown hosting platform WARN. Beyond the table's letter, a URL that
carries credentials, or that names a recognised host but no repository
(``https://github.com/``), is treated as invalid: neither can be audited.
"Publicly accessible" and "private repo without attestation at L3+" need the
network (or PR-03 attestations) and are reported as not verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import SplitResult, urlsplit

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 2  # PR-01 is an L2 control: its BLOCK rows block from L2
MANIFEST = "manifest.json"

# The spec's "Recognized Hosting Platforms" table.
RECOGNISED_HOSTS: dict[str, str] = {
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "bitbucket.org": "Bitbucket",
    "codeberg.org": "Codeberg",
    "sr.ht": "SourceHut",
    "git.sr.ht": "SourceHut",
}
# Schemes a VCS URL uses; anything else (file:, ftp:, javascript:) is not a repository URL.
_INSECURE_SCHEMES = frozenset({"http", "git", "ssh", "git+http", "git+ssh"})
_SECURE_SCHEMES = frozenset({"https", "git+https"})
_SCP_LIKE = re.compile(r"^[\w.-]+@([\w.-]+):(.+)$")
_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")


@dataclass(frozen=True)
class RepositoryUrl:
    """The parts of a repository URL the provenance controls care about."""

    scheme: str
    host: str
    path: tuple[str, ...]  # owner, repo, ... without a trailing ".git"

    @property
    def slug(self) -> str:
        """``host/owner/repo`` lowercased: how OpenSSF Scorecard names a repository."""
        return "/".join([self.host, *self.path[:2]]).lower()


def parse_repository_url(url: str) -> tuple[RepositoryUrl | None, SplitResult | None]:
    """Parsed URL, or (None, None) when it is not an absolute URL with a host."""
    if not url or _BAD_CHARS.search(url):
        return None, None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None, None
    if not parts.scheme or not host:
        return None, None
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1].endswith(".git"):
        segments[-1] = segments[-1][:-4]
    return RepositoryUrl(parts.scheme.lower(), host.lower(), tuple(segments)), parts


def redact(url: str, parts: SplitResult | None) -> str:
    """The URL without user name or password (never echo credentials)."""
    if parts is None or "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()


class SourceRepository(Control):
    """PR-01: a repository URL on a recognised hosting platform, over HTTPS."""

    id: ClassVar[str] = "PR-01"

    def _block(
        self, rule: str, title: str, description: str, fix: str, line: int | None
    ) -> Finding:
        return self.finding(
            rule,
            Severity.MEDIUM,
            title,
            description,
            blocks_at=LEVEL,
            file=MANIFEST,
            line=line,
            remediation=fix,
        )

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        raw = raw_manifest(ctx)
        example = '"repository": {"type": "git", "url": "https://github.com/<owner>/<repo>"}'
        if "repository" not in raw:
            return ControlOutcome(
                findings=[
                    self._block(
                        "repository-missing",
                        "No source repository",
                        "the manifest has no repository field (PR-01: BLOCK at L2 and above)",
                        f"add {example}",
                        None,
                    )
                ]
            )
        repository: Any = raw["repository"]
        line = line_of(ctx, "/repository/url") or line_of(ctx, "/repository")
        url = repository.get("url") if isinstance(repository, dict) else None
        if not isinstance(url, str) or not url.strip():
            return ControlOutcome(
                findings=[
                    self._block(
                        "repository-url-missing",
                        "No repository URL",
                        "repository must be an object with a url string",
                        f"use {example}",
                        line,
                    )
                ]
            )
        return self._check_url(url.strip(), line)

    def _check_url(self, url: str, line: int | None) -> ControlOutcome:
        parsed, parts = parse_repository_url(url)
        shown = redact(url, parts)
        findings: list[Finding] = []
        details: dict[str, Any] = {"url": shown}
        scp = _SCP_LIKE.match(url)
        if parsed is None or parsed.scheme not in _SECURE_SCHEMES | _INSECURE_SCHEMES:
            hint = f"https://{scp[1]}/{scp[2].removesuffix('.git')}" if scp else None
            fix = f'use "{hint}"' if hint else "use https://<host>/<owner>/<repo>"
            findings.append(
                self._block(
                    "repository-url-invalid",
                    "Invalid repository URL",
                    f"{shown!r} is not an absolute http(s), git or ssh URL with a host",
                    fix,
                    line,
                )
            )
            return ControlOutcome(findings=findings, details=details)
        details |= {"host": parsed.host, "platform": RECOGNISED_HOSTS.get(parsed.host)}
        if parts is not None and (parts.username is not None or parts.password is not None):
            findings.append(
                self.finding(
                    "repository-url-credentials",
                    Severity.HIGH,
                    "Credentials in the repository URL",
                    f"{shown} carries a user name or password; anyone reading the "
                    "manifest reads them",
                    blocks_at=LEVEL,
                    file=MANIFEST,
                    line=line,
                    remediation="remove the credentials from the URL and revoke them",
                )
            )
        if parsed.scheme not in _SECURE_SCHEMES:
            findings.append(
                self.finding(
                    "repository-url-not-https",
                    Severity.LOW,
                    "Repository URL is not HTTPS",
                    f"{shown} uses {parsed.scheme}://; reviewers and tools fetch over HTTPS",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line,
                    remediation=f"use https://{parsed.host}/{'/'.join(parsed.path)}",
                )
            )
        if parsed.host not in RECOGNISED_HOSTS:
            findings.append(
                self.finding(
                    "repository-host-unknown",
                    Severity.LOW,
                    "Repository on an unrecognised hosting platform",
                    f"{parsed.host} is not one of PR-01's recognised platforms "
                    f"({', '.join(sorted(RECOGNISED_HOSTS))})",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line,
                )
            )
        elif len(parsed.path) < 2:
            findings.append(
                self._block(
                    "repository-url-incomplete",
                    "Repository URL names no repository",
                    f"{shown} does not name <owner>/<repository> on {parsed.host}",
                    f"use https://{parsed.host}/<owner>/<repo>",
                    line,
                )
            )
        findings.append(
            self.finding(
                "repository-access-not-verified",
                Severity.INFO,
                "Repository accessibility not verified",
                "an offline scan cannot confirm that the repository is public (or, at L3+, "
                "attested when private); the registry checks this at publication",
                blocks_at=None,
                file=MANIFEST,
            )
        )
        return ControlOutcome(findings=findings, details=details)
