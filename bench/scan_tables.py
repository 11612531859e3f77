"""Markdown tables and ratios for ``bench_scan.py``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scan_measure import Measurement
from scan_reports import ControlOutcome, cell, control_key

MTF = "mtf-attest"
MPAK = "mpak-scanner"
# Families mpak-scanner does not model at all; mtf-attest lists them as "not
# evaluated by a publisher-side scan". They are summarised in one line.
_OFF_SCANNER_FAMILIES = ("RG", "PK", "IN", "UP")


def _pairs(results: Sequence[Measurement]) -> dict[str, dict[str, Measurement]]:
    """Bundle targets -> tool -> measurement (directories have no mpak-scanner pair)."""
    pairs: dict[str, dict[str, Measurement]] = {}
    for m in results:
        if m.kind == "bundle":
            pairs.setdefault(m.target, {})[m.tool] = m
    return pairs


def ratios(results: Sequence[Measurement]) -> dict[str, dict[str, float | int | None]]:
    out: dict[str, dict[str, float | int | None]] = {}
    for target, tools in _pairs(results).items():
        ours, theirs = tools.get(MTF), tools.get(MPAK)
        if ours is None or theirs is None:
            continue
        wall = _ratio(ours.best_wall_s, theirs.best_wall_s)
        rss = _ratio(ours.peak_rss_mib, theirs.peak_rss_mib)
        out[target] = {
            "wall": wall,
            "median_wall": _ratio(ours.median_wall_s, theirs.median_wall_s),
            "peak_rss": rss,
            "evaluated_mtf": len(ours.evaluated),
            "evaluated_mpak": len(theirs.evaluated),
        }
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def _num(value: float | None, fmt: str) -> str:
    return "n/a" if value is None else format(value, fmt)


def _exit(m: Measurement) -> str:
    codes = sorted(set(m.exit_codes))
    return "/".join(str(c) for c in codes) or "n/a"


def timing_table(results: Sequence[Measurement]) -> list[str]:
    header = (
        "| target | kind | files | MiB | tool | best wall s | median wall s | peak RSS MiB | exit "
        "| level | evaluated | error | findings |"
    )
    lines = [
        header,
        "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in results:
        mib = m.size_bytes / (1024 * 1024)
        if m.problem and m.report_file is None:
            tail = f"| {_exit(m)} | {m.problem[:70]} | | | |"
        else:
            level = "n/a" if m.level is None else f"L{m.level}"
            tail = f"| {_exit(m)} | {level} | {len(m.evaluated)} | {len(m.errors)} | {m.findings} |"
        lines.append(
            f"| {m.target} | {m.kind} | {m.files} | {mib:.1f} | {m.tool} | "
            f"{_num(m.best_wall_s, '.2f')} | {_num(m.median_wall_s, '.2f')} | "
            f"{_num(m.peak_rss_mib, '.1f')} {tail}"
        )
    return lines


def ratio_table(results: Sequence[Measurement]) -> list[str]:
    header = (
        "| target (bundle) | best wall mtf/mpak | median wall mtf/mpak | peak RSS mtf/mpak "
        "| controls evaluated mtf / mpak |"
    )
    lines = [header, "| --- | ---: | ---: | ---: | ---: |"]
    for target, r in ratios(results).items():
        wall, median, rss = r["wall"], r["median_wall"], r["peak_rss"]
        lines.append(
            f"| {target} | {_num(wall, '.2f')} | {_num(median, '.2f')} | {_num(rss, '.2f')} | "
            f"{r['evaluated_mtf']} / {r['evaluated_mpak']} |"
        )
    return lines


def _outcomes(m: Measurement) -> dict[str, ControlOutcome]:
    return {cid: ControlOutcome(**body) for cid, body in m.controls.items()}  # type: ignore[arg-type]


def control_table(results: Sequence[Measurement]) -> tuple[list[str], list[str]]:
    """Per-control status·findings for every bundle target and tool, and the rest's IDs."""
    pairs = _pairs(results)
    columns = [(target, tool) for target in pairs for tool in (MTF, MPAK) if tool in pairs[target]]
    outcomes = {(t, tool): _outcomes(pairs[t][tool]) for t, tool in columns}
    ids = sorted({cid for o in outcomes.values() for cid in o}, key=control_key)
    # Registry/client families only when some tool actually ran one of them (e.g. RG-02).
    ran = {cid for o in outcomes.values() for cid, x in o.items() if x.state != "not evaluated"}
    shown = [c for c in ids if not c.startswith(_OFF_SCANNER_FAMILIES) or c in ran]
    rest = [c for c in ids if c not in shown]
    header = "| control | " + " | ".join(f"{t} {tool.split('-')[0]}" for t, tool in columns) + " |"
    lines = [header, "| --- |" + " --- |" * len(columns)]
    for cid in shown:
        cells = " | ".join(cell(outcomes[col].get(cid)) for col in columns)
        lines.append(f"| {cid} | {cells} |")
    return lines, rest


def _why(per_target: Mapping[str, ControlOutcome | None]) -> str:
    """One tool, one control, all bundle targets: ``evaluated`` or why not (and where)."""
    missing = [t for t, o in per_target.items() if o is None]
    if len(missing) == len(per_target):
        return "not in its report"
    others = {t: o for t, o in per_target.items() if o is not None and o.state != "evaluated"}
    if not others and not missing:
        return "evaluated"
    texts: dict[str, list[str]] = {}
    for target, o in others.items():
        text = f"{o.status}: {o.reason}" if o.reason else o.status
        if o.reason and o.reason.startswith(o.status.replace("_", " ")):
            text = o.reason  # "not_evaluated: not evaluated by ..." says it twice
        texts.setdefault(text, []).append(target)
    parts = []
    for text, targets in texts.items():
        where = "" if len(targets) == len(per_target) else f" (on {', '.join(targets)})"
        parts.append(text + where)
    return "; ".join(parts)


def reason_table(results: Sequence[Measurement]) -> list[str]:
    """Why each tool did not evaluate a control; controls both evaluated everywhere are left out."""
    pairs = _pairs(results)
    outcomes = {
        (target, tool): _outcomes(m) for target, tools in pairs.items() for tool, m in tools.items()
    }
    ids = sorted({cid for o in outcomes.values() for cid in o}, key=control_key)
    lines = ["| control | mtf-attest | mpak-scanner |", "| --- | --- | --- |"]
    for cid in ids:
        row = [
            _why({t: outcomes[(t, tool)].get(cid) for t in pairs if (t, tool) in outcomes})
            for tool in (MTF, MPAK)
        ]
        off_scanner = cid.startswith(_OFF_SCANNER_FAMILIES)
        if row != ["evaluated", "evaluated"] and not (off_scanner and "evaluated" not in row):
            lines.append(f"| {cid} | {row[0]} | {row[1]} |")
    return lines


def markdown(
    results: Sequence[Measurement],
    runs: int,
    mpak_tools: Mapping[str, Mapping[str, object]],
    notes: Sequence[str],
) -> str:
    controls, rest = control_table(results)
    lines = [
        f"### Wall time (best and median of {runs} runs) and peak memory",
        "",
        *timing_table(results),
    ]
    lines += ["", "### Ratios, mtf-attest / mpak-scanner", "", *ratio_table(results)]
    lines += ["", "### Controls per bundle: status·findings (`-` = not evaluated)", ""]
    lines += controls
    if rest:
        lines += ["", "Not evaluated by either (registry/client controls that mtf-attest lists "]
        lines[-1] += f"as not evaluated by a publisher-side scan): {', '.join(rest)}."
    lines += ["", "### Why a control was not evaluated", "", *reason_table(results)]
    missing = [f"{name} ({t['used_for']})" for name, t in mpak_tools.items() if not t["found"]]
    if missing:
        lines += ["", f"mpak-scanner's external tools missing here: {'; '.join(missing)}."]
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines)
