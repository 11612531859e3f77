"""How much a Python process spawn can run: ``restricted`` or ``full`` (MTF CD-02).

``restricted``: a fixed program started without a shell (``subprocess.run(["git",
"status"])``), or a Python worker process (``multiprocessing``). ``full``: a shell
(``os.system``, ``shell=True``, ``["bash", "-c", ...]``), a program chosen at run
time (its name is not a constant), or an interpreter fed inline code
(``[sys.executable, "-c", code]``).
"""

from __future__ import annotations

import ast

from mtf_action.scan.capabilities import py_tables as t
from mtf_action.scan.capabilities.model import FULL, RESTRICTED
from mtf_action.scan.capabilities.patterns import UNKNOWN, is_shell, program_name
from mtf_action.scan.capabilities.py_render import render
from mtf_action.scan.capabilities.py_unit import PyUnit


def spawn_use(unit: PyUnit, call: ast.Call, name: str) -> tuple[str, str, str | None]:
    """(access, api, command shown) of a call to one of py_tables' spawning functions."""
    if name in t.PYTHON_SPAWN:
        return RESTRICTED, name, None
    if name in t.SHELL_SPAWN:
        command = render(unit, call.args[0]) if call.args else UNKNOWN
        return FULL, f"{name} (shell)", None if command == UNKNOWN else command
    index = t.ARGV_SPAWN[name]
    if index < 0:
        return RESTRICTED, name, None
    shell = next((k.value for k in call.keywords if k.arg == "shell"), None)
    shell_on = shell is not None and not (
        isinstance(shell, ast.Constant) and shell.value in (False, None, 0)
    )
    argv = _argv(unit, call.args[index] if index < len(call.args) else None)
    program = argv[0] if argv else UNKNOWN
    inline = program_name(program).rstrip("0123456789.") in t.INTERPRETERS and any(
        a in t.INLINE_CODE_FLAGS for a in argv[1:]
    )
    full = shell_on or UNKNOWN in program or is_shell(program) or inline
    api = f"{name} (shell=True)" if shell_on else name
    return (FULL if full else RESTRICTED), api, " ".join(argv) if argv else None


def _argv(unit: PyUnit, node: ast.expr | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, ast.Name) and (value := unit.assigned.get(node.id)) is not None:
        node = value
    if isinstance(node, ast.List | ast.Tuple):
        return [_word(unit, e) for e in node.elts]
    rendered = _word(unit, node)
    return rendered.split() if rendered.strip() else [UNKNOWN]


def _word(unit: PyUnit, node: ast.expr) -> str:
    resolved = unit.names.resolve(node)
    if resolved is not None and resolved.name == "sys.executable":
        return "python"
    return render(unit, node)
