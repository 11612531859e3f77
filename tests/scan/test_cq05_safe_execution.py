"""CQ-05 Safe Execution Patterns: the spec's Python and JS/TS tables, evasions included."""

from __future__ import annotations

from pathlib import Path

import pytest
from cq_expectations import expected, fixture, observed
from helpers import bundle_ctx, make_ctx

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.cq05_safe_execution import SafeExecution
from mtf_action.scan.result import Severity, Status


def _run(tmp_path: Path, files: dict[str, str | bytes]):  # type: ignore[no-untyped-def]
    return SafeExecution().evaluate(make_ctx(tmp_path, files))


@pytest.mark.parametrize("name", ["unsafe.py.txt", "unsafe.js", "unsafe.ts"])
def test_cq05_positive_fixture_finds_every_marked_pattern(tmp_path: Path, name: str) -> None:
    path, text = fixture("cq05", name)
    outcome = _run(tmp_path, {path: text})
    assert observed(outcome) == expected(text)
    assert outcome.status_at(3) is Status.FAIL


@pytest.mark.parametrize("name", ["safe.py.txt", "safe.js"])
def test_cq05_negative_fixture_passes(tmp_path: Path, name: str) -> None:
    path, text = fixture("cq05", name)
    outcome = _run(tmp_path, {path: text})
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS


def test_cq05_severities_follow_the_spec_table(tmp_path: Path) -> None:
    path, text = fixture("cq05", "unsafe.py.txt")
    js_path, js_text = fixture("cq05", "unsafe.js")
    outcome = _run(tmp_path, {path: text, js_path: js_text})
    by_rule = {f.rule: (f.severity, f.blocks_at) for f in outcome.findings}
    assert by_rule["eval-external"] == (Severity.CRITICAL, 3)
    assert by_rule["os-system"] == (Severity.HIGH, 3)
    assert by_rule["pickle-load"] == (Severity.HIGH, 3)
    assert by_rule["yaml-unsafe-load"] == (Severity.HIGH, 3)
    assert by_rule["child-process-exec"] == (Severity.HIGH, 3)
    assert by_rule["eval"] == (Severity.HIGH, 3)
    assert by_rule["sql-template"] == (Severity.HIGH, 3)
    assert by_rule["function-constructor"] == (Severity.MEDIUM, None)
    assert by_rule["timer-string"] == (Severity.MEDIUM, None)
    assert by_rule["inner-html"] == (Severity.MEDIUM, None)


def test_cq05_medium_patterns_warn_at_every_level(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"server/ui.js": 'setTimeout("refresh()", 100);\n'})
    assert [f.rule for f in outcome.findings] == ["timer-string"]
    assert outcome.status_at(3) is Status.WARN
    assert outcome.status_at(4) is Status.WARN


def test_cq05_justified_suppression_becomes_info(tmp_path: Path) -> None:
    outcome = _run(
        tmp_path,
        {
            "server/a.py": "import os\nos.system(cmd)  # nosec: fixed admin command from config\n",
            "server/b.js": "eval(code); // nosec: sandboxed expression evaluator\n",
        },
    )
    assert [(f.severity, f.title) for f in outcome.findings] == [
        (Severity.INFO, "suppressed: fixed admin command from config"),
        (Severity.INFO, "suppressed: sandboxed expression evaluator"),
    ]
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["suppressed"] == 2


@pytest.mark.parametrize("comment", ["# nosec", "# nosec:", "# nosec B605", "# nosec: ok"])
def test_cq05_bare_suppression_hides_nothing_and_warns(tmp_path: Path, comment: str) -> None:
    outcome = _run(tmp_path, {"server/a.py": f"import os\nos.system(cmd)  {comment}\n"})
    rules = sorted((f.rule, f.severity) for f in outcome.findings)
    assert rules == [("os-system", Severity.HIGH), ("unjustified-suppression", Severity.MEDIUM)]
    assert outcome.status_at(3) is Status.FAIL


def test_cq05_suppression_scoped_to_another_rule_does_not_apply(tmp_path: Path) -> None:
    text = "import os\nos.system(cmd)  # nosec B301: only pickle is meant here\n"
    outcome = _run(tmp_path, {"server/a.py": text})
    assert [f.rule for f in outcome.findings] == ["os-system"]
    scoped = "import os\nos.system(cmd)  # nosec B605: constant maintenance command\n"
    assert _run(tmp_path / "b", {"server/a.py": scoped}).status_at(4) is Status.PASS


def test_cq05_nosec_inside_a_string_is_no_suppression(tmp_path: Path) -> None:
    text = 'import os\nos.system("echo # nosec: not a comment")\nos.system(cmd)\n'
    outcome = _run(tmp_path, {"server/a.py": text})
    assert observed(outcome) == {(2, "os-system"), (3, "os-system")}


def test_cq05_ignores_vendored_dependencies_and_tests(tmp_path: Path) -> None:
    bad_py, bad_js = "import os\nos.system(cmd)\n", "require('child_process').exec(c);\n"
    outcome = _run(
        tmp_path,
        {
            "deps/pkg/mod.py": bad_py,
            "server/lib/x.py": bad_py,
            "node_modules/pkg/index.js": bad_js,
            "tests/test_server.py": bad_py,
            "server/index.test.js": bad_js,
            "server/main.py": "print('ok')\n",
        },
    )
    assert outcome.findings == []
    assert outcome.details["excluded_test_files"] == [
        "server/index.test.js",
        "tests/test_server.py",
    ]


def test_cq05_skips_without_server_code(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"README.md": "docs\n", "deps/x.py": "import os\nos.system(c)\n"})
    assert outcome.status_at(3) is Status.SKIP
    assert outcome.skipped is not None


def test_cq05_unparseable_file_is_a_warning_not_a_pass(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"server/a.py": "def broken(:\n", "server/b.py": b"\xff\xfe\x00x"})
    assert {(f.file, f.rule) for f in outcome.findings} == {
        ("server/a.py", "not-analysed"),
        ("server/b.py", "not-analysed"),
    }
    assert outcome.status_at(4) is Status.WARN


def test_cq05_same_result_for_a_bundle(tmp_path: Path) -> None:
    path, text = fixture("cq05", "unsafe.js")
    with bundle_ctx(tmp_path, {path: text}) as ctx:
        outcome = SafeExecution().evaluate(ctx)
    assert observed(outcome) == expected(text)
    assert {f.file for f in outcome.findings} == {path}


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_cq05_example_servers_pass(examples_dir: Path, example: str) -> None:
    root = examples_dir / example
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    outcome = SafeExecution().evaluate(
        ScanContext(root, files, kind="directory", options=ScanOptions())
    )
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS


def test_cq03_cq04_cq05_share_one_read_of_each_file(tmp_path: Path) -> None:
    from mtf_action.scan.controls.cq03_static import StaticAnalysis
    from mtf_action.scan.controls.cq04_input_validation import InputValidation

    py_path, py_text = fixture("cq05", "unsafe.py.txt")
    js_path, js_text = fixture("cq05", "unsafe.js")
    tool_path, tool_text = fixture("cq04", "handlers.ts")
    ctx = make_ctx(tmp_path, {py_path: py_text, js_path: js_text, tool_path: tool_text})
    for control in (StaticAnalysis(), InputValidation(), SafeExecution()):
        assert control.evaluate(ctx).error is None
    assert dict(ctx.reads) == {py_path: 1, js_path: 1, tool_path: 1}


def test_cq05_findings_do_not_quote_source_lines(tmp_path: Path) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    outcome = _run(
        tmp_path,
        {
            "server/a.py": f"import os\nos.system('curl -H {token} https://x')\n",
            "server/b.js": f"require('child_process').exec('curl -H {token}');\n",
        },
    )
    assert len(outcome.findings) == 2
    assert all(token[4:16] not in f.model_dump_json() for f in outcome.findings)
