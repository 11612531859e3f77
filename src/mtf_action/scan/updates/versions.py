"""SemVer 2.0.0 precedence and version bumps (MTF UP-02, UP-04).

Versions are parsed strictly (the ``semver`` package; MTF AI-01 requires
SemVer). Build metadata does not take part in precedence, so ``1.0.0+b2`` is
*not* greater than ``1.0.0+b1``. For a ``0.y.z`` release, SemVer allows anything
to change; the common reading (npm's caret ranges) is applied: a minor bump of a
0.x version is the breaking-change bump, as a major bump is from 1.0.0 on.
"""

from __future__ import annotations

from typing import Literal

import semver

Bump = Literal["major", "minor", "patch", "prerelease", "same", "downgrade"]


def parse(text: object) -> semver.Version | None:
    if not isinstance(text, str):
        return None
    try:
        return semver.Version.parse(text.strip())
    except (ValueError, TypeError):
        return None


def bump(old: semver.Version, new: semver.Version) -> Bump:
    """What kind of step ``old`` -> ``new`` is, by precedence."""
    order = new.compare(old)
    if order < 0:
        return "downgrade"
    if order == 0:
        return "same"
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    if new.patch != old.patch:
        return "patch"
    return "prerelease"


def allows_breaking(old: semver.Version, new: semver.Version) -> bool:
    """True when ``new`` is a breaking-change bump of ``old`` (see the module docstring)."""
    if new.compare(old) <= 0:
        return False
    if new.major > old.major:
        return True
    return old.major == 0 and new.major == 0 and new.minor > old.minor
