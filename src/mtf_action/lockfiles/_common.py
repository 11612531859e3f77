"""Small helpers shared by the lockfile readers: safe reading, TOML, names, SRI."""

from __future__ import annotations

import base64
import binascii
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from mtf_action.errors import InvalidInputError

# Lockfiles are small text files; anything bigger is not one we should parse.
MAX_LOCKFILE_BYTES = 64 * 1024 * 1024

_HEX_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def read_text(path: Path) -> str:
    """The file as UTF-8 text, or :class:`InvalidInputError` naming it."""
    try:
        size = path.stat().st_size
        if size > MAX_LOCKFILE_BYTES:
            raise InvalidInputError(f"lockfile too large ({size} bytes)", path=path)
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror or exc}", path=path) from exc


# Where a reader gets the text of a file: its UTF-8 text, or None when there is
# no such file. Readers read the disk by default; the scanner passes a source
# that serves the bytes its scan context already holds (each file read once).
TextSource = Callable[[Path], str | None]


def load_text(path: Path, source: TextSource | None = None) -> str:
    """The text of ``path`` from ``source`` (default: the disk, via :func:`read_text`)."""
    if source is None:
        return read_text(path)
    text = source(path)
    if text is None:
        raise InvalidInputError("no such file", path=path)
    return text


def file_exists(path: Path, source: TextSource | None = None) -> bool:
    """Whether ``source`` (default: the disk) has a file at ``path``."""
    return path.is_file() if source is None else source(path) is not None


def load_toml(path: Path, text: str | None = None) -> dict[str, Any]:
    """Parse TOML; syntax errors become one line with tomllib's line/column."""
    try:
        return tomllib.loads(read_text(path) if text is None else text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"not valid TOML: {exc}", path=path) from exc


def table_header_lines(text: str, header: str) -> list[int]:
    """1-based line numbers of each ``[[header]]`` array-of-tables entry, in order."""
    wanted = f"[[{header}]]"
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == wanted]


def normalize(name: str) -> str:
    """PEP 503 normalised project name (``Foo_Bar`` -> ``foo-bar``)."""
    return str(canonicalize_name(name))


def python_keys(entries: Iterable[tuple[str, str]]) -> list[str]:
    """Lock keys for (name, version) pairs: the name, or ``name==version`` when
    the lock holds several versions of one name (forked resolutions)."""
    pairs = [(normalize(n), v) for n, v in entries]
    counts = Counter(n for n, _ in pairs)
    return [n if counts[n] == 1 else f"{n}=={v}" for n, v in pairs]


def is_commit(ref: str) -> bool:
    """True for a full git commit id (SHA-1 or SHA-256), the only immutable ref."""
    return bool(_HEX_COMMIT.match(ref.lower()))


def sri_to_hashes(integrity: str, path: Path) -> tuple[str, ...]:
    """npm Subresource Integrity (``sha512-<base64> ...``) -> ``("sha512:<hex>", ...)``."""
    out: list[str] = []
    for token in integrity.split():
        alg, sep, rest = token.partition("-")
        digest_b64 = rest.split("?", 1)[0]  # SRI allows "?options" after the digest
        if not sep or not alg or not digest_b64:
            raise InvalidInputError(f"malformed integrity value {token!r}", path=path)
        try:
            digest = base64.b64decode(digest_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInputError(
                f"integrity value {token[:40]!r} is not valid base64", path=path
            ) from exc
        out.append(f"{alg.lower()}:{digest.hex()}")
    return tuple(out)


def expect_type(value: Any, kind: type, what: str, path: Path) -> Any:
    """``value`` if it has the expected JSON/TOML type, else a clear error."""
    if not isinstance(value, kind):
        raise InvalidInputError(
            f"{what} should be a {kind.__name__}, found {type(value).__name__}", path=path
        )
    return value
