"""ZIP records written strictly forward (PKWARE APPNOTE 6.3.10), for reproducible archives.

Why our own record writer instead of ``zipfile``: to hash the archive while it
is written, the output must be written forward only. ``zipfile`` then marks
*every* member with a data descriptor, including stored ones, which some
streaming readers reject, and its compression level for streamed members can
only be set through a private attribute. Writing forward ourselves lets small
members carry their real sizes and CRC in the local header (no descriptor);
only members larger than one read chunk are streamed with a data descriptor.

Every field is fixed by the input: version made by = 3 (UNIX) / 2.0 (4.5 with
ZIP64), one timestamp for all members, mode in the upper 16 bits of the external
attributes, no extra fields, no comments, UTF-8 flag only for non-ASCII names.
ZIP64 records appear only when a size, offset or member count needs them (the
same thresholds ``zipfile`` uses), so everyday bundles carry no extra field.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass
from typing import Protocol

STORED = 0
DEFLATED = 8

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_DESCRIPTOR32 = struct.Struct("<IIII")
_DESCRIPTOR64 = struct.Struct("<IIQQ")
_ZIP64_EXTRA_HEAD = struct.Struct("<HH")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")

_SIG_LOCAL = 0x04034B50
_SIG_CENTRAL = 0x02014B50
_SIG_DESCRIPTOR = 0x08074B50
_SIG_END = 0x06054B50
_SIG_END64 = 0x06064B50
_SIG_LOCATOR64 = 0x07064B50

_FLAG_DESCRIPTOR = 0x0008
_FLAG_UTF8 = 0x0800
_VERSION = 20  # 2.0: deflate
_VERSION64 = 45  # 4.5: ZIP64
_MADE_BY_UNIX = 3 << 8

# Same conservative thresholds as CPython's zipfile: some readers treat 32-bit
# fields as signed, and a 16-bit member count saturates at 0xFFFF.
ZIP64_LIMIT = (1 << 31) - 1
_COUNT_LIMIT = 0xFFFF

MODE_FILE = 0o100644
MODE_EXECUTABLE = 0o100755

_DOS_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_DOS_MAX = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


def dos_timestamp(epoch: int) -> tuple[int, int]:
    """(time, date) DOS fields for a Unix time, read as UTC.

    The DOS format covers 1980-01-01 to 2107-12-31 with 2-second resolution:
    earlier times are clamped to 1980-01-01T00:00:00, later ones to
    2107-12-31T23:59:58, odd seconds round down.
    """
    if epoch <= _DOS_MIN.timestamp():
        moment = _DOS_MIN
    elif epoch >= _DOS_MAX.timestamp():
        moment = _DOS_MAX
    else:
        moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    return time, date


class Sink(Protocol):
    """Where archive bytes go; ``size`` is the number of bytes written so far."""

    size: int

    def write(self, data: bytes | memoryview, /) -> None: ...


@dataclass(frozen=True)
class _Member:
    name: bytes
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int
    mode: int
    zip64_local: bool  # the local header carries a ZIP64 extra field


class ZipStreamWriter:
    """Appends members to a sink and finishes with the central directory."""

    def __init__(self, sink: Sink, epoch: int) -> None:
        self._sink = sink
        self._time, self._date = dos_timestamp(epoch)
        self._members: list[_Member] = []
        self._open: tuple[bytes, int, int, int, bool] | None = None

    @staticmethod
    def _encode(name: str) -> tuple[bytes, int]:
        return (name.encode("ascii"), 0) if name.isascii() else (name.encode(), _FLAG_UTF8)

    def _local_header(
        self, raw: bytes, flags: int, method: int, crc: int, sizes: tuple[int, int] | None
    ) -> None:
        """Local file header; ``sizes`` = (compressed, uncompressed), or None for ZIP64 with
        sizes deferred to the descriptor. Small members get no extra field at all."""
        if sizes is not None and max(sizes) <= ZIP64_LIMIT:
            version, fields, extra = _VERSION, sizes, b""
        else:
            compressed, size = sizes or (0, 0)
            version, fields = _VERSION64, (0xFFFFFFFF, 0xFFFFFFFF)
            extra = _ZIP64_EXTRA_HEAD.pack(1, 16) + struct.pack("<QQ", size, compressed)
        head = (_SIG_LOCAL, version, flags, method, self._time, self._date, crc)
        self._sink.write(_LOCAL.pack(*head, *fields, len(raw), len(extra)) + raw + extra)

    def add(
        self, name: str, *, mode: int, method: int, crc: int, size: int, payload: bytes | memoryview
    ) -> None:
        """Write one member whose (possibly compressed) payload is already known."""
        if self._open is not None:
            raise RuntimeError("a streamed member is still open")
        raw, flags = self._encode(name)
        compressed = len(payload)
        offset = self._sink.size
        self._local_header(raw, flags, method, crc, (compressed, size))
        self._sink.write(payload)
        big = max(size, compressed) > ZIP64_LIMIT
        self._members.append(_Member(raw, flags, method, crc, compressed, size, offset, mode, big))

    def begin(self, name: str, *, mode: int, expected_size: int) -> None:
        """Start a deflated member whose data follows through :meth:`write`."""
        if self._open is not None:
            raise RuntimeError("a streamed member is still open")
        raw, flags = self._encode(name)
        flags |= _FLAG_DESCRIPTOR
        # Deflate can grow incompressible input slightly; decide ZIP64 with headroom.
        big = expected_size + expected_size // 16 + 1024 > ZIP64_LIMIT
        offset = self._sink.size
        self._local_header(raw, flags, DEFLATED, 0, None if big else (0, 0))
        self._open = (raw, flags, offset, mode, big)

    def write(self, data: bytes) -> None:
        """Compressed bytes of the member opened by :meth:`begin`."""
        self._sink.write(data)

    def end(self, *, crc: int, size: int) -> None:
        """Close the streamed member with its data descriptor."""
        if self._open is None:
            raise RuntimeError("no streamed member is open")
        raw, flags, offset, mode, big = self._open
        self._open = None
        header = _LOCAL.size + len(raw) + (20 if big else 0)
        compressed = self._sink.size - offset - header
        if not big and max(size, compressed) > ZIP64_LIMIT:
            raise RuntimeError("member grew beyond the size announced for it")
        layout = _DESCRIPTOR64 if big else _DESCRIPTOR32
        self._sink.write(layout.pack(_SIG_DESCRIPTOR, crc, compressed, size))
        self._members.append(
            _Member(raw, flags, DEFLATED, crc, compressed, size, offset, mode, big)
        )

    def _central(self, m: _Member) -> bytes:
        values = [v for v in (m.size, m.compressed, m.offset) if v > ZIP64_LIMIT]
        extra = b""
        if values:
            extra = _ZIP64_EXTRA_HEAD.pack(1, 8 * len(values)) + struct.pack(
                f"<{len(values)}Q", *values
            )
        version = _VERSION64 if values or m.zip64_local else _VERSION

        def field(value: int) -> int:
            return 0xFFFFFFFF if value > ZIP64_LIMIT else value

        return (
            _CENTRAL.pack(
                _SIG_CENTRAL,
                _MADE_BY_UNIX | version,
                version,
                m.flags,
                m.method,
                self._time,
                self._date,
                m.crc,
                field(m.compressed),
                field(m.size),
                len(m.name),
                len(extra),
                0,  # comment length
                0,  # disk number
                0,  # internal attributes
                m.mode << 16,
                field(m.offset),
            )
            + m.name
            + extra
        )

    def close(self) -> None:
        """Write the central directory and the end records (ZIP64 only if needed)."""
        if self._open is not None:
            raise RuntimeError("a streamed member is still open")
        start = self._sink.size
        for member in self._members:
            self._sink.write(self._central(member))
        length = self._sink.size - start
        count = len(self._members)
        if count > _COUNT_LIMIT or start > ZIP64_LIMIT or length > ZIP64_LIMIT:
            end64 = self._sink.size
            self._sink.write(
                _END64.pack(
                    _SIG_END64,
                    _END64.size - 12,
                    _MADE_BY_UNIX | _VERSION64,
                    _VERSION64,
                    0,
                    0,
                    count,
                    count,
                    length,
                    start,
                )
            )
            self._sink.write(_LOCATOR64.pack(_SIG_LOCATOR64, 0, end64, 1))
        self._sink.write(
            _END.pack(
                _SIG_END,
                0,
                0,
                min(count, _COUNT_LIMIT),
                min(count, _COUNT_LIMIT),
                min(length, 0xFFFFFFFF),
                min(start, 0xFFFFFFFF),
                0,
            )
        )
