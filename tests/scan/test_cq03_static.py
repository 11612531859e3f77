"""CQ-03 Static Analysis: Bandit in-process for Python, eslint-plugin-security rules for JS/TS."""

from __future__ import annotations

from pathlib import Path

import pytest
from bandit.core import manager as bandit_manager
from bandit.core import node_visitor
from cq_expectations import expected, fixture, observed
from helpers import bundle_ctx, make_ctx

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.cq03_static import StaticAnalysis, mtf_severity
from mtf_action.scan.result import ControlOutcome, Severity, Status
from mtf_action.scan.static.bandit_runner import run_bandit
from mtf_action.scan.static.scope import is_test_file


def _run(tmp_path: Path, files: dict[str, str | bytes]) -> ControlOutcome:
    return StaticAnalysis().evaluate(make_ctx(tmp_path, files))


@pytest.mark.parametrize(
    ("severity", "confidence", "mtf"),
    [
        ("HIGH", "HIGH", Severity.HIGH),
        ("HIGH", "MEDIUM", Severity.MEDIUM),
        ("MEDIUM", "HIGH", Severity.MEDIUM),
        ("MEDIUM", "MEDIUM", Severity.LOW),
        ("LOW", "HIGH", Severity.INFO),
        ("LOW", "LOW", Severity.INFO),
        # Pairs the spec table leaves out: one step down per step of confidence.
        ("HIGH", "LOW", Severity.LOW),
        ("MEDIUM", "LOW", Severity.INFO),
        ("UNDEFINED", "HIGH", Severity.INFO),
    ],
)
def test_cq03_severity_mapping_follows_spec_table(
    severity: str, confidence: str, mtf: Severity
) -> None:
    assert mtf_severity(severity, confidence) is mtf


def test_cq03_bandit_findings_mapped_and_high_blocks_at_l2(tmp_path: Path) -> None:
    path, text = fixture("cq03", "findings.py.txt")
    outcome = _run(tmp_path, {path: text})
    assert observed(outcome) == expected(text)
    shell = next(f for f in outcome.findings if f.rule == "bandit-B602")
    assert (shell.severity, shell.blocks_at, shell.file, shell.line) == (
        Severity.HIGH,
        2,
        path,
        5,
    )
    assert "CWE-78" in shell.description
    assert outcome.status_at(1) is Status.WARN  # CQ-03 is an L2 control
    assert outcome.status_at(2) is Status.FAIL
    # LOW-severity Bandit results (B404 import subprocess) are reported as info only.
    assert any(f.rule == "bandit-B404" and f.severity is Severity.INFO for f in outcome.findings)


def test_cq03_clean_python_passes(tmp_path: Path) -> None:
    path, text = fixture("cq03", "clean.py.txt")
    outcome = _run(tmp_path, {path: text})
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["python_files"] == 1


@pytest.mark.parametrize("name", ["findings.js"])
def test_cq03_js_rules_match_fixture(tmp_path: Path, name: str) -> None:
    path, text = fixture("cq03", name)
    outcome = _run(tmp_path, {path: text})
    assert observed(outcome) == expected(text)
    severities = {f.rule: (f.severity, f.blocks_at) for f in outcome.findings}
    assert severities["detect-child-process"] == (Severity.HIGH, 2)
    assert severities["detect-eval-with-expression"] == (Severity.HIGH, 2)
    assert severities["detect-non-literal-fs-filename"] == (Severity.MEDIUM, None)
    assert severities["child-process-module"] == (Severity.INFO, None)


def test_cq03_js_constants_pass(tmp_path: Path) -> None:
    path, text = fixture("cq03", "clean.js")
    outcome = _run(tmp_path, {path: text})
    assert observed(outcome) == set()
    assert outcome.status_at(4) is Status.PASS


def test_cq03_typescript_is_analysed(tmp_path: Path) -> None:
    text = (
        'import { exec } from "node:child_process";\n'
        "export function run(cmd: string): void {\n"
        "  exec(`sh -c ${cmd}` as string);\n"
        "}\n"
    )
    outcome = _run(tmp_path, {"src/run.ts": text, "src/types.d.ts": "declare const x: any;\n"})
    assert observed(outcome) == {(3, "detect-child-process")}
    assert outcome.details["script_files"] == 1  # the .d.ts holds no code


def test_cq03_justified_nosec_is_honoured(tmp_path: Path) -> None:
    text = (
        "import subprocess\n"
        "subprocess.call(cmd, shell=True)  # nosec: cmd comes from a fixed allow-list\n"
    )
    outcome = _run(tmp_path, {"server/a.py": text})
    suppressed = [f for f in outcome.findings if f.rule == "bandit-B602"]
    assert [(f.severity, f.title) for f in suppressed] == [
        (Severity.INFO, "suppressed: cmd comes from a fixed allow-list")
    ]
    assert outcome.status_at(4) is Status.PASS


def test_cq03_bare_nosec_does_not_hide_and_is_warned(tmp_path: Path) -> None:
    text = "import subprocess\nsubprocess.call(cmd, shell=True)  # nosec\nx = 1  # nosec\n"
    outcome = _run(tmp_path, {"server/a.py": text, "server/b.js": "eval(x); // nosec\n"})
    assert observed(outcome) == {
        (2, "bandit-B602"),
        (2, "unjustified-suppression"),
        (3, "unjustified-suppression"),
        (1, "detect-eval-with-expression"),
        (1, "unjustified-suppression"),
    }
    assert outcome.status_at(2) is Status.FAIL
    assert outcome.details["unjustified_suppressions"] == 3


def test_cq03_excludes_dependencies_and_tests(tmp_path: Path) -> None:
    bad = "import subprocess\nsubprocess.call(cmd, shell=True)\n"
    outcome = _run(
        tmp_path,
        {
            "deps/lib/mod.py": bad,
            ".venv/lib/x.py": bad,
            "vendor/y.py": bad,
            "node_modules/p/i.js": "eval(x);\n",
            "tests/test_server.py": bad,
            "server/server_test.py": bad,
            "server/app.spec.ts": "eval(x);\n",
            "server/attestation.py": "VALUE = 1\n",
        },
    )
    assert outcome.findings == []
    assert outcome.details["python_files"] == 1  # only attestation.py
    assert sorted(outcome.details["excluded_test_files"]) == [
        "server/app.spec.ts",
        "server/server_test.py",
        "tests/test_server.py",
    ]


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("tests/helpers.py", True),
        ("src/__tests__/a.js", True),
        ("test_server.py", True),
        ("server_test.py", True),
        ("a.test.ts", True),
        ("a.spec.js", True),
        ("conftest.py", True),
        ("attestation.py", False),
        ("latest.js", False),
        ("inspect_tool.py", False),
        ("special.ts", False),
        ("contest.py", False),
    ],
)
def test_cq03_test_file_globs_are_read_word_wise(path: str, is_test: bool) -> None:
    assert is_test_file(path) is is_test


def test_cq03_skips_without_server_code(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"README.md": "x\n", "deps/a.py": "import os\n"})
    assert outcome.status_at(2) is Status.SKIP


def test_cq03_unparseable_python_is_reported(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"server/a.py": "def f(:\n", "server/ok.py": "x = 1\n"})
    assert observed(outcome) == {(0, "not-analysed")}
    assert outcome.details["not_analysed"] == {
        "server/a.py": "syntax error while parsing AST from file"
    }
    assert outcome.status_at(4) is Status.WARN


def test_cq03_bandit_crash_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self: object, data: bytes) -> None:
        raise RuntimeError("plugin blew up")

    monkeypatch.setattr(node_visitor.BanditNodeVisitor, "process", explode)
    outcome = _run(tmp_path, {"server/a.py": "x = 1\n"})
    assert outcome.status_at(2) is Status.ERROR
    assert outcome.error is not None and "Bandit failed" in outcome.error


def test_cq03_missing_bandit_api_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(bandit_manager.BanditManager, "_parse_file")
    outcome = _run(tmp_path, {"server/a.py": "x = 1\n"})
    assert outcome.status_at(2) is Status.ERROR


def test_cq03_bandit_works_on_content_not_on_disk(tmp_path: Path) -> None:
    # The path only names the file; Bandit never opens it (read-once guarantee).
    missing = tmp_path / "nowhere" / "a.py"
    run = run_bandit([("a.py", missing, b"import pickle\npickle.loads(blob)\n")])
    assert {(i.filename, i.test_id) for i in run.issues} >= {("a.py", "B301")}
    assert run.errors == [] and run.skipped == {}


def test_cq03_bundle_reads_each_file_once(tmp_path: Path) -> None:
    path, text = fixture("cq03", "findings.py.txt")
    js_path, js_text = fixture("cq03", "findings.js")
    with bundle_ctx(tmp_path, {path: text, js_path: js_text}) as ctx:
        outcome = StaticAnalysis().evaluate(ctx)
        assert set(ctx.reads.values()) == {1}
    assert observed(outcome) == (
        {(line, rule) for line, rule in expected(text)}
        | {(line, rule) for line, rule in expected(js_text)}
    )


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_cq03_example_servers_pass(examples_dir: Path, example: str) -> None:
    root = examples_dir / example
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    outcome = StaticAnalysis().evaluate(
        ScanContext(root, files, kind="directory", options=ScanOptions())
    )
    assert outcome.status_at(4) is Status.PASS
    assert observed(outcome) == set()


def test_cq03_bandit_texts_never_carry_a_secret(tmp_path: Path) -> None:
    value = "Zq7-hunter2-correct-horse-battery"
    outcome = _run(tmp_path, {"server/a.py": f'password = "{value}"\n'})
    [finding] = [f for f in outcome.findings if f.rule == "bandit-B105"]
    assert value not in finding.model_dump_json()
    assert "sha256:" in finding.description  # CQ-01's redacted form stands in for it
