"""File names for bundles and their companion files, derived from the manifest.

``@scope/pkg`` 1.2.0 becomes ``scope-pkg-1.2.0``. Both parts are reduced to
lowercase letters, digits, ``-``, ``_`` and ``.``: every other character (``+``
of build metadata included) becomes ``-``, runs of ``-`` collapse, leading and
trailing dots and dashes go. The stem is capped at ``MAX_STEM`` characters
(the name part is shortened, never the version) so that suffixes such as
``.mcpb.sigstore.json`` still fit in a 255-byte file name.

A name or version that sanitises to nothing, or a version containing a path
separator, is refused: a manifest must not be able to steer where we write.

Bundle file names come from a template (mcpb-pack's ``output`` input):
``{name}`` and ``{version}`` as above, ``{os}`` and ``{arch}`` the target
platform (:mod:`.platform`, ``any`` when none is given). With the default
template and a per-platform target the platform is appended
(``acme-w-1.0.0-darwin-arm64.mcpb``), so per-platform bundles never collide.
"""

from __future__ import annotations

import re
import string

from mtf_action.bundle.platform import Platform
from mtf_action.errors import InvalidInputError, UsageError

MAX_STEM = 200
MAX_VERSION = 100
DEFAULT_TEMPLATE = "{name}-{version}.mcpb"
PLATFORM_TEMPLATE = "{name}-{version}-{os}-{arch}.mcpb"

_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_DASHES = re.compile(r"-{2,}")
_TEMPLATE_FIELDS = {"name", "version", "os", "arch"}
_SAFE_LITERAL = re.compile(r"[A-Za-z0-9._-]*")


def _sanitise(text: str) -> str:
    cleaned = _DASHES.sub("-", _UNSAFE.sub("-", text.lower()))
    return cleaned.strip(".-")


def safe_name(name: str) -> str:
    """Manifest ``name`` as a file-name component (``@scope/x`` -> ``scope-x``)."""
    bare = name.strip().removeprefix("@")
    cleaned = _sanitise(bare.replace("/", "-"))
    if not cleaned:
        raise InvalidInputError(f"manifest name {name!r} gives an empty file name")
    return cleaned


def safe_version(version: str) -> str:
    """Manifest ``version`` as a file-name component."""
    if "/" in version or "\\" in version:
        raise InvalidInputError(f"manifest version {version!r} contains a path separator")
    cleaned = _sanitise(version.strip())
    if not cleaned:
        raise InvalidInputError(f"manifest version {version!r} gives an empty file name")
    if len(cleaned) > MAX_VERSION:
        raise InvalidInputError(f"manifest version is longer than {MAX_VERSION} characters")
    return cleaned


def _parts(name: str, version: str) -> tuple[str, str]:
    safe_v = safe_version(version)
    room = MAX_STEM - len(safe_v) - 1  # at least 99: the version is capped
    # The cleaned name starts with a letter, digit or "_", so this stays non-empty.
    safe_n = safe_name(name)[:room].rstrip(".-")
    return safe_n, safe_v


def bundle_stem(name: str, version: str) -> str:
    """``<name>-<version>``, safe as a file name; companion files append suffixes."""
    safe_n, safe_v = _parts(name, version)
    return f"{safe_n}-{safe_v}"


def bundle_filename(
    name: str,
    version: str,
    template: str = DEFAULT_TEMPLATE,
    platform: Platform | None = None,
) -> str:
    """Fill ``template`` (``{name}``, ``{version}``, ``{os}``, ``{arch}``) with safe parts.

    The template's literal text may only use letters, digits, ``-``, ``_`` and
    ``.``; the result must be a plain file name (no leading dot, no ``..``);
    otherwise ``UsageError``. See the module docstring for the platform suffix.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise UsageError(f"bad file name template {template!r}: {exc}") from None
    for literal, field, spec, conversion in parsed:
        if not _SAFE_LITERAL.fullmatch(literal):
            raise UsageError(
                f"file name template {template!r} may only contain letters, digits, "
                "'-', '_', '.' besides {name}, {version}, {os} and {arch}"
            )
        if field is not None and (field not in _TEMPLATE_FIELDS or spec or conversion):
            raise UsageError(
                f"file name template {template!r}: unknown placeholder {{{field}}}; "
                "use {name}, {version}, {os} and {arch}"
            )
    if template == DEFAULT_TEMPLATE and platform is not None and not platform.universal:
        template = PLATFORM_TEMPLATE
    target = platform or Platform()
    safe_n, safe_v = _parts(name, version)
    result = template.format(name=safe_n, version=safe_v, os=target.os, arch=target.arch)
    if not result or result.startswith(".") or ".." in result or len(result.encode()) > 255:
        raise UsageError(f"file name template {template!r} gives an unusable name {result!r}")
    return result


def names_platform(template: str) -> bool:
    """True when ``template`` puts the platform into the name (itself or by default)."""
    return template == DEFAULT_TEMPLATE or ("{os}" in template and "{arch}" in template)
