"""Classifying one declared OAuth scope by risk (MTF CD-04 "Scope Risk Classification").

The provider is recognised from the scope's own spelling first (a
``https://www.googleapis.com/auth/...`` scope is Google's whatever the declared
``provider`` says), then from the declared provider name and its aliases. Known
providers classify by their rule table (``oauth_scopes.json``, first matching
rule wins); a scope no rule covers, or one of an unknown provider, is classified
by the words it contains (admin/owner -> CRITICAL, full/all/``*``/delete -> HIGH,
write/send -> MEDIUM, read/view -> LOW). A scope without any such word is
``unclassified`` and assumed MEDIUM (write access): nothing shows it is read-only.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from mtf_action.scan.credentials.catalog import Provider, Risk, ScopeRule, glob_regex, scope_catalog

_WORDS = re.compile(r"\*|[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_NAME_SEPARATORS = re.compile(r"[\s_.]+")
# Critical/high words this long also count inside a longer word (superadmin, management).
_SUBSTRING_MIN = 5

Method = Literal["rule", "words", "unclassified"]


@dataclass(frozen=True)
class ScopeClass:
    """The risk of one declared scope, and what the classification rests on."""

    scope: str  # as declared
    short: str  # without the provider's URL prefix
    provider: str | None  # provider id (None: unknown provider)
    risk: Risk
    method: Method
    why: str
    source: str
    narrower: tuple[str, ...]
    # Words showing that a tool uses the scope; empty when that is undecidable
    # (identity scopes, unknown services).
    keywords: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "scope": self.scope,
            "provider": self.provider,
            "risk": self.risk.value,
            "classified_by": self.method,
            "why": self.why,
            "source": self.source,
            "narrower": list(self.narrower),
        }


def _normal_name(name: str) -> str:
    return _NAME_SEPARATORS.sub("-", name.strip().casefold())


def resolve_provider(declared: str | None, scope: str) -> Provider | None:
    """The known provider a scope belongs to (its spelling first, then the declared name)."""
    catalog = scope_catalog()
    folded = scope.strip().casefold()
    for provider in catalog.providers:
        if any(glob_regex(p).fullmatch(folded) for p in provider.recognise):
            return provider
    if declared:
        wanted = _normal_name(declared)
        for provider in catalog.providers:
            if wanted == provider.id or wanted in provider.aliases:
                return provider
    return None


def provider_id(declared: str | None) -> str | None:
    """The known provider id of a declared provider name (None when unknown)."""
    provider = resolve_provider(declared, "")
    return provider.id if provider is not None else None


def _short(provider: Provider | None, scope: str) -> str:
    text = scope.strip()
    for prefix in provider.scope_prefixes if provider is not None else ():
        if text.casefold().startswith(prefix.casefold()) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text


def _service_key(provider: Provider, short: str) -> str:
    folded = short.casefold()
    if provider.service_from == "before_colon":
        return folded.split(":", 1)[0]
    if provider.service_from == "after_colon":
        return folded.split(":", 1)[-1]
    return folded.split(".", 1)[0]


def _keywords(provider: Provider, rule: ScopeRule, short: str) -> tuple[str, ...]:
    key = rule.service or (_service_key(provider, short) if rule.service_by_scope else None)
    return tuple(provider.services.get(key, ())) if key is not None else ()


def scope_words(scope: str) -> list[str]:
    """Lower-case words of a scope: ``Files.ReadWrite.All`` -> files, read, write, all."""
    return [w.casefold() for w in _WORDS.findall(scope)]


def classify_by_words(scope: str, provider: str | None) -> ScopeClass:
    """The fallback for scopes no rule covers (see the module docstring)."""
    words = scope_words(scope)
    for risk, vocabulary in scope_catalog().unknown_words.by_risk():
        hits = [w for w in words if w in vocabulary]
        if risk in (Risk.CRITICAL, Risk.HIGH) and not hits:
            hits = [
                v for v in vocabulary if len(v) >= _SUBSTRING_MIN and any(v in w for w in words)
            ]
        if hits:
            return ScopeClass(
                scope=scope,
                short=scope,
                provider=provider,
                risk=risk,
                method="words",
                why=f"not in the classification table; the scope says {hits[0]!r}",
                source="MTF-0.1 CD-04 criteria applied to the scope's words",
                narrower=(),
                keywords=(),
            )
    return ScopeClass(
        scope=scope,
        short=scope,
        provider=provider,
        risk=Risk.MEDIUM,
        method="unclassified",
        why="not in the classification table and no word tells its reach: assumed to "
        "include write access",
        source="MTF-0.1 CD-04 criteria (unknown reach treated as MEDIUM)",
        narrower=(),
        keywords=(),
    )


def classify(scope: str, declared_provider: str | None) -> ScopeClass:
    """Classify ``scope`` as declared under ``declared_provider``."""
    provider = resolve_provider(declared_provider, scope)
    short = _short(provider, scope)
    if provider is not None:
        for rule in provider.rules:
            if rule.matches(short):
                return ScopeClass(
                    scope=scope,
                    short=short,
                    provider=provider.id,
                    risk=rule.risk,
                    method="rule",
                    why=rule.why,
                    source=f"{rule.source} ({provider.documentation})",
                    narrower=tuple(rule.narrower),
                    keywords=_keywords(provider, rule, short),
                )
    fallback = classify_by_words(short, provider.id if provider is not None else None)
    return dataclasses.replace(fallback, scope=scope, short=short)
