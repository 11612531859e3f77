"""OAuth flows in JavaScript/TypeScript server code, on tree-sitter trees (MTF CD-04).

Modules are recognised through every import style :class:`JsNames` knows
(``import``, ``require``, ``await import()``, ``createRequire``, constant-built
specifiers such as ``require("simple-" + "oauth2")``); googleapis counts only
where its ``google.auth.OAuth2`` client is used. Strings are checked piece by
piece (string and template fragments) and, for ``+`` concatenations of
constants, as evaluated.
"""

from __future__ import annotations

from tree_sitter import Node

from mtf_action.scan.credentials.signals import (
    JS_LIBRARIES,
    JS_MEMBERS,
    REFRESH_NAMES,
    OAuthEvidence,
    dedupe,
    library_provider,
    string_evidence,
)
from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.static.js_names import JsNames, module_name

_NAME_NODES = frozenset(
    {
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "shorthand_property_identifier_pattern",
    }
)


def _module(node: Node, tree: JsTree, names: JsNames) -> str | None:
    if node.type == "import_statement":
        source = node.child_by_field_name("source")
        for clause in node.named_children:  # TypeScript: import x = require("...")
            if clause.type == "import_require_clause":
                source = clause.child_by_field_name("source")
        spec = names.static_string(source) if source is not None else None
        return module_name(spec) if spec is not None else None
    if node.type == "call_expression":
        return names.module_of(node)
    return None


def _strings(node: Node, tree: JsTree, names: JsNames) -> list[str]:
    if node.type == "string_fragment":
        return [tree.text(node)]
    if node.type == "binary_expression":
        value = names.static_string(node)
        return [value] if value else []
    return []


def js_oauth(path: str, tree: JsTree, names: JsNames) -> list[OAuthEvidence]:
    """Every OAuth signal of one script (deduplicated per kind and detail)."""
    found: list[OAuthEvidence] = []
    for node in tree.walk():
        line = tree.line(node)
        module = _module(node, tree, names)
        if module is not None:
            is_oauth, provider = library_provider(module, JS_LIBRARIES)
            if is_oauth:
                found.append(OAuthEvidence(path, line, "library", f"uses {module}", provider))
        if node.type == "member_expression":
            qualname = names.qualname(node)
            if qualname in JS_MEMBERS:
                found.append(
                    OAuthEvidence(path, line, "library", f"uses {qualname}", JS_MEMBERS[qualname])
                )
        for text in _strings(node, tree, names):
            for kind, detail, provider in string_evidence(text):
                found.append(OAuthEvidence(path, line, kind, detail, provider))
        if node.type in _NAME_NODES:
            text = tree.text(node)
            if text in REFRESH_NAMES:
                found.append(
                    OAuthEvidence(
                        path, line, "refresh-token", "refresh token handling (refresh_token)", None
                    )
                )
            elif text == "grant_type":
                found.append(
                    OAuthEvidence(path, line, "grant", "OAuth token request (grant_type)", None)
                )
    return dedupe(found)
