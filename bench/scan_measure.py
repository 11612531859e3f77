"""Run one scanner command and measure it: wall time, peak RSS, exit status.

Peak RSS comes from ``/usr/bin/time -v`` when it exists, else from
``getrusage(RUSAGE_CHILDREN)`` in a fresh wrapper process. Both give the peak of
the largest single process in the command's tree (a child's memory is not added
to its parent's), so a scanner that shells out to another tool is credited with
the larger of the two, not their sum.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scan_reports import ReportSummary

GNU_TIME = Path("/usr/bin/time")
RSS_SOURCE = "/usr/bin/time -v" if GNU_TIME.exists() else "getrusage(RUSAGE_CHILDREN)"
# Runs the command in a fresh child so RUSAGE_CHILDREN sees only it; its stdout
# passes through to ours.
_RUSAGE_WRAPPER = """
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(json.dumps({"code": code, "peak_kib": peak_kib}))
"""


@dataclass(frozen=True)
class Run:
    wall_s: float
    peak_rss_mib: float
    exit_code: int
    stderr_tail: str


def _tail(text: str) -> str:
    """The last telling line of stderr, without /usr/bin/time's own lines."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("Command exited with non-zero status")]
    return lines[-1][:300] if lines else ""


def run_measured(
    cmd: Sequence[str],
    *,
    stdout: Path,
    env: Mapping[str, str],
    scratch: Path,
    timeout: float,
) -> Run:
    """Run ``cmd`` once with its stdout in ``stdout``; never raises on a non-zero exit."""
    usage = scratch / "rusage.txt"
    usage.unlink(missing_ok=True)
    if GNU_TIME.exists():
        argv = [str(GNU_TIME), "-v", "-o", str(usage), *cmd]
    else:
        argv = [sys.executable, "-c", _RUSAGE_WRAPPER, str(usage), *cmd]
    with stdout.open("wb") as out:
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.PIPE,
                env=dict(env),
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Run(timeout, -1.0, -1, f"timed out after {timeout:.0f}s")
        wall = time.perf_counter() - start
    stderr = proc.stderr.decode("utf-8", "replace")
    text = usage.read_text(encoding="utf-8") if usage.exists() else ""
    if GNU_TIME.exists():
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        code, peak_kib = proc.returncode, int(match.group(1)) if match else -1
    else:
        data = json.loads(text or '{"code": -1, "peak_kib": -1}')
        code, peak_kib = int(data["code"]), int(data["peak_kib"])
    return Run(round(wall, 3), round(peak_kib / 1024, 1), code, _tail(stderr))


def version_of(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """First line a ``--version`` style command prints, or ``?``."""
    try:
        proc = subprocess.run(
            list(cmd),
            capture_output=True,
            text=True,
            env=dict(env) if env is not None else None,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0].strip() if proc.returncode == 0 and lines else "?"


@dataclass
class Measurement:
    target: str
    kind: str
    tool: str
    files: int
    size_bytes: int
    argv: list[str]
    runs: int = 0
    walls_s: list[float] = field(default_factory=list)
    best_wall_s: float | None = None
    median_wall_s: float | None = None  # beside the best: mpak-scanner's runs spread widely
    peak_rss_mib: float | None = None
    exit_codes: list[int] = field(default_factory=list)
    problem: str | None = None  # no usable report: why
    stderr_tail: str = ""  # last line of stderr of the last run
    report_file: str | None = None
    level: int | None = None
    risk_score: str | None = None
    evaluated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    not_evaluated: list[str] = field(default_factory=list)
    findings: int = 0
    controls: dict[str, dict[str, object]] = field(default_factory=dict)

    def add(self, run: Run) -> None:
        self.runs += 1
        self.walls_s.append(run.wall_s)
        self.exit_codes.append(run.exit_code)
        self.stderr_tail = run.stderr_tail
        self.best_wall_s = min(self.walls_s)
        self.median_wall_s = statistics.median(self.walls_s)
        if run.peak_rss_mib >= 0:
            self.peak_rss_mib = max(self.peak_rss_mib or 0.0, run.peak_rss_mib)

    def attach(self, summary: ReportSummary) -> None:
        self.level, self.risk_score = summary.level, summary.risk_score
        self.evaluated = summary.ids("evaluated")
        self.errors = summary.ids("error")
        self.not_evaluated = summary.ids("not evaluated")
        self.findings = summary.findings
        self.controls = {cid: asdict(o) for cid, o in sorted(summary.controls.items())}
