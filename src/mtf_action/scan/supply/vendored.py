"""Third-party packages a target ships: installed distributions found by their metadata.

* Python: every ``*.dist-info/METADATA`` (and legacy ``*.egg-info/PKG-INFO``),
  wherever it sits (``deps/``, ``server/lib/``, ``site-packages/``...), gives
  ``Name`` and ``Version`` (core metadata headers; the body is not parsed).
* npm: every package folder ``node_modules/<name>/package.json`` or
  ``node_modules/@scope/<name>/package.json``, nested ``node_modules`` included;
  other ``package.json`` files inside a package (``dist/esm/package.json``) are
  not packages.

Metadata files are read through the scan context (each once per scan).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.parser import HeaderParser

from mtf_action.errors import InvalidInputError
from mtf_action.lockfiles.model import Ecosystem
from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.memo import memo

_NM = "node_modules/"
_PY_METADATA = (".dist-info/METADATA", ".egg-info/PKG-INFO")


@dataclass(frozen=True)
class VendoredPackage:
    """One installed package: its identity and where its metadata is."""

    ecosystem: Ecosystem
    name: str
    version: str
    metadata: str  # path of METADATA / package.json

    @property
    def folder(self) -> str:
        """The dist-info folder (Python) or the package folder (npm)."""
        return self.metadata.rpartition("/")[0]


@dataclass(frozen=True)
class VendoredSet:
    packages: tuple[VendoredPackage, ...] = ()
    notes: tuple[str, ...] = ()

    def of(self, ecosystem: Ecosystem) -> tuple[VendoredPackage, ...]:
        return tuple(p for p in self.packages if p.ecosystem == ecosystem)


def npm_package_json(path: str) -> bool:
    """True for ``.../node_modules/<name>/package.json`` (a package folder's manifest)."""
    cut = path.rfind(_NM)
    if cut < 0 or (cut > 0 and path[cut - 1] != "/"):
        return False
    parts = path[cut + len(_NM) :].split("/")
    if parts[-1] != "package.json":
        return False
    if len(parts) == 2:
        return not parts[0].startswith((".", "@"))
    return len(parts) == 3 and parts[0].startswith("@") and not parts[1].startswith(".")


def python_metadata(path: str) -> bool:
    return path.endswith(_PY_METADATA)


def vendored_packages(ctx: ScanContext) -> VendoredSet:
    """Every installed package in the target, once per scan."""
    return memo(ctx, "supply.vendored", lambda: _collect(ctx))


def _collect(ctx: ScanContext) -> VendoredSet:
    packages: list[VendoredPackage] = []
    notes: list[str] = []
    for path in ctx.files:
        if python_metadata(path):
            found = _python(ctx, path, notes)
        elif npm_package_json(path):
            found = _npm(ctx, path, notes)
        else:
            continue
        if found is not None:
            packages.append(found)
    return VendoredSet(tuple(packages), tuple(notes))


def _python(ctx: ScanContext, path: str, notes: list[str]) -> VendoredPackage | None:
    raw = ctx.read_bytes(path)
    head = raw.split(b"\n\n", 1)[0].decode("utf-8", errors="replace")
    headers = HeaderParser().parsestr(head)
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        notes.append(f"{path}: no Name/Version header, not counted as a distribution")
        return None
    return VendoredPackage("pypi", str(name).strip(), str(version).strip(), path)


def _npm(ctx: ScanContext, path: str, notes: list[str]) -> VendoredPackage | None:
    try:
        data = ctx.json_document(path)
    except InvalidInputError as exc:
        notes.append(f"{path}: {exc.message}")
        return None
    if not isinstance(data, dict):
        notes.append(f"{path}: not a JSON object")
        return None
    name, version = data.get("name"), data.get("version")
    if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
        notes.append(f"{path}: no name/version, not counted as a package")
        return None
    return VendoredPackage("npm", name, version, path)
