"""The CISA Known Exploited Vulnerabilities catalog (JSON), from a file or CISA's feed.

The catalog (``known_exploited_vulnerabilities.json``, schema in CISA's
kev-data repository) is one object with ``catalogVersion``, ``dateReleased``,
``count`` and ``vulnerabilities[]`` whose ``cveID`` is what SC-02 needs; the
vendor, product and ransomware fields are kept for the report. Online, the
whole catalog (about 1.3 MB) is downloaded once and cached.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mtf_action.errors import InvalidInputError
from mtf_action.vulns.cache import VulnCache
from mtf_action.vulns.http import JsonHttp, SourceUnavailable
from mtf_action.vulns.options import DEFAULT_KEV_URL


class KevEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    cve_id: str = Field(alias="cveID")
    vendor_project: str = Field("", alias="vendorProject")
    product: str = ""
    date_added: str = Field("", alias="dateAdded")
    ransomware: str = Field("", alias="knownRansomwareCampaignUse")


class KevDocument(BaseModel):
    model_config = ConfigDict(extra="ignore")

    catalog_version: str = Field(alias="catalogVersion")
    date_released: str = Field("", alias="dateReleased")
    count: int | None = None
    vulnerabilities: list[KevEntry] = Field(default_factory=list)


@dataclass
class KevData:
    entries: dict[str, KevEntry] = field(default_factory=dict)
    origin: str = ""
    catalog_version: str = ""
    released: str = ""

    def get(self, cve: str) -> KevEntry | None:
        return self.entries.get(cve.upper())


def kev_from_json(data: Any, origin: str) -> KevData:
    document = KevDocument.model_validate(data)
    return KevData(
        entries={e.cve_id.upper(): e for e in document.vulnerabilities},
        origin=origin,
        catalog_version=document.catalog_version,
        released=document.date_released,
    )


def load_kev_file(path: Path) -> KevData:
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise InvalidInputError(f"cannot read KEV catalog: {exc.strerror}", path=path) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"KEV catalog is not JSON: {exc}", path=path) from None
    try:
        return kev_from_json(data, str(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        raise InvalidInputError(
            f"not a CISA KEV catalog (known_exploited_vulnerabilities.json): /{where}: "
            f"{first['msg']}",
            path=path,
        ) from None


def fetch_kev(
    http: JsonHttp, url: str = DEFAULT_KEV_URL, cache: VulnCache | None = None
) -> KevData:
    data = cache.get("kev", url) if cache else None
    if data is None:
        data = http.get_json(url)
        try:
            loaded = kev_from_json(data, url)
        except ValidationError as exc:
            raise SourceUnavailable(
                f"CISA KEV feed is not a KEV catalog: {exc.errors()[0]['msg']}", path=url
            ) from None
        if cache is not None:
            cache.put("kev", url, data)
        return loaded
    return kev_from_json(data, url)
