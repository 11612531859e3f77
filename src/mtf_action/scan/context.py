"""One parsed view of the thing being scanned, shared by every control.

A scan target is either a server source directory (the files ``build`` would
pack) or a ``.mcpb`` bundle, read in place through :class:`SafeBundle` (each
member inflated on demand, with the bundle's limits). Controls never open files
themselves: they ask the context, which reads each file at most once and
caches the bytes, the decoded text and parsed forms (Python AST, JSON). The
few analyses that need a real tree on disk (regenerating an SBOM from
installed packages) ask for :attr:`ScanContext.root`, which extracts the
bundle into a private temporary directory the first time, never next to it.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from mtf_action.bundle.reader import BundleLimits, SafeBundle
from mtf_action.digests import sha256_file
from mtf_action.errors import BundleError, InvalidInputError, ManifestError
from mtf_action.manifest.loader import DEFAULT_MAX_SIZE as MANIFEST_MAX_SIZE
from mtf_action.manifest.loader import MANIFEST_NAME, LoadedManifest, parse_manifest_bytes
from mtf_action.scan.parallel import Pending, start_map
from mtf_action.vulns.options import VulnOptions

if TYPE_CHECKING:  # the validator (jsonschema, the manifest models) loads on first use
    from mtf_action.models.manifest import Manifest
    from mtf_action.models.manifest_report import ManifestReport

# Where MCPB bundles carry third-party code (MTF CQ-03 exclusions).
VENDOR_DIRS = ("deps", "node_modules", "vendor", "site-packages", ".venv", "server/lib")
MAX_TEXT_BYTES = 64 * 1024 * 1024  # bigger files are treated as opaque binaries
# Text analyses (regexes, parsers) skip bigger files: a 50 MB minified script
# must not stall the scan. Skips are recorded and reported as findings.
DEFAULT_MAX_TEXT_SIZE = 8 * 1024 * 1024


@dataclass(frozen=True)
class ScanOptions:
    """Knobs of one scan (CLI flags end up here)."""

    level: int | None = None
    allow_sources: tuple[str, ...] = ()
    scorecard: Path | None = None
    limits: BundleLimits = field(default_factory=BundleLimits)
    # The source tree a bundle was built from (``--source``): AI-04 rebuilds it,
    # PR-04 compares its git HEAD. For a directory scan it is the directory itself.
    source_dir: Path | None = None
    max_text_size: int = DEFAULT_MAX_TEXT_SIZE
    # AI-03 / PR-03 signature checks: the public key of key-mode signatures; the
    # trusted root (trusted_root.json or a client trust config) of keyless ones,
    # default the embedded production root; the provenance bundle, default
    # ``<bundle>.provenance.sigstore.json`` beside the bundle.
    public_key: Path | None = None
    trusted_root: Path | None = None
    provenance: Path | None = None
    # UP-02 / UP-04: the previous release (manifest.json, server directory or .mcpb).
    previous: Path | None = None
    # Why there is no previous release (e.g. none earlier on GitHub): UP-02/UP-04's skip reason.
    previous_missing: str | None = None
    # SC-02: advisory source, offline database, EPSS/KEV/VEX files, cache.
    vulns: VulnOptions = field(default_factory=VulnOptions)


@functools.lru_cache(maxsize=1 << 16)  # asked for every file by several controls
def is_vendored(path: str) -> bool:
    """True for paths inside a dependency directory (not the server's own code)."""
    parts = PurePosixPath(path).parts
    joined = "/".join(parts)
    return any(joined == d or joined.startswith(d + "/") for d in VENDOR_DIRS) or (
        "node_modules" in parts or "site-packages" in parts
    )


class ScanContext:
    """Files, manifest and caches of one scan target."""

    def __init__(
        self,
        root: Path,
        files: list[str],
        *,
        kind: Literal["directory", "bundle"],
        options: ScanOptions,
        bundle_path: Path | None = None,
        bundle_sha256: str | None = None,
        reader: SafeBundle | None = None,
    ) -> None:
        # Where the files live, or, for a bundle read in place, the directory
        # ``root`` would extract it into: a name for paths, never read directly.
        self.base = root
        self._reader = reader
        self._extracted = reader is None
        self.files = sorted(files)
        self._file_set = frozenset(self.files)
        self.kind = kind
        self.options = options
        self.bundle_path = bundle_path
        self.bundle_sha256 = bundle_sha256
        self.digest_of: str | None = None  # what bundle_sha256 is the digest of (target.py)
        self.reads: Counter[str] = Counter()  # proves the read-once guarantee in tests
        self._bytes: dict[str, bytes] = {}
        self._sizes: dict[str, int] = {}
        self._text: dict[str, str | None] = {}
        self._ast: dict[str, ast.Module | None] = {}
        self._json: dict[str, Any] = {}
        self._manifest: tuple[LoadedManifest, ManifestReport] | None = None
        self._loaded_manifest: LoadedManifest | None = None
        self._manifest_error: ManifestError | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        # Files a text analysis asked for but read_text refused as too large;
        # the engine drains this after each control and reports them.
        self.text_refused: list[tuple[str, int]] = []
        # Work a control began in Control.start, by control ID, for its evaluate.
        self.started: dict[str, Any] = {}
        self._owner_pid = os.getpid()
        self._reader_pid = self._owner_pid  # the process self._reader's handle belongs to
        self._verifying: tuple[frozenset[str], Pending[tuple[str, str | None] | None]] | None = None

    # -- construction ----------------------------------------------------------
    @classmethod
    def for_bundle(cls, path: Path, options: ScanOptions) -> ScanContext:
        """Open a bundle in place; its central directory is vetted before anything inflates."""
        try:
            digest = sha256_file(path)
        except OSError as exc:
            raise InvalidInputError(f"cannot read bundle: {exc.strerror}", path=path) from None
        reader = SafeBundle(path, options.limits)
        tmp = tempfile.TemporaryDirectory(prefix="mtf-scan-")
        ctx = cls(
            Path(tmp.name),
            reader.file_names(),
            kind="bundle",
            options=options,
            bundle_path=path,
            bundle_sha256=digest,
            reader=reader,
        )
        ctx._tmp = tmp
        return ctx

    @property
    def root(self) -> Path:
        """The target as a directory on disk (a bundle is extracted on first use)."""
        if not self._extracted and self._reader is not None:
            self._reader.extract_all(self.base)
            self._extracted = True
        return self.base

    def member(self, path: str) -> zipfile.ZipInfo | None:
        """The bundle's central-directory entry of ``path`` (None for a directory scan)."""
        return self._reader.info(path) if self._reader is not None else None

    def mtime(self, path: str) -> float:
        """Modification time: the member's zip timestamp, or the file's."""
        info = self.member(path)
        if info is not None:
            return time.mktime((*info.date_time, 0, 0, -1))
        return os.stat(self.base / path).st_mtime

    def take_started(self, key: str) -> Any:
        """Remove and return what a control started under ``key`` (None if nothing).

        In a forked child it is always None: work started by the scan's own
        process can only be collected there (its pipes belong to it).
        """
        if os.getpid() != self._owner_pid:
            return None
        return self.started.pop(key, None)

    def detach_reader(self) -> None:
        """In a forked child: read members through a handle of its own.

        The parent's zip handle shares its file offset with every forked
        child; a child that may read members first takes a private handle on
        the same file (:meth:`SafeBundle.reopened`). A no-op in the process
        that opened the scan.
        """
        # Once per process: a worker calls this for every member it checks.
        if self._reader is not None and os.getpid() != self._reader_pid:
            self._reader = self._reader.reopened()
            self._reader_pid = os.getpid()

    def _unread(self, path: str) -> bool:
        return path not in self._bytes and self._text.get(path) is None

    def start_verification(self) -> None:
        """Begin checking the members nothing has read so far, on another core.

        Called by the engine once the controls that start work have started (by
        then the text passes have read every text file): what is left is mostly
        binaries.
        """
        if self._reader is None or self._verifying is not None:
            return
        names = [path for path in self.files if self._unread(path)]

        def check(name: str) -> tuple[str, str | None] | None:
            self.detach_reader()
            assert self._reader is not None
            try:
                self._reader.verify(name)
            except BundleError as exc:
                return exc.message, exc.path
            return None

        self._verifying = (frozenset(names), start_map(check, names, weight=self.size))

    def verify_unread(self) -> None:
        """Inflate, without keeping, every bundle member no control has read.

        Whatever a scan skipped still reaches users when the bundle is
        installed, so its CRC-32 and declared size are checked too: a corrupt
        or lying member refuses the whole bundle (:class:`BundleError`).
        Members :meth:`start_verification` handed to another core are
        collected from there; the rest are checked here.
        """
        if self._reader is None:
            return
        checked: frozenset[str] = frozenset()
        if self._verifying is not None:
            checked, pending = self._verifying
            for failure in pending.result():
                if failure is not None:
                    raise BundleError(failure[0], path=failure[1])
        for path in self.files:
            if path not in checked and self._unread(path):
                self._reader.verify(path)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- file access (each file read at most once) -----------------------------
    def has(self, path: str) -> bool:
        return path in self._file_set

    def size(self, path: str) -> int:
        if path not in self._sizes:
            info = self.member(path)
            # A member's declared size: reads are capped at it (SafeBundle.read).
            self._sizes[path] = (
                info.file_size if info is not None else (self.base / path).stat().st_size
            )
        return self._sizes[path]

    def _read(self, path: str) -> bytes:
        self.reads[path] += 1
        if self._reader is not None:
            return self._reader.read(path)
        return (self.base / path).read_bytes()

    def read_bytes(self, path: str) -> bytes:
        if path in self._bytes:
            return self._bytes[path]
        # A file kept as text is not kept twice: strict UTF-8 decoding is
        # lossless, so encoding the text gives back the very same bytes.
        text = self._text.get(path)
        if text is not None:
            return text.encode("utf-8")
        data = self._bytes[path] = self._read(path)
        return data

    def read_text(self, path: str) -> str | None:
        """UTF-8 text of a file, or None for binaries, non-UTF-8 and oversized files.

        Files over ``options.max_text_size`` are not handed to text analyses;
        each refusal is recorded in :attr:`text_refused` for the report.
        """
        size = self.size(path)
        if size > self.options.max_text_size:
            if (path, size) not in self.text_refused:  # once per control, however often asked
                self.text_refused.append((path, size))
            return None
        return self._decoded(path, size)

    def _decoded(self, path: str, size: int) -> str | None:
        if path not in self._text:
            if size > MAX_TEXT_BYTES:
                self._text[path] = None
            else:
                fresh = path not in self._bytes
                data = self.read_bytes(path)
                try:
                    self._text[path] = None if b"\x00" in data[:8192] else data.decode("utf-8")
                except UnicodeDecodeError:
                    self._text[path] = None
                if fresh and self._text[path] is not None:
                    del self._bytes[path]  # kept once, as text (see read_bytes)
        return self._text[path]

    def python_ast(self, path: str) -> ast.Module | None:
        """Parsed Python module, or None when it does not parse (reported by callers)."""
        if path not in self._ast:
            text = self.read_text(path)
            tree: ast.Module | None = None
            if text is not None:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", SyntaxWarning)
                        tree = ast.parse(text, filename=path)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
            self._ast[path] = tree
        return self._ast[path]

    def json_document(self, path: str) -> Any:
        """Parsed JSON of a file (raises InvalidInputError naming it when malformed)."""
        if path not in self._json:
            # JSON parsing is linear and cheap, so the text-analysis cap does not apply.
            text = self._decoded(path, self.size(path))
            if text is None:
                raise InvalidInputError("not UTF-8 text", path=path)
            try:
                self._json[path] = json.loads(text)
            except (json.JSONDecodeError, RecursionError) as exc:
                raise InvalidInputError(f"invalid JSON: {exc}", path=path) from None
        return self._json[path]

    def _display(self, path: str) -> str:
        if self.bundle_path is not None:
            return f"{self.bundle_path}!{path}"
        return str(self.base / path)

    # -- views -------------------------------------------------------------------
    def server_files(self, *suffixes: str) -> list[str]:
        """The server's own files (vendored dependencies left out), optionally by suffix."""
        return [
            f for f in self.files if not is_vendored(f) and (not suffixes or f.endswith(suffixes))
        ]

    def loaded_manifest(self) -> LoadedManifest:
        """manifest.json parsed once, not yet validated (what raw-JSON readers need).

        Raises :class:`ManifestError` (every time, from the first attempt) when
        manifest.json is missing, too large or not acceptable JSON.
        """
        if self._manifest_error is not None:
            raise self._manifest_error
        if self._loaded_manifest is None:
            source = self._display(MANIFEST_NAME)
            try:
                if not self.has(MANIFEST_NAME):
                    raise ManifestError(
                        "missing: AI-01 requires manifest.json at the bundle root", path=source
                    )
                if self.size(MANIFEST_NAME) > MANIFEST_MAX_SIZE:
                    raise ManifestError(
                        f"{self.size(MANIFEST_NAME)} bytes, over the limit of "
                        f"{MANIFEST_MAX_SIZE} bytes",
                        path=source,
                    )
                data = self.read_bytes(MANIFEST_NAME)
                self._loaded_manifest = LoadedManifest(
                    raw=parse_manifest_bytes(data, source), data=data, source=source
                )
            except ManifestError as exc:
                self._manifest_error = exc
                raise
        return self._loaded_manifest

    def manifest_view(self) -> tuple[LoadedManifest, ManifestReport]:
        """manifest.json loaded and validated once (AI-01 reuses it, others read it).

        Raises :class:`ManifestError` like :meth:`loaded_manifest`.
        """
        if self._manifest is None:
            from mtf_action.manifest.validation import validate_manifest

            loaded = self.loaded_manifest()
            self._manifest = (loaded, validate_manifest(loaded, self.options.level))
        return self._manifest

    @property
    def manifest(self) -> Manifest | None:
        """The typed manifest; None when it is missing or unreadable (AI-01 reports why)."""
        try:
            return self.manifest_view()[1].manifest
        except ManifestError:
            return None
