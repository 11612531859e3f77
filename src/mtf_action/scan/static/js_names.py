"""What names in a script refer to: modules, module members, constant strings.

The JS/TS rules (CQ-03, CQ-05) ask "is this callee ``child_process.exec``?"
and "is this argument a constant?". Answering on the syntax tree rather than the
text means aliases and spellings do not hide a call:

- ``const cp = require('child_process'); cp.exec(x)``, ``const {exec: run} = require(...)``,
  ``require('child_process').exec``, ``import { exec as run } from 'node:child_process'``,
  ``import * as cp``, ``await import(...)``, TypeScript ``import cp = require(...)``,
  ``createRequire(import.meta.url)`` and ``module.require``;
- module names and member keys built from constant pieces (``'child_' + 'process'``,
  `` `exec` ``, ``cp['ex' + 'ec']``, a ``const`` holding the string).

The analysis is per file and flow-insensitive: a name bound once to a module is
taken to mean it everywhere in the file (shadowing by a parameter is ignored;
that can only add findings, never hide one).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.static.js_syntax import constant_string, unwrap

if TYPE_CHECKING:
    from mtf_action.scan.context import ScanContext

GLOBAL_OBJECTS = frozenset({"globalThis", "window", "global", "self"})
_REQUIRE = "<require>"


def module_name(spec: str) -> str:
    """Node built-ins are reachable as ``x`` and ``node:x``; both mean ``x``."""
    return spec.removeprefix("node:")


class JsNames:
    """Bindings and constants of one parsed script."""

    def __init__(self, tree: JsTree) -> None:
        self.tree = tree
        self.bindings: dict[str, str] = {}
        self._consts: dict[str, Node] = {}
        pairs: list[tuple[Node, Node]] = []
        declared: dict[str, int] = {}
        reassigned: set[str] = set()
        for node in tree.walk():
            kind = node.type
            if kind == "variable_declarator":
                name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
                if name is not None and name.type == "identifier":
                    declared[tree.text(name)] = declared.get(tree.text(name), 0) + 1
                    if value is not None:
                        self._consts[tree.text(name)] = value
                if name is not None and value is not None:
                    pairs.append((name, value))
            elif kind == "assignment_expression":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None:
                    if left.type == "identifier":
                        reassigned.add(tree.text(left))
                    pairs.append((left, right))
            elif kind in ("augmented_assignment_expression", "update_expression"):
                operand = node.named_children[0] if node.named_child_count else None
                if operand is not None and operand.type == "identifier":
                    reassigned.add(tree.text(operand))
            elif kind == "import_statement":
                self._bind_import(node)
        for ident, count in declared.items():
            if count > 1 or ident in reassigned:
                self._consts.pop(ident, None)  # not one constant value
        # Aliases of aliases (``const cp = require(..); const {exec} = cp``): a few rounds.
        for _ in range(3):
            before = len(self.bindings)
            for pattern, init in pairs:
                target = self.qualname(init)
                if target is not None:
                    self._bind_pattern(pattern, target)
            if len(self.bindings) == before:
                break

    # -- binding collection ------------------------------------------------------
    def _bind_import(self, node: Node) -> None:
        for clause in node.named_children:
            if clause.type == "import_require_clause":  # TS: import cp = require("...")
                source = clause.child_by_field_name("source")
                spec = self.static_string(source) if source is not None else None
                if spec is not None:
                    self.bindings[self.tree.text(clause.named_children[0])] = module_name(spec)
        source = node.child_by_field_name("source")
        spec = self.static_string(source) if source is not None else None
        if spec is None:
            return
        module = module_name(spec)
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":  # default import: the CommonJS module object
                    self.bindings[self.tree.text(part)] = module
                elif part.type == "namespace_import":
                    self.bindings[self.tree.text(part.named_children[-1])] = module
                elif part.type == "named_imports":
                    for spec_node in part.named_children:
                        name = spec_node.child_by_field_name("name")
                        alias = spec_node.child_by_field_name("alias") or name
                        if name is not None and alias is not None:
                            imported = self.tree.text(name).strip("'\"")
                            self.bindings[self.tree.text(alias)] = f"{module}.{imported}"

    def _bind_pattern(self, pattern: Node, target: str) -> None:
        kind = pattern.type
        if kind == "identifier":
            self.bindings.setdefault(self.tree.text(pattern), target)
        elif kind == "object_pattern":
            for prop in pattern.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    name = self.tree.text(prop)
                    self.bindings.setdefault(name, f"{target}.{name}")
                elif prop.type == "object_assignment_pattern":  # { exec = fallback }
                    left = prop.child_by_field_name("left")
                    if left is not None:
                        name = self.tree.text(left)
                        self.bindings.setdefault(name, f"{target}.{name}")
                elif prop.type == "pair_pattern":
                    key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                    key_text = self._key(key) if key is not None else None
                    if key_text is not None and value is not None:
                        if value.type == "assignment_pattern":
                            value = value.child_by_field_name("left") or value
                        self._bind_pattern(value, f"{target}.{key_text}")

    def _key(self, key: Node) -> str | None:
        if key.type in ("property_identifier", "identifier"):
            return self.tree.text(key)
        if key.type == "computed_property_name" and key.named_child_count:
            return self.static_string(key.named_children[0])
        return self.static_string(key)

    # -- queries -------------------------------------------------------------------
    def constant(self, name: str) -> Node | None:
        """The initializer of a variable assigned exactly once in the file."""
        return self._consts.get(name)

    def static_string(self, node: Node) -> str | None:
        """The value of a string built only from constants, else None."""
        return constant_string(self.tree, node, self.constant)

    def is_static(self, node: Node) -> bool:
        """A literal-like argument: string/number/regex/boolean constants and their concatenation."""
        if unwrap(node).type in ("number", "true", "false", "null", "regex", "undefined"):
            return True
        return self.static_string(node) is not None

    def module_of(self, call: Node) -> str | None:
        """``x`` for ``require('x')``, ``import('x')``, ``module.require('x')``, else None."""
        call = unwrap(call)
        if call.type != "call_expression":
            return None
        callee, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is None or args is None or args.type != "arguments" or not args.named_child_count:
            return None
        callee = unwrap(callee)
        is_loader = callee.type == "import" or (
            callee.type == "identifier"
            and (
                self.tree.text(callee) == "require"
                or self.bindings.get(self.tree.text(callee)) == _REQUIRE
            )
        )
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            is_loader = prop is not None and self.tree.text(prop) == "require"
        if not is_loader:
            return None
        spec = self.static_string(args.named_children[0])
        return module_name(spec) if spec is not None else None

    def qualname(self, node: Node) -> str | None:
        """``module.member...`` an expression denotes, when it comes from an import."""
        node = unwrap(node)
        kind = node.type
        if kind == "identifier":
            return self.bindings.get(self.tree.text(node))
        if kind in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            base = self.qualname(obj) if obj is not None else None
            member = self.member_name(node)
            return f"{base}.{member}" if base is not None and member is not None else None
        if kind == "call_expression":
            module = self.module_of(node)
            if module is not None:
                return module
            callee = node.child_by_field_name("function")
            if callee is not None and self.qualname(callee) == "module.createRequire":
                return _REQUIRE
        return None

    def member_name(self, node: Node) -> str | None:
        """The property a member/subscript expression reads, when it is constant."""
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            return self.tree.text(prop) if prop is not None else None
        if node.type == "subscript_expression":
            index = node.child_by_field_name("index")
            return self.static_string(index) if index is not None else None
        return None

    def global_name(self, node: Node) -> str | None:
        """``eval`` for ``eval``, ``globalThis.eval``, ``window['eval']``, ``(0, eval)``.

        None when the identifier is bound to an import (then it is no global).
        """
        node = unwrap(node)
        if node.type == "identifier":
            name = self.tree.text(node)
            return None if name in self.bindings else name
        if node.type in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            holder = unwrap(obj) if obj is not None else None
            if holder is not None and holder.type == "identifier":
                return self.member_name(node) if self.tree.text(holder) in GLOBAL_OBJECTS else None
        return None


_NAMES: weakref.WeakKeyDictionary[ScanContext, dict[str, JsNames]] = weakref.WeakKeyDictionary()


def js_names(ctx: ScanContext, path: str, tree: JsTree) -> JsNames:
    """The :class:`JsNames` of a script, built once per scan (CQ-03 and CQ-05 share it)."""
    per_ctx = _NAMES.setdefault(ctx, {})
    if path not in per_ctx:
        per_ctx[path] = JsNames(tree)
    return per_ctx[path]
