"""The OSV record subset we read, and what flows between the SC-02 layers.

OSV records (https://ossf.github.io/osv-schema/, 1.6): only the fields that
matching, de-duplication and prioritisation use are modelled; everything else
(references, credits, ...) is ignored (``extra="ignore"``) so newer schema
versions keep loading. Scalars are coerced to strings because OSV YAML files
(PyPA advisory database) may leave versions or timestamps unquoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from mtf_action.vulns.versions import OsvEcosystem


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text)]


class _Osv(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class OsvEvent(_Osv):
    """One event of a range; OSV allows exactly one key per event."""

    introduced: Text | None = None
    fixed: Text | None = None
    last_affected: Text | None = None
    limit: Text | None = None


class OsvRange(_Osv):
    type: str
    repo: str | None = None
    events: list[OsvEvent] = Field(default_factory=list)


class OsvPackage(_Osv):
    ecosystem: str
    name: str
    purl: str | None = None


class OsvSeverity(_Osv):
    type: str
    score: Text


class OsvAffected(_Osv):
    package: OsvPackage | None = None
    severity: list[OsvSeverity] = Field(default_factory=list)
    ranges: list[OsvRange] = Field(default_factory=list)
    versions: list[Text] = Field(default_factory=list)
    database_specific: dict[str, Any] | None = None


class OsvRecord(_Osv):
    """One OSV advisory (``GET /v1/vulns/{id}``, or a file of an OSV export)."""

    id: str
    modified: Text | None = None
    published: Text | None = None
    withdrawn: Text | None = None
    aliases: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    summary: str | None = None
    details: str | None = None
    severity: list[OsvSeverity] = Field(default_factory=list)
    affected: list[OsvAffected] = Field(default_factory=list)
    database_specific: dict[str, Any] | None = None


@dataclass(frozen=True)
class Component:
    """One SBOM component to check: identity, and where a finding should point.

    ``key`` is the ecosystem's matching name (PEP 503 for PyPI, ``@scope/name``
    for npm); ``purl`` is the canonical ``pkg:<type>/<name>@<version>`` used as
    the cache and query key; ``file``/``line`` locate its lockfile entry when
    there is one, else the SBOM that lists it.
    """

    ecosystem: OsvEcosystem
    name: str
    key: str
    version: str
    purl: str
    file: str | None = None
    line: int | None = None


class Advisory(BaseModel):
    """One advisory as it applies to one component (what sources return and the cache stores)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    fixed: tuple[str, ...] = ()  # versions that fix it for this component
    last_affected: tuple[str, ...] = ()  # when the advisory names no fix
    severity: tuple[OsvSeverity, ...] = ()
    published: str | None = None
    source: str = ""  # which source reported it (osv, pypi, local database)


@dataclass(frozen=True)
class VulnerabilityGroup:
    """Advisories for one component that are aliases of each other, merged (CVE↔GHSA↔PYSEC)."""

    ids: tuple[str, ...]  # every advisory id and alias, primary first
    advisories: tuple[Advisory, ...]
    summary: str
    fixed: tuple[str, ...]
    last_affected: tuple[str, ...]
    cves: tuple[str, ...] = ()  # the CVE ids among ``ids`` (what EPSS and KEV know)

    @property
    def primary(self) -> str:
        return self.ids[0]
