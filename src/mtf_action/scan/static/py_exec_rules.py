"""MTF CQ-05 "Blocked Patterns - Python", matched on the AST through aliases.

| Pattern                                   | Severity | Bandit equivalent |
| ----------------------------------------- | -------- | ----------------- |
| ``subprocess.*(shell=True)``              | HIGH     | B602 / B604       |
| ``os.system()`` / ``os.popen()``          | HIGH     | B605              |
| ``eval()`` / ``exec()`` with external input | CRITICAL | B307 / B102     |
| ``pickle.load()`` / ``pickle.loads()``    | HIGH     | B301              |
| ``yaml.load()`` without a safe Loader     | HIGH     | B506              |

Beyond the literal table, functions that always run a shell
(``subprocess.getoutput``, ``asyncio.create_subprocess_shell``) count as
``shell=True``; a ``shell=`` value that is not a constant cannot be shown to be
False and counts too; the pickle family covers ``cPickle``/``_pickle``/``dill``/
``cloudpickle`` and ``Unpickler``; ``yaml.unsafe_load``/``full_load`` are unsafe
loads. "External input" for ``eval``/``exec`` means any argument that is not a
constant: data flow into it cannot be ruled out statically.

Module or function names computed at run time (``__import__(name)``,
``importlib.import_module(name)``, ``getattr(os, name)``) hide which function
runs; they are reported as MEDIUM (WARN) ``dynamic-lookup``.
"""

from __future__ import annotations

import ast

from mtf_action.scan.result import Severity
from mtf_action.scan.static.hits import Hit
from mtf_action.scan.static.py_names import PyNames, partial_target

CQ05_LEVEL = 3
_SHELL_KWARG = frozenset(
    f"subprocess.{f}" for f in ("call", "run", "Popen", "check_call", "check_output")
)
_ALWAYS_SHELL = {
    "os.system": "os-system",
    "posix.system": "os-system",
    "os.popen": "os-popen",
    "posix.popen": "os-popen",
    "subprocess.getoutput": "shell-function",
    "subprocess.getstatusoutput": "shell-function",
    "asyncio.create_subprocess_shell": "shell-function",
}
_PICKLE = frozenset(
    f"{module}.{function}"
    for module in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
    for function in ("load", "loads", "Unpickler")
)
_YAML_LOAD = frozenset({"yaml.load", "yaml.load_all"})
_YAML_UNSAFE = frozenset({"yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load"})
_SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})

# getattr(<one of these>, computed) can reach a blocked function unseen.
_SENSITIVE_MODULES = frozenset(
    {"os", "posix", "subprocess", "builtins", "pickle", "yaml", "importlib", "asyncio"}
)
_FIX_SHELL = "Pass an argument list without a shell: subprocess.run(['cmd', arg], shell=False)."


def _shell_value(call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "shell":
            return kw.value
    return None


def _runs_shell(value: ast.expr | None) -> bool:
    if value is None:
        return False
    if isinstance(value, ast.Constant):
        return bool(value.value)
    return True  # not provably False


def _safe_loader(names: PyNames, call: ast.Call) -> bool:
    loader: ast.expr | None = call.args[1] if len(call.args) > 1 else None
    for kw in call.keywords:
        if kw.arg == "Loader":
            loader = kw.value
    if loader is None:
        return False
    name = names.qualname(loader) or ""
    return name.rsplit(".", 1)[-1] in _SAFE_LOADERS


def execution_hits(path: str, tree: ast.Module, names: PyNames) -> list[Hit]:
    """Every blocked pattern of the Python table in one module."""
    hits: list[Hit] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = partial_target(names, node)
        call = node
        if target is not None:  # functools.partial(os.system, ...): its keywords are the call's
            call = ast.Call(func=node.args[0], args=node.args[1:], keywords=node.keywords)
        name = target or names.qualname(node.func)
        if name is None:
            continue
        hit = _match(name, call, names)
        if hit is None:
            continue
        rule, severity, title, why, fix, aliases = hit
        hits.append(
            Hit(
                rule,
                severity,
                title,
                why[:1].upper() + why[1:],  # no source text: it may hold a secret (CQ-01)
                path,
                node.lineno,
                node.end_lineno or node.lineno,
                CQ05_LEVEL if severity.rank >= Severity.HIGH.rank else None,
                fix,
                aliases,
            )
        )
    return hits


_Match = tuple[str, Severity, str, str, str, tuple[str, ...]]


def _match(name: str, call: ast.Call, names: PyNames) -> _Match | None:
    high, critical = Severity.HIGH, Severity.CRITICAL
    if name in _SHELL_KWARG and _runs_shell(_shell_value(call)):
        return (
            "subprocess-shell",
            high,
            f"{name}() with shell=True",
            "the command is interpreted by a shell, so input in it can inject commands (CWE-78).",
            _FIX_SHELL,
            ("B602", "B604"),
        )
    if name in _ALWAYS_SHELL:
        return (
            _ALWAYS_SHELL[name],
            high,
            f"{name}() runs a shell",
            "the command string always goes through a shell (CWE-78).",
            _FIX_SHELL,
            ("B605", "B609"),
        )
    if name in ("eval", "exec") and call.args and not names.is_constant(call.args[0]):
        return (
            f"{name}-external",
            critical,
            f"{name}() of a non-constant expression",
            "code built at run time is executed; anything reaching it runs as the server (CWE-95).",
            "Parse data with json.loads()/ast.literal_eval() or dispatch through a table.",
            ("B307",) if name == "eval" else ("B102",),
        )
    if name in _PICKLE:
        return (
            "pickle-load",
            high,
            f"{name}() deserialises pickle data",
            "unpickling runs code chosen by whoever wrote the data (CWE-502).",
            "Exchange data as JSON (json.loads) or another data-only format.",
            ("B301", "B403"),
        )
    if name in _YAML_UNSAFE or (name in _YAML_LOAD and not _safe_loader(names, call)):
        return (
            "yaml-unsafe-load",
            high,
            f"{name}() without Loader=SafeLoader",
            "a non-safe YAML loader can construct arbitrary Python objects (CWE-502).",
            "Use yaml.safe_load() or pass Loader=yaml.SafeLoader.",
            ("B506",),
        )
    return _dynamic(name, call, names)


def _dynamic(name: str, call: ast.Call, names: PyNames) -> _Match | None:
    """Computed module or attribute names: the usual way to hide the calls above (WARN)."""
    args = call.args
    if name in ("__import__", "importlib.import_module") and args:
        computed = not names.is_constant(args[0])
    elif name == "getattr" and len(args) >= 2:
        holder = names.qualname(args[0]) or ""
        computed = holder in _SENSITIVE_MODULES and not names.is_constant(args[1])
    else:
        return None
    if not computed:
        return None
    return (
        "dynamic-lookup",
        Severity.MEDIUM,
        f"{name}() with a computed name",
        (
            "which module or function runs is decided at run time, so it cannot be "
            "checked against the patterns above; a common way to hide them."
        ),
        "Import the module and call the function by its name.",
        (),
    )
