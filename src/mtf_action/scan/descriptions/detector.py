"""Running every CD-03 check over the texts of a manifest.

Per text: invisible characters (reported, and decoded when they smuggle a
message), homoglyphs (mixed-script words), then every rule over the folded
text and its evasion-undoing views, then the encoded segments decoded and
rescanned, then semantic mismatch against the owning tool's name. A rule that
only matches after folding, a view or a decoder says so (``via``), since the
disguise is itself evidence. One detection per rule and text: the first span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mtf_action.scan.descriptions.confusables import homoglyph_letters
from mtf_action.scan.descriptions.decoders import decode_all
from mtf_action.scan.descriptions.fields import DescriptionField, FieldKind
from mtf_action.scan.descriptions.hidden import HiddenKind, hidden_characters, smuggled_text
from mtf_action.scan.descriptions.mismatch import mismatch
from mtf_action.scan.descriptions.model import Category, Detection
from mtf_action.scan.descriptions.normalize import Folded, fold, quote, variants, visible
from mtf_action.scan.descriptions.rules import Rule
from mtf_action.scan.descriptions.rules_credentials import CREDENTIAL_RULES
from mtf_action.scan.descriptions.rules_data import DATA_RULES
from mtf_action.scan.descriptions.rules_intent import INTENT_RULES
from mtf_action.scan.descriptions.rules_privacy import PRIVACY_RULES
from mtf_action.scan.descriptions.rules_sinks import SINK_RULES
from mtf_action.scan.descriptions.rules_sleeper import SLEEPER_RULES
from mtf_action.scan.descriptions.secrets import secret_detections

RULES: tuple[Rule, ...] = (
    INTENT_RULES + SLEEPER_RULES + DATA_RULES + CREDENTIAL_RULES + SINK_RULES + PRIVACY_RULES
)
MAX_DECODE_DEPTH = 2
_WORD = re.compile(r"\w+")


def _rule_hits(text: str) -> list[tuple[Rule, Folded, re.Match[str]]]:
    """(rule, view, first match) for each rule matching the folded text or one of its views."""
    base = fold(text)
    hits: list[tuple[Rule, Folded, re.Match[str]]] = []
    views = [base, *variants(base)]
    for r in RULES:
        for view in views:
            found = r.first(view.text)
            if found is not None:
                hits.append((r, view, found))
                break
    return hits


def _disguise(text: str, view: Folded, start: int, end: int) -> str:
    if view.label != "text":
        return view.label
    span = text[start:end]
    if span.isascii():
        return ""
    if any(homoglyph_letters(w) for w in _WORD.findall(span)) or span != visible(span):
        return "homoglyph / invisible-character folding"
    return "Unicode normalisation"


def _scan_text(field: DescriptionField, text: str, depth: int, via: str) -> list[Detection]:
    server = field.kind is FieldKind.SERVER
    out: list[Detection] = []
    for r, view, m in _rule_hits(text):
        start, end = view.source_span(m.start(), m.end())
        how = via or _disguise(text, view, start, end)
        blocking = r.blocking and not (server and r.warn_in_server)
        if via and r.blocking:
            # Found only inside an encoding: the obfuscation is the finding (spec: HIGH, BLOCK).
            out.append(_detection(field, Category.OBFUSCATION, f"{via}-{r.slug}",
                                  f"{via} text: {r.title}", quote(text, start, end), True, via))  # fmt: skip
            continue
        out.append(
            _detection(field, r.category, r.slug, r.title, quote(text, start, end), blocking, how)
        )
    if depth < MAX_DECODE_DEPTH:
        for decoded in decode_all(text):
            inner = _scan_text(field, decoded.text, depth + 1, decoded.kind)
            out.extend(inner)
            if not inner and decoded.kind in ("base64", "hex", "unicode-escape"):
                out.append(_detection(field, Category.SUSPICIOUS, f"{decoded.kind}-text",
                                      f"{decoded.kind}-encoded text",
                                      quote(decoded.text, 0, len(decoded.text)), False, decoded.kind))  # fmt: skip
    return out


def _detection(
    field: DescriptionField,
    category: Category,
    slug: str,
    title: str,
    quoted: str,
    blocking: bool,
    via: str = "",
) -> Detection:
    return Detection(category, slug, title, quoted, blocking, field.pointer, field.owner, via)


def _hidden(field: DescriptionField) -> list[Detection]:
    out: list[Detection] = []
    groups = hidden_characters(field.text)
    for group in groups:
        first = group.positions[0]
        codes = ", ".join(sorted(group.codepoints))
        title = f"{len(group.positions)} hidden {group.kind.value}(s) ({codes})"
        span = quote(field.text, max(0, first - 30), min(len(field.text), first + 30))
        # Formatting controls of other kinds can be ordinary in some scripts: WARN.
        blocking = group.kind is not HiddenKind.FORMAT
        out.append(
            _detection(field, Category.HIDDEN_TEXT, "invisible-characters", title, span, blocking)
        )
    if any(g.kind in (HiddenKind.TAG, HiddenKind.SELECTOR) for g in groups):
        message = smuggled_text(field.text)
        if message:
            out.extend(_scan_text(field, message, MAX_DECODE_DEPTH - 1, "smuggled-unicode"))
            if not any(d.category is Category.OBFUSCATION for d in out):
                out.append(_detection(field, Category.OBFUSCATION, "smuggled-text",
                                      "message encoded in invisible characters",
                                      quote(message, 0, len(message)), True, "smuggled-unicode"))  # fmt: skip
    words = [] if field.text.isascii() else _WORD.findall(field.text)
    for word in words:
        letters = [] if word.isascii() else homoglyph_letters(word)
        if letters:
            codes = ", ".join(f"{c} U+{ord(c):04X}" for c in sorted(set(letters)))
            out.append(_detection(field, Category.HIDDEN_TEXT, "homoglyphs",
                                  f"mixed-script word with look-alike letters ({codes})",
                                  visible(word), True))  # fmt: skip
            break
    return out


def scan_field(field: DescriptionField) -> list[Detection]:
    """Every CD-03 detection for one text, at most one per rule."""
    out = _hidden(field)
    if not field.is_name:
        out.extend(_scan_text(field, field.text, 0, ""))
        out.extend(secret_detections(field))
        if field.owner and field.kind in (FieldKind.TOOL, FieldKind.SCHEMA):
            found = mismatch(field.owner, fold(field.text).text)
            if found is not None:
                what, m = found
                view = fold(field.text)
                start, end = view.source_span(m.start(), m.end())
                out.append(_detection(field, Category.SEMANTIC_MISMATCH, "name-description-mismatch",
                                      f"tool named {field.owner!r} asks for {what}",
                                      quote(field.text, start, end), True))  # fmt: skip
    return _distinct(out)


def _distinct(detections: list[Detection]) -> list[Detection]:
    """One detection per rule; a warning whose span a block already quotes adds nothing."""
    blocking_quotes = [d.quote for d in detections if d.blocking]
    seen: set[str] = set()
    unique: list[Detection] = []
    for d in detections:
        if d.rule in seen:
            continue
        if not d.blocking and any(d.quote in quoted for quoted in blocking_quotes):
            continue
        seen.add(d.rule)
        unique.append(d)
    return unique


def scan_fields(fields: Iterable[DescriptionField]) -> list[Detection]:
    return [d for f in fields for d in scan_field(f)]
