"""Spread pure per-file text analyses over the machine's cores, in the background.

CQ-01 and CQ-02 run regex and automaton passes over every text file of a
bundle: CPU-bound Python, which threads would serialise on the GIL. Forked
child processes inherit the compiled rules and the texts themselves (nothing
is imported again, no text is pickled): each works through one index range of
the inputs and sends its small results back through a pipe.

:func:`start_map` returns at once, so the scan engine can start these passes
before the other controls run and collect them when their control is
evaluated: the children use the cores the single-threaded controls leave
idle. Results come back in input order, so a parallel run reports exactly what
a serial run does. Small inputs, platforms without a safe ``fork`` (macOS,
Windows) and processes that already run other threads compute serially, when
the results are first asked for.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this much text a fork and the pickled results cost more than they save.
MIN_PARALLEL_BYTES = 2 * 1024 * 1024
BYTES_PER_WORKER = 16 * 1024 * 1024
MAX_WORKERS = 4


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
        sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
    )


def _chunks(weights: Sequence[int], count: int) -> list[range]:
    """Consecutive index ranges of roughly equal total weight (order kept)."""
    target = max(1, sum(weights) // count)
    bounds = [0]
    load = 0
    for index, weight in enumerate(weights):
        if load >= target and index > bounds[-1]:
            bounds.append(index)
            load = 0
        load += weight
    bounds.append(len(weights))
    return [range(lo, hi) for lo, hi in pairwise(bounds)]


# Work this process will need later anyway (imports of the report renderers):
# run while it would otherwise sit waiting for a child, see Pending.result.
_IDLE_TASKS: list[Callable[[], object]] = []


def when_idle(task: Callable[[], object]) -> None:
    """Run ``task`` the first time this process would wait for a child (maybe never).

    For preparation whose result is fetched again where it is needed (an
    import): a failing task is ignored here and fails there, in its own place.
    """
    _IDLE_TASKS.append(task)


def _use_idle_time(fds: list[int]) -> None:
    if not _IDLE_TASKS or len(select.select(fds, [], [], 0)[0]) == len(fds):
        return  # nothing queued, or every child has already answered
    while _IDLE_TASKS:
        task = _IDLE_TASKS.pop(0)
        with contextlib.suppress(Exception):  # retried, and reported, by its caller later
            task()


def _reap(children: list[tuple[int, int]], owner: int) -> None:
    """Stop and collect children whose results nobody will read (an aborted scan).

    Only in the process that forked them: a forked sibling that drops its
    copy of a :class:`Pending` must not kill the work its parent waits for.
    """
    if os.getpid() != owner:
        return
    for pid, fd in children:
        try:
            os.close(fd)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (OSError, ChildProcessError):
            pass
    children.clear()


class Pending(Generic[R]):
    """``[func(item) for item in items]``, maybe still being computed by children."""

    def __init__(self, func: Callable[[T], R], items: Sequence[T]) -> None:
        self._serial: tuple[Callable[[T], R], Sequence[T]] | None = (func, items)
        self._children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self._results: list[R] | None = None
        self._owner = os.getpid()
        self._finalizer = weakref.finalize(self, _reap, self._children, self._owner)

    def _fork(self, chunks: list[range]) -> None:
        assert self._serial is not None
        func, items = self._serial
        for chunk in chunks:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # child: compute, report, leave without running any cleanup
                try:
                    os.close(read_end)
                    try:
                        payload: tuple[bool, object] = (True, [func(items[i]) for i in chunk])
                    except BaseException as exc:  # noqa: BLE001 - handed to the parent
                        payload = (False, f"{type(exc).__name__}: {exc}")
                    with os.fdopen(write_end, "wb") as pipe:
                        pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                finally:
                    os._exit(0)
            os.close(write_end)
            self._children.append((pid, read_end))
        self._serial = None

    def result(self) -> list[R]:
        """The results in input order (waits for the children, once)."""
        if self._results is not None:
            return self._results
        if self._children and os.getpid() != self._owner:
            raise RuntimeError("only the process that started the work can collect it")
        if self._serial is not None:
            func, items = self._serial
            self._results = [func(item) for item in items]
            self._serial = None
            return self._results
        _use_idle_time([fd for _, fd in self._children])
        results: list[R] = []
        failure: str | None = None
        while self._children:
            pid, fd = self._children.pop(0)
            with os.fdopen(fd, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            ok, payload = pickle.loads(data) if data else (False, "worker process died")
            if not ok:
                failure = failure or str(payload)
            elif failure is None:
                results.extend(payload)  # type: ignore[arg-type]
        if failure is not None:
            raise RuntimeError(f"parallel analysis failed: {failure}")
        self._results = results
        return results


def start_map(
    func: Callable[[T], R],
    items: Sequence[T],
    weight: Callable[[T], int],
    *,
    workers: int | None = None,
) -> Pending[R]:
    """Start ``[func(item) for item in items]`` on other cores when that pays off.

    ``func`` runs in forked children, so it may be any callable (nothing is
    pickled on the way in) but its side effects stay there; its results must
    be picklable. ``items`` must not change until :meth:`Pending.result`.
    """
    pending: Pending[R] = Pending(func, items)
    cores = available_workers() if workers is None else workers
    if cores < 2 or not items or not _can_fork():
        return pending
    weights = [weight(item) for item in items]
    total = sum(weights)
    if total >= MIN_PARALLEL_BYTES:
        # One child per BYTES_PER_WORKER: each child pays its own imports and
        # fork, which a small share of the work does not repay.
        count = max(1, min(cores, total // BYTES_PER_WORKER, len(items)))
        pending._fork(_chunks(weights, count))
    return pending


def start_call(func: Callable[[], R]) -> Pending[R]:
    """Start ``func()`` in one forked child (on :meth:`Pending.result` where that is unsafe).

    For one long step that mostly imports and runs a tool (Bandit): the
    import happens in the child, on a core the caller is not using.
    """
    pending: Pending[R] = Pending(lambda _: func(), [None])
    if _can_fork():
        pending._fork([range(1)])
    return pending
