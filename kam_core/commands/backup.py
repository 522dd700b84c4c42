"""``backup --out DIR``: every table as Parquet plus manifest.json (row counts, SHA-256, versions)."""

from __future__ import annotations

import argparse

from kam_core import backup as bk
from kam_core.commands import acting_user, open_db

NAME = "backup"
HELP = "back up the database into a directory (Parquet per table + manifest.json with checksums)"
WRITES = False
PATHS = ("out",)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory")
    p.add_argument("--user", help="who makes the backup (recorded in the manifest; default: the OS user)")


def run(args: argparse.Namespace) -> dict:
    db = open_db(args, must_exist=True)
    try:
        m = bk.backup(db, args.out, acting_user(args))
    finally:
        db.close()
    return {"out": str(args.out), "schema_version": m["schema_version"], "app_version": m["app_version"],
            "created_at": m["created_at"], "created_by": m["created_by"],
            "tables": {t: e["rows"] for t, e in m["tables"].items()}}  # fmt: skip


def human(out: dict) -> str:
    rows = sum(out["tables"].values())
    return (
        f"backup written to {out['out']}: {len(out['tables'])} tables, {rows:,} rows (schema {out['schema_version']})"
    )
