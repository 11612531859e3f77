"""Which vendored files belong to an installed package (AI-05 phantom detection).

Dependency directories are covered by the SBOM (SC-01), but only as packages:
a file slipped into ``deps/`` or ``node_modules/`` next to real packages is in
no SBOM. Ownership is established from what the package managers record:

* Python: a directory holding ``*.dist-info`` folders is a site directory
  (``deps/`` for MCPB). Every file below it must be listed in some
  distribution's ``RECORD`` (paths relative to the site directory; entries
  such as ``../../bin/tool``, which pip writes for scripts, are mapped to
  ``bin/tool`` under the site directory, where ``pip --target`` puts them)
  or sit inside a ``.dist-info``/``.egg-info`` folder.
* npm: every file below a ``node_modules`` folder must be inside a package
  folder (one with a ``package.json``: ``node_modules/<name>/`` or
  ``node_modules/@scope/<name>/``), or be package-manager state
  (``.package-lock.json``, ``.modules.yaml``, ``.yarn-integrity``, ``.bin/``).
  npm records no per-file list, so a file added inside a real package folder
  cannot be told apart; that limit is stated in the report.
"""

from __future__ import annotations

import csv
import io
import posixpath
from dataclasses import dataclass

from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.memo import memo
from mtf_action.scan.supply.vendored import vendored_packages

_NM = "node_modules/"
_NPM_STATE = (".package-lock.json", ".modules.yaml", ".yarn-integrity", ".yarn-state.yml")
_META_DIRS = (".dist-info", ".egg-info")


@dataclass(frozen=True)
class Ownership:
    owned: frozenset[str]
    site_dirs: tuple[str, ...]  # Python site directories found (ownership enforced below)
    npm_folders: frozenset[str]

    def enforced(self, path: str) -> bool:
        """True when ``path`` lies where every file must belong to a package."""
        return f"/{_NM}" in f"/{path}" or any(path.startswith(d + "/") for d in self.site_dirs)

    def owns(self, path: str) -> bool:
        if path in self.owned:
            return True
        if f"/{_NM}" in f"/{path}":
            return _npm_owned(path, self.npm_folders)
        parent = path.rpartition("/")[0]
        return parent.endswith(_META_DIRS)


def ownership(ctx: ScanContext) -> Ownership:
    return memo(ctx, "supply.owned", lambda: _ownership(ctx))


def _ownership(ctx: ScanContext) -> Ownership:
    packages = vendored_packages(ctx).packages
    owned: set[str] = set()
    sites: set[str] = set()
    for package in packages:
        if package.ecosystem != "pypi":
            continue
        folder = package.folder
        site = folder.rpartition("/")[0]
        if site:  # a dist-info at the bundle root does not make the root a site dir
            sites.add(site)
        record = f"{folder}/RECORD"
        if ctx.has(record):
            owned.update(_record_paths(ctx.read_bytes(record), site))
    folders = frozenset(p.folder for p in packages if p.ecosystem == "npm")
    return Ownership(frozenset(owned), tuple(sorted(sites)), folders)


def _record_paths(data: bytes, site: str) -> set[str]:
    out: set[str] = set()
    text = data.decode("utf-8", errors="replace")
    for row in csv.reader(io.StringIO(text)):
        if not row or not row[0]:
            continue
        entry = posixpath.normpath(row[0].replace("\\", "/"))
        parts = entry.split("/")
        while parts and parts[0] == "..":  # scripts: ../../bin/x -> <site>/bin/x
            parts.pop(0)
        rest = "/".join(parts)
        out.add(f"{site}/{rest}" if site else rest)
    return out


def _npm_owned(path: str, folders: frozenset[str]) -> bool:
    cut = path.rfind(_NM)
    head, tail = path[: cut + len(_NM)], path[cut + len(_NM) :]
    parts = tail.split("/")
    if parts[0] in _NPM_STATE or parts[0] == ".bin":
        return True
    if parts[0].startswith("@"):
        if len(parts) < 3:
            return False
        folder = head + "/".join(parts[:2])
    else:
        if len(parts) < 2:
            return False
        folder = head + parts[0]
    return folder in folders
