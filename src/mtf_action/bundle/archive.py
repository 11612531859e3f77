"""Deterministic, streaming MCPB archive writing (MTF AI-04: bit-identical rebuilds).

Same entries + same epoch => same bytes, whatever the file system says about
mtimes, owners, permissions or directory order:

* members sorted by archive name (code-point order = UTF-8 byte order);
  duplicate, conflicting (``a`` and ``a/b``) or unsafe names are refused;
* every timestamp is SOURCE_DATE_EPOCH as a UTC DOS date/time (clamped to
  1980-01-01..2107-12-31, see :func:`~mtf_action.bundle.zipwriter.dos_timestamp`);
* mode 0100755 for executables, else 0100644; made by UNIX; no extra fields,
  no uid/gid, no comment;
* no directory entries: ``mcpb pack`` (2.1.2) writes none either (it hands
  fflate a flat map of file paths), and extractors create parent directories
  from member names;
* raw deflate at level 6, zlib's default (on 29 MB of Python sources level 9
  saved 0.7% of the size for 3.2x the CPU time); empty members, and members of
  at most one chunk that deflate does not shrink, are stored. The deflate
  stream depends on the zlib *implementation* (zlib-ng, for one, emits
  different but equally valid bytes), so rebuilds meant to be compared must
  use the same zlib (``zlib.ZLIB_RUNTIME_VERSION``).

One pass, constant memory: each file is read in 1 MiB chunks; a chunk updates
the member's SHA-256 and CRC-32 while it is compressed, and the archive's own
SHA-256 and size are computed as its bytes are written (forward only, hence data
descriptors for members larger than one chunk). Small members are read and
compressed a few runs ahead on worker threads (zlib and hashlib release the
GIL), with bounded look-ahead. The archive goes to a temporary file next to
``dest`` that is fsynced and renamed into place only on success.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from mtf_action.bundle.atomic import atomic_output
from mtf_action.bundle.members import (
    CHUNK_SIZE,
    Prepared,
    batches,
    prepare_batch,
    stream_member,
)
from mtf_action.bundle.model import ArchiveResult, BundleEntry, FileDigest
from mtf_action.bundle.names import checked_order
from mtf_action.bundle.zipwriter import ZipStreamWriter
from mtf_action.errors import EnvironmentProblem

MAX_WORKERS = 4  # compression threads (capped by the CPUs this process may use)


class _HashingSink:
    """Forwards archive bytes to a file while hashing and counting them."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes | memoryview, /) -> None:
        self._raw.write(data)
        self._sha.update(data)
        self.size += len(data)

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def _workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


Pending = BundleEntry | list[BundleEntry] | Future[list[Prepared]]


def _write_members(
    zw: ZipStreamWriter, ordered: list[BundleEntry], progress: Callable[[int], None]
) -> list[FileDigest]:
    """Append all members in order; runs of small ones are prepared ahead on threads.

    zlib and hashlib release the GIL, so reading, hashing and compressing the
    next few runs of small members overlap. At most two runs per worker wait in
    memory (a run holds at most ``BATCH_BYTES`` plus one member of at most one
    chunk, raw and compressed). Large members are streamed by this thread. The
    output order and bytes do not depend on the scheduling.
    """
    buffer = memoryview(bytearray(CHUNK_SIZE))
    digests: list[FileDigest] = []
    workers = _workers()
    queue: deque[Pending] = deque()
    upcoming = batches(ordered)
    with contextlib.ExitStack() as stack:
        pool = None
        if workers > 1:
            pool = stack.enter_context(ThreadPoolExecutor(workers, thread_name_prefix="mtf-pack"))
        try:
            while True:
                while len(queue) < 2 * workers and (item := next(upcoming, None)) is not None:
                    if isinstance(item, list) and pool is not None:
                        queue.append(pool.submit(prepare_batch, item))
                    else:
                        queue.append(item)
                if not queue:
                    break
                pending = queue.popleft()
                if isinstance(pending, BundleEntry):
                    digests.append(stream_member(zw, pending, buffer, progress))
                    continue
                if isinstance(pending, Future):
                    prepared = pending.result()
                else:
                    prepared = prepare_batch(pending)
                for ready in prepared:
                    zw.add(
                        ready.name,
                        mode=ready.mode,
                        method=ready.method,
                        crc=ready.crc,
                        size=ready.digest.size,
                        payload=ready.payload,
                    )
                    digests.append(ready.digest)
                    progress(ready.digest.size)
        except BaseException:
            for pending in queue:
                if isinstance(pending, Future):
                    pending.cancel()
            raise
    return digests


def write_archive(
    entries: Iterable[BundleEntry],
    dest: Path,
    *,
    epoch: int,
    progress: Callable[[int], None] | None = None,
) -> ArchiveResult:
    """Write ``entries`` as a deterministic ZIP at ``dest`` and return its digests.

    ``progress`` is called with the number of source bytes consumed (per member,
    or per chunk for large members), so its calls add up to the total size.
    Raises ``InvalidInputError`` (unreadable or changing source file),
    ``BundleError`` (bad member names) or ``EnvironmentProblem`` (the output
    cannot be written); ``dest`` is then left as it was.
    """
    ordered = checked_order(entries)
    try:
        with atomic_output(dest) as raw:
            sink = _HashingSink(raw)
            zw = ZipStreamWriter(sink, epoch)
            files = _write_members(zw, ordered, progress or (lambda n: None))
            zw.close()
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write bundle ({exc.strerror})", path=dest) from None
    return ArchiveResult(path=dest, sha256=sink.hexdigest(), size=sink.size, files=tuple(files))
