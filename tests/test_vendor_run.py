"""The subprocess helper: one-line failures, time limits, no environment in logs."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from mtf_action.console import Reporter
from mtf_action.errors import ExitCode, VendorError
from mtf_action.vendor._run import last_error_line, run_tool

NPM_STDERR = """npm warn Unknown user config "nodedir". This will stop working in the next major version.
npm error code ENOTCACHED
npm error request to https://registry.npmjs.org/tiny/-/tiny-1.0.0.tgz failed: cache mode is 'only-if-cached' but no cached response is available.
npm error A complete log of this run can be found in: /tmp/cache/_logs/2026-debug-0.log
"""
PIP_STDERR = """ERROR: Could not find a version that satisfies the requirement zzz==1 (from versions: none)
ERROR: No matching distribution found for zzz==1
"""


def test_last_error_line_picks_the_telling_line() -> None:
    assert last_error_line(NPM_STDERR).startswith(
        "npm error request to https://registry.npmjs.org/tiny/-/tiny-1.0.0.tgz failed"
    )
    assert last_error_line(PIP_STDERR) == "ERROR: No matching distribution found for zzz==1"
    assert last_error_line("warning: x\nsomething broke\n\n") == "something broke"
    long = "ERROR: " + "word " * 100
    assert len(last_error_line(long)) <= 250


def test_failure_raises_vendor_error_with_one_line(tmp_path: Path) -> None:
    stream = io.StringIO()
    reporter = Reporter(debug=True, stream=stream)
    script = "import sys; print('x\\n' * 500); sys.stderr.write('ERROR: it broke\\n'); sys.exit(3)"
    with pytest.raises(VendorError) as caught:
        run_tool(
            [sys.executable, "-c", script], cwd=tmp_path, about="uv.lock", reporter=reporter,
            name="pip",
        )  # fmt: skip
    assert caught.value.one_line() == "uv.lock: pip failed (exit 3): ERROR: it broke"
    assert caught.value.exit_code == ExitCode.ENVIRONMENT
    assert "it broke" in stream.getvalue()  # full output goes to debug


def test_environment_is_inherited_but_never_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", "https://user:s3cr3t@mirror.example/simple")
    stream = io.StringIO()
    result = run_tool(
        [sys.executable, "-c", "import os; print(len(os.environ['PIP_INDEX_URL']))"],
        cwd=tmp_path,
        about="x",
        reporter=Reporter(debug=True, stream=stream),
    )
    assert result.stdout.strip() == str(len("https://user:s3cr3t@mirror.example/simple"))
    assert "s3cr3t" not in stream.getvalue()


def test_timeout_and_missing_tool(tmp_path: Path) -> None:
    reporter = Reporter(quiet=True, stream=io.StringIO())
    with pytest.raises(VendorError, match="did not finish within 1 s"):
        run_tool(
            [sys.executable, "-c", "import time; time.sleep(30)"],
            cwd=tmp_path, about="x", reporter=reporter, timeout=1,
        )  # fmt: skip
    with pytest.raises(VendorError, match=r"no-such-tool not found on PATH \(hint\)"):
        run_tool(["no-such-tool"], cwd=tmp_path, about="x", reporter=reporter, missing_hint="hint")
