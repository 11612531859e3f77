"""SC-02 prioritisation inputs: CVSS vectors, EPSS files (both FIRST layouts, gzip), KEV catalog."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from vulns_fixtures import EPSS_FULL_GZ, EPSS_SUBSET, KEV_JSON

from mtf_action.errors import InvalidInputError
from mtf_action.vulns.cvss import decide_cvss, score_vector
from mtf_action.vulns.epss import check_epss_file, load_epss_file
from mtf_action.vulns.kev import load_kev_file
from mtf_action.vulns.model import OsvSeverity


def sev(kind: str, vector: str) -> OsvSeverity:
    return OsvSeverity(type=kind, score=vector)


# --- CVSS -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "vector", "score", "version"),
    [
        ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "3.1"),
        ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "3.1"),
        ("CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "3.0"),
        ("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "4.0"),
        ("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "2.0"),
    ],
)
def test_sc02_cvss_base_scores(kind: str, vector: str, score: float, version: str) -> None:
    parsed = score_vector(kind, vector)
    assert parsed is not None and parsed.base_score == score and parsed.version == version


def test_sc02_cvss_highest_current_score_counts_v2_only_as_fallback() -> None:
    verdict = decide_cvss(
        [
            sev("CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C"),  # 10.0, but v2
            sev("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L"),  # 5.0
            sev("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:L"),
            sev("Ubuntu", "high"),  # not CVSS: ignored
        ]
    )
    assert verdict.score is not None and verdict.score.version == "3.1"
    assert verdict.score.base_score == 5.0 and len(verdict.all_scores) == 3
    only_v2 = decide_cvss([sev("CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C")])
    assert only_v2.score is not None and only_v2.score.base_score == 10.0


def test_sc02_unreadable_vectors_are_reported() -> None:
    verdict = decide_cvss([sev("CVSS_V3", "CVSS:3.1/AV:X/garbage")])
    assert verdict.score is None and verdict.unreadable == ("CVSS_V3 CVSS:3.1/AV:X/garbage",)
    assert decide_cvss([]).score is None


# --- EPSS -------------------------------------------------------------------------------


def first_daily(tmp_path: Path, *, compress: bool) -> Path:
    """FIRST's daily layout: the #model_version comment line, then cve,epss,percentile.

    The rows are the real scores of the shared subset; only the comment line is added
    (values for it follow FIRST's published format, the date is the crawl's)."""
    body = EPSS_SUBSET.read_text(encoding="utf-8")
    text = "#model_version:v2025.03.14,score_date:2026-08-15T12:55:00Z\n" + body
    path = tmp_path / ("epss_scores-2026-08-15.csv" + (".gz" if compress else ""))
    path.write_bytes(gzip.compress(text.encode()) if compress else text.encode())
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_sc02_epss_first_daily_file_with_model_version(tmp_path: Path, compress: bool) -> None:
    data = load_epss_file(first_daily(tmp_path, compress=compress))
    assert data.model_version == "v2025.03.14" and data.score_date == "2026-08-15T12:55:00Z"
    score = data.get("cve-2018-18074")
    assert score is not None and score.probability == pytest.approx(0.07443)
    assert score.percentile == pytest.approx(0.93918) and len(data.scores) == 1551


def test_sc02_epss_shared_crawl_without_comment_line() -> None:
    data = load_epss_file(
        EPSS_FULL_GZ, wanted={"CVE-2024-23334", "CVE-2021-21315", "CVE-1999-9999"}
    )
    assert data.model_version is None
    assert set(data.scores) == {"CVE-2024-23334", "CVE-2021-21315"}
    score = data.get("CVE-2024-23334")
    assert score is not None and score.probability > 0.10


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cve;epss;percentile\n", "expected the header"),
        ("", "expected the header"),
        ("cve,epss,percentile\nCVE-2020-1,abc,0.5\n", "line 2"),
        ("cve,epss,percentile\nCVE-2020-1,1.5,0.5\n", "outside 0..1"),
    ],
)
def test_sc02_epss_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "epss.csv"
    path.write_text(content)
    with pytest.raises(InvalidInputError, match=message):
        load_epss_file(path)


def test_sc02_epss_header_check_is_cheap_and_strict(tmp_path: Path) -> None:
    check_epss_file(EPSS_FULL_GZ)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InvalidInputError, match="not an EPSS CSV"):
        check_epss_file(tmp_path / "x.csv")
    (tmp_path / "broken.gz").write_bytes(b"\x1f\x8b not gzip")
    with pytest.raises(InvalidInputError, match="gzip"):
        check_epss_file(tmp_path / "broken.gz")


# --- KEV --------------------------------------------------------------------------------


def test_sc02_kev_real_catalog() -> None:
    kev = load_kev_file(KEV_JSON)
    assert kev.catalog_version == "2025.08.25" and len(kev.entries) == 1404
    entry = kev.get("cve-2021-21315")
    assert entry is not None and entry.product.startswith("System Information Library")
    assert kev.get("CVE-2018-18074") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [("{", "not JSON"), ('{"vulnerabilities": []}', "not a CISA KEV catalog"), ("[]", "KEV")],
)
def test_sc02_kev_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "kev.json"
    path.write_text(content)
    with pytest.raises(InvalidInputError, match=message):
        load_kev_file(path)
