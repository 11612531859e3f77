"""Version orderings for OSV range evaluation.

OSV ``ECOSYSTEM`` ranges use the package ecosystem's own ordering; ``SEMVER``
ranges use SemVer 2.0.0 precedence whatever the ecosystem (OSV schema,
"affected[].ranges[].type"). Here:

* PyPI: PEP 440 through :mod:`packaging` (pre-releases sort before their
  release, ``1.0+local`` after ``1.0`` and before ``1.0.post1``);
* npm: SemVer 2.0.0 through the ``semver`` package. npm's own parser accepts a
  leading ``v`` or ``=`` and surrounding spaces, so those are stripped; build
  metadata (``1.0.0+build.5``) takes no part in precedence (SemVer item 10),
  which matches OSV's note that range versions may have it stripped.

A version that does not parse under the ordering yields ``None``: callers can
then only use an advisory's explicit ``versions`` list, never a guess.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, Protocol

import semver
from packaging.version import InvalidVersion, Version

OsvEcosystem = Literal["PyPI", "npm"]
RangeType = Literal["ECOSYSTEM", "SEMVER"]

# OSV: introduced "0" sorts before every version (a sentinel, not a version).
INTRODUCED_ZERO = "0"


class Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...


# purl type -> OSV ecosystem name (OSV "Defined ecosystems").
PURL_TO_OSV: dict[str, OsvEcosystem] = {"pypi": "PyPI", "npm": "npm"}


@lru_cache(maxsize=65536)
def pep440(text: str) -> Version | None:
    try:
        return Version(text.strip())
    except InvalidVersion:
        return None


@lru_cache(maxsize=65536)
def semver_version(text: str) -> semver.Version | None:
    """SemVer 2.0.0 (npm-style leniency: leading ``v``/``=`` and spaces ignored)."""
    cleaned = text.strip().lstrip("=v").strip()
    try:
        return semver.Version.parse(cleaned)
    except (ValueError, TypeError):
        return None


@lru_cache(maxsize=65536)
def _semver_lenient(text: str) -> semver.Version | None:
    """SEMVER-typed ranges on ecosystems whose versions may omit minor/patch (``2.0``)."""
    strict = semver_version(text)
    if strict is not None:
        return strict
    try:
        return semver.Version.parse(text.strip().lstrip("=v"), optional_minor_and_patch=True)
    except (ValueError, TypeError):
        return None


def version_key(ecosystem: OsvEcosystem, range_type: RangeType, text: str) -> Comparable | None:
    """The sort key of ``text`` under a range's ordering, or None if it does not parse."""
    if range_type == "SEMVER":
        return _semver_lenient(text)
    if ecosystem == "PyPI":
        return pep440(text)
    return semver_version(text)


@lru_cache(maxsize=8192)
def version_set(ecosystem: OsvEcosystem, versions: tuple[str, ...]) -> frozenset[object]:
    """An advisory's ``versions`` list for membership tests: the parsed versions (equal
    and equally hashed as :func:`same_version` compares them) plus the raw strings."""
    parse = pep440 if ecosystem == "PyPI" else semver_version
    parsed = {parse(v) for v in versions}
    parsed.discard(None)
    return frozenset({*versions, *parsed})


def in_versions(ecosystem: OsvEcosystem, version: str, versions: tuple[str, ...]) -> bool:
    if not versions:
        return False
    known = version_set(ecosystem, versions)
    parsed = pep440(version) if ecosystem == "PyPI" else semver_version(version)
    return version in known or (parsed is not None and parsed in known)


def same_version(ecosystem: OsvEcosystem, a: str, b: str) -> bool:
    """Equality as the ecosystem defines it (``1.0`` == ``1.0.0`` in PEP 440;
    SemVer ignores build metadata). Unparseable versions compare as strings."""
    if a == b:
        return True
    if ecosystem == "PyPI":
        pa = pep440(a)
        return pa is not None and pa == pep440(b)
    sa = semver_version(a)
    return sa is not None and sa == semver_version(b)
