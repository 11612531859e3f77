"""Environment variables Python server code reads or writes (MTF CD-02).

``os.getenv(k)``, ``os.environ[k]``, ``os.environ.get(k)``, ``k in os.environ``
read one variable (named when ``k`` can be rendered); ``os.environ[k] = v``,
``os.putenv``, ``.setdefault``, ``.update``, ``dotenv.load_dotenv()`` write.
Copying, iterating or handing on ``os.environ`` (``dict(os.environ)``,
``{**os.environ}``, ``json.dumps(os.environ)``, ``env=os.environ``) reads the
*whole* environment, secrets included, so it counts as a secret read.
A ``pydantic-settings`` class reads one variable per field.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from mtf_action.scan.capabilities import py_tables as t
from mtf_action.scan.capabilities.env_use import WHOLE, environment_use
from mtf_action.scan.capabilities.model import READ, WRITE, Category, Phase, Use
from mtf_action.scan.capabilities.patterns import UNKNOWN
from mtf_action.scan.capabilities.py_render import render
from mtf_action.scan.capabilities.py_unit import PyUnit


def environment_uses(unit: PyUnit, phase: Callable[[ast.AST], Phase]) -> list[Use]:
    found: list[Use] = []

    def add(node: ast.AST, access: str, api: str, key: str | None, evasive: bool = False) -> None:
        found.append(
            environment_use(unit.path, unit.line(node), phase(node), access, api, key, evasive)
        )

    def key_of(node: ast.expr | None) -> str | None:
        return None if node is None else render(unit, node)

    for node in unit.nodes():
        if isinstance(node, ast.Call):
            resolved = unit.names.resolve(node.func)
            name = resolved.name if resolved is not None else ""
            evasive = resolved.evasive if resolved is not None else False
            first = node.args[0] if node.args else None
            if name in t.ENV_READ_CALLS:
                add(node, READ, name, key_of(first), evasive)
            elif name == "dotenv.load_dotenv":
                add(node, WRITE, name, WHOLE, evasive)
                found.append(
                    Use(
                        Category.FILESYSTEM,
                        READ,
                        name,
                        unit.path,
                        unit.line(node),
                        phase(node),
                        False,
                        ".env",
                    )
                )
            elif name in t.ENV_WRITE_CALLS:
                single = name.endswith(("putenv", "unsetenv", "setdefault", "pop"))
                add(node, WRITE, name, key_of(first) if single else WHOLE, evasive)
            elif name in t.ENV_ALL_CALLS:
                add(node, READ, name, WHOLE, evasive)
        elif isinstance(node, ast.Attribute | ast.Name) and not isinstance(node.ctx, ast.Store):
            resolved = unit.names.resolve(node)
            if resolved is not None and resolved.name in t.ENVIRON:
                _reference(unit, node, resolved.evasive, add, key_of)
        elif isinstance(node, ast.ClassDef):
            _settings(unit, node, add)
    return found


def _reference(
    unit: PyUnit,
    node: ast.expr,
    evasive: bool,
    add: Callable[[ast.AST, str, str, str | None, bool], None],
    key_of: Callable[[ast.expr | None], str | None],
) -> None:
    parent = unit.parent(node)
    if isinstance(parent, ast.Attribute):
        return  # os.environ.get(...) and friends: matched as calls
    if isinstance(parent, ast.Subscript) and parent.value is node:
        access = READ if isinstance(parent.ctx, ast.Load) else WRITE
        add(parent, access, "os.environ[...]", key_of(parent.slice), evasive)
    elif (
        isinstance(parent, ast.Compare)
        and any(c is node for c in parent.comparators)
        and isinstance(parent.ops[0], ast.In | ast.NotIn)
    ):
        add(parent, READ, "... in os.environ", key_of(parent.left), evasive)
    else:
        add(node, READ, "os.environ (whole)", WHOLE, evasive)


def _settings(
    unit: PyUnit, node: ast.ClassDef, add: Callable[[ast.AST, str, str, str | None, bool], None]
) -> None:
    bases = [unit.names.resolve(b) for b in node.bases]
    if not any(b is not None and b.name in t.SETTINGS_BASES for b in bases):
        return
    fields = [
        s.target.id
        for s in node.body
        if isinstance(s, ast.AnnAssign)
        and isinstance(s.target, ast.Name)
        and s.target.id != "model_config"
    ]
    prefix = _env_prefix(unit, node)
    for field in fields or [UNKNOWN]:
        add(node, READ, f"pydantic-settings {node.name}", (prefix + field).upper(), False)


def _env_prefix(unit: PyUnit, node: ast.ClassDef) -> str:
    """``model_config = SettingsConfigDict(env_prefix="APP_")`` (or a dict, or ``class Config``)."""
    for stmt in ast.walk(node):
        if isinstance(stmt, ast.keyword) and stmt.arg == "env_prefix":
            return unit.names.fold(stmt.value) or ""
        if isinstance(stmt, ast.Dict):
            for key, value in zip(stmt.keys, stmt.values, strict=True):
                if key is not None and unit.names.fold(key) == "env_prefix":
                    return unit.names.fold(value) or ""
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "env_prefix" for t in stmt.targets
        ):
            return unit.names.fold(stmt.value) or ""
    return ""
