"""Keep reports readable: at most N findings of one rule, then one summary finding.

A requirements file without hashes or an SBOM missing 800 packages would
otherwise produce hundreds of near-identical findings. The summary keeps the
worst ``blocks_at`` and severity of what it stands for, so capping never
changes a control's status.
"""

from __future__ import annotations

from mtf_action.scan.result import Finding

DEFAULT_LIMIT = 25


def capped(findings: list[Finding], limit: int = DEFAULT_LIMIT) -> list[Finding]:
    """``findings`` with each rule kept to ``limit`` entries plus a summary."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    out: list[Finding] = []
    for rule, group in by_rule.items():
        out += group[:limit]
        rest = group[limit:]
        if not rest:
            continue
        blocking = [f.blocks_at for f in rest if f.blocks_at is not None]
        worst = max(rest, key=lambda f: f.severity.rank)
        out.append(
            worst.model_copy(
                update={
                    "title": f"{len(rest)} more like this ({rule})",
                    "description": f"{len(rest)} further {rule} findings are not listed one by "
                    f"one; first omitted: {rest[0].title}",
                    "file": None,
                    "line": None,
                    "blocks_at": min(blocking) if blocking else None,
                }
            )
        )
    return out
