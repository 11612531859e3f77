"""The interface every advisory source implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from mtf_action.vulns.model import Advisory, Component


@dataclass
class SourceAnswer:
    """Advisories per component purl; every purl asked for is in ``advisories`` or ``unscanned``.

    An empty list means "checked, nothing known" (what the cache stores too);
    ``unscanned`` maps a purl to why it could not be checked (never a pass).
    """

    advisories: dict[str, list[Advisory]] = field(default_factory=dict)
    unscanned: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def update(self, other: SourceAnswer) -> None:
        self.advisories.update(other.advisories)
        self.unscanned.update(other.unscanned)
        self.notes += other.notes


class AdvisorySource(ABC):
    """Answers "which advisories affect these components at these versions?".

    Implementations raise :class:`~mtf_action.vulns.http.SourceUnavailable` when
    they cannot answer at all (network down, rate limit, server errors), and
    :class:`~mtf_action.errors.InvalidInputError` for an unusable local database.
    """

    name: str  # "osv", "pypi", "offline": what reports and --vuln-source call it
    online: bool

    @property
    @abstractmethod
    def identity(self) -> str:
        """What the answers depend on (service URL, database fingerprint): the cache namespace."""

    @property
    @abstractmethod
    def description(self) -> str:
        """One human line: which service or database was asked."""

    @abstractmethod
    def query(self, components: Sequence[Component]) -> SourceAnswer:
        """Advisories for each component (by ``component.purl``)."""
