"""Write and read ``<stem>.hashes.json`` (model: :mod:`mtf_action.models.hashes`).

Serialisation is deterministic so the document itself is reproducible: sorted
keys, 2-space indent, UTF-8 without ASCII escaping, one trailing newline. It is
written atomically next to the bundle.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from mtf_action import __version__
from mtf_action.bundle.atomic import atomic_write_bytes
from mtf_action.bundle.model import ArchiveResult
from mtf_action.errors import InvalidInputError
from mtf_action.models.hashes import BundleDigest, Generator, HashesDocument, MemberDigest

GENERATOR_NAME = "mtf-attest"
HASHES_SUFFIX = ".hashes.json"
_MAX_DOCUMENT = 256 * 1024 * 1024


def hashes_path_for(bundle: Path) -> Path:
    """``OUT/<stem>.hashes.json`` for ``OUT/<stem>.mcpb``."""
    return bundle.with_name(bundle.stem + HASHES_SUFFIX)


def hashes_document(result: ArchiveResult) -> HashesDocument:
    """The document for a freshly written archive."""
    files = tuple(
        MemberDigest(path=f.path, sha256=f.sha256, size=f.size)
        for f in sorted(result.files, key=lambda f: f.path)
    )
    return HashesDocument(
        bundle=BundleDigest(name=result.path.name, sha256=result.sha256, size=result.size),
        files=files,
        file_count=len(files),
        generator=Generator(name=GENERATOR_NAME, version=__version__),
    )


def dump_hashes(document: HashesDocument) -> bytes:
    """The canonical bytes of a document."""
    text = json.dumps(
        document.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False
    )
    return (text + "\n").encode("utf-8")


def write_hashes(source: ArchiveResult | HashesDocument, dest: Path) -> HashesDocument:
    """Write the document (built from ``source`` if it is an archive result) to ``dest``."""
    document = source if isinstance(source, HashesDocument) else hashes_document(source)
    atomic_write_bytes(dest, dump_hashes(document))
    return document


def read_hashes(path: Path) -> HashesDocument:
    """Load and validate a hashes document; any problem is an ``InvalidInputError``."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(_MAX_DOCUMENT + 1)
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read hashes document ({exc.strerror})", path=path
        ) from None
    if len(raw) > _MAX_DOCUMENT:
        raise InvalidInputError("hashes document is larger than 256 MiB", path=path)
    try:
        return HashesDocument.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(part) for part in first["loc"]) or "(document)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InvalidInputError(
            f"not a valid hashes document: {where}: {first['msg']}{more}", path=path
        ) from None
