"""SC-02 settings checked the same way by every entry point that scans.

``scan``, ``attest``, ``verify --rescan`` and the action all hand a
:class:`~mtf_action.vulns.options.VulnOptions` to the scan; these checks make
a mistake in it fail the same way everywhere:

* before anything is built or scanned (:func:`check_vuln_options`): a missing
  or unusable ``--vuln-db``, ``--epss``, ``--kev`` or ``--vex`` file is invalid
  input (exit 3), contradictory options are a usage error (exit 2), so a typo
  fails in a second rather than after a build;
* after the scan (:func:`require_reachable`): with ``require_online``, an
  unreachable or rate-limited source is an environment error (exit 4).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mtf_action.errors import InvalidInputError, RemoteServiceError
from mtf_action.vulns.options import VulnOptions, resolve_source

if TYPE_CHECKING:
    from mtf_action.scan.engine import ScanResult

SC02 = "SC-02"


def _require_exists(path: Path | None, what: str) -> None:
    if path is not None and not path.exists():
        raise InvalidInputError(f"no such {what}", path=path)


def check_vuln_options(options: VulnOptions) -> None:
    """Refuse unusable files and contradictions (module docstring)."""
    # The readers load only for a file that was given: their HTTP clients
    # (requests) are not needed before a scan that uses the defaults.
    for db in options.db:
        _require_exists(db, "OSV database (directory or zip)")
    _require_exists(options.epss, "EPSS file")
    _require_exists(options.kev, "KEV catalog")
    resolve_source(options)  # contradictions are usage errors (exit 2)
    if options.epss is not None:
        from mtf_action.vulns.epss import check_epss_file

        check_epss_file(options.epss)
    if options.kev is not None:
        from mtf_action.vulns.kev import load_kev_file

        load_kev_file(options.kev)
    if not options.vex:
        return
    from mtf_action.vulns.vex import VexProblem, load_vex_file

    for vex in options.vex:
        loaded = load_vex_file(vex)
        if isinstance(loaded, VexProblem):
            raise InvalidInputError(loaded.reason, path=vex)


def require_reachable(result: ScanResult, options: VulnOptions) -> None:
    """``require_online``: SC-02 that could not reach its source raises (exit 4)."""
    if not options.require_online:
        return
    for item in result.controls:
        outcome = item.outcome
        if item.spec.id == SC02 and outcome is not None and outcome.details.get("unreachable"):
            raise RemoteServiceError(outcome.error or "vulnerability source unreachable")
