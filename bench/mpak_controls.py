"""mpak-scanner vs mtf-attest on the issue-6 controls, fixture by fixture.

The closing table asked for in the MCP-controls issue: for CD-01, CD-02, CD-04,
CD-05, RG-02, UP-02 and UP-04, what each scanner catches on the SAME positive
("should be flagged") and negative ("should pass") fixtures the control tests
use (``tests/scan/issue6_fixtures.py``). Each fixture is packed into a
deterministic ``.mcpb``, then

- mpak-scanner runs on it as a user would (``mpak-scanner scan B.mcpb --json
  --output R``, its venv's ``bin`` first on PATH, as ``bench_scan.py`` does);
  the control's entry in its report is read with the same IDs (it uses the MTF
  control IDs);
- mtf-attest runs the control through the code path of ``mtf-attest scan
  B.mcpb`` (``open_target`` + ``run_scan``, ``--previous`` for UP-02/UP-04) and
  takes its status at the level the report uses (the claimed level).

*Flagged* means the control's status is ``fail`` or ``warn`` (mpak-scanner has
no ``warn``: only ``fail``). mpak-scanner's RG-02 is not a control of its scan;
its registry helper ``mpak_scanner.utils.name_analysis.analyze_package_name``
is run on the same names and shown beside it. Writes JSON and Markdown::

    python bench/mpak_controls.py --mpak-venv .cache/bench/mpak-venv

``--no-mpak`` runs the mtf-attest half alone (what the test suite checks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(REPO_ROOT / "tests"), str(REPO_ROOT / "tests" / "scan")]

from bench_scan import Tool, machine_facts
from issue6_fixtures import CONTROL_IDS, Case, cases
from scan_reports import ControlOutcome, read_mpak
from scan_tables import MPAK, MTF
from scan_targets import Target

from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.model import BundleEntry
from mtf_action.console import Reporter
from mtf_action.scan.context import ScanOptions
from mtf_action.scan.controls import all_controls
from mtf_action.scan.engine import run_scan
from mtf_action.scan.result import Status
from mtf_action.scan.target import open_target

EPOCH = 1700000000
FLAGGED = {"fail", "warn"}
NOT_RUN = "not run"  # mpak-scanner skipped (--no-mpak)
ABSENT = "absent"  # the control is not in mpak-scanner's report
RUN_TIMEOUT_S = 300.0
# Run inside mpak-scanner's venv: its RG-02 helper on each name (JSON list on stdin).
_NAME_ANALYSIS = """
import json, sys
from mpak_scanner.utils.name_analysis import analyze_package_name
out = {}
for name in json.load(sys.stdin):
    r = analyze_package_name(name)
    out[name] = {"risk_score": r.risk_score, "high": r.is_high_risk,
                 "medium": r.is_medium_risk, "patterns": r.patterns_matched}
json.dump(out, sys.stdout)
"""


@dataclass(frozen=True)
class Verdict:
    """One scanner's word on one fixture's control."""

    status: str  # pass / warn / fail / skip / error, or ABSENT / NOT_RUN
    findings: int = 0
    above_info: int = 0  # findings more severe than info
    rules: tuple[str, ...] = ()  # mtf-attest rule slugs, or mpak-scanner finding titles
    reason: str | None = None

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


@dataclass(frozen=True)
class Row:
    control: str
    fixture: str
    bad: bool
    mtf: Verdict
    mpak: Verdict


# --- packing ----------------------------------------------------------------------------------


def _content(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def pack(case: Case, dest: Path) -> Path:
    """The fixture as a deterministic ``.mcpb`` (the writer ``build`` uses) at ``dest``."""
    members = {"manifest.json": json.dumps(case.manifest, indent=2), **case.files}
    entries = [
        BundleEntry(arcname=name, data=_content(value), size=len(_content(value)))
        for name, value in members.items()
    ]
    write_archive(entries, dest, epoch=EPOCH)
    return dest


def write_previous(case: Case, directory: Path) -> Path | None:
    """The previous release's manifest.json for ``--previous`` (UP-02/UP-04), if any."""
    if case.previous is None:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "manifest.json"
    path.write_text(json.dumps(case.previous, indent=2), encoding="utf-8")
    return path


# --- the two scanners -------------------------------------------------------------------------

_CONTROLS = {c.id: c for c in all_controls()}


def mtf_verdict(case: Case, bundle: Path, previous: Path | None) -> Verdict:
    """The control's status as ``mtf-attest scan BUNDLE [--previous P]`` reports it."""
    quiet = Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())
    with open_target(bundle, ScanOptions(previous=previous), reporter=quiet) as ctx:
        result = run_scan(ctx, [_CONTROLS[case.control]])
    item = next(e for e in result.controls if e.spec.id == case.control)
    status: Status = item.status_at(result.level_evaluated)
    outcome = item.outcome
    findings = outcome.findings if outcome is not None else []
    return Verdict(
        status=status.value,
        findings=len(findings),
        above_info=sum(f.severity.value != "info" for f in findings),
        rules=tuple(sorted({f.rule for f in findings})),
        reason=(outcome.error or outcome.skipped) if outcome is not None else None,
    )


def _mpak_from(outcome: ControlOutcome | None, report: dict[str, Any], control: str) -> Verdict:
    if outcome is None:
        return Verdict(ABSENT, reason=f"no {control} in mpak-scanner's report")
    titles = sorted(
        {
            str(f.get("title"))
            for f in report.get("findings", [])
            if isinstance(f, dict) and f.get("control") == control and f.get("severity") != "info"
        }
    )
    above = sum(n for severity, n in outcome.severities.items() if severity != "info")
    return Verdict(outcome.status, outcome.findings, above, tuple(titles), outcome.reason)


def mpak_verdict(tool: Tool, case: Case, bundle: Path, work: Path) -> Verdict:
    """Run ``mpak-scanner scan BUNDLE --json --output R`` and read the control's entry."""
    report_path = work / f"{bundle.stem}.mpak.json"
    target = Target(bundle.stem, "bundle", bundle, len(case.files) + 1, bundle.stat().st_size, 1.0)
    try:
        proc = subprocess.run(
            tool.argv(target, report_path, None),
            capture_output=True,
            text=True,
            env=tool.env,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Verdict("error", reason=f"mpak-scanner did not run: {exc}")
    try:
        doc = json.loads(report_path.read_text(encoding="utf-8"))
        summary = read_mpak(doc)
    except (OSError, ValueError, TypeError) as exc:
        said = proc.stderr.strip().splitlines()[-1:]
        return Verdict("error", reason=f"exit {proc.returncode}, no usable report: {exc} {said}")
    return _mpak_from(summary.controls.get(case.control), doc, case.control)


def mpak_name_analysis(tool: Tool, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """mpak-scanner's registry name helper (not part of its scan) on each name."""
    proc = subprocess.run(
        [str(tool.venv / "bin" / "python"), "-c", _NAME_ANALYSIS],
        input=json.dumps(sorted(set(names))),
        capture_output=True,
        text=True,
        env=tool.env,
        timeout=RUN_TIMEOUT_S,
        check=True,
    )
    result: dict[str, dict[str, Any]] = json.loads(proc.stdout)
    return result


# --- running ----------------------------------------------------------------------------------


def _slug(index: int, case: Case) -> str:
    return f"{index:03d}-{case.control.lower()}"


def run_cases(
    selected: Sequence[Case],
    work: Path,
    mpak: Tool | None,
    jobs: int = 2,
    progress: Callable[[str], None] = lambda _line: None,
) -> list[Row]:
    """Both scanners on every fixture (mtf-attest only without ``mpak``)."""
    bundles = [pack(c, work / f"{_slug(i, c)}.mcpb") for i, c in enumerate(selected)]
    previous = [write_previous(c, work / f"{_slug(i, c)}.previous") for i, c in enumerate(selected)]
    ours = [mtf_verdict(c, b, p) for c, b, p in zip(selected, bundles, previous, strict=True)]
    progress(f"mtf-attest: {len(ours)} fixtures scanned")
    if mpak is None:
        theirs = [Verdict(NOT_RUN)] * len(selected)
    else:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            theirs = list(
                pool.map(
                    lambda cb: mpak_verdict(mpak, cb[0], cb[1], work),
                    zip(selected, bundles, strict=True),
                )
            )
        progress(f"mpak-scanner: {len(theirs)} fixtures scanned")
    return [
        Row(c.control, c.name, c.bad, m, t) for c, m, t in zip(selected, ours, theirs, strict=True)
    ]


# --- summaries and tables ---------------------------------------------------------------------


def _count(rows: Iterable[Row], pick: Callable[[Row], Verdict]) -> dict[str, Any]:
    rows = list(rows)
    statuses = Counter(pick(r).status for r in rows)
    return {
        "n": len(rows),
        "flagged": sum(pick(r).flagged for r in rows),
        "above_info": sum(pick(r).above_info > 0 for r in rows),
        "not_evaluated": sum(pick(r).status not in FLAGGED | {"pass"} for r in rows),
        "statuses": dict(sorted(statuses.items())),
    }


def summarise(rows: Sequence[Row]) -> dict[str, dict[str, Any]]:
    """Per control: for each tool, counts on the bad and on the good fixtures."""
    out: dict[str, dict[str, Any]] = {}
    for control in CONTROL_IDS:
        mine = [r for r in rows if r.control == control]
        if not mine:
            continue
        bad = [r for r in mine if r.bad]
        good = [r for r in mine if not r.bad]
        out[control] = {
            "bad": len(bad),
            "good": len(good),
            MTF: {"bad": _count(bad, lambda r: r.mtf), "good": _count(good, lambda r: r.mtf)},
            MPAK: {"bad": _count(bad, lambda r: r.mpak), "good": _count(good, lambda r: r.mpak)},
        }
    return out


def _statuses(counts: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts["statuses"].items())


def _mpak_cells(s: dict[str, Any]) -> list[str]:
    bad, good = s[MPAK]["bad"], s[MPAK]["good"]
    if set(bad["statuses"]) | set(good["statuses"]) <= {NOT_RUN}:
        return ["not run"] * 4
    if set(bad["statuses"]) | set(good["statuses"]) <= {ABSENT}:
        return ["no such control"] * 3 + [f"{bad['n'] + good['n']}/{bad['n'] + good['n']}"]
    return [
        f"{bad['flagged']}/{bad['n']}",
        f"{good['flagged']}/{good['n']}",
        f"{bad['above_info']}/{bad['n']} · {good['above_info']}/{good['n']}",
        f"{bad['not_evaluated'] + good['not_evaluated']}/{bad['n'] + good['n']}",
    ]


def markdown(
    summary: dict[str, dict[str, Any]],
    rows: Sequence[Row],
    hits: dict[str, bool] | None,
) -> str:
    lines = [
        (
            "| Control | Fixtures bad / good | mpak-scanner: flagged bad | mpak-scanner: false"
            " alarms on good | mpak-scanner: any finding above info, bad · good | mpak-scanner:"
            " skip, error or absent | mtf-attest: flagged bad | mtf-attest: false alarms on good |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    for control, s in summary.items():
        ours_bad, ours_good = s[MTF]["bad"], s[MTF]["good"]
        lines.append(
            "| "
            + " | ".join(
                [
                    control,
                    f"{s['bad']} / {s['good']}",
                    *_mpak_cells(s),
                    f"{ours_bad['flagged']}/{ours_bad['n']} ({_statuses(ours_bad)})",
                    f"{ours_good['flagged']}/{ours_good['n']} ({_statuses(ours_good)})",
                ]
            )
            + " |"
        )
    if hits is not None:
        rg02 = [r for r in rows if r.control == "RG-02"]
        lines += ["", _name_analysis_line(rg02, hits)]
    for control in summary:
        lines += ["", f"#### {control}", "", "| Fixture | Expected | mpak-scanner | mtf-attest |"]
        lines.append("|---|---|---|---|")
        for r in (r for r in rows if r.control == control):
            expected = "flag" if r.bad else "pass"
            lines.append(f"| {r.fixture} | {expected} | {_cell(r.mpak)} | {_cell(r.mtf)} |")
    return "\n".join(lines)


def _cell(v: Verdict) -> str:
    if v.status in (NOT_RUN, ABSENT):
        return v.status
    shown = ", ".join(v.rules[:3]) + (" …" if len(v.rules) > 3 else "")
    return f"{v.status}" + (f" ({shown})" if shown else "")


def _rg02_name(raw: dict[str, Any]) -> str:
    return str(raw.get("name", ""))


def name_hits(selected: Sequence[Case], analysis: dict[str, dict[str, Any]]) -> dict[str, bool]:
    """RG-02 fixture -> whether mpak-scanner's name helper rates its name medium or high risk."""
    hits: dict[str, bool] = {}
    for case in selected:
        if case.control == "RG-02":
            found = analysis.get(_rg02_name(case.manifest), {})
            hits[case.name] = bool(found.get("high") or found.get("medium"))
    return hits


def _name_analysis_line(rg02: Sequence[Row], hits: dict[str, bool]) -> str:
    """How mpak-scanner's registry helper would have judged the RG-02 names."""
    bad = [r for r in rg02 if r.bad]
    good = [r for r in rg02 if not r.bad]
    return (
        "RG-02 is not a control of mpak-scanner's scan. Its registry helper "
        "`mpak_scanner.utils.name_analysis.analyze_package_name` (medium or high risk) on the "
        f"same names: {sum(hits[r.fixture] for r in bad)}/{len(bad)} bad flagged, "
        f"{sum(hits[r.fixture] for r in good)}/{len(good)} good flagged."
    )


# --- main -------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    mpak = None if args.no_mpak else Tool(MPAK, args.mpak_venv.resolve())
    if mpak is not None and not (mpak.venv / "bin" / "mpak-scanner").exists():
        hint = "run `make bench-mpak-venv`"
        print(f"mpak_controls: error: no mpak-scanner in {mpak.venv}: {hint}", file=sys.stderr)
        return 1
    selected = [c for c in cases() if not args.control or c.control in args.control]
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="mtf-bench-mpak-controls-"))
    try:
        rows = run_cases(selected, work, mpak, args.jobs, progress=print)
        analysis: dict[str, dict[str, Any]] | None = None
        if mpak is not None and any(c.control == "RG-02" for c in selected):
            rg02 = (_rg02_name(c.manifest) for c in selected if c.control == "RG-02")
            analysis = mpak_name_analysis(mpak, rg02)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = summarise(rows)
    hits = name_hits(selected, analysis) if analysis is not None else None
    table = markdown(summary, rows, hits)
    first = table.split("\n\n####", 1)[0]
    print("\n" + first)
    document = {
        "benchmark": "mpak-scanner vs mtf-attest on the issue-6 controls' fixtures",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_facts(Tool(MTF, Path(sys.prefix)), mpak, load_before)
        if mpak is not None
        else None,
        "fixtures": "tests/scan/issue6_fixtures.py",
        "flagged": "status fail or warn (mpak-scanner has no warn)",
        "summary": summary,
        "mpak_name_analysis": analysis,
        "rows": [asdict(r) for r in rows],
    }
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    args.json_out.with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    print(f"\nwrote {args.json_out} (+ .md)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mpak-venv",
        type=Path,
        default=REPO_ROOT / ".cache" / "bench" / "mpak-venv",
        help="Python 3.13 venv with mpak-scanner (make bench-mpak-venv)",
    )
    parser.add_argument("--no-mpak", action="store_true", help="mtf-attest half only")
    parser.add_argument("--control", action="append", choices=CONTROL_IDS, help="only these")
    parser.add_argument("--jobs", type=int, default=2, help="mpak-scanner runs in parallel")
    parser.add_argument(
        "--json-out", type=Path, default=REPO_ROOT / "dist" / "bench" / "mpak_controls.json"
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
