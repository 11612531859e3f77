"""Benchmark: ``mtf-attest scan`` against ``mpak-scanner`` (the reference MTF scanner).

Both scanners run on the same bundles, in one run: the two example servers built
offline from the test caches, and one large synthetic bundle of ``--files``
files (default 10,000). mtf-attest also scans each bundle extracted as a
directory; mpak-scanner only takes ``.mcpb`` files, which is recorded by trying
it once on each directory.

For each tool and target: best wall time of ``--runs`` runs (the tools take
turns, so load from other work on the machine hits both alike), peak RSS,
exit status, which controls each evaluated (a real pass/warn/fail) or could not
run (error), findings per control, and the mtf/mpak ratios. Prints Markdown
tables and writes JSON plus both tools' raw reports.

mpak-scanner runs from its own Python 3.13 venv (``make bench-mpak-venv``), with
that venv's ``bin`` first on PATH as if activated: that is where it finds
Bandit. mtf-attest gets the same treatment with this venv.

    python bench/bench_scan.py --cache .cache --mpak-venv .cache/bench/mpak-venv [--runs 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(REPO_ROOT / "tests")]

from scan_measure import RSS_SOURCE, Measurement, run_measured, version_of
from scan_reports import ReportSummary, read_mpak, read_mtf
from scan_tables import MPAK, MTF, markdown, ratios
from scan_targets import Target, prepare_targets

import fixture_cache as fixtures
from mtf_action.bundle.reader import BundleLimits

# What mpak-scanner 0.2.9 shells out to (read from its controls' source), and for what.
MPAK_EXTERNAL_TOOLS = {
    "trufflehog": "CQ-01 secrets",
    "guarddog": "CQ-02 malicious patterns (python -m guarddog)",
    "syft": "SC-01 SBOM",
    "grype": "SC-02 vulnerabilities",
    "bandit": "CQ-03 static analysis (Python)",
    "eslint": "CQ-03 static analysis (JavaScript/TypeScript)",
}
RUN_TIMEOUT_S = 1800.0


class BenchError(Exception):
    """A step failed; the message is the one line the user sees."""


@dataclass(frozen=True)
class Tool:
    name: str
    venv: Path

    @property
    def env(self) -> dict[str, str]:
        path = f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        return {**os.environ, "PATH": path, "VIRTUAL_ENV": str(self.venv), "NO_COLOR": "1"}

    def argv(self, target: Target, report: Path, max_ratio: float | None) -> list[str]:
        if self.name == MTF:
            cmd = [str(self.venv / "bin" / "mtf-attest"), "scan", str(target.path)]
            cmd += ["--format", "json"]
            return cmd + (["--max-ratio", f"{max_ratio:g}"] if max_ratio else [])
        cmd = [str(self.venv / "bin" / "mpak-scanner"), "scan", str(target.path)]
        return [*cmd, "--json", "--output", str(report)]


def _ratio_override(target: Target, default: float) -> float | None:
    """mtf-attest's --max-ratio for a bundle whose members compress past the default."""
    if target.kind != "bundle" or target.max_ratio <= default:
        return None
    return float(math.ceil(target.max_ratio) + 1)


def _read_report(tool: Tool, path: Path) -> ReportSummary:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return read_mtf(doc) if tool.name == MTF else read_mpak(doc)


def _report_path(reports: Path, target: Target, tool: Tool) -> Path:
    return reports / f"{target.name}.{target.kind}.{tool.name}.json"


def run_all(
    tools: Sequence[Tool],
    targets: Sequence[Target],
    runs: int,
    work: Path,
    reports: Path,
    notes: list[str],
    pause: float = 0.0,
) -> list[Measurement]:
    default_ratio = BundleLimits().max_ratio
    results: list[Measurement] = []
    for target in targets:
        override = _ratio_override(target, default_ratio)
        if override is not None:
            notes.append(_probe_default_limits(tools, target, work, default_ratio))
        per_tool: list[tuple[Tool, Measurement, Path]] = []
        for tool in tools:
            out = work / f"report-{target.name}-{target.kind}-{tool.name}.json"
            argv = tool.argv(target, out, override if tool.name == MTF else None)
            m = Measurement(
                target.name, target.kind, tool.name, target.files, target.size_bytes, argv
            )
            per_tool.append((tool, m, out))
        # mpak-scanner takes bundle files only: one try on a directory records how it fails.
        rounds = {
            t.name: (1 if t.name == MPAK and target.kind == "directory" else runs) for t in tools
        }
        for index in range(max(rounds.values())):
            # Turns alternate, so neither tool always runs right after the other.
            for tool, m, out in per_tool if index % 2 == 0 else per_tool[::-1]:
                if index >= rounds[tool.name]:
                    continue
                if pause:  # each run starts on a machine that has been idle (--pause)
                    time.sleep(pause)
                print(
                    f"  {tool.name} on {target.name} ({target.kind}), run {index + 1}", flush=True
                )
                stdout = out if tool.name == MTF else work / "mpak-stdout.txt"
                out.unlink(missing_ok=True)  # never read a stale report from an earlier run
                run = run_measured(
                    m.argv, stdout=stdout, env=tool.env, scratch=work, timeout=RUN_TIMEOUT_S
                )
                said = run.stderr_tail.replace(str(work), "$WORK")
                m.add(dataclasses.replace(run, stderr_tail=said))
                if run.exit_code not in (0, 1):
                    m.problem = f"exit {run.exit_code}: {said or 'no output'}"
        for tool, m, out in per_tool:
            _collect(tool, target, m, out, reports)
            results.append(m)
    return results


def _collect(tool: Tool, target: Target, m: Measurement, out: Path, reports: Path) -> None:
    try:
        summary = _read_report(tool, out)
    except (OSError, ValueError, TypeError) as exc:
        m.problem = m.problem or m.stderr_tail or f"no usable report: {exc}"
        return
    reports.mkdir(parents=True, exist_ok=True)
    dest = _report_path(reports, target, tool)
    shutil.copyfile(out, dest)
    m.report_file = os.path.relpath(dest, REPO_ROOT)
    m.attach(summary)


def _probe_default_limits(tools: Sequence[Tool], target: Target, work: Path, default: float) -> str:
    tool = next(t for t in tools if t.name == MTF)
    out = work / "probe.json"
    run = run_measured(
        tool.argv(target, out, None), stdout=out, env=tool.env, scratch=work, timeout=RUN_TIMEOUT_S
    )
    said = run.stderr_tail.replace(str(work), "$WORK")
    return (
        f"{target.name}: members compress up to {target.max_ratio}:1 (zip entry sizes), above "
        f"mtf-attest's default zip-bomb limit of {default:g}:1 (pattern-filled synthetic "
        f"binaries). With default limits mtf-attest exits {run.exit_code} ({said}); the "
        "measured runs pass --max-ratio. mpak-scanner applies no such limit."
    )


def probe_mpak_tools(mpak: Tool) -> dict[str, dict[str, object]]:
    path = mpak.env["PATH"]
    found: dict[str, dict[str, object]] = {}
    for name, purpose in MPAK_EXTERNAL_TOOLS.items():
        if name == "guarddog":
            cmd = [str(mpak.venv / "bin" / "python"), "-c", "import guarddog"]
            present = subprocess.run(cmd, capture_output=True, check=False).returncode == 0
        else:
            present = shutil.which(name, path=path) is not None
        found[name] = {"used_for": purpose, "found": present}
    return found


def _meminfo_mib() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _git_state() -> str:
    """The commit measured, and whether the working tree differed from it."""
    head = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        return "?"
    return head.stdout.strip() + (" + uncommitted changes in src/" if dirty.stdout.strip() else "")


def machine_facts(mtf: Tool, mpak: Tool, load_before: tuple[float, ...]) -> dict[str, object]:
    return {
        "mtf_attest_source": _git_state(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_mib": _meminfo_mib(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "rss_source": RSS_SOURCE,
        "versions": {
            MTF: version_of([str(mtf.venv / "bin" / "mtf-attest"), "--version"]),
            MPAK: version_of([str(mpak.venv / "bin" / "mpak-scanner"), "--version"]),
            "python (mtf-attest)": version_of([str(mtf.venv / "bin" / "python"), "--version"]),
            "python (mpak-scanner)": version_of([str(mpak.venv / "bin" / "python"), "--version"]),
            "bandit (mtf-attest)": version_of([str(mtf.venv / "bin" / "bandit"), "--version"]),
            "bandit (mpak-scanner)": version_of([str(mpak.venv / "bin" / "bandit"), "--version"]),
        },
    }


def _check_setup(cache: Path, mpak_venv: Path) -> None:
    stamp = fixtures.read_stamp(cache)
    if stamp is None or stamp.get("key") != fixtures.fixture_key():
        raise BenchError(f"no current test cache in {cache}: run `make test-fixtures` first")
    if stamp.get("npm") is not True:
        raise BenchError(f"the cache in {cache} has no npm fixtures: {stamp.get('npm_reason')}")
    for name in ("mpak-scanner", "bandit"):
        if not (mpak_venv / "bin" / name).exists():
            raise BenchError(f"{mpak_venv}/bin/{name} is missing: run `make bench-mpak-venv`")


def compile_bytecode(tool: Tool, package: str) -> None:
    """Byte-compile ``package`` in ``tool``'s venv, as ``pip install`` does for a wheel.

    An editable install (``pip install -e``) has no ``.pyc`` until a run
    writes them, and never does under ``PYTHONDONTWRITEBYTECODE=1``: every run
    would then compile ~200 modules from source, a cost no installed copy of
    the tool (wheel, container image) pays. A no-op where pip already compiled.
    """
    python = str(tool.venv / "bin" / "python")
    where = subprocess.run(
        [python, "-c", f"import {package}, os; print(os.path.dirname({package}.__file__))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run([python, "-m", "compileall", "-q", where], check=True, capture_output=True)


def run(args: argparse.Namespace) -> int:
    cache: Path = args.cache.resolve()
    mtf = Tool(MTF, Path(sys.prefix))
    mpak = Tool(MPAK, args.mpak_venv.resolve())
    _check_setup(cache, mpak.venv)
    compile_bytecode(mtf, "mtf_action")
    compile_bytecode(mpak, "mpak_scanner")
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="mtf-bench-scan-", dir=args.workdir))
    notes: list[str] = []
    try:
        targets = prepare_targets(cache, work, args.files, directories=not args.no_directories)
        for stale in args.reports_dir.glob(f"*.{MTF}.json"):
            stale.unlink()
        for stale in args.reports_dir.glob(f"*.{MPAK}.json"):
            stale.unlink()
        results = run_all(
            [mtf, mpak], targets, args.runs, work, args.reports_dir, notes, pause=args.pause
        )
    finally:
        if args.keep:
            print(f"kept the work directory {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    mpak_tools = probe_mpak_tools(mpak)
    machine = machine_facts(mtf, mpak, load_before)
    table = markdown(results, args.runs, mpak_tools, notes)
    print("\n" + table)
    document = {
        "benchmark": "mtf-attest scan vs mpak-scanner scan",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "runs": args.runs,
        "pause_s": args.pause,
        "mpak_external_tools": mpak_tools,
        "targets": [{**asdict(t), "path": t.path.name} for t in targets],
        "results": [asdict(m) for m in results],
        "ratios_mtf_over_mpak": ratios(results),
        "notes": notes,
    }
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    args.json_out.with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    print(f"\nwrote {args.json_out} (+ .md) and the raw reports in {args.reports_dir}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="cache from prepare_fixtures.py")
    parser.add_argument(
        "--mpak-venv",
        type=Path,
        default=REPO_ROOT / ".cache" / "bench" / "mpak-venv",
        help="Python 3.13 venv with mpak-scanner and bandit (make bench-mpak-venv)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per tool and target (best kept)")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="sleep before every run: each tool then starts on an idle machine",
    )
    parser.add_argument("--files", type=int, default=10_000, help="files in the synthetic bundle")
    parser.add_argument("--no-directories", action="store_true", help="scan bundles only")
    parser.add_argument("--workdir", type=Path, default=None, help="where targets are built")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    out = REPO_ROOT / "dist" / "bench"
    parser.add_argument("--json-out", type=Path, default=out / "bench_scan.json")
    parser.add_argument("--reports-dir", type=Path, default=out / "scan-reports")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.files < 1:
        parser.error("--runs and --files must be >= 1")
    try:
        return run(args)
    except (BenchError, fixtures.FixtureError, OSError) as exc:
        print(f"bench_scan: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
