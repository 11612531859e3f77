"""OpenVEX v0.2.0 statements about the bundle's vulnerabilities (MTF 5.4, SC-02).

Documents come from ``vex.json`` and ``.vex/*.json`` in the bundle and from
``--vex FILE``. A statement applies to a finding when its vulnerability
(``name``, ``@id`` or an alias) is one of the finding's advisory ids or
aliases, and one of its products, or a product's subcomponents, is the
component: a purl (``@id`` or ``identifiers.purl``) of the same type and name
whose version, if it has one, is the installed version. When several
statements apply, the most recent (``last_updated``/``timestamp`` of the
statement, else of its document) wins, as OpenVEX prescribes.

Effects (MTF SC-02 "VEX Statement Handling"):

* ``not_affected`` with one of the five OpenVEX justifications: the finding is
  suppressed (and listed as suppressed). Without a justification (an
  ``impact_statement`` alone is not one, for MTF): the statement is not
  honoured; the vulnerability stays as it is and a warning names the statement;
* ``fixed``: suppressed only when the statement's product purl carries the
  installed version; otherwise it is not honoured and said so;
* ``under_investigation``: the finding is reported as a non-blocking warning;
* ``affected``: no change.

Pre-0.2 documents (``@context`` ``https://openvex.dev/ns`` or ``/v0.0.1``,
string ``vulnerability``/``products``) are reported as unsupported, never
silently applied or ignored. Signatures on VEX documents (MTF 5.4: "MUST be
signed") are not verified here: that belongs to bundle signature checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from packageurl import PackageURL
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mtf_action.vulns.matching import package_name_key
from mtf_action.vulns.model import Component
from mtf_action.vulns.versions import PURL_TO_OSV, same_version

CONTEXT_V020 = "https://openvex.dev/ns/v0.2.0"
JUSTIFICATIONS = frozenset(
    {
        "component_not_present",
        "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist",
    }
)
VexStatus = Literal["not_affected", "affected", "fixed", "under_investigation"]
Effect = Literal["suppressed", "unjustified", "fixed-elsewhere", "investigating", "affected"]


class _Vex(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class VexIdentifiers(_Vex):
    purl: str | None = None


class VexSubcomponent(_Vex):
    id: str | None = Field(None, alias="@id")
    identifiers: VexIdentifiers | None = None

    @property
    def purl(self) -> str | None:
        if self.identifiers is not None and self.identifiers.purl:
            return self.identifiers.purl
        return self.id if self.id and self.id.startswith("pkg:") else None


class VexProduct(VexSubcomponent):
    subcomponents: list[VexSubcomponent] = Field(default_factory=list)


class VexVulnerability(_Vex):
    id: str | None = Field(None, alias="@id")
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)

    def names(self) -> set[str]:
        return {n.upper() for n in (self.id, self.name, *self.aliases) if n}


class VexStatement(_Vex):
    vulnerability: VexVulnerability
    products: list[VexProduct] = Field(default_factory=list)
    status: VexStatus
    justification: str | None = None
    impact_statement: str | None = None
    status_notes: str | None = None
    timestamp: str | None = None
    last_updated: str | None = None


class VexDocument(_Vex):
    origin: str = ""  # where it was read from (set by parse_vex, not part of OpenVEX)
    context: str = Field(alias="@context")
    id: str = Field("", alias="@id")
    author: str = ""
    timestamp: str | None = None
    last_updated: str | None = None
    statements: list[VexStatement] = Field(default_factory=list)


@dataclass(frozen=True)
class VexProblem:
    """A VEX document that cannot be used, and why."""

    origin: str
    reason: str


@dataclass(frozen=True)
class AppliedVex:
    """The statement that decides a finding, and what it does to it."""

    effect: Effect
    status: VexStatus
    origin: str  # file the statement came from
    justification: str | None
    note: str

    @property
    def suppresses(self) -> bool:
        return self.effect == "suppressed"


def parse_vex(origin: str, data: Any) -> VexDocument | VexProblem:
    if not isinstance(data, dict):
        return VexProblem(origin, "not a JSON object")
    context = data.get("@context")
    if not (isinstance(context, str) and context.startswith("https://openvex.dev/ns/v0.2")):
        return VexProblem(
            origin,
            f"@context {context!r} is not OpenVEX v0.2.0 ({CONTEXT_V020}); pre-0.2 documents "
            "are not supported",
        )
    try:
        return VexDocument.model_validate({**data, "origin": origin})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        return VexProblem(origin, f"not a valid OpenVEX document: /{where}: {first['msg']}")


def load_vex_file(path: Path) -> VexDocument | VexProblem:
    """A ``--vex FILE`` (outside the target, so read directly, like ``--scorecard``)."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        return VexProblem(str(path), f"cannot read: {exc.strerror}")
    except (ValueError, UnicodeDecodeError) as exc:
        return VexProblem(str(path), f"not JSON: {exc}")
    return parse_vex(str(path), data)


def _when(*stamps: str | None) -> datetime | None:
    for stamp in stamps:
        if stamp:
            try:
                return datetime.fromisoformat(stamp)
            except ValueError:
                continue
    return None


def purl_names(purl: str, component: Component) -> Literal["exact", "any"] | None:
    """Whether ``purl`` names the component: at its version, at any version, or not."""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    if PURL_TO_OSV.get(parsed.type) != component.ecosystem:
        return None
    name = f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name
    if package_name_key(component.ecosystem, name) != package_name_key(
        component.ecosystem, component.key
    ):
        return None
    if not parsed.version:
        return "any"
    return "exact" if same_version(component.ecosystem, parsed.version, component.version) else None


class VexIndex:
    """Every usable statement, for looking findings up."""

    def __init__(self, documents: list[tuple[str, VexDocument]]) -> None:
        self.documents = documents

    def applicable(self, component: Component, ids: set[str]) -> AppliedVex | None:
        wanted = {i.upper() for i in ids}
        best: tuple[int, datetime | None, str, VexStatement, str] | None = None
        order = 0
        for origin, document in self.documents:
            for statement in document.statements:
                order += 1
                if not statement.vulnerability.names() & wanted:
                    continue
                how = self._names_component(statement, component)
                if how is None:
                    continue
                when = _when(
                    statement.last_updated,
                    statement.timestamp,
                    document.last_updated,
                    document.timestamp,
                )
                if best is None or _later(when, best[1]):
                    best = (order, when, origin, statement, how)
        if best is None:
            return None
        _, _, origin, statement, how = best
        return _effect(statement, origin, how)

    @staticmethod
    def _names_component(statement: VexStatement, component: Component) -> str | None:
        found: str | None = None
        for product in statement.products:
            for item in (product, *product.subcomponents):
                how = purl_names(item.purl, component) if item.purl else None
                if how == "exact":
                    return how
                found = found or how
        return found


def _later(when: datetime | None, than: datetime | None) -> bool:
    """Later statements win; without comparable times, the later one in file order."""
    if when is None or than is None:
        return True
    try:
        return when >= than
    except TypeError:  # naive vs aware timestamps
        return True


def _effect(statement: VexStatement, origin: str, how: str) -> AppliedVex:
    status = statement.status
    justification = statement.justification
    if status == "not_affected":
        if justification in JUSTIFICATIONS:
            return AppliedVex(
                "suppressed", status, origin, justification, f"not_affected: {justification}"
            )
        why = (
            f"justification {justification!r} is not an OpenVEX one"
            if justification
            else ("no justification")
        )
        return AppliedVex(
            "unjustified",
            status,
            origin,
            justification,
            f"not_affected with {why}: not honoured (MTF SC-02)",
        )
    if status == "fixed":
        if how == "exact":
            return AppliedVex("suppressed", status, origin, None, "fixed in the bundled version")
        return AppliedVex(
            "fixed-elsewhere",
            status,
            origin,
            None,
            "fixed, but the statement names no version equal to the bundled one: not honoured",
        )
    if status == "under_investigation":
        return AppliedVex("investigating", status, origin, None, "under investigation")
    return AppliedVex("affected", status, origin, None, "the publisher confirms it is affected")
