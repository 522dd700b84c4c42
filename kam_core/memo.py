"""Results remembered in this process, per database and data version: one home for kam_core's memos.

The tier classification, the scores, a tier view of 100 000 accounts take a second or more to
compute and are asked for several times by one page view. A :class:`Memo` keeps the last few
results by key; callers start the key with :func:`data_key` (the database and its data version),
so a write that changes what the analyses read makes them stale at once.

Two threads that ask for the same missing key compute it once: the second waits for the first
(two sessions opening a page after an upload do not classify 100 000 accounts twice on the same
two cores). A build that raises leaves nothing behind; the next caller builds again. Results are
shared: callers must not modify them (or hand out copies).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_ALL: list[Memo] = []


def data_key(db: Any, version: int | None = None) -> tuple:
    """(database identity, path, data version — ``version`` when the caller read it in its snapshot)."""
    return (id(db), str(db.path), db.data_version() if version is None else version)


class Memo:
    """The last ``size`` results by key, thread-safe, each built once.

    ``persist``: a name under which results are also kept in the database file (:mod:`kam_core.derived`),
    for the calls that pass ``db``; their key must start with :func:`data_key`."""

    def __init__(self, size: int = 8, persist: str | None = None) -> None:
        self.size = size
        self.persist = persist
        self._hits: OrderedDict[Hashable, Any] = OrderedDict()
        self._building: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def get(self, key: Hashable, build: Callable[[], Any], db: Any = None) -> Any:
        """The result for ``key``: remembered, or ``build()`` (once, whoever else asks meanwhile); with ``db``
        (and ``persist``) read from the database file first, and kept there once built."""
        while True:
            with self._lock:
                if key in self._hits:
                    self._hits.move_to_end(key)
                    return self._hits[key]
                waiting = self._building.get(key)
                if waiting is None:
                    done = self._building[key] = threading.Event()
                    break
            waiting.wait()  # another thread builds it: take its result (or build, if it failed)
        try:
            hit = build() if self.persist is None or db is None else self._stored(db, key, build)  # type: ignore[arg-type]
            with self._lock:
                self._hits[key] = hit
                while len(self._hits) > self.size:
                    self._hits.popitem(last=False)
            return hit
        finally:
            with self._lock:
                del self._building[key]
            done.set()

    def _stored(self, db: Any, key: tuple, build: Callable[[], Any]) -> Any:
        from kam_core import derived

        name, version, tail = str(self.persist), int(key[2]), derived.key_text(key[3:])
        hit = derived.load(db, name, tail, version)
        if hit is None:
            hit = build()
            derived.save(db, name, tail, version, hit)
        return hit

    def peek(self, key: Hashable) -> Any | None:
        """The remembered result for ``key``, or None (nothing is built)."""
        with self._lock:
            return self._hits.get(key)

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._hits)


def clear_all() -> None:
    """Forget every memo of this process (benchmarks time the full cost with this)."""
    for m in _ALL:
        m.clear()
