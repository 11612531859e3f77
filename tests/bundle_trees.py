"""Small source trees and helpers shared by the ``test_bundle_*`` tests."""

from __future__ import annotations

import hashlib
import os
import random
import struct
import zipfile
from pathlib import Path

from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.bundle.model import ArchiveResult

EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")

# Relative path -> content; "bin/run.sh" is made executable, "big.bin" is
# larger than one read chunk, so it takes the streamed (data-descriptor) path.
TREE_FILES: dict[str, bytes] = {
    "manifest.json": b'{"manifest_version": "0.3", "name": "demo"}\n',
    "server/index.js": b"console.log('hello');\n" * 50,
    "server/lib/util.js": b"export const x = 1;\n",
    "bin/run.sh": b"#!/bin/sh\nexec node server/index.js\n",
    "empty.txt": b"",
    "docs/caf\u00e9.md": "# Caf\u00e9\n".encode(),
    "package-lock.json": b'{"lockfileVersion": 3}\n',
}
BIG_FILE = "big.bin"


def big_content() -> bytes:
    """2.5 MiB, partly compressible, reproducible."""
    rnd = random.Random(7)
    return bytes(rnd.getrandbits(8) for _ in range(256 * 1024)) * 10


def make_tree(root: Path, *, mode: int = 0o644, order: list[str] | None = None) -> Path:
    """Write the standard tree; ``order`` changes the creation order of files."""
    files = dict(TREE_FILES)
    files[BIG_FILE] = big_content()
    for rel in order or list(files):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])
        path.chmod(mode)
    (root / "bin/run.sh").chmod(0o755)
    return root


def pack(root: Path, dest: Path, *, epoch: int = EPOCH) -> ArchiveResult:
    rules = IgnoreRules.for_tree(root)
    return write_archive(collect_files(root, rules), dest, epoch=epoch)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def local_headers(archive: Path) -> dict[str, tuple[int, ...]]:
    """Raw local file header fields of every member, keyed by member name."""
    found: dict[str, tuple[int, ...]] = {}
    with zipfile.ZipFile(archive) as zf, archive.open("rb") as fh:
        for info in zf.infolist():
            fh.seek(info.header_offset)
            fields = LOCAL_HEADER.unpack(fh.read(LOCAL_HEADER.size))
            found[info.filename] = fields
    return found


def tree_rel_files(root: Path) -> set[str]:
    return {
        Path(dirpath, name).relative_to(root).as_posix()
        for dirpath, _, names in os.walk(root)
        for name in names
    }
