"""Reading, hashing and compressing single members (see :mod:`mtf_action.bundle.archive`).

Members of at most ``CHUNK_SIZE`` bytes are read whole, hashed and deflated in
one call each (:func:`prepare`, safe to run on worker threads); larger ones are
streamed chunk by chunk behind a data descriptor (:func:`stream_member`). Which
path a member takes depends only on its size, so the bytes are reproducible.
A file whose size differs from the size recorded when the tree was collected is
an error: the recorded hashes must describe exactly what was packed.
"""

from __future__ import annotations

import contextlib
import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import FileIO
from pathlib import Path

from mtf_action.bundle.model import BundleEntry, FileDigest
from mtf_action.bundle.zipwriter import (
    DEFLATED,
    MODE_EXECUTABLE,
    MODE_FILE,
    STORED,
    ZipStreamWriter,
)
from mtf_action.errors import InvalidInputError

CHUNK_SIZE = 1 << 20  # read size; members up to this size are compressed in one call
DEFLATE_LEVEL = 6
BATCH_BYTES = 256 * 1024  # small members are handed to a thread in runs of this size...
BATCH_FILES = 64  # ...or of this many members, to keep per-task overhead low
_RAW_DEFLATE = -15  # no zlib header/trailer: ZIP wants a bare deflate stream


@dataclass(frozen=True)
class Prepared:
    """A member of at most one chunk, hashed and compressed, ready to append."""

    name: str
    mode: int
    method: int
    crc: int
    payload: bytes | memoryview
    digest: FileDigest


def _changed(path: Path, expected: int, found: int) -> InvalidInputError:
    return InvalidInputError(
        f"file changed while the bundle was written ({expected} bytes expected, {found} read)",
        path=path,
    )


def _open(path: Path) -> FileIO:
    try:
        return FileIO(path, "r")
    except OSError as exc:
        raise InvalidInputError(f"cannot read file ({exc.strerror})", path=path) from None


def _read_into(fh: FileIO, view: memoryview, path: Path) -> int:
    try:
        return fh.readinto(view) or 0
    except OSError as exc:
        raise InvalidInputError(f"cannot read file ({exc.strerror})", path=path) from None


def _read_small(path: Path, size: int) -> memoryview:
    """The whole file; one byte more is requested so a file that grew is noticed."""
    view = memoryview(bytearray(size + 1))
    total = 0
    with _open(path) as fh:
        while total <= size and (n := _read_into(fh, view[total:], path)):
            total += n
    if total != size:
        raise _changed(path, size, total)
    return view[:size]


def prepare(entry: BundleEntry) -> Prepared:
    """Read, hash and compress a small member (thread-safe: runs in the pool)."""
    data = entry.data if entry.data is not None else _read_small(_source(entry), entry.size)
    size = len(data)
    method, payload = STORED, data
    if size:
        packed = zlib.compress(data, DEFLATE_LEVEL, _RAW_DEFLATE)
        if len(packed) < size:
            method, payload = DEFLATED, packed
    return Prepared(
        name=entry.arcname,
        mode=MODE_EXECUTABLE if entry.executable else MODE_FILE,
        method=method,
        crc=zlib.crc32(data),
        payload=payload,
        digest=FileDigest(entry.arcname, hashlib.sha256(data).hexdigest(), size),
    )


def _source(entry: BundleEntry) -> Path:
    if entry.path is None:
        raise ValueError(f"{entry.arcname}: entry has neither path nor data")
    return entry.path


def member_size(entry: BundleEntry) -> int:
    return len(entry.data) if entry.data is not None else entry.size


def stream_member(
    zw: ZipStreamWriter, entry: BundleEntry, buffer: memoryview, progress: Callable[[int], None]
) -> FileDigest:
    """Append a member larger than one chunk, reading, hashing and deflating chunk by chunk."""
    size = member_size(entry)
    mode = MODE_EXECUTABLE if entry.executable else MODE_FILE
    zw.begin(entry.arcname, mode=mode, expected_size=size)
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, _RAW_DEFLATE)
    digest = hashlib.sha256()
    crc = total = 0
    with contextlib.ExitStack() as stack:
        if entry.data is not None:
            source = memoryview(entry.data)
            chunks: Iterator[memoryview] = (
                source[i : i + CHUNK_SIZE] for i in range(0, len(source), CHUNK_SIZE)
            )
        else:
            path = _source(entry)
            fh = stack.enter_context(_open(path))
            chunks = iter(lambda: buffer[: _read_into(fh, buffer, path)], buffer[:0])
        for chunk in chunks:
            if total > size:
                break  # a file that keeps growing must not keep us reading
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            total += len(chunk)
            if out := packer.compress(chunk):
                zw.write(out)
            progress(len(chunk))
    if total != size:
        raise _changed(_source(entry), size, total)
    zw.write(packer.flush())
    zw.end(crc=crc, size=total)
    return FileDigest(entry.arcname, digest.hexdigest(), total)


def batches(ordered: list[BundleEntry]) -> Iterator[list[BundleEntry] | BundleEntry]:
    """Runs of consecutive small members (one pool task each), and single large members."""
    run: list[BundleEntry] = []
    run_bytes = 0
    for entry in ordered:
        size = member_size(entry)
        if size > CHUNK_SIZE:
            if run:
                yield run
                run, run_bytes = [], 0
            yield entry
            continue
        run.append(entry)
        run_bytes += size
        if run_bytes >= BATCH_BYTES or len(run) >= BATCH_FILES:
            yield run
            run, run_bytes = [], 0
    if run:
        yield run


def prepare_batch(batch: list[BundleEntry]) -> list[Prepared]:
    return [prepare(entry) for entry in batch]
