"""MTF CQ-05 "Blocked Patterns - JavaScript/TypeScript", on tree-sitter trees.

| Pattern                                  | Severity | rule slug             |
| ---------------------------------------- | -------- | --------------------- |
| ``child_process.exec()`` / ``execSync()`` | HIGH    | child-process-exec    |
| ``eval()``                               | HIGH     | eval                  |
| ``new Function()`` with external input   | MEDIUM   | function-constructor  |
| ``setTimeout/setInterval(string, ...)``  | MEDIUM   | timer-string          |
| Template literals in SQL                 | HIGH     | sql-template          |
| ``.innerHTML =`` with external input     | MEDIUM   | inner-html            |

Module functions are recognised through any import style (:mod:`.js_names`);
globals also as ``globalThis.eval`` / ``window['eval']`` / ``(0, eval)``.
``spawn``/``execFile`` with a ``shell`` option that is not ``false`` count as
``exec``. SQL: an untagged template with ``${}`` substitutions whose text has
upper-case SQL (``SELECT ... FROM``, ``INSERT INTO``, ``UPDATE ... SET``, ``DELETE
FROM``, ``... TABLE``), or any interpolated template or string concatenation passed
to ``.query()``/``.execute()``/``.raw()``/``$queryRawUnsafe()``/``$executeRawUnsafe()``.
Tagged templates (``sql`...```) are the libraries' parameterised form and pass.
``outerHTML``, ``insertAdjacentHTML()`` and ``document.write()`` are treated like
``innerHTML``.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.result import Severity
from mtf_action.scan.static.hits import Hit
from mtf_action.scan.static.js_names import JsNames
from mtf_action.scan.static.js_syntax import unwrap

CQ05_LEVEL = 3
_CP = "child_process"
_SHELL_OPTION_FUNCS = frozenset({"spawn", "spawnSync", "execFile", "execFileSync"})
_TIMERS = frozenset({"setTimeout", "setInterval", "setImmediate"})
_QUERY_METHODS = frozenset(
    {"query", "execute", "raw", "$queryRawUnsafe", "$executeRawUnsafe", "unsafe"}
)
_SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\b[\s\S]*\bSET\b"
    r"|\bDELETE\s+FROM\b|\b(?:CREATE|DROP|ALTER|TRUNCATE)\s+TABLE\b"
)
_HTML_PROPS = frozenset({"innerHTML", "outerHTML"})


# rule -> (severity, why, remediation, names a scoped suppression may use)
_RULES: dict[str, tuple[Severity, str, str, tuple[str, ...]]] = {
    "child-process-exec": (
        Severity.HIGH,
        "a shell interprets the command string (CWE-78).",
        "Use execFile()/spawn() with an argument array and no shell.",
        ("detect-child-process",),
    ),
    "eval": (
        Severity.HIGH,
        "evaluates a string as code (CWE-95).",
        "Use JSON.parse() for data, or a lookup table of functions.",
        ("detect-eval-with-expression",),
    ),
    "function-constructor": (
        Severity.MEDIUM,
        "compiles a computed string into a function (CWE-95).",
        "Write the function in the source instead of building it from strings.",
        (),
    ),
    "timer-string": (
        Severity.MEDIUM,
        "a string passed to a timer is evaluated like eval() (CWE-95).",
        "Pass a function: setTimeout(() => ..., delay).",
        (),
    ),
    "sql-template": (
        Severity.HIGH,
        "values are spliced into the SQL text, so input can change the query (CWE-89).",
        "Use placeholders ($1 / ?) with a values array, or the driver's sql`` tag.",
        (),
    ),
    "inner-html": (
        Severity.MEDIUM,
        "markup from input can inject script (XSS, CWE-79).",
        "Assign textContent, or sanitise the markup before inserting it.",
        (),
    ),
    "dynamic-lookup": (
        Severity.MEDIUM,
        (
            "which code runs is decided at run time, so it cannot be checked against the "
            "patterns above; a common way to hide them."
        ),
        "Load modules with a constant specifier and call functions by name.",
        (),
    ),
}


class _Scanner:
    def __init__(self, path: str, tree: JsTree, names: JsNames) -> None:
        self.path, self.tree, self.names = path, tree, names
        self.hits: list[Hit] = []
        self._sql_reported: set[int] = set()

    def add(self, node: Node, rule: str, title: str) -> None:
        severity, why, fix, aliases = _RULES[rule]
        blocks = CQ05_LEVEL if severity.rank >= Severity.HIGH.rank else None
        first, last = node.start_point.row + 1, node.end_point.row + 1
        # No source text in the description: a report must never carry a secret that
        # happens to sit in the flagged line (MTF CQ-01); file and line locate it.
        description = why[:1].upper() + why[1:]
        self.hits.append(
            Hit(rule, severity, title, description, self.path, first, last, blocks, fix, aliases)
        )

    def run(self) -> list[Hit]:
        for node in self.tree.walk():
            kind = node.type
            if kind in ("call_expression", "new_expression"):
                self._call(node)
            elif kind == "template_string":
                self._template(node)
            elif kind == "binary_expression":
                self._concatenation(node)
            elif kind in ("assignment_expression", "augmented_assignment_expression"):
                self._html_assignment(node)
        return self.hits

    # -- rules ---------------------------------------------------------------------
    def _call(self, node: Node) -> None:
        field = "constructor" if node.type == "new_expression" else "function"
        callee, args = node.child_by_field_name(field), node.child_by_field_name("arguments")
        if callee is None or args is None or args.type != "arguments":
            return
        arguments = args.named_children
        module, _, function = (self.names.qualname(callee) or "").rpartition(".")
        glob = self.names.global_name(callee)
        if module == _CP and function in ("exec", "execSync"):
            self.add(node, "child-process-exec", f"child_process.{function}()")
        elif module == _CP and function in _SHELL_OPTION_FUNCS and self._shell_option(arguments):
            self.add(
                node, "child-process-exec", f"child_process.{function}() with the shell option"
            )
        elif glob == "eval":
            self.add(node, "eval", "eval()")
        elif glob == "Function" and any(not self.names.is_static(a) for a in arguments):
            self.add(node, "function-constructor", "Function constructor with non-constant code")
        elif glob in _TIMERS and arguments and self._stringish(arguments[0]):
            self.add(node, "timer-string", f"{glob}() with a string")
        elif self._method(callee) == "insertAdjacentHTML" or self._is_document_write(callee):
            html = arguments[-1] if arguments else None
            if html is not None and not self.names.is_static(html):
                self._html(node)
        elif self._method(callee) in _QUERY_METHODS and arguments:
            self._query_argument(arguments[0])
        elif self._computed_lookup(callee, arguments):
            self.add(node, "dynamic-lookup", "module or child_process function chosen at run time")

    def _template(self, node: Node) -> None:
        if not any(c.type == "template_substitution" for c in node.named_children):
            return
        parent = node.parent
        if (
            parent is not None
            and parent.type == "call_expression"
            and parent.child_by_field_name("arguments") == node
        ):
            return  # tagged template: the tag function receives values separately
        if _SQL.search(self._static_text(node)):
            self._sql(node)

    def _concatenation(self, node: Node) -> None:
        parent = node.parent
        op = node.child_by_field_name("operator")
        if (
            op is None
            or op.type != "+"
            or (parent is not None and parent.type == "binary_expression")
        ):
            return  # only the outermost `a + b + c`
        if not self.names.is_static(node) and _SQL.search(self._static_text(node)):
            self._sql(node)

    def _query_argument(self, arg: Node) -> None:
        arg = unwrap(arg)
        if arg.type == "identifier":  # const q = `...${x}`; db.query(q)
            value = self.names.constant(self.tree.text(arg))
            if value is None:
                return
            arg = unwrap(value)
        if self.names.is_static(arg):
            return
        if arg.type == "template_string" or (
            arg.type == "binary_expression" and self._concatenates_text(arg)
        ):
            self._sql(arg)

    def _concatenates_text(self, node: Node) -> bool:
        op = node.child_by_field_name("operator")
        return op is not None and op.type == "+" and self._stringish(node)

    def _sql(self, node: Node) -> None:
        if node.id in self._sql_reported:
            return
        self._sql_reported.add(node.id)
        self.add(node, "sql-template", "SQL built by string interpolation")

    def _html_assignment(self, node: Node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if (
            left is None
            or right is None
            or left.type not in ("member_expression", "subscript_expression")
        ):
            return
        if self.names.member_name(left) in _HTML_PROPS and not self.names.is_static(right):
            self._html(node)

    def _html(self, node: Node) -> None:
        self.add(node, "inner-html", "HTML built from non-constant data")

    # -- helpers -------------------------------------------------------------------
    def _computed_lookup(self, callee: Node, arguments: list[Node]) -> bool:
        """``require(name)``, ``import(name)``, ``cp[name](...)`` with a computed name."""
        callee = unwrap(callee)
        if callee.type == "subscript_expression":
            obj, index = callee.child_by_field_name("object"), callee.child_by_field_name("index")
            return (
                obj is not None
                and index is not None
                and self.names.qualname(obj) == _CP
                and not self.names.is_static(index)
            )
        loader = callee.type == "import" or (
            callee.type == "identifier" and self.names.global_name(callee) == "require"
        )
        if callee.type == "member_expression":
            loader = self.names.member_name(callee) == "require"
        if not loader or not arguments or self.names.is_static(arguments[0]):
            return False
        # `./commands/${name}`: a relative specifier loads a file, never a built-in module,
        # and files of the bundle are analysed themselves.
        prefix = self._static_text(arguments[0]).split("?", 1)[0]
        return not prefix.startswith(("./", "../"))

    def _method(self, callee: Node) -> str | None:
        callee = unwrap(callee)
        return self.names.member_name(callee) if callee.type != "identifier" else None

    def _is_document_write(self, callee: Node) -> bool:
        callee = unwrap(callee)
        obj = callee.child_by_field_name("object")
        return (
            callee.type == "member_expression"
            and obj is not None
            and self.tree.text(obj) == "document"
            and self.names.member_name(callee) in ("write", "writeln")
        )

    def _shell_option(self, arguments: list[Node]) -> bool:
        for arg in arguments:
            if arg.type != "object":
                continue
            for pair in arg.named_children:
                key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                if pair.type == "shorthand_property_identifier" and self.tree.text(pair) == "shell":
                    return True
                if (
                    key is not None
                    and value is not None
                    and self.tree.text(key).strip("'\"") == "shell"
                ):
                    return unwrap(value).type != "false"
        return False

    def _stringish(self, node: Node) -> bool:
        node = unwrap(node)
        if node.type in ("string", "template_string") or self.names.static_string(node) is not None:
            return True
        if node.type == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            return any(s is not None and self._stringish(s) for s in (left, right))
        return False

    def _static_text(self, node: Node) -> str:
        """Constant text of a template or concatenation, ``?`` for each computed part."""
        node = unwrap(node)
        value = self.names.static_string(node)
        if value is not None:
            return value
        if node.type == "template_string":
            return "".join(
                "?" if c.type == "template_substitution" else self.tree.text(c)
                for c in node.named_children
            )
        if node.type == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            return "".join(self._static_text(s) for s in (left, right) if s is not None)
        return "?"


def execution_hits(path: str, tree: JsTree, names: JsNames) -> list[Hit]:
    """Every blocked pattern of the JavaScript/TypeScript table in one script."""
    return _Scanner(path, tree, names).run()
