"""Bundle member headers (mode bits, timestamps, CRC-32) and the executable bit.

A ``.mcpb`` records each member's Unix mode in its central directory; the
extracted copies in the scan's temporary directory do not keep it. The central
directory of the (already vetted) bundle is read once per scan, without
inflating any member. For a source directory the file system's mode is used,
as ``build`` does when it packs the tree.
"""

from __future__ import annotations

import os
import stat
import zipfile

from mtf_action.errors import BundleError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.memo import memo


def bundle_members(ctx: ScanContext) -> dict[str, zipfile.ZipInfo]:
    """Central-directory entries of the scanned bundle by name ({} for a directory)."""
    return memo(ctx, "supply.members", lambda: _read_members(ctx))


def _read_members(ctx: ScanContext) -> dict[str, zipfile.ZipInfo]:
    if ctx.kind != "bundle" or ctx.bundle_path is None:
        return {}
    try:
        with zipfile.ZipFile(ctx.bundle_path) as archive:
            return {info.filename: info for info in archive.infolist() if not info.is_dir()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError(
            f"cannot read the central directory ({exc})", path=ctx.bundle_path
        ) from None


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
