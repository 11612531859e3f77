"""Walk a source tree and list what goes into the bundle, without reading file contents.

The walk uses ``os.scandir`` (file types come from the directory listing, so
directories cost no ``stat``), prunes ignored directories before descending,
and calls ``lstat`` exactly once per packed file for its size and mode.

Symbolic links, decided here so the archive never contains one:

* a link to a regular file inside the tree is packed as a regular file with the
  target's content (the archive records the link's name);
* a link whose target resolves outside the tree, a dangling link and a link loop
  are errors (``InvalidInputError`` naming the link);
* a link to a file that is never packed (``.git``, ``.env*``, ...) is an error,
  so a link cannot smuggle a secret in under another name;
* links to directories are not followed; they are reported in
  ``Collection.skipped`` for the caller to print.

Sockets, FIFOs and device nodes are refused, as are names that are not valid
UTF-8 (a ZIP member name must be UTF-8 to be portable).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mtf_action.bundle.ignore import IgnoreRules, relative_dirs
from mtf_action.bundle.model import BundleEntry
from mtf_action.errors import InvalidInputError


@dataclass(frozen=True)
class SkippedPath:
    """A path that was left out for a reason the user should hear about."""

    path: str  # relative to the tree root, POSIX separators
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Collection(list[BundleEntry]):
    """The members found (a plain list of entries), plus what was left out.

    ``skipped`` lists paths the user should hear about (directory symlinks);
    ``ignored_count`` counts paths dropped by the ignore rules (a pruned
    directory counts once).
    """

    def __init__(
        self,
        entries: Iterable[BundleEntry] = (),
        skipped: Iterable[SkippedPath] = (),
        ignored_count: int = 0,
    ) -> None:
        super().__init__(entries)
        self.skipped = list(skipped)
        self.ignored_count = ignored_count

    @property
    def entries(self) -> list[BundleEntry]:
        return list(self)


# Windows derives "executable" from the file extension (.exe, .bat, .cmd, .com), not
# from a mode bit: trusting it there would pack those files 0755 and others 0644.
POSIX_MODES = os.name == "posix"


def _readable_check() -> Callable[[os.stat_result], bool]:
    """Predicate 'can this process read a file with this stat', from mode bits alone."""
    if not hasattr(os, "geteuid"):  # Windows: no POSIX mode bits to trust
        return lambda st: True
    euid = os.geteuid()
    if euid == 0:
        return lambda st: True
    groups = {os.getegid(), *os.getgroups()}

    def readable(st: os.stat_result) -> bool:
        if st.st_uid == euid:
            return bool(st.st_mode & stat.S_IRUSR)
        if st.st_gid in groups:
            return bool(st.st_mode & stat.S_IRGRP)
        return bool(st.st_mode & stat.S_IROTH)

    return readable


def _kind(mode: int) -> str:
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device node"
    return "not a regular file"


class _Walker:
    def __init__(self, root: Path, rules: IgnoreRules, prefix: str, excluded: frozenset[str]):
        self.root = os.path.realpath(root)
        self.rules = rules
        self.prefix = prefix
        self.excluded = excluded
        self.readable = _readable_check()
        self.entries: list[BundleEntry] = []
        self.skipped: list[SkippedPath] = []
        self.ignored = 0

    def _dir_ignored(self, rel: str) -> bool:
        return rel in self.excluded or self.rules.is_ignored(rel, True)

    def walk(self) -> None:
        pending = [""]
        while pending:
            rel_dir = pending.pop()
            abs_dir = os.path.join(self.root, rel_dir) if rel_dir else self.root
            try:
                with os.scandir(abs_dir) as listing:
                    items = list(listing)
            except OSError as exc:
                raise InvalidInputError(
                    f"cannot list directory ({exc.strerror})", path=abs_dir
                ) from None
            for item in items:
                name = item.name
                if not name.isascii():
                    try:
                        name.encode("utf-8")
                    except UnicodeEncodeError:
                        raise InvalidInputError(
                            "file name is not valid UTF-8; rename it", path=item.path
                        ) from None
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if item.is_dir(follow_symlinks=False):
                    if self._dir_ignored(rel):
                        self.ignored += 1
                    else:
                        pending.append(rel)
                elif self.rules.is_ignored(rel, False):
                    self.ignored += 1
                elif item.is_symlink():
                    self._symlink(item.path, rel)
                else:
                    self._file(item, rel)

    def _file(self, item: os.DirEntry[str], rel: str) -> None:
        try:
            st = item.stat(follow_symlinks=False)
        except OSError as exc:
            raise InvalidInputError(f"cannot stat ({exc.strerror})", path=item.path) from None
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInputError(f"refusing to pack {_kind(st.st_mode)}", path=item.path)
        self._add(rel, item.path, st)

    def _add(self, rel: str, path: str, st: os.stat_result) -> None:
        if not self.readable(st):
            raise InvalidInputError("file is not readable (permission denied)", path=path)
        self.entries.append(
            BundleEntry(
                arcname=self.prefix + rel,
                path=Path(path),
                size=st.st_size,
                executable=POSIX_MODES and bool(st.st_mode & 0o111),
            )
        )

    def _symlink(self, link: str, rel: str) -> None:
        target = os.path.realpath(link)
        if target != self.root and not target.startswith(self.root + os.sep):
            raise InvalidInputError(
                f"symbolic link points outside the source tree (to {target})", path=link
            )
        try:
            st = os.stat(target)
        except FileNotFoundError:
            raise InvalidInputError("dangling symbolic link", path=link) from None
        except OSError as exc:
            raise InvalidInputError(
                f"cannot follow symbolic link ({exc.strerror})", path=link
            ) from None
        target_rel = os.path.relpath(target, self.root).replace(os.sep, "/")
        if stat.S_ISDIR(st.st_mode):
            if not self._dir_ignored(rel):
                self.skipped.append(
                    SkippedPath(rel, f"symbolic link to directory {target_rel}/ not followed")
                )
            return
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInputError(f"symbolic link to {_kind(st.st_mode)}", path=link)
        if self.rules.is_forced(target_rel) or any(
            target_rel.startswith(d + "/") for d in self.excluded
        ):
            raise InvalidInputError(
                f"symbolic link points at {target_rel}, which is never packed", path=link
            )
        self._add(rel, target, st)


def collect_files(
    root: Path,
    rules: IgnoreRules,
    *,
    arc_prefix: str = "",
    exclude_dirs: Iterable[Path] = (),
) -> Collection:
    """List the files of ``root`` that belong in the bundle, sorted by archive name.

    ``arc_prefix`` is prepended to every archive name (``"server"`` and
    ``"server/"`` are the same). ``exclude_dirs`` are absolute directories that are
    never packed (in addition to ``rules.excluded_dirs``). Sorting is by the
    UTF-8 bytes of the archive name, which for valid Unicode equals code-point
    order, i.e. Python string order.
    """
    if not root.is_dir():
        raise InvalidInputError("source directory does not exist or is not a directory", path=root)
    prefix = arc_prefix.strip("/")
    prefix = prefix + "/" if prefix else ""
    walker = _Walker(root, rules, prefix, relative_dirs(root, exclude_dirs) | rules.excluded_dirs)
    walker.walk()
    walker.entries.sort(key=lambda e: e.arcname)
    walker.skipped.sort(key=lambda s: s.path)
    return Collection(walker.entries, walker.skipped, walker.ignored)
