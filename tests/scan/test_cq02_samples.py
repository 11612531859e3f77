"""MTF CQ-02 rules on the sample corpus: each sample fires exactly the rules it declares.

Samples live in tests/data/scan/cq02/{python,js}; the first line of each says
``expect: <rules>`` or ``expect: none`` (benign look-alikes).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mtf_action.scan.js.parse import grammar_for, parse_js
from mtf_action.scan.malware.js_rules import analyse_js
from mtf_action.scan.malware.python_rules import analyse_python

DATA = Path(__file__).resolve().parent.parent / "data" / "scan" / "cq02"
_EXPECT = re.compile(r"^(?:#|//) expect: (.+)$", re.MULTILINE)


def _expected(source: str) -> set[str]:
    match = _EXPECT.search(source)
    assert match is not None, "sample without an '# expect:' line"
    value = match.group(1).strip()
    return set() if value == "none" else {v.strip() for v in value.split(",")}


PY_SAMPLES = sorted((DATA / "python").glob("*.py"))
JS_SAMPLES = sorted(p for p in (DATA / "js").iterdir() if grammar_for(p.name) is not None)


def test_cq02_sample_corpus_is_complete() -> None:
    assert len(PY_SAMPLES) >= 25 and len(JS_SAMPLES) >= 18
    for samples in (PY_SAMPLES, JS_SAMPLES):
        texts = [p.read_text(encoding="utf-8") for p in samples]
        assert any(_expected(t) == set() for t in texts), "benign look-alikes are missing"


@pytest.mark.parametrize("sample", PY_SAMPLES, ids=lambda p: p.name)
def test_cq02_python_sample(sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    hits = analyse_python(ast.parse(source), source)
    assert {h.rule for h in hits} == _expected(source), hits
    assert all(h.line is not None for h in hits)


@pytest.mark.parametrize("sample", JS_SAMPLES, ids=lambda p: p.name)
def test_cq02_js_sample(sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    grammar = grammar_for(sample.name)
    assert grammar is not None
    tree = parse_js(source, typescript=grammar[0], jsx=grammar[1])
    assert tree is not None and not tree.has_error
    hits = analyse_js(tree)
    assert {h.rule for h in hits} == _expected(source), hits
