"""Turn a path on the command line into a :class:`ScanContext`.

Two kinds of target:

* a ``.mcpb`` (or any ZIP archive): opened with :class:`SafeBundle`, which
  refuses hostile archives (``..`` or absolute names, symlinks, duplicates, size
  and ratio limits) before inflating anything, and extracted into a private
  temporary directory, never next to the bundle. The report's digest is the
  SHA-256 of the bundle file.
* a server source directory: exactly the files ``build`` would pack (the
  tree's ignore rules and symlink policy, no vendoring: a ``deps/`` or
  ``node_modules/`` already in the tree is scanned as it is). The report's
  digest is that of the bundle ``build --no-vendor`` produces from the tree
  (built into a private temporary directory, at the tree's resolved
  ``SOURCE_DATE_EPOCH``). When ``build`` refuses the tree (an invalid
  manifest, which the scan goes on to report), it is the digest of the
  deterministic archive of the files it would pack, written by the same
  writer; ``ScanContext.digest_of`` says which.

Anything else is invalid input (exit code 3).
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mtf_action.console import Reporter
from mtf_action.errors import EnvironmentProblem, InvalidInputError
from mtf_action.scan.context import ScanContext, ScanOptions

if TYPE_CHECKING:
    from mtf_action.bundle.collect import Collection

DIGEST_FILE = "the bundle file"
DIGEST_BUILD = "the bundle build --no-vendor makes from the directory"
DIGEST_FILES = "the deterministic archive of the files build would pack (build refused the tree)"


def _is_archive(path: Path) -> bool:
    if path.suffix.lower() == ".mcpb":
        return True  # SafeBundle explains what is wrong with a broken one
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def tree_digest(
    root: Path,
    collection: Collection,
    env: Mapping[str, str],
    progress: Callable[[int], None] | None = None,
) -> str:
    """SHA-256 of the deterministic archive of ``collection`` (see the module docstring)."""
    from mtf_action.bundle.archive import write_archive
    from mtf_action.bundle.epoch import resolve_epoch

    epoch, _origin = resolve_epoch(root, None, env)
    with tempfile.TemporaryDirectory(prefix="mtf-scan-digest-") as tmp:
        result = write_archive(collection, Path(tmp) / "tree.mcpb", epoch=epoch, progress=progress)
    return result.sha256


def build_digest(root: Path, env: Mapping[str, str]) -> str:
    """SHA-256 of the bundle ``build --no-vendor`` makes from ``root`` (built in a temp dir)."""
    # The build machinery (SBOM generation, cyclonedx) loads only for directory scans.
    from mtf_action.build import BuildOptions, build_bundle

    quiet = Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())
    with tempfile.TemporaryDirectory(prefix="mtf-scan-build-") as tmp:
        options = BuildOptions(source_dir=root, output_dir=Path(tmp), vendor=False, env=env)
        return build_bundle(options, quiet).bundle.sha256


def open_directory(
    root: Path, options: ScanOptions, *, reporter: Reporter, env: Mapping[str, str] | None = None
) -> ScanContext:
    """A directory-kind context over the files ``build`` would pack from ``root``."""
    # The tree walker and .mcpbignore rules (pathspec) load for directory scans only.
    from mtf_action.bundle.collect import collect_files
    from mtf_action.bundle.ignore import IgnoreRules

    root = root.resolve()
    with reporter.step("listed the files build would pack"):
        collection = collect_files(root, IgnoreRules.for_tree(root))
    for skipped in collection.skipped:
        reporter.warn(f"not scanned: {skipped}")
    environ = os.environ if env is None else env
    with reporter.step("computed the digest of the bundle build --no-vendor would make"):
        try:
            digest, digest_of = build_digest(root, environ), DIGEST_BUILD
        except (InvalidInputError, EnvironmentProblem):  # reported by the scan itself
            digest, digest_of = tree_digest(root, collection, environ), DIGEST_FILES
    if options.source_dir is None:
        options = dataclasses.replace(options, source_dir=root)
    ctx = ScanContext(
        root,
        [entry.arcname for entry in collection],
        kind="directory",
        options=options,
        bundle_sha256=digest,
    )
    ctx.digest_of = digest_of
    return ctx


def open_target(path: Path, options: ScanOptions, *, reporter: Reporter) -> ScanContext:
    """Open ``path`` (directory or bundle) for scanning; close the context when done."""
    if path.is_dir():
        return open_directory(path, options, reporter=reporter)
    if not path.exists():
        raise InvalidInputError("no such file or directory", path=path)
    if path.is_file() and _is_archive(path):
        with reporter.step("opened the bundle (central directory checked)"):
            ctx = ScanContext.for_bundle(path, options)
        ctx.digest_of = DIGEST_FILE
        return ctx
    raise InvalidInputError("not a server directory or a .mcpb bundle (ZIP archive)", path=path)
