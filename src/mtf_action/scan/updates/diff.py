"""What changed between two releases' manifests (MTF UP-02 table, UP-01 consent list).

- Tools: added, removed, and *renamed* -- a removed and an added tool whose
  descriptions are the same or nearly so (rapidfuzz ratio >= 90).
- Parameters: only where both manifests give the tool an ``inputSchema``. The
  MCPB manifest schema has no input schemas (tools are ``name`` + ``description``),
  so for most bundles parameters cannot be compared; the diff says so.
- Permissions (``_meta["org.mpaktrust"].permissions``, absent = ``none``):
  expanded when a category moves up its scale (filesystem none < read < write <
  full; network none < outbound, inbound < full; environment none < read < write;
  subprocess none < restricted < full; native none < required), moves sideways
  (outbound -> inbound) or takes an unknown value.
- OAuth scopes: per provider, scopes the new release declares and the old did not.
- Launch command: ``server.mcp_config`` changed (what runs is different).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from mtf_action.scan.controls._manifest_source import mtf_extension
from mtf_action.scan.credentials.declared import declared_credentials
from mtf_action.scan.credentials.scopes import provider_id

SCALES: dict[str, dict[str, int]] = {
    "filesystem": {"none": 0, "read": 1, "write": 2, "full": 3},
    "network": {"none": 0, "outbound": 1, "inbound": 1, "full": 2},
    "environment": {"none": 0, "read": 1, "write": 2},
    "subprocess": {"none": 0, "restricted": 1, "full": 2},
    "native": {"none": 0, "required": 1},
}
HIGH_RISK = ("subprocess", "native")  # UP-01: "subprocess or native added"
_RENAME_SIMILARITY = 90.0


@dataclass
class ReleaseDiff:
    tools_added: list[str] = field(default_factory=list)
    tools_removed: list[str] = field(default_factory=list)
    tools_renamed: list[tuple[str, str]] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    parameters_not_compared: list[str] = field(default_factory=list)
    permissions_expanded: list[tuple[str, str, str]] = field(default_factory=list)
    permissions_reduced: list[tuple[str, str, str]] = field(default_factory=list)
    scopes_added: list[tuple[str, str]] = field(default_factory=list)
    scopes_removed: list[tuple[str, str]] = field(default_factory=list)
    launch_changed: list[str] = field(default_factory=list)

    def breaking(self) -> list[tuple[str, str]]:
        """(rule, text) for every change the UP-02 table calls breaking."""
        out = [("tool-removed", f"tool {n!r} removed") for n in self.tools_removed]
        out += [("tool-renamed", f"tool {a!r} renamed to {b!r}") for a, b in self.tools_renamed]
        for change in self.parameters:
            out += [
                ("parameter-removed", f"tool {change['tool']!r}: parameter {p!r} removed")
                for p in change["removed"]
            ]
            out += [
                ("required-parameter-added", f"tool {change['tool']!r}: {p!r} is now required")
                for p in change["required_added"]
            ]
        out += [
            ("permission-expanded", f"permission {c}: {a} -> {b}")
            for c, a, b in self.permissions_expanded
        ]
        out += [("scope-added", f"OAuth scope {s!r} ({p}) added") for p, s in self.scopes_added]
        return out

    def consent_required(self) -> list[str]:
        """UP-01 "Consent-Required Changes" present in this update."""
        items = [f"new permission {c}: {a} -> {b}" for c, a, b in self.permissions_expanded]
        items += [f"expanded OAuth scope {s} ({p})" for p, s in self.scopes_added]
        items += [
            f"{c} added" for c, a, _ in self.permissions_expanded if c in HIGH_RISK and a == "none"
        ]
        return items

    def as_dict(self) -> dict[str, Any]:
        return {
            "tools": {
                "added": self.tools_added,
                "removed": self.tools_removed,
                "renamed": [{"from": a, "to": b} for a, b in self.tools_renamed],
            },
            "parameters": {
                "changes": self.parameters,
                "not_compared": self.parameters_not_compared,
                "note": "MCPB manifests declare no tool input schemas; parameters are compared "
                "only for tools whose entries carry an inputSchema in both releases",
            },
            "permissions": {
                "expanded": [
                    {"category": c, "from": a, "to": b} for c, a, b in self.permissions_expanded
                ],
                "reduced": [
                    {"category": c, "from": a, "to": b} for c, a, b in self.permissions_reduced
                ],
            },
            "scopes": {
                "added": [{"provider": p, "scope": s} for p, s in self.scopes_added],
                "removed": [{"provider": p, "scope": s} for p, s in self.scopes_removed],
            },
            "launch_command_changed": self.launch_changed,
            "consent_required": self.consent_required(),
            "not_compared": "new network access at initialisation (UP-01) needs code analysis "
            "of both releases (CD-02)",
        }


def _tools(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tools = raw.get("tools")
    found: dict[str, dict[str, Any]] = {}
    for tool in tools if isinstance(tools, list) else []:
        if isinstance(tool, dict) and isinstance(tool.get("name"), str):
            found.setdefault(tool["name"], tool)
    return found


def _text(tool: dict[str, Any]) -> str:
    value = tool.get("description")
    return " ".join(value.split()).casefold() if isinstance(value, str) else ""


def _schema(tool: dict[str, Any]) -> tuple[set[str], set[str]] | None:
    schema = tool.get("inputSchema", tool.get("input_schema"))
    if not isinstance(schema, dict):
        return None
    props = schema.get("properties")
    required = schema.get("required")
    names = set(props) if isinstance(props, dict) else set()
    needed = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
    return names, needed


def _compare_tools(diff: ReleaseDiff, old: dict[str, Any], new: dict[str, Any]) -> None:
    before, after = _tools(old), _tools(new)
    removed = [n for n in before if n not in after]
    added = [n for n in after if n not in before]
    for name in list(removed):
        text = _text(before[name])
        match = next(
            (a for a in added if text and fuzz.ratio(text, _text(after[a])) >= _RENAME_SIMILARITY),
            None,
        )
        if match is not None:
            diff.tools_renamed.append((name, match))
            removed.remove(name)
            added.remove(match)
    diff.tools_removed, diff.tools_added = removed, added
    for name in (n for n in before if n in after):
        old_schema, new_schema = _schema(before[name]), _schema(after[name])
        if old_schema is None or new_schema is None:
            diff.parameters_not_compared.append(name)
            continue
        (old_props, old_req), (new_props, new_req) = old_schema, new_schema
        change = {
            "tool": name,
            "removed": sorted(old_props - new_props),
            "required_added": sorted(new_req - old_req),
            "optional_added": sorted(new_props - old_props - new_req),
        }
        if change["removed"] or change["required_added"] or change["optional_added"]:
            diff.parameters.append(change)


def _permissions(raw: dict[str, Any]) -> dict[str, str]:
    block = mtf_extension(raw).get("permissions")
    block = block if isinstance(block, dict) else {}
    return {c: str(block.get(c, "none")) for c in SCALES}


def _compare_permissions(diff: ReleaseDiff, old: dict[str, Any], new: dict[str, Any]) -> None:
    before, after = _permissions(old), _permissions(new)
    for category, scale in SCALES.items():
        a, b = before[category], after[category]
        if a == b:
            continue
        if a in scale and b in scale and scale[b] < scale[a]:
            diff.permissions_reduced.append((category, a, b))
        else:  # up, sideways, or a value outside the scale: treated as expansion
            diff.permissions_expanded.append((category, a, b))


def _scopes(raw: dict[str, Any]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for credential in declared_credentials(raw):
        provider = provider_id(credential.provider) or (credential.provider or "?").casefold()
        found.update((provider, s.strip()) for s in credential.scopes)
    return found


def _launch(raw: dict[str, Any]) -> dict[str, Any]:
    server = raw.get("server")
    config = server.get("mcp_config") if isinstance(server, dict) else None
    return config if isinstance(config, dict) else {}


def release_diff(old: dict[str, Any], new: dict[str, Any]) -> ReleaseDiff:
    """Compare two parsed manifests (previous release first)."""
    diff = ReleaseDiff()
    _compare_tools(diff, old, new)
    _compare_permissions(diff, old, new)
    before, after = _scopes(old), _scopes(new)
    folded = {(p, s.casefold()) for p, s in before}
    diff.scopes_added = sorted(x for x in after if (x[0], x[1].casefold()) not in folded)
    now = {(p, s.casefold()) for p, s in after}
    diff.scopes_removed = sorted(x for x in before if (x[0], x[1].casefold()) not in now)
    old_launch, new_launch = _launch(old), _launch(new)
    diff.launch_changed = sorted(
        k for k in set(old_launch) | set(new_launch) if old_launch.get(k) != new_launch.get(k)
    )
    return diff
