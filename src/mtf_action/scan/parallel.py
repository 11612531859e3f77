"""Spread pure per-file text analyses over the machine's cores.

CQ-01 and CQ-02 run regex and automaton passes over every text file of a
bundle: CPU-bound Python, which threads would serialise on the GIL. Forked
worker processes inherit the compiled rules (nothing is imported again), take
their share of the texts through a pipe and send back small results. Results
come back in input order, so a parallel run reports exactly what a serial run
does; small inputs, platforms without a safe ``fork`` (macOS, Windows) and
processes that already run other threads stay serial.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this much text the fork and the pickling cost more than they save.
MIN_PARALLEL_BYTES = 2 * 1024 * 1024
MAX_WORKERS = 4
CHUNKS_PER_WORKER = 4


def available_workers() -> int:
    """Cores this process may use (affinity-aware), capped at :data:`MAX_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _can_fork() -> bool:
    # fork() with live threads can deadlock the child on a lock a thread held
    # (CPython warns from 3.12); macOS system libraries are not fork-safe.
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _chunks(items: Sequence[T], weights: Sequence[int], count: int) -> list[list[T]]:
    """Consecutive runs of ``items`` of roughly equal total weight (order kept)."""
    target = max(1, sum(weights) // count)
    chunks: list[list[T]] = [[]]
    load = 0
    for item, weight in zip(items, weights, strict=True):
        if load >= target and chunks[-1]:
            chunks.append([])
            load = 0
        chunks[-1].append(item)
        load += weight
    return chunks


def _run_chunk(func: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [func(item) for item in chunk]


def ordered_map(
    func: Callable[[T], R],
    items: Sequence[T],
    weight: Callable[[T], int],
    *,
    workers: int | None = None,
) -> list[R]:
    """``[func(item) for item in items]``, on several cores when that pays off.

    ``func`` must be a module-level function without side effects on this
    process (it runs in a child); its results must be picklable.
    """
    count = available_workers() if workers is None else workers
    weights = [weight(item) for item in items]
    if count < 2 or len(items) < 2 * count or sum(weights) < MIN_PARALLEL_BYTES or not _can_fork():
        return [func(item) for item in items]
    chunks = _chunks(items, weights, count * CHUNKS_PER_WORKER)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        parts = pool.map(_run_chunk, [func] * len(chunks), chunks)
        return [result for part in parts for result in part]
