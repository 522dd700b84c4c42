"""Staging: read a file into DuckDB (a private engine, or a catalog attached to the database), map and check it."""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kam_core.db import Database
from kam_core.ingest import scratch
from kam_core.ingest.errors import IngestError
from kam_core.ingest.mapping import KINDS, Mapping, missing_required, propose
from kam_core.ingest.read import Progress, Source, sniff, stage_raw
from kam_core.ingest.validate import Checked, check

STAGE_MEMORY = "700MB"  # the staging DuckDB spills to its temp folder beyond this
IDLE_SECONDS = 30 * 60  # a staged file nobody touched for this long is closed (a session that left)

_live: dict[int, Staged] = {}  # every open staged file of this process, by id()
_live_lock = threading.Lock()


def live() -> list[Staged]:
    """The staged files still open in this process (each holds a staging catalog and a scratch folder)."""
    with _live_lock:
        return list(_live.values())


def reap(max_idle: float | None = None) -> int:
    """Close the staged files idle longer than ``max_idle`` seconds (default IDLE_SECONDS); returns how many."""
    limit = IDLE_SECONDS if max_idle is None else max_idle
    now = time.monotonic()
    with _live_lock:
        old = [x for x in _live.values() if now - x.used > limit]
    for x in old:
        x.close()
    # the private copies of uploaded files a session left behind (the page touches its own on every run)
    scratch.reap_dirs("kam_upload_", limit)
    return len(old)


@dataclass
class Staged:
    """A file read and checked, ready for preview and commit. Close it (or use ``with``)."""

    src: Source
    kind: str
    mapping: Mapping
    checked: Checked
    con: duckdb.DuckDBPyConnection = field(repr=False)
    tmpdir: Path = field(repr=False)
    # Staged inside the database's own DuckDB (an attached in-memory catalog): commit then copies
    # rows engine-internally. None = a private DuckDB (no database given), handed over via Parquet.
    catalog: str | None = None
    db: Database | None = field(default=None, repr=False)
    cache: dict = field(default_factory=dict, repr=False)  # results derived from ``parsed`` (it never changes)
    used: float = field(default_factory=time.monotonic, repr=False)
    closed: bool = field(default=False, repr=False)

    def touch(self) -> Staged:
        """Mark as in use (the idle reaper leaves it alone for IDLE_SECONDS more)."""
        self.used = time.monotonic()
        return self

    def close(self) -> None:
        """Free the staging catalog (or private engine) and remove the scratch folder; safe to call twice."""
        with _live_lock:
            _live.pop(id(self), None)
            if self.closed:
                return
            self.closed = True
        try:
            self.con.close()
            if self.catalog and self.db is not None:
                try:
                    cur = self.db.cursor()
                except duckdb.ConnectionException:  # the database was closed meanwhile: the catalog went with it
                    return
                try:
                    cur.execute(f"DETACH DATABASE IF EXISTS {self.catalog}")
                finally:
                    cur.close()
        finally:
            self.catalog = None
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stage(
    path: str | Path,
    kind: str = "sales",
    *,
    file_name: str | None = None,
    sheet: str | None = None,
    mapping: Mapping | None = None,
    overrides: dict[str, str | None] | None = None,
    lang: str = "en",
    max_bytes: int | None = None,
    absurd: float | None = None,
    progress: Progress | None = None,
    source: Source | None = None,
    db: Database | None = None,
) -> Staged:
    """Read, map and check a file. Raises IngestError (nothing staged) for a file that cannot be used."""
    if kind not in KINDS:
        raise IngestError("upload.err.kind", kind=kind, kinds=", ".join(KINDS))
    path = Path(path)
    name = file_name or path.name
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise IngestError("upload.err.too_large", file=name, size=_mb(size), limit=_mb(max_bytes))
    src = source or sniff(path, name, sheet)
    m = mapping or propose(kind, src.headers)
    if overrides:
        from kam_core.ingest.mapping import apply_overrides

        m = apply_overrides(m, overrides)
    unknown = sorted(h for h in m.fields.values() if h not in src.headers)
    if unknown:
        raise IngestError("upload.err.no_such_column", columns=", ".join(unknown), found=", ".join(src.headers))
    missing = missing_required(kind, m)
    if missing:
        from kam_core.i18n import t

        raise IngestError(
            "upload.err.missing",
            file=name,
            missing=", ".join(t(f"field.{f}", lang) for f in missing),
            found=", ".join(src.headers),
        )
    reap()  # sessions that left a preview behind
    tmpdir = scratch.private_dir("kam_ingest_")
    catalog = None
    if db is not None:
        catalog = f"stage_{uuid.uuid4().hex[:12]}"
        con = db.cursor()
        con.execute(f"ATTACH ':memory:' AS {catalog}")
        con.execute(f"USE {catalog}")
    else:
        con = duckdb.connect(":memory:", config={"memory_limit": STAGE_MEMORY, "temp_directory": str(tmpdir / "spill")})
    try:
        stage_raw(con, src, tmpdir, progress)
        if progress:
            progress(1.0, "check")
        region_of = None
        if db is not None:
            from kam_core.analytics.regions import region_map  # the province → region map edited in settings

            region_of = region_map(db)
        checked = check(con, src, kind, m, lang, absurd, region_of)
    except BaseException:
        Staged(src, kind, m, Checked(kind), con, tmpdir, catalog, db).close()
        raise
    st = Staged(src=src, kind=kind, mapping=m, checked=checked, con=con, tmpdir=tmpdir, catalog=catalog, db=db)
    with _live_lock:
        _live[id(st)] = st
    from kam_core.i18n import t

    for h, cols in src.duplicates.items():  # the second column of a repeated header is not silently ignored
        names = [h] + [f"{h}_{k}" for k in range(2, len(cols) + 1)]
        checked.notes.append(t("upload.note.duplicate_header", lang, name=h, n=len(cols),
                               cols=", ".join(map(str, cols)), names=", ".join(names)))  # fmt: skip
    if checked.rows_read == 0:
        st.close()
        raise IngestError("upload.err.header_only", file=name)
    if checked.rows_valid == 0 and kind == "sales" and "period" in m.fields:
        bad_periods = sum(1 for r in checked.rejected if r["column"] == m.fields["period"])
        if bad_periods >= min(checked.rows_rejected, len(checked.rejected)) > 0:
            sample = ", ".join(sorted({_val(r) for r in checked.rejected[:200]})[:5])
            st.close()
            raise IngestError("upload.err.periods", file=name, column=m.fields["period"], examples=sample)
    return st


def _val(r: dict) -> str:
    reason = r["reason"]
    return reason[reason.find("'") : reason.rfind("'") + 1] if "'" in reason else reason


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"
