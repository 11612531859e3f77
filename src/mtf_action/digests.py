"""SHA-256 of files, streamed (bundles and release assets can be large)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_and_size(path: Path) -> tuple[str, int]:
    """Hex SHA-256 and size in bytes of the file at ``path`` (OSError propagates)."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
        return digest.hexdigest(), os.fstat(handle.fileno()).st_size


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``."""
    return sha256_and_size(path)[0]
