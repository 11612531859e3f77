"""Environment variables script code reads or writes (MTF CD-02).

``process.env.X`` / ``process.env["X"]`` read one variable (however ``process``
or ``env`` was aliased: ``const { env } = process``, ``globalThis["process"]``);
assigning or deleting one writes it; ``const { A, B } = process.env`` reads A
and B. Anything else done with ``process.env`` -- spreading, passing,
``Object.keys``, ``JSON.stringify``, ``for...in`` -- reads the whole
environment, secrets included. ``dotenv`` (``require("dotenv").config()``,
``import "dotenv/config"``) reads a ``.env`` file into the environment.
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from mtf_action.scan.capabilities.env_use import WHOLE, environment_use
from mtf_action.scan.capabilities.js_render import render
from mtf_action.scan.capabilities.js_unit import JsUnit, child, unwrap
from mtf_action.scan.capabilities.model import READ, WRITE, Phase, Use
from mtf_action.scan.capabilities.patterns import UNKNOWN

ENV = "process.env"
_ACCESS = ("member_expression", "subscript_expression")


def environment_uses(unit: JsUnit, phase: Callable[[Node], Phase]) -> list[Use]:
    found: list[Use] = []

    def add(node: Node, access: str, api: str, key: str | None, evasive: bool) -> None:
        found.append(
            environment_use(unit.path, unit.line(node), phase(node), access, api, key, evasive)
        )

    for node in unit.nodes:
        if node.type not in ("identifier", *_ACCESS):
            continue
        resolved = unit.names.resolve(node)
        if resolved is None or resolved.name != ENV:
            continue
        parent = node.parent
        while parent is not None and parent.type in (
            "parenthesized_expression",
            "non_null_expression",
        ):
            parent = parent.parent
        if parent is None:
            continue
        obj = child(parent, "object") if parent.type in _ACCESS else None
        if obj is not None:
            if unwrap(obj) == node:
                add(parent, _access(parent), f"{ENV}[...]", _key(unit, parent), resolved.evasive)
        elif parent.type == "variable_declarator" and child(parent, "value") == node:
            pattern = child(parent, "name")
            if pattern is not None and pattern.type == "object_pattern":
                for key in _pattern_keys(unit, pattern):
                    add(parent, READ, f"const {{...}} = {ENV}", key, resolved.evasive)
            # const e = process.env: an alias, its own uses are resolved through it
        elif parent.type == "assignment_expression":
            if child(parent, "left") == node:  # process.env = {...}
                add(node, WRITE, f"{ENV} (replaced)", WHOLE, resolved.evasive)
        else:
            add(node, READ, f"{ENV} (whole)", WHOLE, resolved.evasive)
    return found


def _key(unit: JsUnit, access: Node) -> str:
    if access.type == "member_expression":
        prop = child(access, "property")
        return unit.text(prop) if prop is not None else UNKNOWN
    index = child(access, "index")
    return render(unit, index) if index is not None else UNKNOWN


def _access(node: Node) -> str:
    parent = node.parent
    if parent is None:
        return READ
    if parent.type in ("assignment_expression", "augmented_assignment_expression"):
        return WRITE if child(parent, "left") == node else READ
    operator = child(parent, "operator") if parent.type == "unary_expression" else None
    return WRITE if operator is not None and operator.type == "delete" else READ


def _pattern_keys(unit: JsUnit, pattern: Node) -> list[str]:
    keys: list[str] = []
    for prop in pattern.named_children:
        if prop.type == "shorthand_property_identifier_pattern":
            keys.append(unit.text(prop))
        elif prop.type in ("pair_pattern", "object_assignment_pattern"):
            key = child(prop, "key") or child(prop, "left")
            if key is not None:
                keys.append(unit.text(key).strip("'\"`"))
        elif prop.type == "rest_pattern":
            keys.append(WHOLE)
    return keys
