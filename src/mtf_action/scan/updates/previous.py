"""The previous release's manifest (``scan --previous PATH``).

PATH is a ``manifest.json``, a server directory holding one, or a ``.mcpb``
bundle; the bundle is opened with :class:`SafeBundle` (member-name, size and
ratio checks) and only its ``manifest.json`` is read. The manifest passes the
same gate as the scanned one (:func:`read_manifest`): a broken one is a
:class:`ManifestError` naming the file (exit code 3 from the CLI, ``error`` from
the controls). It is read once per scan and shared by UP-02 and UP-04.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from mtf_action.manifest.loader import LoadedManifest, read_manifest
from mtf_action.scan.context import ScanContext

_CACHE: weakref.WeakKeyDictionary[ScanContext, LoadedManifest] = weakref.WeakKeyDictionary()


def load_previous(path: Path) -> LoadedManifest:
    """Read the previous release's manifest (raises ManifestError naming the file)."""
    return read_manifest(path)


def previous_manifest(ctx: ScanContext) -> LoadedManifest | None:
    """The previous release of this scan, or None when ``--previous`` was not given."""
    path = ctx.options.previous
    if path is None:
        return None
    cached = _CACHE.get(ctx)
    if cached is None:
        cached = load_previous(path)
        _CACHE[ctx] = cached
    return cached
