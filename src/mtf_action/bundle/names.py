"""Member names: which are acceptable, and the one order they are written in.

A bundle we write must pass our own hostile-bundle reader and extract the same
everywhere, so names are relative POSIX paths without empty, ``.`` or ``..``
components, backslashes, drive letters or NUL bytes, encodable as UTF-8 and at
most 65535 bytes (the ZIP field width). Order is by Python string comparison,
which for valid Unicode equals the byte order of the UTF-8 encoding. A file
member may not also be a parent directory of another (``a`` and ``a/b``).
"""

from __future__ import annotations

from collections.abc import Iterable

from mtf_action.bundle.model import BundleEntry
from mtf_action.errors import BundleError


def unsafe_name_reason(name: str) -> str | None:
    """Why ``name`` must not be a member name, or None if it is fine."""
    if not name or "\x00" in name:
        return "empty or contains a NUL byte"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "empty, '.' or '..' path component"
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid UTF-8"
    if len(encoded) > 0xFFFF:
        return "longer than 65535 bytes"
    return None


def checked_order(entries: Iterable[BundleEntry]) -> list[BundleEntry]:
    """The entries sorted by name; refuses duplicates, conflicts and unsafe names."""
    ordered = sorted(entries, key=lambda e: e.arcname)
    names = {e.arcname for e in ordered}
    previous = None
    for e in ordered:
        if e.arcname == previous:
            raise BundleError(f"two members named {e.arcname!r}", path=e.path)
        previous = e.arcname
        if (e.path is None) == (e.data is None):
            raise ValueError(f"{e.arcname}: exactly one of path and data must be set")
        reason = unsafe_name_reason(e.arcname)
        if reason:
            raise BundleError(f"unsafe member name {e.arcname!r}: {reason}", path=e.path)
        cut = e.arcname.find("/")
        while cut != -1:
            if e.arcname[:cut] in names:
                raise BundleError(
                    f"member {e.arcname!r} would sit inside file member {e.arcname[:cut]!r}",
                    path=e.path,
                )
            cut = e.arcname.find("/", cut + 1)
    return ordered
