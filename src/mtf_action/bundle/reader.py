"""Reading members of a .mcpb without trusting it.

Bundles are hostile by assumption. Before anything is inflated, the central
directory is checked: member names must be relative POSIX paths without ``..``
or drive letters, names must be unique, symlinks are refused, and the declared
sizes must stay under per-member and total limits and a compression-ratio cap
(the classic zip-bomb defences). Reads are capped as they stream, so a lying
header cannot push more bytes through than the limit.
"""

from __future__ import annotations

import copy
import os
import stat
import threading
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Self

from mtf_action.errors import BundleError


@dataclass(frozen=True)
class BundleLimits:
    """Ceilings applied to an untrusted archive (all configurable)."""

    max_members: int = 100_000
    max_member_size: int = 256 * 1024 * 1024
    max_total_size: int = 2 * 1024 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, per member
    # Below this size a high ratio is harmless (the per-file and total limits
    # already bound it) and common: padded binaries and runs of zeros deflate
    # well past 200:1. The ratio check targets members that could inflate.
    ratio_min_size: int = 1024 * 1024

    def __post_init__(self) -> None:
        if min(self.max_members, self.max_member_size, self.max_total_size) <= 0:
            raise ValueError("bundle limits must be positive")


def _unsafe_name_reason(name: str) -> str | None:
    if not name or "\x00" in name:
        return "empty name or NUL byte"
    if "\\" in name:
        return "backslash in member name"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if ".." in PurePosixPath(name).parts:
        return "'..' path component (zip slip)"
    return None


def _check_conflicts(info: zipfile.ZipInfo, seen: dict[str, str], where: str) -> None:
    """Refuse names that would collide once written as files: ``a/./b`` and ``a/b``,
    or ``a`` as a file and ``a/b`` (a file under it). An extractor would either fail
    or silently keep one of them, so the scanned bytes could differ from the
    installed ones."""
    norm = os.path.normpath(info.filename)
    kind = "dir" if info.is_dir() else "file"
    earlier = seen.get(norm)
    if earlier is not None and not (kind == "dir" and earlier.endswith("/")):
        raise BundleError(
            f"conflicting member names: {earlier!r} and {info.filename!r}", path=where
        )
    seen.setdefault(norm, info.filename if kind == "file" else norm + "/")
    parts = norm.split("/")
    for depth in range(1, len(parts)):
        parent = "/".join(parts[:depth])
        holder = seen.get(parent)
        if holder is not None and not holder.endswith("/"):
            raise BundleError(
                f"conflicting member names: {holder!r} is a file and {info.filename!r} "
                "is inside it",
                path=where,
            )
        seen.setdefault(parent, parent + "/")


class SafeBundle:
    """A validated, read-only view of a .mcpb archive."""

    def __init__(self, path: Path, limits: BundleLimits | None = None) -> None:
        self.path = path
        self.limits = limits or BundleLimits()
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise BundleError("no such file", path=path) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise BundleError(f"not a readable zip archive ({exc})", path=path) from None
        try:
            self._members = self._check_directory()
        except BundleError:
            self._zip.close()
            raise

    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_members:
            raise BundleError(
                f"{len(infos)} members exceed the limit of {self.limits.max_members}",
                path=self.path,
            )
        members: dict[str, zipfile.ZipInfo] = {}
        normalised: dict[str, str] = {}  # normalised path -> the member name that has it
        total = 0
        for info in infos:
            where = f"{self.path}!{info.filename}"
            reason = _unsafe_name_reason(info.filename)
            if reason:
                raise BundleError(f"unsafe member name: {reason}", path=where)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise BundleError("symbolic link members are refused", path=where)
            if info.filename in members:
                raise BundleError("duplicate member name", path=where)
            _check_conflicts(info, normalised, where)
            if info.file_size > self.limits.max_member_size:
                raise BundleError(
                    f"member declares {info.file_size} bytes, over the per-file limit "
                    f"of {self.limits.max_member_size}",
                    path=where,
                )
            if (
                info.file_size >= self.limits.ratio_min_size
                and info.compress_size
                and info.file_size / info.compress_size > self.limits.max_ratio
            ):
                raise BundleError(
                    f"compression ratio {info.file_size / info.compress_size:.0f}:1 exceeds "
                    f"{self.limits.max_ratio:.0f}:1 (zip bomb?)",
                    path=where,
                )
            total += info.file_size
            if total > self.limits.max_total_size:
                raise BundleError(
                    f"total uncompressed size exceeds {self.limits.max_total_size} bytes",
                    path=self.path,
                )
            members[info.filename] = info
        return members

    def names(self) -> list[str]:
        """Member names (files and directory entries), in archive order."""
        return list(self._members)

    def has(self, name: str) -> bool:
        return name in self._members

    def info(self, name: str) -> zipfile.ZipInfo | None:
        """The vetted central-directory entry of ``name`` (None if absent)."""
        return self._members.get(name)

    def file_names(self) -> list[str]:
        """Names of the file members (directory entries left out), in archive order."""
        return [name for name, info in self._members.items() if not info.is_dir()]

    def read(self, name: str, max_size: int | None = None) -> bytes:
        """Read one member fully, never more than ``max_size`` (or the per-file limit)."""
        info = self._members.get(name)
        if info is None or info.is_dir():
            raise BundleError(f"no member named {name!r}", path=self.path)
        cap = min(max_size or self.limits.max_member_size, self.limits.max_member_size)
        if info.file_size > cap:
            raise BundleError(
                f"{info.file_size} bytes exceed the limit of {cap} bytes",
                path=f"{self.path}!{name}",
            )
        try:
            with self._zip.open(info) as fh:
                data = fh.read(cap + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise BundleError(f"corrupt member ({exc})", path=f"{self.path}!{name}") from None
        if len(data) > cap:
            raise BundleError(
                "member inflates beyond its declared size", path=f"{self.path}!{name}"
            )
        return data

    def reopened(self) -> SafeBundle:
        """This vetted bundle on a file handle of its own, for a forked process.

        A forked child shares the parent's file offset; reading through the
        parent's handle would interleave with the parent's reads. The copy
        opens ``/proc/self/fd/N`` (Linux, where scans fork): the very file the
        parent vetted, even if its path now names another, and keeps the
        parent's vetted central directory.
        """
        fp = self._zip.fp
        if fp is None:
            raise BundleError("the bundle is closed", path=self.path)
        clone = copy.copy(self)
        clone._zip = zipfile.ZipFile(open(f"/proc/self/fd/{fp.fileno()}", "rb"))  # noqa: SIM115
        return clone

    def verify(self, name: str) -> None:
        """Inflate one member without keeping it: its CRC-32 and declared size must hold."""
        info = self._members.get(name)
        if info is None or info.is_dir():
            raise BundleError(f"no member named {name!r}", path=self.path)
        where = f"{self.path}!{name}"
        size = 0
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    size += len(chunk)
                    if size > info.file_size:
                        raise BundleError("member inflates beyond its declared size", path=where)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise BundleError(f"corrupt member ({exc})", path=where) from None

    def extract_all(self, dest: Path, *, workers: int = 4) -> list[str]:
        """Extract every file member under ``dest`` (an empty directory we own).

        Names were vetted when the bundle was opened; each target is still
        normalised and checked to stay inside ``dest`` (defence in depth; no
        symbolic link is ever created there, so no resolution is needed), and
        bytes are counted while streaming so a member can never inflate beyond
        its declared size, which keeps the total under the limit too (declared
        sizes were summed against it). Directories are created first, then the
        members are written by ``workers`` threads: creating thousands of small
        files is bound by file-system latency, which threads overlap (zlib
        releases the GIL, and zipfile serialises reads of the shared archive).
        Returns the extracted member names, in archive order.
        """
        root = Path(os.path.abspath(dest))
        jobs: list[tuple[str, zipfile.ZipInfo, Path]] = []
        for name, info in self._members.items():
            if info.is_dir():
                continue
            target = Path(os.path.normpath(root / name))
            if not target.is_relative_to(root) or target == root:
                raise BundleError("member escapes the extraction directory", path=name)
            jobs.append((name, info, target))
        for directory in sorted({target.parent for _, _, target in jobs}):
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # e.g. "a" is a file and "a/b" a member
                raise BundleError(
                    f"cannot extract member ({exc.strerror})", path=f"{self.path}!{directory}"
                ) from None
        lock = threading.Lock()
        if workers <= 1 or len(jobs) < 2:
            for job in jobs:
                self._extract_one(*job, lock)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="mtf-extract") as pool:
                futures = [pool.submit(self._extract_one, *job, lock) for job in jobs]
                try:
                    for future in futures:
                        future.result()  # the first failure, in archive order
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
        return [name for name, _, _ in jobs]

    def _extract_one(
        self, name: str, info: zipfile.ZipInfo, target: Path, lock: threading.Lock
    ) -> None:
        where = f"{self.path}!{name}"
        size = 0
        try:
            with lock:  # opening reads the local header and bumps a shared count
                src = self._zip.open(info)
            try:
                with target.open("xb") as out:
                    while chunk := src.read(1 << 20):
                        size += len(chunk)
                        if size > max(info.file_size, 0):
                            raise BundleError(
                                "member inflates beyond its declared size", path=where
                            )
                        out.write(chunk)
            finally:
                with lock:
                    src.close()
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise BundleError(f"corrupt member ({exc})", path=where) from None
        except OSError as exc:
            raise BundleError(f"cannot extract member ({exc.strerror})", path=where) from None

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
