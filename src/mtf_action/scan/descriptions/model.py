"""What the description analysis reports: categories, their weight, detections."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from mtf_action.scan.result import Severity


class Category(enum.StrEnum):
    """CD-03 pattern categories: the spec's table plus those the public corpus shows."""

    INSTRUCTION_OVERRIDE = "instruction-override"
    TOOL_SHADOWING = "tool-shadowing"
    FILE_EXFILTRATION = "file-exfiltration"
    DATA_TRANSMISSION = "data-transmission"
    COMMAND_EXECUTION = "command-execution"
    CONCEALMENT = "concealment"
    DATA_COLLECTION = "data-collection"
    SLEEPER_TOOL = "sleeper-tool"
    SECRET = "secret-in-description"
    OBFUSCATION = "obfuscation"
    HIDDEN_TEXT = "hidden-text"
    HIDDEN_MARKUP = "hidden-markup"
    SEMANTIC_MISMATCH = "semantic-mismatch"
    SUSPICIOUS = "suspicious-phrasing"

    @property
    def severity(self) -> Severity:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


# MTF-0.1 CD-03 "What CD-03 Detects": override, exfiltration and transmission
# are CRITICAL; obfuscation, hidden instructions and mismatch HIGH. Shadowing
# and command execution are overrides of the user's intent (CRITICAL);
# concealment, collection, sleeper tools, embedded secrets and hidden markup
# are hidden instructions (HIGH). Suspicious phrasing is the WARN row.
_SEVERITY = {
    Category.INSTRUCTION_OVERRIDE: Severity.CRITICAL,
    Category.TOOL_SHADOWING: Severity.CRITICAL,
    Category.FILE_EXFILTRATION: Severity.CRITICAL,
    Category.DATA_TRANSMISSION: Severity.CRITICAL,
    Category.COMMAND_EXECUTION: Severity.CRITICAL,
    Category.CONCEALMENT: Severity.HIGH,
    Category.DATA_COLLECTION: Severity.HIGH,
    Category.SLEEPER_TOOL: Severity.HIGH,
    Category.SECRET: Severity.HIGH,
    Category.OBFUSCATION: Severity.HIGH,
    Category.HIDDEN_TEXT: Severity.HIGH,
    Category.HIDDEN_MARKUP: Severity.HIGH,
    Category.SEMANTIC_MISMATCH: Severity.HIGH,
    Category.SUSPICIOUS: Severity.MEDIUM,
}


@dataclass(frozen=True)
class Detection:
    """One rule that fired on one text, with the offending span quoted.

    ``blocking`` separates the spec's BLOCK rows from "suspicious phrasing
    (low confidence)"; ``quote`` is the span with invisible characters shown
    as ``<U+XXXX>``; ``via`` says what had to be undone first (a decoder,
    homoglyph folding, leetspeak), empty when the text said it plainly.
    """

    category: Category
    rule: str
    title: str
    quote: str
    blocking: bool
    pointer: str = ""
    owner: str | None = None
    via: str = ""

    @property
    def severity(self) -> Severity:
        return self.category.severity if self.blocking else Severity.MEDIUM
