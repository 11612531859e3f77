"""Encoded text inside a description: base64, hex, URL-encoding, escapes (CD-03 obfuscation).

Each candidate is decoded and kept only when the result reads as text (mostly
printable, mostly letters and spaces): digests, UUIDs and image data decode to
binary noise and are dropped. The detector rescans what remains with every
rule, so ``aWdub3JlIHByZXZpb3Vz...`` is judged by what it says.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/_=-])")
_HEX_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2}){4,}")
_HEX_RUN = re.compile(r"(?<![0-9a-zA-Z])(?:0x)?((?:[0-9a-fA-F]{2}){8,})(?![0-9a-zA-Z])")
_HEX_SPACED = re.compile(r"(?<![0-9a-zA-Z])(?:[0-9a-fA-F]{2}[ :]){7,}[0-9a-fA-F]{2}(?![0-9a-zA-Z])")
_UNICODE_ESCAPES = re.compile(r"(?:\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\}){3,}")
_URL_ENCODED = re.compile(r"[^\s]*(?:%[0-9a-fA-F]{2}[^\s%]*){3,}")
_ENTITIES = re.compile(r"(?:&#(?:x[0-9a-fA-F]{1,6}|\d{1,7});\s?){3,}")
MAX_CANDIDATES = 64  # per text: a description is not a data file


@dataclass(frozen=True)
class Decoded:
    kind: str  # base64, hex, url-encoding, unicode-escape, html-entities
    start: int
    end: int
    text: str


def readable(text: str) -> bool:
    """Printable text with words in it, not binary noise."""
    if len(text) < 6:
        return False
    printable = sum(c.isprintable() or c in "\n\t" for c in text)
    letters = sum(c.isalpha() or c == " " for c in text)
    return printable / len(text) > 0.95 and letters / len(text) > 0.6 and " " in text.strip()


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _base64(token: str) -> str | None:
    if token.isalpha() or token.isdigit() or (token.isalnum() and token.lower() == token):
        return None  # identifiers and words, not encodings
    body = token.rstrip("=")
    padded = body + "=" * (-len(body) % 4)
    try:
        if "-" in body or "_" in body:
            data = base64.urlsafe_b64decode(padded)
        else:
            data = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _utf8(data)


def _hex(digits: str) -> str | None:
    try:
        return _utf8(bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", digits)))
    except ValueError:
        return None


def _escapes(token: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if int(code, 16) <= 0x10FFFF else ""

    return re.sub(r"\\u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})", one, token)


def _candidates(text: str) -> Iterator[Decoded | None]:
    for m in _BASE64.finditer(text):
        value = _base64(m.group(0))
        yield Decoded("base64", m.start(), m.end(), value) if value else None
    for m in _HEX_ESCAPES.finditer(text):
        value = _hex(m.group(0).replace("\\x", ""))
        yield Decoded("hex", m.start(), m.end(), value) if value else None
    for regex in (_HEX_RUN, _HEX_SPACED):
        for m in regex.finditer(text):
            value = _hex(m.group(0).removeprefix("0x"))
            yield Decoded("hex", m.start(), m.end(), value) if value else None
    for m in _UNICODE_ESCAPES.finditer(text):
        yield Decoded("unicode-escape", m.start(), m.end(), _escapes(m.group(0)))
    if "%" in text:
        for m in _URL_ENCODED.finditer(text):
            yield Decoded("url-encoding", m.start(), m.end(), unquote(m.group(0)))
    if "&#" in text:
        for m in _ENTITIES.finditer(text):
            yield Decoded("html-entities", m.start(), m.end(), html.unescape(m.group(0)))


def decode_all(text: str) -> list[Decoded]:
    """The encoded segments of ``text`` that decode to readable text."""
    found: list[Decoded] = []
    for candidate in _candidates(text):
        if candidate is not None and readable(candidate.text):
            found.append(candidate)
            if len(found) >= MAX_CANDIDATES:
                break
    return found
