"""Where a dependency comes from, judged against MTF SC-05's approved registries.

Approved (MTF 3.3 SC-05), over HTTPS only, per ecosystem:

==========  ===========================================================
PyPI        ``pypi.org`` (index), ``files.pythonhosted.org`` (files)
npm         ``registry.npmjs.org``
crates.io   ``crates.io``, ``index.crates.io``, ``static.crates.io``
Go          ``proxy.golang.org``, ``sum.golang.org``
Maven       ``repo1.maven.org``, ``central.sonatype.com``
RubyGems    ``rubygems.org``
==========  ===========================================================

Everything else is classified, most specific first: ``git`` (VCS source),
``local`` (``file:`` or a path), ``private`` (a self-hosted or private
registry: an IP address, a single-label or reserved-suffix host such as
``.internal``/``.corp``/``.local``, credentials in the URL, or a hosted private
registry service such as JFrog, Azure Artifacts, AWS CodeArtifact, Google
Artifact Registry, GitHub Packages), ``tarball`` (a direct archive URL that is
not a registry's own download), else ``unknown`` (a public host nobody
approved).

Allow-list (``--allow-source PATTERN``, repeatable), checked first:

* a pattern with ``*``, ``?`` or ``[`` is a glob (``fnmatch``, case-sensitive)
  matched against the whole source string;
* a pattern with ``://`` or starting with ``file:``/``git+`` is a prefix; unless
  it ends in ``/``, ``:``, ``#``, ``@`` or ``?``, the source must continue with
  one of those characters (or end), so ``https://npm.acme.example`` does not
  allow ``https://npm.acme.example.evil.test``;
* any other pattern is a host name: it allows sources on exactly that host.

Git sources are matched both as written (``git+https://...``) and without the
``git+`` prefix.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

APPROVED_HOSTS: dict[str, frozenset[str]] = {
    "pypi": frozenset({"pypi.org", "files.pythonhosted.org"}),
    "npm": frozenset({"registry.npmjs.org"}),
    "cargo": frozenset({"crates.io", "index.crates.io", "static.crates.io"}),
    "golang": frozenset({"proxy.golang.org", "sum.golang.org"}),
    "maven": frozenset({"repo1.maven.org", "central.sonatype.com"}),
    "gem": frozenset({"rubygems.org"}),
}
DEFAULT_REGISTRY = {"pypi": "https://pypi.org/simple", "npm": "https://registry.npmjs.org/"}

_RESERVED_SUFFIXES = (
    ".internal", ".local", ".lan", ".corp", ".home", ".intranet", ".private",
    ".localdomain", ".localhost", ".example", ".test", ".invalid", ".home.arpa",
)  # fmt: skip
_PRIVATE_SERVICES = re.compile(
    r"(^|\.)(jfrog\.io|pkgs\.dev\.azure\.com|pkgs\.visualstudio\.com|pkg\.dev|"
    r"npm\.pkg\.github\.com|pkg\.github\.com|gemfury\.com|fury\.io|cloudsmith\.io|"
    r"myget\.org|packagecloud\.io)$|\.codeartifact\.[a-z0-9-]+\.amazonaws\.com$"
)
_ARCHIVE = re.compile(
    r"\.(tgz|tar\.gz|tar\.bz2|tar\.xz|tbz2|zip|whl|gem|jar|crate)$", re.IGNORECASE
)
_NPM_REGISTRY_FILE = re.compile(r"^/(@[^/]+/)?[^/]+/-/[^/]+\.tgz$")
_BOUNDARY = "/:#@?"
_VCS = ("git+", "git:", "github:", "gitlab:", "bitbucket:", "hg+", "svn+", "bzr+")

Kind = Literal["approved", "allowed", "default", "git", "local", "private", "tarball", "unknown"]


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    origin: str  # host, path or the source itself: what a reviewer must look at
    reason: str = ""


def classify(source: str | None, ecosystem: str, allow: Sequence[str] = ()) -> Verdict:
    """Judge one recorded source (``None``: the lockfile records none)."""
    if source is None:
        default = DEFAULT_REGISTRY.get(ecosystem, "the ecosystem's default registry")
        return Verdict("default", default, "source not recorded; assumed the default registry")
    if allowed(source, allow):
        return Verdict("allowed", source)
    lowered = source.lower()
    if lowered.startswith(_VCS):
        return Verdict("git", source.split("#", 1)[0], "VCS source without attestation")
    if lowered.startswith("file:") or "://" not in source:
        return Verdict("local", source, "local path")
    parts = urlsplit(source)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return Verdict("unknown", source, f"{parts.scheme or 'unknown'} URL")
    if host in APPROVED_HOSTS.get(ecosystem, frozenset()):
        if parts.scheme == "https" and not (parts.username or parts.password):
            return Verdict("approved", host)
        return Verdict("unknown", host, "approved registry over plain HTTP")
    why = _private(host, bool(parts.username or parts.password))
    if why:
        return Verdict("private", host, why)
    if _ARCHIVE.search(parts.path) and not _NPM_REGISTRY_FILE.match(parts.path):
        return Verdict("tarball", source, f"direct archive download from {host}")
    return Verdict("unknown", host, "registry not on the approved list")


def _private(host: str, credentials: bool) -> str:
    if credentials:
        return "credentials in the URL (private registry)"
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return "registry addressed by IP (self-hosted)"
    if "." not in host or host.endswith(_RESERVED_SUFFIXES):
        return "internal host name (self-hosted registry)"
    if _PRIVATE_SERVICES.search(host):
        return "hosted private registry service"
    return ""


def allowed(source: str, patterns: Sequence[str]) -> bool:
    """True when ``source`` matches one ``--allow-source`` pattern (see module docs)."""
    forms = [source]
    if source.startswith("git+"):
        forms.append(source[4:])
    return any(_matches(form, pattern) for pattern in patterns for form in forms)


def _matches(source: str, pattern: str) -> bool:
    if not pattern:
        return False
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(source, pattern)
    if "://" in pattern or pattern.startswith(("file:", "git+")):
        if not source.startswith(pattern):
            return False
        rest = source[len(pattern) :]
        return pattern[-1] in _BOUNDARY or not rest or rest[0] in _BOUNDARY
    if "://" not in source:
        return False
    return (urlsplit(source).hostname or "").lower() == pattern.lower()
