"""The target platform of a per-platform bundle, with mcpb-pack's names.

mcpb-pack's ``platform-os`` is ``darwin``, ``linux`` or ``win32`` (Node's
``process.platform``, as in the MCPB manifest's ``compatibility.platforms``)
and ``platform-arch`` is ``x64`` or ``arm64``; ``any`` means the bundle runs
everywhere (pure Python or JavaScript). A bundle with native dependencies is
built once per platform and its file name carries the platform, so the
bundles of one release do not collide and consumers see which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from mtf_action.errors import UsageError

ANY: Final = "any"
OPERATING_SYSTEMS: Final = ("darwin", "linux", "win32", ANY)
ARCHITECTURES: Final = ("x64", "arm64", ANY)


@dataclass(frozen=True)
class Platform:
    """``os``/``arch`` of a bundle; ``any`` for either part that does not matter."""

    os: str = ANY
    arch: str = ANY

    def __post_init__(self) -> None:
        if self.os not in OPERATING_SYSTEMS:
            raise UsageError(
                f"platform os {self.os!r} is not one of {', '.join(OPERATING_SYSTEMS)}"
            )
        if self.arch not in ARCHITECTURES:
            raise UsageError(
                f"platform arch {self.arch!r} is not one of {', '.join(ARCHITECTURES)}"
            )

    @property
    def universal(self) -> bool:
        return self.os == ANY and self.arch == ANY

    @property
    def label(self) -> str:
        """``darwin-arm64``: the file-name suffix of a per-platform bundle."""
        return f"{self.os}-{self.arch}"


def platform_from(os_name: str | None, arch: str | None) -> Platform | None:
    """The platform the user asked for, or None when neither part was given."""
    os_name, arch = (os_name or "").strip(), (arch or "").strip()
    if not os_name and not arch:
        return None
    return Platform(os=os_name or ANY, arch=arch or ANY)


def platform_of_file(filename: str) -> Platform | None:
    """The platform a bundle's file name ends with (``...-darwin-arm64.mcpb``), if any."""
    parts = filename.removesuffix(".mcpb").rsplit("-", 2)
    if len(parts) == 3 and parts[1] in OPERATING_SYSTEMS and parts[2] in ARCHITECTURES:
        return Platform(os=parts[1], arch=parts[2])
    return None


def excluded_by_manifest(platform: Platform, declared: Sequence[str]) -> str | None:
    """A warning when the manifest's ``compatibility.platforms`` leaves out the target.

    An empty list declares nothing (MCPB: every platform), so nothing is excluded.
    """
    if platform.os == ANY or not declared or platform.os in declared:
        return None
    return (
        f"building for {platform.os}, but the manifest's compatibility.platforms lists only "
        f"{', '.join(declared)}: MCPB clients on {platform.os} will refuse this bundle"
    )
