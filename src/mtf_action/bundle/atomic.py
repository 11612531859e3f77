"""Write a file completely or not at all.

Output goes to a temporary file in the destination directory (same file system,
so the final rename is atomic), is flushed and fsynced, then renamed over the
destination. On any exception the temporary file is removed, so a failed build
never leaves a half-written bundle or document behind. The final file gets mode
0644 (``mkstemp`` creates 0600 files, which would surprise release uploads).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from mtf_action.errors import EnvironmentProblem, InvalidInputError

_BUFFER = 1 << 20


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(dest: Path) -> Iterator[BinaryIO]:
    """Yield a binary file whose content replaces ``dest`` when the block succeeds."""
    directory = dest.parent
    if not directory.is_dir():
        raise InvalidInputError("output directory does not exist", path=directory)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot create a file in the output directory ({exc.strerror})", path=directory
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb", buffering=_BUFFER) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(directory)


def atomic_write_bytes(dest: Path, data: bytes) -> None:
    """Replace ``dest`` with ``data`` atomically (see :func:`atomic_output`)."""
    try:
        with atomic_output(dest) as fh:
            fh.write(data)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write file ({exc.strerror})", path=dest) from None
