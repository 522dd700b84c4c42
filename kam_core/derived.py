"""Results derived from the data, kept in the database file and brought up to date by the writers.

The tier classification, the scores of 100 000 accounts and the early-warning revenue rules take
seconds to compute at 10 M sales lines. In-process memos (:mod:`kam_core.memo`) keep them for one
process; this module keeps them in the database file, so a fresh process (an app restarted, a
second server, a page whose caches were cleared) reads them instead of computing them again, and
:func:`warm` computes them right after a write, before anyone opens a page:

- the command line warms when a command that changed data closes its database (the command
  returns once the dashboards are ready: a monthly ERP import is followed by fast pages);
- the app warms in a background thread after each data write (an upload, a rollback, a tier
  override, a setting, a command handed over by the CLI), so the next page view finds the results
  (a view that comes first waits for the same computation: the memos are single-flight).

A result is stored under (name, key) with the data version it was computed for and a fingerprint
of the code (every source file of ``kam_core``, the catalog of texts, the library versions):
another version, or an upgraded app, never reads it. Only the last few keys of a name for the
current data version are kept.

The payload is a pickle of what this app's own code computed from the file's data. It is read
only by this app, only from the file it was written to, and only when the fingerprint matches.
The schema ``derived_cache`` is never copied by a backup nor restored (kam_core.backup copies the
schema ``main``), never exported and never written from user input, so nothing from outside the
app can put a payload there; whoever can write the database file itself can already change every
figure the app shows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import threading
import time
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import duckdb

SCHEMA = "derived_cache"
KEEP = 8  # keys kept per name (filter selections, models) for the current data version
MAX_BYTES = 256 * 1024 * 1024  # a result bigger than this is not stored (computed again instead)
# One row per result in ``results``; its payload in a table of its own (``p<made>``, one row): DuckDB reads a
# BLOB column's every value to find one row (60 ms for five results of 5 – 25 MB), a one-row table at once.
_DDL = [
    "CREATE SCHEMA IF NOT EXISTS derived_cache",
    """CREATE TABLE IF NOT EXISTS derived_cache.results (
        name VARCHAR NOT NULL, key VARCHAR NOT NULL, data_version BIGINT NOT NULL, fingerprint VARCHAR NOT NULL,
        made BIGINT NOT NULL UNIQUE, PRIMARY KEY (name, key))""",
]

_COLUMNS = ["name", "key", "data_version", "fingerprint", "made"]


def _table(made: int) -> str:
    """The payload table of the result made at ``made`` (a name of digits: ours, never from input)."""
    return f"derived_cache.p{int(made)}"


_LOG = logging.getLogger(__name__)
_FINGERPRINT: list[str] = []


def fingerprint() -> str:
    """What a stored result depends on besides the data: this app's code and texts, and the libraries its
    objects come from."""
    if not _FINGERPRINT:
        import numpy
        import pandas
        import pyarrow

        h = hashlib.sha256(f"python {sys.version_info[:2]} pandas {pandas.__version__} numpy {numpy.__version__} "
                           f"pyarrow {pyarrow.__version__} duckdb {duckdb.__version__}".encode())  # fmt: skip
        root = Path(__file__).resolve().parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json", ".toml") and path.is_file():
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
        _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


def key_text(key: Hashable) -> str:
    """The stored form of a memo key's tail (filters, models, names: dataclasses and tuples of plain values)."""
    return hashlib.sha256(repr(key).encode()).hexdigest()


def load(db: Any, name: str, key: str, version: int) -> Any | None:
    """The result stored under (``name``, ``key``) for data version ``version``, or None."""
    try:
        with db.atomic() as cur:  # (one snapshot: the row and its payload table)
            made = cur.execute(
                "SELECT made FROM derived_cache.results WHERE name = ? AND key = ? AND data_version = ? "
                "AND fingerprint = ?",
                [name, key, version, fingerprint()],
            ).fetchall()
            if not made:
                return None
            payload = cur.execute(f"SELECT payload FROM {_table(made[0][0])}").fetchall()[0][0]  # noqa: S608
    except duckdb.Error:  # never stored in this file
        return None
    try:
        return pickle.loads(payload)  # written by this app's code into its own file (see above)
    except Exception:  # a payload an older library cannot read: computed again
        return None


def save(db: Any, name: str, key: str, version: int, value: Any) -> bool:
    """Keep ``value`` (computed from data version ``version``); False when it is not kept."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if len(payload) > MAX_BYTES:
        return False
    made = time.time_ns()  # (which of a name's keys are the newest; the payload table's name)
    try:
        with db.atomic(write=True) as cur:  # derived data: not audited, the data version stays
            now = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0]
            if int(now) != version:  # written meanwhile: this result is already out of date
                return False
            columns = [r[0] for r in cur.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'derived_cache' "
                "AND table_name = 'results' ORDER BY column_index").fetchall()]  # fmt: skip
            if columns and columns != _COLUMNS:  # kept by an app whose layout differs: made anew
                cur.execute("DROP SCHEMA derived_cache CASCADE")
            for stmt in _DDL:
                cur.execute(stmt)
            fp = fingerprint()
            newest = cur.execute(
                "SELECT made FROM derived_cache.results WHERE name = ? AND data_version = ? AND fingerprint = ? "
                "AND key <> ? ORDER BY made DESC LIMIT ?",
                [name, version, fp, key, KEEP - 1],
            ).fetchall()
            keep = [r[0] for r in newest]
            gone = cur.execute(
                "SELECT made FROM derived_cache.results WHERE data_version <> ? OR fingerprint <> ? "
                "OR (name = ? AND made NOT IN (SELECT unnest(?::BIGINT[])))",
                [version, fp, name, keep],
            ).fetchall()
            for (old,) in gone:
                cur.execute(f"DROP TABLE IF EXISTS {_table(old)}")
            cur.execute("DELETE FROM derived_cache.results WHERE made IN (SELECT unnest(?::BIGINT[]))",
                        [[r[0] for r in gone]])  # fmt: skip
            cur.execute(f"CREATE TABLE {_table(made)} (payload BLOB NOT NULL)")
            cur.execute(f"INSERT INTO {_table(made)} VALUES (?)", [payload])  # noqa: S608
            cur.execute("INSERT INTO derived_cache.results VALUES (?, ?, ?, ?, ?)", [name, key, version, fp, made])
    except duckdb.Error:  # a read-only file, a full disk: computed again next time
        return False
    return True


def forget(db: Any, name: str) -> None:
    """Forget every stored result of ``name`` (a benchmark times that one computation in full)."""
    try:
        with db.atomic(write=True) as cur:
            made = cur.execute("SELECT made FROM derived_cache.results WHERE name = ?", [name]).fetchall()
            for (m,) in made:
                cur.execute(f"DROP TABLE IF EXISTS {_table(m)}")
            cur.execute("DELETE FROM derived_cache.results WHERE name = ?", [name])
    except duckdb.CatalogException:  # nothing was ever stored in this file
        return


def drop(db: Any) -> None:
    """Forget every stored result (benchmarks time the full computation with this)."""
    with db.atomic(write=True) as cur:
        cur.execute("DROP SCHEMA IF EXISTS derived_cache CASCADE")


# -- bringing them up to date -------------------------------------------------------------------------
def enabled() -> bool:
    """Whether writers warm the derived results ($KAM_WARM, default on; the test suite turns it off and its
    own tests of warming turn it on)."""
    return os.environ.get("KAM_WARM", "1") != "0"


def warm(db: Any) -> list[str]:
    """Compute (and keep) what the pages read first, for the current data: the tier classification, the key
    accounts and scores under the active model, the early warnings' revenue rules, the account list and
    each account's KAM, the change breakdown and the tier page's sums for the period a session opens
    with.
    Returns their names."""
    from kam_core.analytics import explain, scoring, tiers
    from kam_core.analytics import warnings as wr
    from kam_core.analytics.overview import filter_options
    from kam_core.analytics.portfolio import account_kams
    from kam_core.filters import Filters, default_period

    done = []
    tiers.account_tiers(db)
    done.append("tiers")
    scoring.key_accounts(db)  # (and the scores behind them: the default window, as the pages' default filters)
    scoring.score_sensitivity(db, None, scoring.active_model(db))  # (the scoring page's first view)
    done.append("scores")
    wr.revenue_frame(db)
    done.append("warnings")
    explain.accounts(db)
    account_kams(db)
    done.append("accounts")
    opts = filter_options(db)
    if opts.first is not None:  # the change breakdown a session opens with: its first period, by account
        start, end = default_period(opts.first, opts.last)  # type: ignore[arg-type]
        explain.view(db, Filters(start=start, end=end))
        tiers.warm_views(db, Filters(start=start, end=end))  # (the tier page's sums and the map's store counts)
        done.append("first views")
    return done


class Warmer:
    """Runs :func:`warm` in a background thread after writes: one run at a time per database; writes made
    while it runs start one more run when it ends (so it always ends on the latest data)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[int, bool] = {}  # id(db) → another run asked for
        self.runs = 0  # (finished runs: for tests and the benchmark)
        self.idle = threading.Event()
        self.idle.set()

    def soon(self, db: Any) -> None:
        with self._lock:
            if id(db) in self._running:
                self._running[id(db)] = True
                return
            self._running[id(db)] = False
            self.idle.clear()
        threading.Thread(target=self._loop, args=(db,), name="kam-warm", daemon=True).start()

    def _loop(self, db: Any) -> None:
        while True:
            try:
                warm(db)
            except Exception:  # a failed warm-up costs only speed: the next reader computes
                _LOG.exception("warming the derived results failed")
            with self._lock:
                self.runs += 1
                if not self._running.get(id(db)):
                    del self._running[id(db)]
                    if not self._running:
                        self.idle.set()
                    return
                self._running[id(db)] = False


WARMER = Warmer()
