"""Small helpers for hand-made test data."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from kam_core import summary
from kam_core.db import Database

COLS = ["period", "account", "region", "channel", "revenue", "gross_profit", "kam"]


def insert_sales(db: Database, frame: pd.DataFrame, user: str = "tester", extra: dict | None = None) -> int:
    """Insert hand-made sales lines (the frame's columns, plus constant ``extra`` columns) as one test upload."""
    df = frame.copy()
    df["period"] = [date(int(p[:4]), int(p[5:7]), 1) for p in df["period"]]
    for k, v in (extra or {}).items():
        df[k] = v
    cols = ", ".join(df.columns)
    with db.transaction(user, "test") as cur:
        uid = cur.execute(
            "INSERT INTO uploads (kind, file_name, sha256, user_name, created_at) VALUES ('sales', 't', 'x', ?, now()) "
            "RETURNING id",
            [user],
        ).fetchone()[0]
        cur.register("rows_in", df)
        cur.execute(f"INSERT INTO sales ({cols}, upload_id) SELECT {cols}, ? FROM rows_in", [uid])
        summary.refresh(cur, *summary.touched_by_upload(cur, uid))  # as an upload does
        cur.unregister("rows_in")
    return int(uid)


def add_sales(db: Database, rows: list[tuple], user: str = "tester") -> None:
    """rows: (period 'YYYY-MM', account, region, channel, revenue, gross_profit, kam)."""
    insert_sales(db, pd.DataFrame(rows, columns=COLS), user)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> object:
        return json.loads(self.stdout)


def run_cli(*argv: str) -> CliResult:
    """``python -m kam_core ARGV`` in this process (no interpreter start-up): exit code, stdout, stderr."""
    from kam_core.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as e:  # argparse usage errors
            code = e.code if isinstance(e.code, int) else 2
    return CliResult(code, out.getvalue(), err.getvalue())
