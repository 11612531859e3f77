"""Compiled code shipped in the bundle (MTF CD-02 ``native``).

A bundle that carries shared libraries, Python extension modules, Node addons
or executables runs native code, whoever wrote it: vendored dependencies count
(a compiled wheel in ``deps/`` means native code runs in the server process).
Files are recognised by name (``.so``/``.so.N``, ``.pyd``, ``.dylib``, ``.dll``,
``.node``, ``.exe``) and, for the server's own extension-less files and
anything in a ``bin/`` directory of the server's own code, by their
ELF / Mach-O / PE header. Vendored files are judged by name only: sniffing every
extension-less file of a 10,000-file dependency tree would read all of them.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from mtf_action.scan.capabilities.model import REQUIRED, Category, Phase, Use
from mtf_action.scan.context import ScanContext, is_vendored

_BY_NAME = re.compile(r"(?i)\.(?:so(?:\.\d+)*|pyd|dylib|dll|node|exe)$")
_MAGIC = (
    b"\x7fELF",  # Linux and most Unix
    b"MZ",  # Windows PE
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal
)


def _sniffable(path: str) -> bool:
    pure = PurePosixPath(path)
    return not is_vendored(path) and ("." not in pure.name or "bin" in pure.parts[:-1])


def native_files(ctx: ScanContext) -> list[str]:
    """Paths of compiled binaries in the scan target."""
    found: list[str] = []
    for path in ctx.files:
        if _BY_NAME.search(path):
            found.append(path)
        elif _sniffable(path) and ctx.size(path) >= 4:
            head = ctx.read_bytes(path)[:4]
            if head.startswith(_MAGIC):
                found.append(path)
    return found


def native_file_uses(ctx: ScanContext) -> list[Use]:
    return [
        Use(
            Category.NATIVE,
            REQUIRED,
            "compiled binary in the bundle",
            path,
            None,
            Phase.INIT,
            target=path,
        )
        for path in native_files(ctx)
    ]
