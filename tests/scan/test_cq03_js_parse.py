"""The JavaScript/TypeScript parser wrapper and name resolution the CQ-02..05 rules build on."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_ctx

from mtf_action.scan.js.parse import grammar_for, js_tree, parse_js
from mtf_action.scan.static.js_names import JsNames


def test_cq03_parses_modern_esm_typescript_and_tsx() -> None:
    js = parse_js(
        "import { x } from 'y';\nexport const f = async () => await x?.z ?? 1;\n", typescript=False
    )
    ts = parse_js("enum E { A }\nfunction f<T>(a: T): T { return <T>a; }\n", typescript=True)
    tsx = parse_js("const C = (p: { n: string }) => <div>{p.n}</div>;\n", typescript=True, jsx=True)
    jsx = parse_js("const C = () => <div />;\n", typescript=False)
    for tree in (js, ts, tsx, jsx):
        assert tree is not None and not tree.has_error


def test_cq03_syntax_errors_still_give_a_tree() -> None:
    tree = parse_js("eval(code);\nfunction (\n", typescript=False)
    assert tree is not None and tree.has_error
    assert any(tree.text(n) == "eval" for n in tree.walk())


def test_cq03_parse_gives_up_after_the_timeout() -> None:
    source = "a = [1, 2, 3].map((x) => x * 2);\n" * 50_000
    assert parse_js(source, typescript=False, timeout=0.0) is None


def test_cq03_walk_survives_deep_nesting() -> None:
    depth = 5000
    tree = parse_js("x = " + "[" * depth + "]" * depth + ";\n", typescript=False)
    assert tree is not None
    assert sum(1 for n in tree.walk() if n.type == "array") == depth


@pytest.mark.parametrize(
    ("path", "grammar"),
    [
        ("a.js", (False, True)),
        ("a.mjs", (False, True)),
        ("a.cjs", (False, True)),
        ("a.ts", (True, False)),
        ("a.tsx", (True, True)),
        ("a.d.ts", None),
        ("a.json", None),
    ],
)
def test_cq03_grammar_by_extension(path: str, grammar: tuple[bool, bool] | None) -> None:
    assert grammar_for(path) == grammar


def test_cq03_js_tree_is_parsed_once_per_scan(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {"a.js": "eval(x);\n", "b.d.ts": "declare const y: number;\n"})
    first = js_tree(ctx, "a.js")
    assert first is not None and js_tree(ctx, "a.js") is first
    assert js_tree(ctx, "b.d.ts") is None
    assert ctx.reads["a.js"] == 1 and ctx.reads["b.d.ts"] == 0


def _value(source: str) -> str | None:
    tree = parse_js(source, typescript=False)
    assert tree is not None
    names = JsNames(tree)
    declarator = next(
        n for n in tree.walk() if n.type == "variable_declarator" and tree.text(n).startswith("v")
    )
    value = declarator.child_by_field_name("value")
    assert value is not None
    return names.static_string(value)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("const v = 'child_' + \"process\";", "child_process"),
        ("const v = `child_${'process'}`;", "child_process"),
        ("const a = 'ex'; const v = a + 'ec';", "exec"),
        ("const v = '\\x65\\u0076\\u{61}l';", "eval"),
        ("let a = 'ex'; a = 'x'; const v = a + 'ec';", None),  # reassigned: not a constant
        ("const v = `a${b}`;", None),
    ],
)
def test_cq03_constant_strings_are_evaluated(source: str, value: str | None) -> None:
    assert _value(source) == value
