"""Does an OSV advisory affect a component at its version? (OSV schema "Evaluation").

A version is affected when one of the record's ``affected`` entries names the
package and either lists the version in ``versions`` or lies in one of its
``ranges``. Range events are sorted by the range's ordering (``introduced:
"0"`` first) and walked: ``introduced`` turns "vulnerable" on when the version
is at or past it, ``fixed`` turns it off at or past the fix, ``last_affected``
turns it off strictly past it; ``limit`` events bound the range from above.
``GIT`` ranges need a commit graph and are not evaluated: OSV requires such
records to enumerate ``versions``, which are.

Withdrawn records never match. Package names compare as the ecosystem does
(PEP 503 for PyPI; for npm the full ``@scope/name``, ignoring case).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from packaging.utils import canonicalize_name

from mtf_action.vulns.model import Advisory, Component, OsvAffected, OsvRange, OsvRecord
from mtf_action.vulns.versions import (
    INTRODUCED_ZERO,
    Comparable,
    OsvEcosystem,
    RangeType,
    in_versions,
    version_key,
)

_EVALUATED: tuple[RangeType, ...] = ("ECOSYSTEM", "SEMVER")
MAX_SUMMARY = 200


@dataclass(frozen=True)
class Match:
    """The verdict for one record and one component."""

    affected: bool
    fixed: tuple[str, ...] = ()  # the fix that ends each range the version is in
    last_affected: tuple[str, ...] = ()
    undecided: tuple[str, ...] = field(default=())  # ranges that could not be evaluated


def package_name_key(ecosystem: str, name: str) -> str:
    """PEP 503 names for PyPI. npm names compare case-insensitively: npm forbids
    upper case in new names, yet real advisories spell them otherwise (GHSA-8hc4-vh64-cxmj
    names "Axios"); a false match on a legacy mixed-case twin beats a missed advisory."""
    return str(canonicalize_name(name)) if ecosystem == "PyPI" else name.lower()


def entries_for(record: OsvRecord, ecosystem: OsvEcosystem, key: str) -> list[OsvAffected]:
    """The record's ``affected`` entries that name this package."""
    key = package_name_key(ecosystem, key)
    return [
        entry
        for entry in record.affected
        if entry.package is not None
        and entry.package.ecosystem == ecosystem
        and package_name_key(ecosystem, entry.package.name) == key
    ]


def match(record: OsvRecord, component: Component) -> Match:
    if record.withdrawn:
        return Match(False)
    affected = False
    fixed: list[str] = []
    last: list[str] = []
    undecided: list[str] = []
    for entry in entries_for(record, component.ecosystem, component.key):
        if in_versions(component.ecosystem, component.version, tuple(entry.versions)):
            affected = True
        for rng in entry.ranges:
            if rng.type not in _EVALUATED:
                continue
            verdict = _in_range(rng, component.ecosystem, component.version)
            if verdict is None:
                undecided.append(
                    f"{record.id}: {rng.type} range not comparable with {component.version!r}"
                )
            elif verdict.affected:
                affected = True
                fixed += verdict.fixed
                last += verdict.last_affected
    if not affected:
        return Match(False, undecided=tuple(undecided))
    return Match(True, _unique(fixed), _unique(last), tuple(undecided))


def _in_range(rng: OsvRange, ecosystem: OsvEcosystem, version: str) -> Match | None:
    """The OSV walk over one range; None when a version does not parse under its ordering."""
    range_type = cast(RangeType, rng.type)
    mine = version_key(ecosystem, range_type, version)
    if mine is None:
        return None
    zero: list[str] = []
    keyed: list[tuple[Comparable, str, str]] = []  # (key, kind, version text)
    limits: list[Comparable] = []
    unbounded = False
    for event in rng.events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            text = getattr(event, kind)
            if text is None:
                continue
            if kind == "introduced" and text == INTRODUCED_ZERO:
                zero.append(text)
                continue
            if kind == "limit" and "*" in text:
                unbounded = True
                continue
            key = version_key(ecosystem, range_type, text)
            if key is None:
                return None
            if kind == "limit":
                limits.append(key)
            else:
                keyed.append((key, kind, text))
    if limits and not unbounded and not any(mine < limit for limit in limits):
        return Match(False)
    keyed.sort(key=lambda item: item[0])  # stable: equal versions keep file order
    vulnerable = bool(zero)
    ahead: list[tuple[str, str]] = []
    for key, kind, text in keyed:
        applies = key < mine if kind == "last_affected" else key <= mine
        if not applies:
            ahead.append((kind, text))
            continue
        if kind == "introduced":
            vulnerable = True
        elif kind == "fixed":
            vulnerable = False
        else:  # last_affected, and the version is past it
            vulnerable = False
    if not vulnerable:
        return Match(False)
    # The event that closes the range the version is in: the next fixed/last_affected.
    closing = next(((k, t) for k, t in ahead if k in ("fixed", "last_affected")), None)
    if closing is None:
        return Match(True)
    kind, text = closing
    return Match(
        True,
        fixed=(text,) if kind == "fixed" else (),
        last_affected=((text,) if kind == "last_affected" else ()),
    )


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def summary_of(record: OsvRecord) -> str:
    """One line: the record's summary, else the start of its details."""
    text = record.summary or record.details or ""
    line = " ".join(text.split())
    return line if len(line) <= MAX_SUMMARY else line[: MAX_SUMMARY - 3] + "..."


def advisory_for(record: OsvRecord, component: Component, source: str) -> Advisory | None:
    """The record as it applies to ``component``, or None when it does not affect it."""
    verdict = match(record, component)
    if not verdict.affected:
        return None
    return advisory_from(record, component, source, verdict)


def advisory_from(
    record: OsvRecord, component: Component, source: str, verdict: Match | None = None
) -> Advisory:
    """``record`` as an :class:`Advisory` for ``component`` (a source already decided it applies)."""
    verdict = verdict or match(record, component)
    severity = list(record.severity)
    for entry in entries_for(record, component.ecosystem, component.key):
        severity += entry.severity
    return Advisory(
        id=record.id,
        aliases=tuple(a for a in record.aliases if a != record.id),
        summary=summary_of(record),
        fixed=verdict.fixed,
        last_affected=verdict.last_affected,
        severity=tuple(dict.fromkeys(severity)),
        published=record.published,
        source=source,
    )
