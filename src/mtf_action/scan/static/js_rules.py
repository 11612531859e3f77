"""eslint-plugin-security's CQ-03 checks, on tree-sitter syntax trees (MTF CQ-03).

MTF names three rules for JavaScript/TypeScript; ESLint is not available to an
offline scanner, so their intent is implemented here on the parsed tree:

- ``detect-child-process``: ``child_process.exec()`` (and ``execSync``, which
  runs a shell the same way) with a first argument that is not a constant --
  the command string can carry shell metacharacters: HIGH, as Bandit rates
  ``shell=True`` (B602, HIGH/HIGH). Loading ``child_process`` at all is recorded
  as info, the way the rule reports a bare ``require("child_process")``.
- ``detect-eval-with-expression``: ``eval()`` whose argument is not a constant
  (also ``globalThis.eval``, ``(0, eval)``): HIGH, it runs arbitrary code.
- ``detect-non-literal-fs-filename``: an ``fs`` / ``fs/promises`` / ``fs-extra``
  function whose path argument (at the positions the plugin lists) is not a
  constant: MEDIUM (path traversal; the plugin itself warns that many are benign).

Unlike the plugin, module access is followed through any import style and
through constant-built names (see :mod:`.js_names`), and TypeScript is covered.
Descriptions never quote the source line: it might hold a secret (CQ-01).
"""

from __future__ import annotations

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.result import Severity
from mtf_action.scan.static.hits import Hit
from mtf_action.scan.static.js_names import JsNames

CQ03_LEVEL = 2
CHILD_PROCESS = "child_process"
SHELL_FUNCTIONS = frozenset({"exec", "execSync"})
FS_MODULES = frozenset({"fs", "fs/promises", "fs-extra", "fs.promises", "fs-extra.promises"})
# Path-argument positions per fs function (eslint-plugin-security's data table).
FS_PATH_ARGS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(
        [
            *("appendFile", "chmod", "chown", "createReadStream", "createWriteStream"),
            *("exists", "lchmod", "lchown", "lstat", "mkdir", "open", "readdir", "readFile"),
            *("readlink", "realpath", "rmdir", "stat", "truncate", "unlink", "utimes"),
            *("writeFile", "rm", "opendir", "access"),
        ],
        (0,),
    ),
    **dict.fromkeys(["link", "rename", "symlink", "copyFile", "cp"], (0, 1)),
    "watch": (0,),
    "watchFile": (0,),
    "unwatchFile": (0,),
}
for _name in [n for n in FS_PATH_ARGS if n not in ("watch", "watchFile", "unwatchFile")]:
    FS_PATH_ARGS[_name + "Sync"] = FS_PATH_ARGS[_name]


def _span(node: Node) -> tuple[int, int]:
    return node.start_point.row + 1, node.end_point.row + 1


def eslint_security_hits(path: str, tree: JsTree, names: JsNames) -> list[Hit]:
    """Matches of the three rules in one script."""
    hits: list[Hit] = []
    imported_at: int | None = None
    for node in tree.walk():
        if node.type == "import_statement" and imported_at is None:
            source = node.child_by_field_name("source")
            if source is not None and _is_child_process(names.static_string(source)):
                imported_at = JsTree.line(node)
        if node.type != "call_expression":
            continue
        callee, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if callee is None or args is None or args.type != "arguments":
            continue  # tagged templates have no argument list
        arguments = args.named_children
        first, last = _span(node)
        if imported_at is None and names.module_of(node) == CHILD_PROCESS:
            imported_at = first
        qualname = names.qualname(callee)
        module, _, function = (qualname or "").rpartition(".")
        dynamic = bool(arguments) and not names.is_static(arguments[0])
        if module == CHILD_PROCESS and function in SHELL_FUNCTIONS and dynamic:
            hits.append(
                Hit(
                    "detect-child-process",
                    Severity.HIGH,
                    f"child_process.{function}() with a non-constant command",
                    "The call runs a command string through a shell; "
                    "input reaching it can inject shell commands (CWE-78).",
                    path,
                    first,
                    last,
                    CQ03_LEVEL,
                    "Use child_process.execFile()/spawn() with an argument array and no shell.",
                    ("detect-child-process",),
                )
            )
        elif names.global_name(callee) == "eval" and dynamic:
            hits.append(
                Hit(
                    "detect-eval-with-expression",
                    Severity.HIGH,
                    "eval() with an expression",
                    "The call evaluates a computed string as code (CWE-95).",
                    path,
                    first,
                    last,
                    CQ03_LEVEL,
                    "Parse data with JSON.parse() or dispatch through a lookup table instead.",
                    ("detect-eval-with-expression",),
                )
            )
        elif module in FS_MODULES and function in FS_PATH_ARGS:
            bad = [
                i
                for i in FS_PATH_ARGS[function]
                if i < len(arguments) and not names.is_static(arguments[i])
            ]
            if bad:
                hits.append(
                    Hit(
                        "detect-non-literal-fs-filename",
                        Severity.MEDIUM,
                        f"{module.split('.')[0]}.{function}() with a non-constant path",
                        "The call takes a computed file name (argument "
                        f"{', '.join(map(str, bad))}); unchecked input can reach any file "
                        "the server may access (path traversal, CWE-22).",
                        path,
                        first,
                        last,
                        None,
                        "Resolve the path against a fixed base directory and reject results "
                        "outside it before the call.",
                        ("detect-non-literal-fs-filename",),
                    )
                )
    if imported_at is not None:
        hits.append(
            Hit(
                "child-process-module",
                Severity.INFO,
                "child_process is loaded",
                "The script loads Node's child_process module; review how it builds commands.",
                path,
                imported_at,
                imported_at,
                None,
                aliases=("detect-child-process",),
            )
        )
    return hits


def _is_child_process(spec: str | None) -> bool:
    return spec is not None and spec.removeprefix("node:") == CHILD_PROCESS
