"""RG-02 "High-Risk Patterns" other than plain similarity.

- Version-like suffix (``requests2``, ``numpy-next``, ``-v2``, ``-pro``): reported
  only when the name without the suffix is a popular name or a service name --
  a suffix on a name nobody knows confuses nobody.
- Generic utilities (``utils-*``, ``*-tools``, ``*-helper``) and framework plugins
  (``fastapi-*-middleware``): the shapes the spec lists.
- Service-name compounds (``stripe-*``, ``github-*``): a name word that is a
  service's name (``mcp_service_names.json``). It needs an *affiliation
  disclaimer* unless the package is the service's own. Own: the scope is one of
  the service's scopes, the author's email or URL is on one of its domains, the
  repository belongs to one of its organisations, or the author's name contains
  the service's name (the registry verifies the identity behind it, PK-01).
  Disclaimer: the description or long description says so -- "unofficial",
  "not (an) official", "not affiliated/endorsed/associated", "no affiliation",
  "community-maintained", "independent(ly maintained) project".
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from mtf_action.scan.names.catalog import Service, services
from mtf_action.scan.names.forms import NameForms, normalise
from mtf_action.scan.names.similarity import known_entries, known_full_names

_VERSION_SUFFIX = re.compile(
    r"(?:-(?:v\d+|next|new|pro|plus|latest|ng|beta|lite|ultra|max|official|\d+)|(?<=[a-z])\d+)$"
)
_GENERIC = re.compile(r"^(?:utils?|tools?|helpers?)-.+|.+-(?:utils?|tools?|helpers?|toolkit)$")
_FRAMEWORK = re.compile(
    r"^(?:fastapi|flask|django|starlette|express|koa|nestjs|nextjs|next|langchain|llamaindex|"
    r"llama-index)-.+-(?:middleware|plugin|extension|integration|adapter)s?$"
)
_DISCLAIMER = re.compile(
    r"\bunofficial\b|\bnot\s+(?:an?\s+)?official\b|\bnot\s+(?:affiliated|endorsed|associated)\b|"
    r"\bno\s+affiliation\b|\bcommunity[- ](?:maintained|built|driven|project)\b|"
    r"\bindependent(?:ly)?\s+(?:maintained|developed|project)\b",
    re.IGNORECASE,
)
_MIN_EMBEDDED = 5  # a service name this long also counts inside a word (githubmcp)


def version_suffix(name: NameForms) -> tuple[str, str] | None:
    """(suffix, known name or service it extends) when the name is a suffixed known one."""
    for form in (name.full, name.flat, name.bare):
        match = _VERSION_SUFFIX.search(form)
        if match is None or match.start() == 0:
            continue
        base = form[: match.start()].rstrip("-")
        if name.full != base and base in known_full_names():
            return match.group(0), base
        for known, _ in known_entries():
            if base in (known.flat, known.bare) and len(base) >= _MIN_EMBEDDED:
                return match.group(0), known.original
        for service in services().services:
            if base in service.tokens:
                return match.group(0), service.name
    return None


def generic_pattern(name: NameForms) -> str | None:
    if _GENERIC.match(name.bare):
        return "generic utility compound (utils-*, *-tools, *-helper)"
    if _FRAMEWORK.match(name.bare):
        return "framework plugin compound (e.g. fastapi-*-middleware)"
    return None


def _mentions(service: Service, tokens: list[str]) -> bool:
    for token in tokens:
        for word in service.tokens:
            if token == word or (
                len(word) >= _MIN_EMBEDDED and (token.startswith(word) or token.endswith(word))
            ):
                return True
    return False


def named_services(name: NameForms) -> list[Service]:
    tokens = name.tokens()
    return [s for s in services().services if _mentions(s, tokens)]


def _host(url: object) -> str:
    if not isinstance(url, str):
        return ""
    try:
        return (urlsplit(url).hostname or "").casefold()
    except ValueError:
        return ""


def _on_domain(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _repo_owner(raw: dict[str, Any]) -> str:
    repository = raw.get("repository")
    url = repository.get("url") if isinstance(repository, dict) else repository
    if not isinstance(url, str):
        return ""
    path = urlsplit(url).path if "://" in url else url.partition(":")[2]
    return path.strip("/").split("/")[0].casefold()


def is_own(service: Service, name: NameForms, raw: dict[str, Any]) -> str | None:
    """Why the package counts as the service's own, or None."""
    if name.scope is not None and name.scope in {normalise(s) for s in service.scopes}:
        return f"scope @{name.scope}"
    author = raw.get("author")
    author = author if isinstance(author, dict) else {}
    email = author.get("email")
    if isinstance(email, str) and _on_domain(email.rpartition("@")[2].casefold(), service.domains):
        return f"author email {email}"
    if _on_domain(_host(author.get("url")), service.domains):
        return f"author URL {author.get('url')}"
    owner = _repo_owner(raw)
    if owner and owner in {o.casefold() for o in service.repository_owners}:
        return f"repository owner {owner}"
    author_name = author.get("name")
    if isinstance(author_name, str) and service.name.casefold() in author_name.casefold():
        return f"author {author_name}"
    return None


def disclaimer(raw: dict[str, Any]) -> str | None:
    """The affiliation disclaimer in description or long_description, if any."""
    for key in ("description", "long_description"):
        text = raw.get(key)
        match = _DISCLAIMER.search(text) if isinstance(text, str) else None
        if match:
            return match.group(0)
    return None
