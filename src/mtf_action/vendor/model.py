"""What a vendoring step reports back to the build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtf_action.lockfiles.model import Lockfile


@dataclass(frozen=True)
class VendorResult:
    """Where the vendored tree is and how it was produced.

    ``root`` is a directory whose contents are packed at ``arc_prefix`` inside
    the bundle (``deps`` for Python, ``node_modules`` for Node). ``lockfile`` is
    the lockfile the install followed, or ``None`` when there was none.
    ``notes`` are human-readable remarks worth surfacing (e.g. "no lockfile").
    """

    root: Path
    arc_prefix: str
    tool: str
    lockfile: Lockfile | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
