"""Backup to a directory (one Parquet file per table + manifest.json) and restore into a fresh file.

A backup is one read snapshot of every table. The manifest (written last: a backup without it is
incomplete) holds the row count and SHA-256 of each file, the schema and app versions, who made it
and when, and the sequences' positions. A restore refuses a damaged backup or one from a newer
schema, fills a new file beside the target (schema by our migrations, rows from the Parquet files,
counts checked), then renames it over the target: the target is either untouched or replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kam_core import __version__
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.migrations import MIGRATIONS

MANIFEST = "manifest.json"
FORMAT = "kam-backup"
FORMAT_VERSION = 1
# written by the storage layer itself, not content: a database with rows only here holds no data
_BOOKKEEPING = {"schema_version", "meta", "audit_log"}


class BackupError(UserError):
    """A backup that cannot be written or restored; nothing was changed."""


@dataclass(frozen=True)
class Verified:
    path: Path
    manifest: dict


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _quote(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _literal(text: str | Path) -> str:
    # COPY … TO / nextval take no bound parameter for a file or sequence name; names are ours, quoted
    return "'" + str(text).replace("'", "''") + "'"


def tables(db: Database) -> list[str]:
    return [
        r[0]
        for r in db.rows(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
        )
    ]


def holds_data(db: Database) -> bool:
    """Any row outside the storage layer's bookkeeping (uploads, sales, settings, plans …)."""
    cur = db.cursor()
    try:
        for t in tables(db):
            if t not in _BOOKKEEPING and cur.execute(f"SELECT count(*) FROM (FROM {_quote(t)} LIMIT 1)").fetchone()[0]:  # noqa: S608
                return True
        return False
    finally:
        cur.close()


def backup(db: Database, out: str | Path, user: str) -> dict:
    """Write every table of ``db`` (one snapshot) into the new or empty directory ``out``; the manifest."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError("backup.err.not_empty", path=str(out))
    out.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict] = {}
    with db.atomic() as cur:  # one snapshot: a write meanwhile is in all files or in none
        schema = int(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])
        sequences = dict(
            cur.execute(
                "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database()"
            ).fetchall()
        )
        for t in tables(db):
            f = out / f"{t}.parquet"
            rows = int(cur.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0])  # noqa: S608
            cur.execute(f"COPY {_quote(t)} TO {_literal(f)} (FORMAT parquet)")
            entries[t] = {"file": f.name, "rows": rows, "bytes": f.stat().st_size, "sha256": _sha256(f)}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema,
        "app_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": user,
        "source": str(db.path),
        "sequences": {k: (None if v is None else int(v)) for k, v in sequences.items()},
        "tables": entries,
    }
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / MANIFEST)  # last: a directory without a manifest is an incomplete backup
    return manifest


def verify(src: str | Path) -> Verified:
    """The backup's manifest once every file is present with its checksum and the schema is one we know."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BackupError("backup.err.no_manifest", path=str(src)) from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("backup.err.no_manifest", path=str(src))
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION or int(manifest["schema_version"]) > len(MIGRATIONS):
        raise BackupError("backup.err.too_new", found=manifest["schema_version"], known=len(MIGRATIONS))
    for t, e in manifest["tables"].items():
        f = src / e["file"]
        if Path(e["file"]).name != e["file"] or not f.is_file():
            raise BackupError("backup.err.missing", file=e["file"], table=t)
        if _sha256(f) != e["sha256"]:
            raise BackupError("backup.err.checksum", file=e["file"], table=t)
    return Verified(src, manifest)


def restore(src: str | Path, target: str | Path, user: str, *, force: bool = False) -> dict:
    """Restore ``src`` into ``target``, replaced atomically; refused when it holds data, unless ``force``."""
    v = verify(src)
    m = v.manifest
    target = Path(target)
    if target.exists():
        old = Database(target)  # also replays and checkpoints a WAL left behind, so none outlives the rename
        try:
            if holds_data(old) and not force:
                raise BackupError("backup.err.has_data", path=str(target))
        finally:
            old.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{uuid.uuid4().hex[:8]}")
    try:
        db = Database(tmp, migrate_to=int(m["schema_version"]))
        try:
            _fill(db, v)
            db.migrate(user)  # a backup from an older schema is brought up to date, as any database is
            with db.transaction(user, "restore", {"from": str(v.path), "created_at": m["created_at"]}):
                pass
            counts = {t: db.scalar(f"SELECT count(*) FROM {_quote(t)}") for t in m["tables"]}  # noqa: S608
        finally:
            db.close()
        os.replace(tmp, target)
    finally:
        for p in (tmp, tmp.with_name(tmp.name + ".wal")):
            p.unlink(missing_ok=True)
    return {"db": str(target), "from": str(v.path), "schema_version": len(MIGRATIONS), "rows": counts}


def _fill(db: Database, v: Verified) -> None:
    m = v.manifest
    known = set(tables(db))
    with db.atomic(write=True) as cur:
        for t, e in m["tables"].items():
            if t not in known:
                raise BackupError("backup.err.unknown_table", table=t)
            cur.execute(f"DELETE FROM {_quote(t)}")  # noqa: S608 — rows the migrations seeded: the backup has its own
            cur.execute(f"INSERT INTO {_quote(t)} BY NAME SELECT * FROM read_parquet(?)", [str(v.path / e["file"])])  # noqa: S608
            n = cur.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0]  # noqa: S608
            if n != e["rows"]:
                raise BackupError("backup.err.count", table=t, rows=n, expected=e["rows"])
        for name, last in m.get("sequences", {}).items():
            if last:  # nextval continues after the backup's last value: a new upload gets a fresh id
                cur.execute(f"SELECT count(nextval({_literal(name)})) FROM range(?)", [int(last)])  # noqa: S608
