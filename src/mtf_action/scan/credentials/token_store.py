"""Tokens persisted by server code (MTF CD-05 "Token persisted to file without declaration").

A *file write* is a call that writes data to a file -- Python ``open(p, "w")``,
``fh.write()``, ``Path.write_text()``, ``json.dump()`` / ``pickle.dump()`` /
``yaml.dump()``, ``dotenv.set_key()``; Node ``fs.writeFile[Sync]``,
``fs.appendFile``, ``fs/promises``, ``fs-extra`` writers, ``createWriteStream``.
It stores a token when a name or a path-like string in the call (the receiver
included) has a token word: ``token``, ``credential(s)``, ``creds``, ``oauth``
(``access_token``, ``refreshToken``, ``"token.json"``...). Names that count
language-model tokens (``max_tokens``, ``token_count``, ``output_tokens``) do
not. Writes to ``sys.stdout`` / ``sys.stderr`` are not files. OS keychain
storage (Python ``keyring.set_password``, Node ``keytar.setPassword``) is
recorded separately: CD-05 rates it MEDIUM, not HIGH.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

from mtf_action.scan.js.parse import JsTree
from mtf_action.scan.static.js_names import JsNames
from mtf_action.scan.static.py_names import PyNames

Storage = Literal["file", "keychain"]

_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_NAME_WORDS = frozenset({"token", "credential", "credentials", "creds", "cred", "oauth"})
_PATH_WORDS = _NAME_WORDS | {"tokens"}
_COUNT_WORDS = frozenset(
    {"max", "count", "num", "usage", "input", "output", "prompt", "completion", "total", "limit"}
)
_MAX_NODES = 400  # bound the look into one call's subtree

_PY_DUMPERS = frozenset(
    {
        "json.dump",
        "pickle.dump",
        "yaml.dump",
        "yaml.safe_dump",
        "toml.dump",
        "tomli_w.dump",
        "marshal.dump",
        "shelve.open",
        "dotenv.set_key",
    }
)
_PY_OPENERS = frozenset({"open", "io.open", "codecs.open", "aiofiles.open"})
_PY_METHODS = frozenset({"write", "writelines", "write_text", "write_bytes"})
_PY_KEYCHAIN = frozenset({"keyring.set_password"})
_STREAMS = ("sys.stdout", "sys.stderr")

_FS_WRITERS = frozenset(
    {"writeFile", "writeFileSync", "appendFile", "appendFileSync", "createWriteStream"}
)
_FS_EXTRA_WRITERS = _FS_WRITERS | {
    "writeJson",
    "writeJsonSync",
    "outputFile",
    "outputFileSync",
    "outputJson",
    "outputJsonSync",
}
_FS_MODULES = ("fs", "fs.promises", "fs/promises")
_JS_KEYCHAIN = frozenset({"keytar.setPassword"})
_JS_NAME_NODES = frozenset(
    {"identifier", "property_identifier", "shorthand_property_identifier", "string_fragment"}
)


@dataclass(frozen=True)
class TokenStore:
    file: str
    line: int
    storage: Storage
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "storage": self.storage,
            "detail": self.detail,
        }


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _SPLIT.findall(text)}


def token_name(text: str, *, path_like: bool = False) -> bool:
    """True for a name (or path-like string) that denotes a credential token."""
    if path_like and any(c.isspace() for c in text):
        return False
    words = _words(text)
    return bool(words & (_PATH_WORDS if path_like else _NAME_WORDS)) and not (words & _COUNT_WORDS)


# -- Python ---------------------------------------------------------------------------


def _py_tokenish(node: ast.AST) -> bool:
    for child in itertools.islice(ast.walk(node), _MAX_NODES):
        if isinstance(child, ast.Name) and token_name(child.id):
            return True
        if isinstance(child, ast.Attribute) and token_name(child.attr):
            return True
        if isinstance(child, ast.arg) and token_name(child.arg):
            return True
        if (
            isinstance(child, ast.Constant)
            and isinstance(child.value, str)
            and token_name(child.value, path_like=True)
        ):
            return True
    return False


def _write_mode(call: ast.Call, names: PyNames, position: int) -> bool:
    mode: ast.expr | None = call.args[position] if len(call.args) > position else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    value = names.static_str(mode) if mode is not None else None
    return value is not None and any(flag in value for flag in "wax+")


def _py_store(call: ast.Call, names: PyNames) -> tuple[Storage, str] | None:
    """The kind of store a call writes to (the caller checks that it writes a token)."""
    qualname = names.qualname(call.func) or ""
    if qualname in _PY_KEYCHAIN:
        return "keychain", qualname
    if qualname in _PY_DUMPERS:
        return "file", qualname
    if qualname in _PY_OPENERS:
        return ("file", f"{qualname}(..., write mode)") if _write_mode(call, names, 1) else None
    if not isinstance(call.func, ast.Attribute) or qualname.startswith(_STREAMS):
        return None
    method = call.func.attr
    if method == "open" and _write_mode(call, names, 0):
        return "file", ".open(write mode)"
    if method in _PY_METHODS:
        return "file", f".{method}()"
    return None


def python_stores(path: str, tree: ast.Module, names: PyNames) -> list[TokenStore]:
    found: list[TokenStore] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            hit = _py_store(node, names)
            if hit is not None and (hit[0] == "keychain" or _py_tokenish(node)):
                found.append(TokenStore(path, node.lineno, hit[0], hit[1]))
    return found


# -- JavaScript / TypeScript ------------------------------------------------------------


def _js_tokenish(tree: JsTree, node: Node) -> bool:
    for child in itertools.islice(tree.walk(node), _MAX_NODES):
        if child.type in _JS_NAME_NODES:
            text = tree.text(child)
            if token_name(text, path_like=child.type == "string_fragment"):
                return True
    return False


def _js_writer(qualname: str) -> bool:
    module, _, member = qualname.rpartition(".")
    if module in _FS_MODULES:
        return member in _FS_WRITERS
    return module == "fs-extra" and member in _FS_EXTRA_WRITERS


def js_stores(path: str, tree: JsTree, names: JsNames) -> list[TokenStore]:
    found: list[TokenStore] = []
    for node in tree.walk():
        if node.type != "call_expression":
            continue
        callee = node.child_by_field_name("function")
        qualname = names.qualname(callee) if callee is not None else None
        if qualname is None:
            continue
        if qualname in _JS_KEYCHAIN:
            found.append(TokenStore(path, tree.line(node), "keychain", qualname))
        elif _js_writer(qualname) and _js_tokenish(tree, node):
            found.append(TokenStore(path, tree.line(node), "file", qualname))
    return found
