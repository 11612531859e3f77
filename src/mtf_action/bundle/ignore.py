"""Which files of a source tree go into the bundle (gitignore semantics, via pathspec).

Three layers, checked in this order:

1. **Never packed** (``NEVER_PACKED``): ``.git`` (directory or gitlink file),
   ``.env*``, ``*.mcpb``, ``__pycache__/`` and byte-code ``*.pyc``/``*.pyo``. These live in a separate spec, so a ``!negation`` in
   ``.mcpbignore`` cannot re-include them: secrets and VCS data must not leak into
   a published bundle, an old bundle must not be nested in a new one, and Python
   byte-code embeds source mtimes, which would break bit-identical rebuilds
   (MTF AI-04). Consequence: sourceless (``.pyc``-only) packages cannot be bundled.
   Directories given by the caller (e.g. the output directory inside the tree)
   are excluded the same way.
2. **Defaults** (``DEFAULT_PATTERNS``): the exclusion list of the MCPB CLI
   (``@anthropic-ai/mcpb`` 2.1.2, ``dist/node/files.js``), with one deliberate
   deviation: ``package-lock.json`` and ``yarn.lock`` are *kept*, because MTF
   SC-03 (dependency pinning) and SC-04 (lockfile integrity) require the lockfile
   inside the bundle so clients can verify installed dependencies against it.
3. **The tree's ``.mcpbignore``** (root only, like ``mcpb pack``): appended after
   the defaults, so its ``!negation`` lines can re-include a default exclusion
   (e.g. ``!tsconfig.json``). Comments and blank lines are skipped.

Directory semantics follow git: a directory that is excluded is not descended
into, so nothing below it can be re-included ("it is not possible to re-include
a file if a parent directory of that file is excluded"). A ``dir/**`` pattern
excludes the *contents* of ``dir``, not ``dir`` itself, so ``dir/**`` followed by
``!dir/keep.js`` keeps ``keep.js``, as in git. :meth:`IgnoreRules.is_ignored`
answers for one path and assumes its parent directories were already checked,
which is what :func:`mtf_action.bundle.collect.collect_files` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pathspec

from mtf_action.errors import InvalidInputError

IGNORE_FILE = ".mcpbignore"

DEFAULT_PATTERNS: tuple[str, ...] = (
    ".DS_Store",
    "Thumbs.db",
    ".gitignore",
    ".git",
    ".mcpbignore",
    "*.log",
    ".env*",
    ".npm",
    ".npmrc",
    ".yarnrc",
    ".yarn",
    ".eslintrc",
    ".editorconfig",
    ".prettierrc",
    ".prettierignore",
    ".eslintignore",
    ".nycrc",
    ".babelrc",
    ".pnp.*",
    "node_modules/.cache",
    "node_modules/.bin",
    "*.map",
    ".env.local",
    ".env.*.local",
    "npm-debug.log*",
    "yarn-debug.log*",
    "yarn-error.log*",
    # "package-lock.json", "yarn.lock": kept on purpose (MTF SC-03/SC-04), see above.
    "*.mcpb",
    "*.d.ts",
    "*.tsbuildinfo",
    "tsconfig.json",
)

NEVER_PACKED: tuple[str, ...] = (
    ".git",
    ".env*",
    "*.mcpb",
    "__pycache__/",
    "*.py[co]",
)

_MAX_IGNORE_FILE = 1024 * 1024


def _compile(lines: Sequence[str], source: str | Path) -> pathspec.GitIgnoreSpec:
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError as exc:  # pathspec's GitIgnorePatternError is a ValueError
        raise InvalidInputError(f"invalid ignore pattern: {exc}", path=source) from None


def read_ignore_file(path: Path) -> list[str]:
    """Pattern lines of one ``.mcpbignore`` (comments and blank lines dropped)."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(_MAX_IGNORE_FILE + 1)
    except OSError as exc:
        raise InvalidInputError(f"cannot read ignore file ({exc.strerror})", path=path) from None
    if len(raw) > _MAX_IGNORE_FILE:
        raise InvalidInputError("ignore file is larger than 1 MiB", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError("ignore file is not UTF-8 text", path=path) from None
    lines = (line.rstrip("\r") for line in text.split("\n"))
    return [line for line in lines if line.strip() and not line.startswith("#")]


def relative_dirs(root: Path, dirs: Iterable[Path]) -> frozenset[str]:
    """POSIX paths, relative to ``root``, of those ``dirs`` that lie strictly inside it."""
    base = os.path.realpath(root)
    found: set[str] = set()
    for directory in dirs:
        real = os.path.realpath(directory)
        rel = os.path.relpath(real, base)
        if rel != "." and not rel.startswith(".." + os.sep) and rel != "..":
            found.add(rel.replace(os.sep, "/"))
    return frozenset(found)


class IgnoreRules:
    """Decides, path by path, what stays out of the bundle."""

    def __init__(
        self,
        patterns: Sequence[str] = (),
        *,
        excluded_dirs: Iterable[str] = (),
        source: str | Path = IGNORE_FILE,
    ) -> None:
        self.patterns: tuple[str, ...] = (*DEFAULT_PATTERNS, *patterns)
        self._forced = _compile(NEVER_PACKED, "built-in exclusions")
        self._spec = _compile(self.patterns, source)
        # Per compiled pattern: does it only exclude a directory's contents ("dir/**")?
        self._contents_only = [
            isinstance(p.pattern, str) and p.pattern.endswith("/**") for p in self._spec.patterns
        ]
        self.excluded_dirs = frozenset(d.strip("/") for d in excluded_dirs)

    @classmethod
    def for_tree(
        cls,
        root: Path,
        *,
        extra_patterns: Sequence[str] = (),
        exclude_dirs: Iterable[Path] = (),
    ) -> IgnoreRules:
        """Defaults + ``root/.mcpbignore`` (if any) + ``extra_patterns``.

        ``exclude_dirs`` are absolute directories (such as the output directory)
        that are never packed even if they lie inside ``root``.
        """
        ignore_file = root / IGNORE_FILE
        patterns = read_ignore_file(ignore_file) if ignore_file.is_file() else []
        return cls(
            [*patterns, *extra_patterns],
            excluded_dirs=relative_dirs(root, exclude_dirs),
            source=ignore_file,
        )

    def is_forced(self, rel_posix_path: str, is_dir: bool = False) -> bool:
        """True for paths that are never packed, whatever ``.mcpbignore`` says."""
        if is_dir and rel_posix_path in self.excluded_dirs:
            return True
        candidate = rel_posix_path + "/" if is_dir else rel_posix_path
        return bool(self._forced.match_file(candidate))

    def is_ignored(self, rel_posix_path: str, is_dir: bool) -> bool:
        """Whether this path (relative to the tree root, ``/``-separated) is left out."""
        if self.is_forced(rel_posix_path, is_dir):
            return True
        if not is_dir:
            return bool(self._spec.match_file(rel_posix_path))
        result = self._spec.check_file(rel_posix_path + "/")
        if not result.include:
            return False
        # git: "dir/**" matches what is inside dir, not dir itself; descend so that
        # a later "!dir/file" can still re-include a file.
        index = result.index
        return index is None or not self._contents_only[index]
