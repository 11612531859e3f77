"""A per-scan cache for derived views, without adding attributes to ScanContext.

Entries live as long as their context: the mapping holds it weakly, so a
finished scan releases everything derived from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary

from mtf_action.scan.context import ScanContext

T = TypeVar("T")

_CACHE: WeakKeyDictionary[ScanContext, dict[str, Any]] = WeakKeyDictionary()


def memo(ctx: ScanContext, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per context and key; later calls return the same object."""
    store = _CACHE.setdefault(ctx, {})
    if key not in store:
        store[key] = compute()
    return cast(T, store[key])
