"""Raw manifest access shared by the manifest-driven controls (AI-01, CD-01, PR-*).

Provenance controls read the parsed JSON rather than the typed model: one
field of the wrong type makes the typed view (or the whole MTF extension)
unavailable, and PR-01 must still say that ``repository`` is a string instead
of an object. AI-01 and CD-01 need the validation at more than one level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from mtf_action.models.manifest import MTF_NAMESPACE
from mtf_action.scan.context import ScanContext

if TYPE_CHECKING:  # the validator (jsonschema) loads when a control first validates
    from mtf_action.models.manifest_report import ManifestReport

_BY_LEVEL: WeakKeyDictionary[ScanContext, dict[int, ManifestReport]] = WeakKeyDictionary()


def raw_manifest(ctx: ScanContext) -> dict[str, Any]:
    """The parsed manifest.json (raises ManifestError when missing or unreadable)."""
    return ctx.loaded_manifest().raw


def mtf_extension(raw: dict[str, Any]) -> dict[str, Any]:
    """``_meta["org.mpaktrust"]`` when it is an object, else an empty dict."""
    meta = raw.get("_meta")
    block = meta.get(MTF_NAMESPACE) if isinstance(meta, dict) else None
    return block if isinstance(block, dict) else {}


def report_at(ctx: ScanContext, level: int) -> ManifestReport:
    """The manifest validated at ``level``, computed once per scan and level.

    MTF's manifest rules differ between L1 and L2 only (L3 and L4 add no
    manifest requirement of AI-01 or CD-01), so L1 and L2 reports suffice to
    know the lowest level at which each issue blocks.
    """
    from mtf_action.manifest.validation import validate_manifest

    reports = _BY_LEVEL.setdefault(ctx, {})
    if level not in reports:
        reports[level] = validate_manifest(ctx.loaded_manifest(), level)
    return reports[level]


def line_of(ctx: ScanContext, pointer: str) -> int | None:
    """1-based line of a JSON pointer in manifest.json, when it can be located."""
    return ctx.loaded_manifest().line_of(pointer)
