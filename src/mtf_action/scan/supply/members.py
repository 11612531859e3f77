"""Bundle member headers (mode bits, timestamps, CRC-32) and the executable bit.

A ``.mcpb`` records each member's Unix mode in its central directory; the
extracted copies in the scan's temporary directory do not keep it. The entries come
from the central directory the scan vetted when it opened the bundle, without
inflating any member. For a source directory the file system's mode is used,
as ``build`` does when it packs the tree.
"""

from __future__ import annotations

import os
import stat
import zipfile

from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.memo import memo


def bundle_members(ctx: ScanContext) -> dict[str, zipfile.ZipInfo]:
    """Central-directory entries of the scanned bundle by name ({} for a directory).

    The entries the scan vetted when it opened the bundle: the archive is not
    opened, or its directory parsed, a second time.
    """
    return memo(ctx, "supply.members", lambda: _read_members(ctx))


def _read_members(ctx: ScanContext) -> dict[str, zipfile.ZipInfo]:
    members = {}
    for path in ctx.files:
        info = ctx.member(path)
        if info is not None:
            members[path] = info
    return members


def unix_mode(info: zipfile.ZipInfo) -> int:
    """Permission bits a member records (0 when the archiver stored none)."""
    return (info.external_attr >> 16) & 0o7777


def is_executable(ctx: ScanContext, path: str) -> bool:
    """Whether ``path`` carries an executable bit in the target."""
    if ctx.kind == "bundle":
        info = bundle_members(ctx).get(path)
        return info is not None and bool(unix_mode(info) & 0o111)
    try:
        mode = os.stat(ctx.root / path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and bool(mode & 0o111)
