"""The files a manifest accounts for (AI-05 "Expected Files").

MTF AI-05 counts as expected what the manifest references: the entry point,
files named in ``mcp_config`` arguments, dependency lockfiles and MTF metadata.
Read literally, that would flag every module a server imports, so the model
here follows what the manifest *starts*:

1. references: ``server.entry_point``; every ``${__dirname}/...`` path (or a
   bare path naming a file of the bundle) in ``mcp_config`` ``command``,
   ``args`` and ``env`` values (``PYTHONPATH``-style lists split on ``:``/``;``),
   platform overrides included; ``-m module`` arguments; ``icon``/``icons``/
   ``screenshots``. A reference to a directory covers the files below it.
2. the server's own tree: when the entry point sits in a sub-directory
   (``server/main.py``, ``dist/index.js``), everything below that directory is
   the server (MCPB's layout); an entry point at the bundle root has no such
   tree, and only what it imports counts.
3. imports: Python ``import``/``from`` (resolved against the importing file's
   directory and the referenced ``PYTHONPATH`` directories; a package counts
   whole) and JavaScript/TypeScript relative ``import``/``require``/``export
   from`` specifiers, followed transitively from the files above.
4. dependency manifests and lockfiles at the root (``package.json``,
   ``pyproject.toml``, ``uv.lock``, ``requirements*.txt``...).

Vendored dependency directories are judged separately (see ``owned``).
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mtf_action.manifest.entrypoint import normalize
from mtf_action.scan.context import ScanContext, is_vendored

DEPENDENCY_FILES = frozenset(
    {
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml",
        "yarn.lock", "bun.lock", "pyproject.toml", "uv.lock", "poetry.lock", "Pipfile",
        "Pipfile.lock", "pdm.lock", "setup.cfg", "go.mod", "go.sum", "Cargo.toml",
        "Cargo.lock", ".python-version", ".nvmrc",
    }
)  # fmt: skip
_JS_SPEC = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}/[^'"\n]+)['"]"""
)
_JS_SUFFIXES = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx", ".json")
_JS_INDEX = tuple(f"/index{s}" for s in _JS_SUFFIXES if s)
_PY_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass
class Expected:
    files: set[str] = field(default_factory=set)
    trees: set[str] = field(default_factory=set)  # directories whose contents are expected
    why: dict[str, str] = field(default_factory=dict)

    def covers(self, path: str) -> bool:
        return path in self.files or any(path.startswith(t + "/") for t in self.trees)


def expected_files(ctx: ScanContext, raw: dict[str, Any]) -> Expected:
    """What the manifest ``raw`` accounts for in ``ctx`` (see module docs)."""
    files = set(ctx.files)
    dirs = {posixpath.dirname(f) for f in files} | {""}
    all_dirs = {"/".join(d.split("/")[:i]) for d in dirs for i in range(1, d.count("/") + 2)}
    found = Expected()
    roots: list[str] = []
    paths: list[str] = []  # PYTHONPATH-like directories

    def add(ref: str, reason: str) -> None:
        path = normalize(ref)
        if path in ("", "."):
            return
        if path in files:
            found.files.add(path)
            found.why.setdefault(path, reason)
            roots.append(path)
        elif path in all_dirs:
            found.trees.add(path)
            paths.append(path)

    server = raw.get("server") if isinstance(raw.get("server"), dict) else {}
    entry = server.get("entry_point") if isinstance(server, dict) else None
    if isinstance(entry, str):
        add(entry, "server.entry_point")
        folder = posixpath.dirname(normalize(entry))
        if folder and folder in all_dirs:
            found.trees.add(folder)
    for command, args, env in _command_lines(server):
        for token in [command, *args]:
            for piece in _pieces(token):
                add(piece, "mcp_config")
        for value in env:
            for piece in re.split(r"[:;]", value.replace("${__dirname}", "\x00")):
                add(piece.replace("\x00", "${__dirname}"), "mcp_config.env")
        for module in _modules(args):
            places = ("", *paths, *(posixpath.dirname(r) for r in roots))
            any(_add_module(found, module, base, files, all_dirs, roots) for base in places)
    for key in ("icon",):
        if isinstance(raw.get(key), str):
            add(raw[key], key)
    for key in ("icons", "screenshots"):
        for item in raw.get(key) or []:
            ref = item.get("src") if isinstance(item, dict) else item
            if isinstance(ref, str):
                add(ref, key)
    found.files |= {f for f in files if "/" not in f and f in DEPENDENCY_FILES}
    found.files |= {f for f in files if "/" not in f and re.match(r"requirements.*\.txt$", f)}
    _follow_imports(ctx, found, roots, paths, files, all_dirs)
    return found


def _command_lines(server: Any) -> Iterable[tuple[str, list[str], list[str]]]:
    config = server.get("mcp_config") if isinstance(server, dict) else None
    if not isinstance(config, dict):
        return
    overrides = config.get("platform_overrides")
    for item in [config, *(overrides.values() if isinstance(overrides, dict) else [])]:
        if not isinstance(item, dict):
            continue
        args, env, command = item.get("args"), item.get("env"), item.get("command")
        yield (
            command if isinstance(command, str) else "",
            [a for a in args if isinstance(a, str)] if isinstance(args, list) else [],
            [v for v in env.values() if isinstance(v, str)] if isinstance(env, dict) else [],
        )


def _pieces(token: str) -> list[str]:
    """A token and, for ``--opt=value`` forms, its value."""
    return [token, token.partition("=")[2]] if "=" in token else [token]


def _modules(args: list[str]) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-m"]


def _add_module(
    found: Expected, module: str, base: str, files: set[str], dirs: set[str], roots: list[str]
) -> bool:
    """Mark what ``import module`` loads from ``base``; True when it resolves there."""
    if not _PY_MODULE.match(module):
        return False
    stem = posixpath.join(base, module.replace(".", "/")) if base else module.replace(".", "/")
    top = posixpath.join(base, module.split(".")[0]) if base else module.split(".")[0]
    if is_vendored(top):
        return False  # dependencies are judged by ownership, and not parsed
    hit = False
    if top in dirs:
        found.trees.add(top)  # a package counts whole
        hit = True
    for candidate in (f"{stem}.py", f"{stem}/__main__.py", f"{stem}/__init__.py"):
        if candidate in files:
            found.files.add(candidate)
            roots.append(candidate)
            hit = True
    return hit


def _follow_imports(
    ctx: ScanContext,
    found: Expected,
    roots: list[str],
    paths: list[str],
    files: set[str],
    dirs: set[str],
) -> None:
    todo, seen = list(roots), set[str]()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current.endswith(".py"):
            targets = _python_targets(ctx, current, paths, files, dirs, found)
        elif current.endswith(_JS_SUFFIXES[1:-1]):
            targets = _js_targets(ctx, current, files)
        else:
            continue
        for target in targets:
            found.files.add(target)
            found.why.setdefault(target, f"imported by {current}")
            todo.append(target)


def _python_targets(
    ctx: ScanContext, path: str, paths: list[str], files: set[str], dirs: set[str], found: Expected
) -> list[str]:
    tree = ctx.python_ast(path)
    if tree is None:
        return []
    here = posixpath.dirname(path)
    bases = [here, *(p for p in paths if not is_vendored(p))]
    out: list[str] = []
    for node in ast.walk(tree):
        wanted: list[tuple[str, list[str]]] = []
        if isinstance(node, ast.Import):
            wanted = [(alias.name, bases) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            anchor = here
            for _ in range(node.level - 1):
                anchor = posixpath.dirname(anchor)
            module = node.module or ""
            inner = posixpath.join(anchor, module.replace(".", "/")) if module else anchor
            wanted = [(module, [anchor])] if module else []
            wanted += [(alias.name, [inner]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            wanted = [(node.module, bases)]
            wanted += [(f"{node.module}.{alias.name}", bases) for alias in node.names]
        for module, places in wanted:
            # Like sys.path: the first directory that has the module wins.
            any(_add_module(found, module, base, files, dirs, out) for base in places)
    return out


def _js_targets(ctx: ScanContext, path: str, files: set[str]) -> list[str]:
    text = ctx.read_text(path)
    if text is None:
        return []
    here = posixpath.dirname(path)
    out = []
    for spec in _JS_SPEC.findall(text):
        stem = posixpath.normpath(posixpath.join(here, spec))
        for candidate in (*(stem + s for s in _JS_SUFFIXES), *(stem + s for s in _JS_INDEX)):
            if candidate in files and not is_vendored(candidate):
                out.append(candidate)
                break
    return out
