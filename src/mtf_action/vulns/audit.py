"""Components in, prioritised vulnerabilities out: the SC-02 pipeline without the scan context.

1. Ask the source (through the cache) which advisories affect each component.
2. Merge a component's advisories that are aliases of each other (OSV
   ``aliases`` are symmetric and transitive) into one vulnerability: a PYSEC
   record and the GHSA and CVE it names are one finding, not three.
3. Score each vulnerability: the CVSS of its advisories (:mod:`.cvss`), the
   highest EPSS of its CVEs, KEV membership of any of its CVEs.
4. Apply VEX statements, then the MTF blocking rules (:mod:`.prioritise`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from mtf_action.vulns.cvss import CvssVerdict, decide_cvss
from mtf_action.vulns.epss import EpssData, EpssScore
from mtf_action.vulns.kev import KevData, KevEntry
from mtf_action.vulns.model import Advisory, Component, VulnerabilityGroup
from mtf_action.vulns.prioritise import Decision, decide
from mtf_action.vulns.session import Feed, VulnSession
from mtf_action.vulns.versions import OsvEcosystem, version_key
from mtf_action.vulns.vex import AppliedVex, VexIndex

_ID_ORDER = ("CVE-", "GHSA-", "PYSEC-")


@dataclass(frozen=True)
class VulnFinding:
    component: Component
    group: VulnerabilityGroup
    cvss: CvssVerdict
    epss: EpssScore | None
    epss_cve: str | None
    kev: KevEntry | None
    decision: Decision
    vex: AppliedVex | None = None


@dataclass
class AuditResult:
    source: str
    components: int
    findings: list[VulnFinding] = field(default_factory=list)
    suppressed: list[VulnFinding] = field(default_factory=list)
    unscanned: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    epss: Feed | None = None
    kev: Feed | None = None
    cache: dict[str, int | str | None] = field(default_factory=dict)
    duration_ms: int = 0


def _id_rank(vuln_id: str) -> tuple[int, str]:
    upper = vuln_id.upper()
    for rank, prefix in enumerate(_ID_ORDER):
        if upper.startswith(prefix):
            return rank, upper
    return len(_ID_ORDER), upper


def _sorted_versions(ecosystem: OsvEcosystem, versions: set[str]) -> tuple[str, ...]:
    def key(text: str) -> tuple[int, object, str]:
        parsed = version_key(ecosystem, "ECOSYSTEM", text)
        return (0, parsed, text) if parsed is not None else (1, 0, text)

    try:
        return tuple(sorted(versions, key=key))
    except TypeError:
        return tuple(sorted(versions))


def group_advisories(
    component: Component, advisories: Sequence[Advisory]
) -> list[VulnerabilityGroup]:
    """Advisories sharing any id or alias (transitively) become one group."""
    groups: list[tuple[set[str], list[Advisory]]] = []
    for advisory in advisories:
        names = {advisory.id.upper(), *(a.upper() for a in advisory.aliases)}
        joined = [g for g in groups if g[0] & names]
        merged_names, merged = set(names), [advisory]
        for group in joined:
            merged_names |= group[0]
            merged += group[1]
            groups.remove(group)
        groups.append((merged_names, merged))
    out = []
    for _, members in groups:
        spelled = {a.id: None for a in members} | {x: None for a in members for x in a.aliases}
        ids = sorted({i.upper(): i for i in spelled}.values(), key=_id_rank)
        summaries = sorted(members, key=lambda a: (not a.summary, _id_rank(a.id)))
        out.append(
            VulnerabilityGroup(
                ids=tuple(ids),
                advisories=tuple(sorted(members, key=lambda a: _id_rank(a.id))),
                summary=summaries[0].summary,
                fixed=_sorted_versions(component.ecosystem, {v for a in members for v in a.fixed}),
                last_affected=_sorted_versions(
                    component.ecosystem, {v for a in members for v in a.last_affected}
                ),
                cves=tuple(i.upper() for i in ids if i.upper().startswith("CVE-")),
            )
        )
    return sorted(out, key=lambda g: _id_rank(g.primary))


def _epss_of(
    group: VulnerabilityGroup, data: EpssData | None
) -> tuple[EpssScore | None, str | None]:
    if data is None:
        return None, None
    scored = [(s, cve) for cve in group.cves if (s := data.get(cve)) is not None]
    if not scored:
        return None, None
    return max(scored, key=lambda item: item[0].probability)


def _kev_of(group: VulnerabilityGroup, data: KevData | None) -> KevEntry | None:
    if data is None:
        return None
    return next((e for cve in group.cves if (e := data.get(cve)) is not None), None)


def _with_vex(decision: Decision, vex: AppliedVex | None) -> Decision:
    if vex is None or vex.effect != "investigating":
        return decision
    return Decision(
        "vex-under-investigation",
        decision.severity,
        None,
        f"{decision.reason}; VEX under_investigation ({vex.origin}): WARN, does not block",
    )


def run_audit(
    components: Sequence[Component], session: VulnSession, vex: VexIndex | None = None
) -> AuditResult:
    """Check every component; raises SourceUnavailable when the source cannot answer."""
    started = time.monotonic()
    result = AuditResult(session.source.description, len(components), notes=list(session.notes))
    answer = session.advisories(components)
    result.unscanned = dict(answer.unscanned)
    result.notes += answer.notes
    grouped = [
        (component, group)
        for component in components
        for group in group_advisories(component, answer.advisories.get(component.purl, []))
    ]
    if grouped:
        cves = {cve.upper() for _, group in grouped for cve in group.cves}
        result.epss, result.kev = session.epss(cves), session.kev()
    epss_data = result.epss.data if result.epss is not None else None
    kev_data = result.kev.data if result.kev is not None else None
    for component, group in grouped:
        cvss = decide_cvss(s for a in group.advisories for s in a.severity)
        epss, epss_cve = _epss_of(group, epss_data if isinstance(epss_data, EpssData) else None)
        kev = _kev_of(group, kev_data if isinstance(kev_data, KevData) else None)
        applied = vex.applicable(component, set(group.ids)) if vex is not None else None
        score = cvss.score.base_score if cvss.score is not None else None
        decision = _with_vex(
            decide(score, epss.probability if epss else None, kev is not None), applied
        )
        finding = VulnFinding(component, group, cvss, epss, epss_cve, kev, decision, applied)
        (
            result.suppressed if applied is not None and applied.suppresses else result.findings
        ).append(finding)
    cache = session.cache
    result.cache = {
        "enabled": int(cache is not None),
        "components_from_cache": session.from_cache,
        "components_queried": session.queried,
        "problem": cache.problem if cache else None,
    }
    result.duration_ms = int((time.monotonic() - started) * 1000)
    return result
