"""Which files the code-quality analyses look at: the server's own code.

MTF CQ-03 excludes dependency directories (``deps/``, ``node_modules/``,
``vendor/``, ``site-packages/``, ``.venv/``: :meth:`ScanContext.server_files`)
and test files, written in the spec as the globs ``*test*`` and ``*spec*``.
Read literally those globs would also skip ``attestation.py``, ``latest.js``,
``inspect_tool.py`` or ``special.ts`` -- a free hiding place for server code --
so they are applied to whole words of the path: a file is a test file when a
directory is named test/tests/__tests__/spec/specs, or the file name (without
extensions) is ``test``/``spec``/``conftest`` or starts or ends with a
``test``/``spec`` word (``test_x.py``, ``x_test.py``, ``x.test.ts``, ``x.spec.js``).
CQ-05 applies the same scope ("server code"), CQ-04 too (handlers in tests are no
server's tools).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from mtf_action.scan.js.parse import SCRIPT_SUFFIXES
from mtf_action.scan.result import ControlOutcome

if TYPE_CHECKING:
    from mtf_action.scan.context import ScanContext

PYTHON_SUFFIXES = (".py", ".pyw")
_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "specs", "__mocks__"})
_TEST_STEM = re.compile(r"(?i)^(?:conftest|(?:test|spec)s?(?:[._-].*)?|.*[._-](?:test|spec)s?)$")


def is_test_file(path: str) -> bool:
    """True for test code under the word-wise reading of CQ-03's ``*test*``/``*spec*``."""
    parts = PurePosixPath(path).parts
    if any(part.lower() in _TEST_DIRS for part in parts[:-1]):
        return True
    name = parts[-1]
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    # "x.test.ts" / "x.spec.js": the word sits between the stem and the extension.
    inner = name.rsplit(".", 1)[0]
    return bool(_TEST_STEM.match(stem) or _TEST_STEM.match(inner))


@dataclass(frozen=True)
class CodeScope:
    """The server source files one analysis covers, and what it left out and why."""

    python: tuple[str, ...]
    scripts: tuple[str, ...]  # JavaScript / TypeScript
    excluded_tests: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.python and not self.scripts

    def details(self) -> dict[str, object]:
        return {
            "python_files": len(self.python),
            "script_files": len(self.scripts),
            "excluded_test_files": list(self.excluded_tests),
        }

    def skipped(self) -> ControlOutcome:
        """The outcome of a code analysis that found no server code to analyse."""
        return ControlOutcome(
            skipped="no Python, JavaScript or TypeScript server code outside dependency "
            "directories and tests",
            details=self.details(),
        )


def server_code(ctx: ScanContext) -> CodeScope:
    """Python and JS/TS files of the server's own code (no vendored deps, no tests)."""
    python: list[str] = []
    scripts: list[str] = []
    tests: list[str] = []
    for path in ctx.server_files(*PYTHON_SUFFIXES, *SCRIPT_SUFFIXES):
        if path.endswith(".d.ts"):
            continue  # type declarations: nothing runs
        if is_test_file(path):
            tests.append(path)
        elif path.endswith(PYTHON_SUFFIXES):
            python.append(path)
        else:
            scripts.append(path)
    return CodeScope(tuple(python), tuple(scripts), tuple(tests))


def size_refused(ctx: ScanContext, path: str) -> bool:
    """True when ``read_text`` withheld the file for its size (the engine reports those)."""
    return any(refused == path for refused, _ in ctx.text_refused)
