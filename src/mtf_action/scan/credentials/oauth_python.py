"""OAuth flows in Python server code, on the AST (MTF CD-04).

Imports are seen however they are spelled: ``import msal``, ``from
google_auth_oauthlib.flow import InstalledAppFlow``, ``__import__("msal")``,
``importlib.import_module("requests_" + "oauthlib")`` (constant-built names are
evaluated by :class:`PyNames`). Strings are checked as written and, for ``+``
concatenations and f-strings of constants, as evaluated.
"""

from __future__ import annotations

import ast

from mtf_action.scan.credentials.signals import (
    PY_LIBRARIES,
    REFRESH_NAMES,
    OAuthEvidence,
    dedupe,
    library_provider,
    string_evidence,
)
from mtf_action.scan.static.py_names import PyNames

_IMPORTERS = frozenset({"__import__", "importlib.import_module"})


def _imported(node: ast.AST, names: PyNames) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Call) and names.qualname(node.func) in _IMPORTERS and node.args:
        module = names.static_str(node.args[0])
        return [module] if module else []
    return []


def _strings(node: ast.AST, names: PyNames) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BinOp | ast.JoinedStr):
        value = names.static_str(node)
        return [value] if value else []
    return []


def _named(node: ast.AST) -> list[tuple[str, str]]:
    """``creds.refresh_token``, ``refresh_token``, ``f(refresh_token=...)``, ``f(grant_type=...)``."""
    name = None
    if isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.keyword):
        name = node.arg
    if name in REFRESH_NAMES:
        return [("refresh-token", "refresh token handling (refresh_token)")]
    if name == "grant_type":
        return [("grant", "OAuth token request (grant_type)")]
    return []


def python_oauth(path: str, tree: ast.Module, names: PyNames) -> list[OAuthEvidence]:
    """Every OAuth signal of one module (deduplicated per kind and detail)."""
    found: list[OAuthEvidence] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        for module in _imported(node, names):
            is_oauth, provider = library_provider(module, PY_LIBRARIES)
            if is_oauth:
                found.append(OAuthEvidence(path, line, "library", f"uses {module}", provider))
                break
        for text in _strings(node, names):
            for kind, detail, provider in string_evidence(text):
                found.append(OAuthEvidence(path, line, kind, detail, provider))
        for kind, detail in _named(node):
            found.append(OAuthEvidence(path, line, kind, detail, None))
    return dedupe(found)
