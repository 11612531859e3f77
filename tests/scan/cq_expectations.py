"""Fixture files with inline expectations for the CQ-03/04/05 tests.

A fixture line that must produce a finding ends with ``# expect: <rule>`` (or
``// expect: <rule>``); negative fixtures carry no marker and must produce no
finding above info. Python fixtures are stored as ``*.py.txt`` so the repository's
linters leave their deliberately unsafe code alone; they are scanned as ``.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from mtf_action.scan.result import ControlOutcome, Severity

DATA = Path(__file__).resolve().parent.parent / "data" / "scan"
_EXPECT = re.compile(r"(?:#|//)\s*expect:\s*([\w-]+)")


def fixture(control: str, name: str) -> tuple[str, str]:
    """(path inside the scanned server, text) of ``tests/data/scan/<control>/<name>``."""
    text = (DATA / control / name).read_text(encoding="utf-8")
    return f"server/{name.removesuffix('.txt')}", text


def expected(text: str) -> set[tuple[int, str]]:
    return {
        (number, match.group(1))
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := _EXPECT.search(line))
    }


def observed(outcome: ControlOutcome, file: str | None = None) -> set[tuple[int, str]]:
    """(line, rule) of every finding above info (optionally of one file)."""
    return {
        (f.line or 0, f.rule)
        for f in outcome.findings
        if f.severity is not Severity.INFO and (file is None or f.file == file)
    }
