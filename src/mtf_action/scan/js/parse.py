"""Parsing JavaScript and TypeScript into syntax trees (tree-sitter grammars from PyPI).

tree-sitter parses modern ESM, CommonJS, JSX, TypeScript and TSX, and is error
tolerant: a file with one bad statement still yields a tree whose valid parts
can be analysed (``JsTree.has_error`` says so). Pattern checks done on the tree
cannot be fooled by whitespace, comments or string concatenation the way
regular expressions can.

Trees are cached per scan: ``js_tree(ctx, path)`` parses a file once however
many controls ask (the text itself comes from the context, read once).
"""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Tree

if TYPE_CHECKING:
    from mtf_action.scan.context import ScanContext

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx")
TS_SUFFIXES = (".ts", ".mts", ".cts", ".tsx")
SCRIPT_SUFFIXES = JS_SUFFIXES + TS_SUFFIXES
# A parse slower than this is abandoned (a pathological or huge minified file).
PARSE_TIMEOUT_SECONDS = 30.0
_CHUNK = 1 << 16


@functools.cache
def _language(name: str) -> Language:
    if name == "typescript":
        return Language(tree_sitter_typescript.language_typescript())
    if name == "tsx":
        return Language(tree_sitter_typescript.language_tsx())
    return Language(tree_sitter_javascript.language())


@dataclass(frozen=True)
class JsTree:
    """A parsed script together with its source bytes (node offsets index into them)."""

    tree: Tree
    source: bytes
    typescript: bool

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def has_error(self) -> bool:
        return self.tree.root_node.has_error

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    @staticmethod
    def line(node: Node) -> int:
        """1-based line of the node's first character."""
        return node.start_point.row + 1

    def walk(self, node: Node | None = None) -> Iterator[Node]:
        """Every named node under ``node`` (default: the whole file), in source order.

        Iterative, so deeply nested (hostile or minified) code cannot exhaust
        Python's recursion limit.
        """
        cursor = (node or self.root).walk()
        depth = 0
        while True:
            current = cursor.node
            if current is not None and current.is_named:
                yield current
            if cursor.goto_first_child():
                depth += 1
                continue
            while not cursor.goto_next_sibling():
                if depth == 0 or not cursor.goto_parent():
                    return
                depth -= 1


def grammar_for(path: str) -> tuple[bool, bool] | None:
    """(typescript, jsx) for a script path, or None when it is no JS/TS source."""
    if path.endswith(".d.ts"):
        return None  # declarations only: nothing executes
    if path.endswith(JS_SUFFIXES):
        return False, True
    if path.endswith(TS_SUFFIXES):
        return True, path.endswith(".tsx")
    return None


def parse_js(
    source: str,
    *,
    typescript: bool,
    jsx: bool = False,
    timeout: float = PARSE_TIMEOUT_SECONDS,
) -> JsTree | None:
    """Parse ``source``; None when the parser gave up (timeout, resource exhaustion).

    The JavaScript grammar always accepts JSX; for TypeScript, ``jsx=True``
    selects the TSX grammar (``.tsx`` files), where ``<T>expr`` casts are not allowed.
    """
    name = ("tsx" if jsx else "typescript") if typescript else "javascript"
    data = source.encode("utf-8", "surrogatepass")
    deadline = time.monotonic() + timeout

    def read(offset: int, _point: object) -> bytes:
        return data[offset : offset + _CHUNK]

    def cancel(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    try:
        tree = Parser(_language(name)).parse(read, progress_callback=cancel)
    except (ValueError, MemoryError):  # tree-sitter: "Parsing failed" on cancellation
        return None
    return JsTree(tree, data, typescript)


_CACHE: weakref.WeakKeyDictionary[ScanContext, dict[str, JsTree | None]] = (
    weakref.WeakKeyDictionary()
)


def js_tree(ctx: ScanContext, path: str) -> JsTree | None:
    """The parsed tree of a script in the scan target, parsed at most once per scan.

    None for non-script paths, binary / non-UTF-8 / oversized files and parses
    that were abandoned.
    """
    per_ctx = _CACHE.setdefault(ctx, {})
    if path not in per_ctx:
        grammar = grammar_for(path)
        text = ctx.read_text(path) if grammar is not None else None
        per_ctx[path] = (
            None
            if grammar is None or text is None
            else parse_js(text, typescript=grammar[0], jsx=grammar[1])
        )
    return per_ctx[path]
