"""kam_core.memo: the last results by key, each built once even when two threads ask at the same time."""

from __future__ import annotations

import threading

import pytest

from kam_core.memo import Memo, clear_all


def test_remembers_the_last_results_and_forgets_the_oldest() -> None:
    m = Memo(size=2)
    builds: list[str] = []

    def build(k: str):
        return lambda: builds.append(k) or k.upper()

    assert [m.get(k, build(k)) for k in ("a", "b", "a", "c", "a", "b")] == ["A", "B", "A", "C", "A", "B"]
    assert builds == ["a", "b", "c", "b"]  # "a" was used again before "c" came, so "b" was the one forgotten
    assert m.peek("a") == "A" and m.peek("c") is None
    clear_all()
    assert len(m) == 0 and m.peek("a") is None


def test_two_threads_asking_for_the_same_key_build_it_once() -> None:
    m = Memo()
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> list[int]:
        calls.append(1)
        started.set()
        release.wait(10)
        return [42]

    got: list[object] = []
    first = threading.Thread(target=lambda: got.append(m.get("k", slow)))
    first.start()
    started.wait(10)
    second = threading.Thread(target=lambda: got.append(m.get("k", lambda: calls.append(2) or [0])))
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert calls == [1]
    assert got == [[42], [42]] and got[0] is got[1]  # the very result the first thread built


def test_a_failed_build_leaves_nothing_and_the_next_caller_builds_again() -> None:
    m = Memo()

    def fail() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        m.get("k", fail)
    assert m.peek("k") is None
    assert m.get("k", lambda: "ok") == "ok"
