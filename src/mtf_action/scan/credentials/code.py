"""One pass over the server code for CD-04 and CD-05, shared through a per-scan cache.

Scope: the server's own Python and JS/TS files (vendored dependencies and tests
left out, as for CQ-03): an OAuth library inside ``deps/`` says nothing about
whether the *server* runs a flow, while the server importing it does. Syntax
trees and name tables come from the caches CQ-03..CQ-05 already fill.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from mtf_action.scan.context import ScanContext
from mtf_action.scan.credentials.oauth_js import js_oauth
from mtf_action.scan.credentials.oauth_python import python_oauth
from mtf_action.scan.credentials.signals import OAuthEvidence
from mtf_action.scan.credentials.token_store import TokenStore, js_stores, python_stores
from mtf_action.scan.js.parse import js_tree
from mtf_action.scan.static.js_names import js_names
from mtf_action.scan.static.py_names import py_names
from mtf_action.scan.static.scope import CodeScope, server_code, size_refused


@dataclass
class CodeEvidence:
    """What the server code shows about OAuth and token storage."""

    scope: CodeScope
    oauth: list[OAuthEvidence] = field(default_factory=list)
    stores: list[TokenStore] = field(default_factory=list)
    not_analysed: list[str] = field(default_factory=list)

    def details(self) -> dict[str, object]:
        return {
            "python_files": len(self.scope.python),
            "script_files": len(self.scope.scripts),
            "not_analysed": list(self.not_analysed),
        }


_CACHE: weakref.WeakKeyDictionary[ScanContext, CodeEvidence] = weakref.WeakKeyDictionary()


def code_evidence(ctx: ScanContext) -> CodeEvidence:
    """OAuth signals and token stores of the server code, computed once per scan."""
    cached = _CACHE.get(ctx)
    if cached is not None:
        return cached
    evidence = CodeEvidence(scope=server_code(ctx))
    for path in evidence.scope.python:
        tree = ctx.python_ast(path)
        if tree is None:
            if not size_refused(ctx, path):
                evidence.not_analysed.append(path)
            continue
        names = py_names(ctx, path, tree)
        evidence.oauth.extend(python_oauth(path, tree, names))
        evidence.stores.extend(python_stores(path, tree, names))
    for path in evidence.scope.scripts:
        script = js_tree(ctx, path)
        if script is None:
            if not size_refused(ctx, path):
                evidence.not_analysed.append(path)
            continue
        names_js = js_names(ctx, path, script)
        evidence.oauth.extend(js_oauth(path, script, names_js))
        evidence.stores.extend(js_stores(path, script, names_js))
    _CACHE[ctx] = evidence
    return evidence
