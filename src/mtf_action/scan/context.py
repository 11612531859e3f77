"""One parsed view of the thing being scanned, shared by every control.

A scan target is either a server source directory (the files ``build`` would
pack) or a ``.mcpb`` bundle (extracted by :class:`SafeBundle` into a private
temporary directory, never next to the bundle). Controls never open files
themselves: they ask the context, which reads each file at most once and
caches the bytes, the decoded text and parsed forms (Python AST, JSON).
"""

from __future__ import annotations

import ast
import hashlib
import json
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, Literal, Self

from mtf_action.bundle.reader import BundleLimits, SafeBundle
from mtf_action.errors import InvalidInputError
from mtf_action.manifest.loader import LoadedManifest, parse_manifest_bytes, read_manifest
from mtf_action.manifest.validation import validate_manifest
from mtf_action.models.manifest import Manifest
from mtf_action.models.manifest_report import ManifestReport

# Where MCPB bundles carry third-party code (MTF CQ-03 exclusions).
VENDOR_DIRS = ("deps", "node_modules", "vendor", "site-packages", ".venv", "server/lib")
MAX_TEXT_BYTES = 64 * 1024 * 1024  # bigger files are treated as opaque binaries


@dataclass(frozen=True)
class ScanOptions:
    """Knobs of one scan (CLI flags end up here)."""

    level: int | None = None
    allow_sources: tuple[str, ...] = ()
    scorecard: Path | None = None
    limits: BundleLimits = field(default_factory=BundleLimits)


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
    ) -> None:
        self.root = root
        self.files = sorted(files)
        self.kind = kind
        self.options = options
        self.bundle_path = bundle_path
        self.bundle_sha256 = bundle_sha256
        self.reads: Counter[str] = Counter()  # proves the read-once guarantee in tests
        self._bytes: dict[str, bytes] = {}
        self._text: dict[str, str | None] = {}
        self._ast: dict[str, ast.Module | None] = {}
        self._json: dict[str, Any] = {}
        self._manifest: tuple[LoadedManifest, ManifestReport] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    # -- construction ----------------------------------------------------------
    @classmethod
    def for_bundle(cls, path: Path, options: ScanOptions) -> ScanContext:
        tmp = tempfile.TemporaryDirectory(prefix="mtf-scan-")
        try:
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
            with SafeBundle(path, options.limits) as bundle:
                names = bundle.extract_all(Path(tmp.name))
        except OSError as exc:
            tmp.cleanup()
            raise InvalidInputError(f"cannot read bundle: {exc.strerror}", path=path) from None
        except BaseException:
            tmp.cleanup()
            raise
        ctx = cls(
            Path(tmp.name),
            names,
            kind="bundle",
            options=options,
            bundle_path=path,
            bundle_sha256=digest.hexdigest(),
        )
        ctx._tmp = tmp
        return ctx

    def close(self) -> None:
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
        return path in self._bytes or path in set(self.files)

    def size(self, path: str) -> int:
        return (self.root / path).stat().st_size

    def read_bytes(self, path: str) -> bytes:
        if path not in self._bytes:
            self.reads[path] += 1
            self._bytes[path] = (self.root / path).read_bytes()
        return self._bytes[path]

    def read_text(self, path: str) -> str | None:
        """UTF-8 text of a file, or None for binaries, non-UTF-8 and oversized files."""
        if path not in self._text:
            if self.size(path) > MAX_TEXT_BYTES:
                self._text[path] = None
            else:
                data = self.read_bytes(path)
                try:
                    self._text[path] = None if b"\x00" in data[:8192] else data.decode("utf-8")
                except UnicodeDecodeError:
                    self._text[path] = None
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
            text = self.read_text(path)
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
        return str(self.root / path)

    # -- views -------------------------------------------------------------------
    def server_files(self, *suffixes: str) -> list[str]:
        """The server's own files (vendored dependencies left out), optionally by suffix."""
        return [
            f for f in self.files if not is_vendored(f) and (not suffixes or f.endswith(suffixes))
        ]

    def manifest_view(self) -> tuple[LoadedManifest, ManifestReport]:
        """manifest.json loaded and validated once (AI-01 reuses it, others read it)."""
        if self._manifest is None:
            if not self.has("manifest.json"):
                # read_manifest raises the precise "missing manifest" error.
                loaded = read_manifest(self.root)
            else:
                data = self.read_bytes("manifest.json")
                source = self._display("manifest.json")
                loaded = LoadedManifest(
                    raw=parse_manifest_bytes(data, source), data=data, source=source
                )
            self._manifest = (loaded, validate_manifest(loaded, self.options.level))
        return self._manifest

    @property
    def manifest(self) -> Manifest | None:
        return self.manifest_view()[1].manifest
