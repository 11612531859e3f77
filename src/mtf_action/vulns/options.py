"""SC-02 settings (``scan`` flags), and which advisory source a scan uses.

Source choice when ``--vuln-source`` is not given:

* ``--vuln-db PATH`` given (repeatable: OSV publishes one export per
  ecosystem): ``offline``, inside GitHub Actions too: a database passed on
  purpose is what the user wants checked;
* otherwise: ``osv``, the OSV API, both inside GitHub Actions (where it is the
  documented default) and outside. Without network the control reports
  ``error`` and says to pass ``--vuln-db``; it never passes.

``--vuln-source pypi`` asks PyPI's JSON API (through pip-audit) for Python
components and the OSV API for the others. ``--require-online`` refuses an
offline source (usage error) and turns an unreachable source into exit 4.

EPSS and KEV: ``--epss FILE`` / ``--kev FILE`` are used when given; otherwise an
online scan fetches FIRST's EPSS API and CISA's KEV feed, and an offline scan
has neither. A missing feed lowers prioritisation to what is left (CVSS, or
CVSS and the other feed) and is reported as an info finding.

Service endpoints can be pointed at mirrors through the environment:
``MTF_OSV_API_URL``, ``MTF_EPSS_API_URL``, ``MTF_KEV_URL``; the cache
directory through ``MTF_VULN_CACHE_DIR``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mtf_action.errors import UsageError

# Kept free of heavy imports: ScanOptions (and so every scan) imports this module.
DEFAULT_OSV_URL = "https://api.osv.dev"
DEFAULT_EPSS_URL = "https://api.first.org/data/v1/epss"
DEFAULT_KEV_URL = (
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
)
DEFAULT_TTL = 12 * 3600.0  # seconds; advisories are published daily, KEV several times a week

VulnSourceName = Literal["osv", "pypi", "offline"]
SOURCE_NAMES: tuple[VulnSourceName, ...] = ("osv", "pypi", "offline")


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retries of the online services (see :mod:`mtf_action.vulns.http`)."""

    timeout: float = 30.0
    retries: int = 3  # further attempts after the first, for 429/5xx
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = 60.0  # longest single wait honoured (Retry-After included)
    connect_retries: int = 1


@dataclass(frozen=True)
class VulnOptions:
    source: VulnSourceName | None = None  # None: see resolve_source
    db: tuple[Path, ...] = ()  # offline databases (directories or zips), searched together
    epss: Path | None = None
    kev: Path | None = None
    vex: tuple[Path, ...] = ()
    use_cache: bool = True
    cache_dir: Path | None = None  # None: $MTF_VULN_CACHE_DIR, else the user cache dir
    cache_ttl: float = DEFAULT_TTL
    require_online: bool = False
    osv_url: str | None = None  # None: $MTF_OSV_API_URL, else api.osv.dev
    epss_url: str | None = None
    kev_url: str | None = None
    http: HttpSettings = field(default_factory=HttpSettings)


def resolve_source(options: VulnOptions) -> VulnSourceName:
    source: VulnSourceName = options.source or ("offline" if options.db else "osv")
    if source == "offline" and not options.db:
        raise UsageError(
            "--vuln-source offline needs --vuln-db PATH (a directory or zip of OSV records)"
        )
    if source == "offline" and options.require_online:
        raise UsageError("--require-online contradicts an offline vulnerability source")
    return source


@dataclass(frozen=True)
class Endpoints:
    osv: str
    epss: str
    kev: str
    cache_dir: Path


def endpoints(options: VulnOptions, environ: Mapping[str, str] | None = None) -> Endpoints:
    env = os.environ if environ is None else environ
    cache_dir = options.cache_dir
    if cache_dir is None:
        from mtf_action.vulns.cache import default_cache_dir

        cache_dir = (
            Path(env["MTF_VULN_CACHE_DIR"])
            if env.get("MTF_VULN_CACHE_DIR")
            else (default_cache_dir())
        )
    return Endpoints(
        osv=options.osv_url or env.get("MTF_OSV_API_URL") or DEFAULT_OSV_URL,
        epss=options.epss_url or env.get("MTF_EPSS_API_URL") or DEFAULT_EPSS_URL,
        kev=options.kev_url or env.get("MTF_KEV_URL") or DEFAULT_KEV_URL,
        cache_dir=cache_dir,
    )
