"""The SC-02 SQLite cache: TTL, namespaces, and never failing a scan."""

from __future__ import annotations

from pathlib import Path

from mtf_action.vulns.cache import FILE_NAME, VulnCache
from mtf_action.vulns.options import VulnOptions, endpoints


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_sc02_cache_round_trip_and_ttl(tmp_path: Path) -> None:
    clock = Clock()
    cache = VulnCache(tmp_path, ttl=3600, clock=clock)
    cache.put_many("osv-api X", {"pkg:pypi/a@1": [{"id": "A"}], "pkg:pypi/b@1": []})
    assert cache.get_many("osv-api X", ["pkg:pypi/a@1", "pkg:pypi/b@1", "pkg:pypi/c@1"]) == {
        "pkg:pypi/a@1": [{"id": "A"}],
        "pkg:pypi/b@1": [],  # "checked, nothing known" is cached too
    }
    assert cache.get("osv-api Y", "pkg:pypi/a@1") is None  # another source, another namespace
    clock.now += 3601
    assert cache.get_many("osv-api X", ["pkg:pypi/a@1"]) == {}  # expired
    cache.close()
    reopened = VulnCache(tmp_path, ttl=10_000, clock=clock)
    assert reopened.get("osv-api X", "pkg:pypi/a@1") == [{"id": "A"}]  # persisted on disk


def test_sc02_many_keys_in_chunks(tmp_path: Path) -> None:
    cache = VulnCache(tmp_path)
    items = {f"pkg:npm/p{i}@1.0.0": [] for i in range(1200)}
    cache.put_many("ns", items)
    assert len(cache.get_many("ns", list(items))) == 1200


def test_sc02_unusable_cache_is_reported_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    cache = VulnCache(blocker / "sub")
    assert not cache.usable and cache.problem is not None
    assert cache.get_many("ns", ["k"]) == {}
    cache.put("ns", "k", 1)  # silently nothing


def test_sc02_corrupt_cache_file_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database" * 100)
    cache = VulnCache(tmp_path)
    assert not cache.usable and "not used" in (cache.problem or "")
    assert cache.get_many("ns", ["k"]) == {}


def test_sc02_cache_location(tmp_path: Path) -> None:
    assert endpoints(VulnOptions(), {"MTF_VULN_CACHE_DIR": str(tmp_path)}).cache_dir == tmp_path
    assert endpoints(VulnOptions(cache_dir=tmp_path / "x"), {}).cache_dir == tmp_path / "x"
    default = endpoints(VulnOptions(), {}).cache_dir
    assert default.name == "mtf-attest"  # platformdirs' user cache dir (XDG_CACHE_HOME on Linux)
