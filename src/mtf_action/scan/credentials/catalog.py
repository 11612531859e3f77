"""The OAuth scope classification data (``mtf_action/data/oauth_scopes.json``), typed.

The document is part of the package, so a malformed one is a packaging bug:
loading raises ``pydantic.ValidationError`` and the control reports ``error``.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mtf_action.data import read_json

DATA_FILE = "oauth_scopes.json"


class Risk(enum.StrEnum):
    """CD-04 scope risk levels (MTF-0.1 section 3.5, "Scope Risk Classification")."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Risk.LOW: 1, Risk.MEDIUM: 2, Risk.HIGH: 3, Risk.CRITICAL: 4}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@functools.lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """``*`` matches any run of characters; everything else is literal (case-insensitive)."""
    parts = (re.escape(part) for part in pattern.casefold().split("*"))
    return re.compile(".*".join(parts), re.DOTALL)


class ScopeRule(_Strict):
    scopes: list[str] = Field(min_length=1)
    risk: Risk
    why: str
    source: str
    narrower: list[str] = Field(default_factory=list)
    service: str | None = None
    # The service is named by the scope itself (calendar.readonly -> calendar).
    service_by_scope: bool = False

    def matches(self, scope: str) -> bool:
        folded = scope.casefold()
        return any(glob_regex(p).fullmatch(folded) for p in self.scopes)


class Provider(_Strict):
    id: str
    name: str
    aliases: list[str]
    documentation: str
    scope_prefixes: list[str]
    # Scope spellings that identify the provider whatever the declared provider name.
    recognise: list[str]
    rules: list[ScopeRule]
    services: dict[str, list[str]]

    @property
    def service_from(self) -> Literal["first_segment", "before_colon", "after_colon"]:
        """How a scope names its service (Google ``calendar.x``, Slack ``chat:write``...)."""
        if self.id == "github":
            return "after_colon"
        if self.id == "slack":
            return "before_colon"
        return "first_segment"


class UnknownWords(_Strict):
    critical: list[str]
    high: list[str]
    medium: list[str]
    low: list[str]

    def by_risk(self) -> list[tuple[Risk, frozenset[str]]]:
        """Highest risk first: the first level with a matching word wins."""
        return [
            (Risk.CRITICAL, frozenset(self.critical)),
            (Risk.HIGH, frozenset(self.high)),
            (Risk.MEDIUM, frozenset(self.medium)),
            (Risk.LOW, frozenset(self.low)),
        ]


class ScopeCatalog(_Strict):
    description: str
    risk_criteria: dict[Risk, str]
    providers: list[Provider]
    unknown_words: UnknownWords


@functools.cache
def scope_catalog() -> ScopeCatalog:
    """The shipped classification (parsed and validated once per process)."""
    return ScopeCatalog.model_validate(read_json(DATA_FILE))
