"""Commit, history and rollback of uploads against the database (the preview is in ``preview.py``).

Replace semantics: a sales upload replaces, per its scope, the rows of every (period, account)
pair it contains (``pairs``, the default) or every stored row of its months (``months``: a
complete re-export, so a pair missing from the corrected file goes too); master data replaces
by key (account, store, account + as_of). What is replaced moves to a *_replaced table tagged
with the upload, so a rollback puts back exactly that. Rolling back an upload that later ones
partly replaced rolls those back too (``with_later``), newest first, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
import pyarrow.compute as pc

from kam_core import auth, summary
from kam_core.db import Database
from kam_core.ingest.errors import IngestError
from kam_core.ingest.preview import (
    MASTER,
    SCOPES,
    Preview,
    active_demo_ids,
    duplicate_of,
    incoming_pairs,
    month_through,
    preview,
)
from kam_core.ingest.stage import Staged

SALES_COLS = ["period", "account", "store", "province", "city", "region", "channel", "sku", "category",
              "revenue", "volume", "gross_profit", "trade_spend", "kam"]  # fmt: skip
AMOUNTS = {"revenue", "volume", "gross_profit", "trade_spend", "current", "overdue_1_30", "overdue_31_60",
           "overdue_61_90", "overdue_90_plus"}  # fmt: skip
Progress = Callable[[float, str], None]


def _typed(col: str, have: set[str] | None = None) -> str:
    """A column of ``parsed`` in its stored type; NULL when the file does not have it."""
    if have is not None and col not in have:  # typed: a sum over it is a DECIMAL sum, as over ``sales``
        return f"CAST(NULL AS {'DECIMAL(18,4)' if col in AMOUNTS else 'VARCHAR'}) AS {col}"
    return f"CAST({col} AS DECIMAL(18,4)) AS {col}" if col in AMOUNTS else col


def _derived(have: set[str]) -> str:
    """Whether a line's region came from the province map (validate sets ``region_derived``), never NULL."""
    return (
        "coalesce(region_derived, FALSE) AS region_derived" if "region_derived" in have else "FALSE AS region_derived"
    )


def _have(st: Staged) -> set[str]:
    return {r[0] for r in st.con.execute("SELECT column_name FROM (DESCRIBE parsed)").fetchall()}


def commit_blockers(p: Preview, *, user: str | None, skip_invalid: bool = False) -> list[IngestError]:
    """What stops this preview from being committed, most pressing first; empty = it may be committed.

    The one list of commit rules, used by the upload page (button, warnings) and by :func:`commit`.
    """
    out = []
    if p.rows_rejected and not skip_invalid:
        out.append(IngestError("upload.err.rejected_rows", n=p.rows_rejected))
    if p.rows_valid == 0:
        out.append(IngestError("upload.err.nothing_valid", file=p.file))
    dup = p.duplicate_of
    if dup:
        at = f"{dup.at:%Y-%m-%d %H:%M}"
        out.append(IngestError("upload.err.duplicate", file=p.file, id=dup.id, user=dup.user, at=at))
    if not (user or "").strip():
        out.append(IngestError("upload.err.no_user"))
    return out


def commit(
    db: Database,
    st: Staged,
    user: str,
    *,
    skip_invalid: bool = False,
    remove_demo: bool = True,
    template: str | None = None,
    progress: Progress | None = None,
    scope: str = "pairs",
) -> Preview:
    """Load the valid rows in one transaction; returns the preview with ``upload_id`` and ``rows_loaded`` set.

    ``scope`` (sales): ``pairs`` replaces the file's (period, account) pairs, ``months`` every stored row of
    the file's months.
    """
    foreign = auth.check_upload(db, st, user)  # [auth] a KAM's rows of others' accounts: refused or left out
    c = st.checked
    p = preview(db, st, remove_demo, scope)
    blockers = commit_blockers(p, user=user, skip_invalid=skip_invalid)
    if blockers:
        raise blockers[0]
    step = progress or (lambda f, s: None)
    demo = bool(remove_demo and p.sales and p.sales.demo_present)
    detail = {"file": st.src.file_name, "kind": st.kind, "rows": c.rows_valid, "scope": scope}
    if foreign:
        detail["foreign_skipped"] = foreign  # [auth]
    with db.transaction(user, "upload", detail) as cur:
        uid = _record_upload(cur, st, user, scope if st.kind == "sales" else None)
        detail["upload_id"] = int(uid)  # [auth] the audit log names the upload
        _record_rejected(cur, st, uid)
        step(0.1, "prepare")
        if st.kind == "sales":
            _commit_sales(cur, st, uid, user, demo, step, scope)
        else:
            _commit_master(cur, st, uid, user)
        if template:
            from kam_core.ingest.mapping import record_use

            record_use(cur, template, st.kind, st.mapping, user)
        step(1.0, "done")
    return replace(p, upload_id=int(uid), rows_loaded=c.rows_valid, demo_removed=demo)


def _record_upload(cur: Any, st: Staged, user: str, scope: str | None) -> int:
    """The ``uploads`` row of this file (refused if the same file was committed meanwhile); its id."""
    c = st.checked
    # checked again inside the transaction: two sessions committing the same file at once
    if cur.execute(
        "SELECT count(*) FROM uploads WHERE sha256 = ? AND kind = ? AND status <> 'rolled_back'",
        [st.src.sha256, st.kind],
    ).fetchone()[0]:
        raise IngestError("upload.err.duplicate", file=st.src.file_name, id="?", user="?", at="?")
    return cur.execute(
        """INSERT INTO uploads (kind, file_name, sha256, rows_read, rows_loaded, rows_rejected, user_name,
               created_at, status, mapping, errors, rows_skipped, warnings, sheet, replace_scope, rejected_revenue)
           VALUES (?, ?, ?, ?, ?, ?, ?, now(), 'active', ?, NULL, ?, ?, ?, ?, ?) RETURNING id""",
        [st.kind, st.src.file_name, st.src.sha256, c.rows_read, c.rows_valid, c.rows_rejected, user,
         st.mapping.to_json(), c.rows_summary, json.dumps(c.warnings[:1000], ensure_ascii=False), st.src.sheet,
         scope, c.rejected_revenue],
    ).fetchone()[0]  # fmt: skip


def _record_rejected(cur: Any, st: Staged, uid: int) -> None:
    """Every rejected row into ``upload_rejected`` (the upload's error report), engine to engine."""
    if not st.checked.rows_rejected:
        return
    sql = (
        "INSERT INTO upload_rejected (upload_id, row, column_name, reason, seq) SELECT ?, row, column_name, reason, seq"
    )
    if st.catalog:
        cur.execute(f"{sql} FROM {st.catalog}.rejected_rows", [uid])
    else:
        cur.register("incoming_rejected", st.con.sql("SELECT * FROM rejected_rows").to_arrow_table())
        cur.execute(f"{sql} FROM incoming_rejected", [uid])
        cur.unregister("incoming_rejected")


def _commit_sales(
    cur: Any, st: Staged, uid: int, user: str, remove_demo: bool, step: Progress, scope: str = "pairs"
) -> None:
    """Sales: demo out (first real upload), replaced rows aside, rows in, first-seen masters, upload summary."""
    if scope not in SCOPES:
        raise IngestError("upload.err.scope", scope=scope, scopes=", ".join(SCOPES))
    if remove_demo:
        _remove_demo(cur)
    cur.register("incoming_pairs", incoming_pairs(st).select(["period", "account"]))
    _set_aside_replaced(cur, uid, scope)
    step(0.3, "replace")
    have = _have(st)
    new = _new_rows(st, have)
    _insert_sales(cur, new, uid)
    if remove_demo:
        summary.refresh(cur)  # the demo's months are gone too: rebuild
    else:  # from the file's rows and the rows it replaced, no pass over ``sales``
        summary.apply_upload(cur, uid, new, scope, "incoming_pairs", *_touched(cur, st, uid, scope), clean=True)
    step(0.8, "insert")
    _create_first_seen(cur, st, uid, user, have)
    _record_sales_summary(cur, uid)
    _record_periods(cur, st, uid)


def _touched(cur: Any, st: Staged, uid: int, scope: str) -> tuple[list, list]:
    """Months and accounts the upload's rows and the rows it replaced lie in: ``summary.touched_by_upload``
    without a pass over ``sales`` — its rows of this upload are the file's valid lines, whose (month, account)
    pairs are ``incoming_pairs``; the rows replaced under ``pairs`` lie in those pairs (only ``months`` adds
    pairs, read from ``sales_replaced``)."""
    pairs = incoming_pairs(st)
    periods = set(pc.unique(pairs.column("period")).to_pylist())
    accounts = set(pc.unique(pairs.column("account")).to_pylist())
    if scope == "months":
        for p, a in cur.execute(
            "SELECT DISTINCT period, account FROM sales_replaced WHERE replaced_by = ?", [uid]
        ).fetchall():
            periods.add(p)
            accounts.add(a)
    return sorted(periods), sorted(accounts)


def _record_periods(cur: Any, st: Staged, uid: int) -> None:
    """One ``upload_periods`` row per month of the file: the last date seen (NULL when it gives months only)."""
    through = month_through(st)
    cur.execute(  # one statement for all months (in month order), not one per month
        "INSERT INTO upload_periods (upload_id, period, data_through) SELECT ?, unnest(?::DATE[]), unnest(?::DATE[])",
        [uid, [m.period for m in through], [m.data_through for m in through]],
    )


def _remove_demo(cur: Any) -> None:
    """Delete the demo dataset (and its rollback copies) and mark its uploads superseded."""
    demo_ids = active_demo_ids(cur)
    for t in ("sales", "receivables", "stores", "skus", "accounts"):
        cur.execute(f"DELETE FROM {t} WHERE upload_id IN (SELECT unnest(?::BIGINT[]))", [demo_ids])  # noqa: S608
    # and their rollback copies, so no later rollback can bring a demo row back
    for t in ("sales_replaced", "accounts_replaced", "stores_replaced", "receivables_replaced"):
        cur.execute(f"DELETE FROM {t} WHERE upload_id IN (SELECT unnest(?::BIGINT[]))", [demo_ids])  # noqa: S608
    cur.execute("UPDATE uploads SET status = 'superseded' WHERE id IN (SELECT unnest(?::BIGINT[]))", [demo_ids])
    from kam_core.plans.demo_plans import DEMO_PLAN_USER

    cur.execute("DELETE FROM account_plans WHERE user_name = ?", [DEMO_PLAN_USER])  # the demo's example plans


def _set_aside_replaced(cur: Any, uid: int, scope: str = "pairs") -> None:
    """Move the replaced sales rows to sales_replaced: those of the file's (period, account) pairs
    (``incoming_pairs``), or with scope ``months`` every row of the file's months."""
    cols = ", ".join(SALES_COLS)
    if scope == "months":
        months = "(SELECT DISTINCT period FROM incoming_pairs)"
        cur.execute(f"INSERT INTO sales_replaced SELECT ?, {cols}, upload_id, region_derived FROM sales "  # noqa: S608
                    f"WHERE period IN {months}",
                    [uid])  # fmt: skip
        cur.execute(f"DELETE FROM sales WHERE period IN {months}")  # noqa: S608
        return
    cur.execute(
        f"""INSERT INTO sales_replaced SELECT ?, {cols}, upload_id, region_derived FROM sales s
            SEMI JOIN incoming_pairs p ON s.period = p.period AND s.account = p.account""",  # noqa: S608
        [uid],
    )
    cur.execute("DELETE FROM sales USING incoming_pairs p WHERE sales.period = p.period AND sales.account = p.account")


def _new_rows(st: Staged, have: set[str]) -> str:
    """The valid rows of ``parsed`` in their stored types (the columns of ``sales``) as a relation the
    transaction cursor reads: the staging catalog's table itself when staged in this database's engine,
    else the Parquet hand-over of the private staging engine (written once; both sides read it in parallel)."""
    typed = ", ".join([*(_typed(x, have) for x in SALES_COLS), _derived(have)])
    if st.catalog:  # staged in this database's engine: no hand-over
        return f"(SELECT {typed} FROM {st.catalog}.parsed WHERE NOT _bad AND NOT _summary)"  # noqa: S608
    handoff = st.tmpdir / "valid.parquet"
    if not handoff.exists():
        st.con.execute(
            f"COPY (SELECT {typed} FROM parsed WHERE NOT _bad AND NOT _summary) TO '{handoff}' (FORMAT parquet)"  # noqa: S608
        )
    return "read_parquet('" + str(handoff).replace("'", "''") + "')"


def _insert_sales(cur: Any, new: str, uid: int) -> None:
    """Insert the upload's rows (``new``, from :func:`_new_rows`) into sales."""
    cols = ", ".join([*SALES_COLS, "region_derived"])
    cur.execute(f"INSERT INTO sales ({cols}, upload_id) SELECT {cols}, ? FROM {new}", [uid])  # noqa: S608


def _staged(cur: Any, st: Staged, name: str, select: str) -> str:
    """``select`` (over ``{parsed}``) as a relation ``cur`` can read: the staging catalog's table itself when
    staged in this database's engine (no hand-over), else its result registered under ``name``."""
    if st.catalog:
        return f"({select.format(parsed=f'{st.catalog}.parsed')})"
    cur.register(name, st.con.execute(select.format(parsed="parsed")).df())
    return name


def _create_first_seen(cur: Any, st: Staged, uid: int, user: str, have: set[str]) -> None:
    """Accounts, stores and SKUs first seen in the file: created unreviewed (spec §2).

    Staged in this database's engine, the lines of keys already known are left out before grouping (a
    monthly file mostly names known stores); a private staging engine groups them all, the insert filters.
    """
    c = {x: (x if x in have else "NULL") for x in SALES_COLS}

    def new(key: str, master: str) -> str:
        return f" AND {key} NOT IN (SELECT {key} FROM {master})" if st.catalog else ""  # noqa: S608 - fixed names

    dims = _staged(cur, st, "incoming_accounts",
                   f"""SELECT account, any_value({c["kam"]}) AS kam FROM {{parsed}}
                       WHERE NOT _bad AND NOT _summary{new("account", "accounts")} GROUP BY account""")  # noqa: S608  # fmt: skip
    cur.execute(
        f"""INSERT INTO accounts (account, kam, reviewed, upload_id, updated_by, updated_at)
           SELECT account, kam, FALSE, ?, ?, now() FROM {dims} n
           WHERE account NOT IN (SELECT account FROM accounts)""",  # noqa: S608
        [uid, user],
    )
    if "store" in have:
        stores = _staged(cur, st, "incoming_stores",
                         f"""SELECT store, any_value(account) AS account, any_value({c["province"]}) AS province,
                                    any_value({c["city"]}) AS city, any_value({c["region"]}) AS region,
                                    {_store_derived(have)} AS region_derived FROM {{parsed}}
                             WHERE NOT _bad AND NOT _summary AND store IS NOT NULL{new("store", "stores")}
                             GROUP BY store""")  # noqa: S608  # fmt: skip
        cur.execute(
            f"""INSERT INTO stores (store, account, province, city, region, region_derived, reviewed, upload_id,
                   updated_by, updated_at)
               SELECT store, account, province, city, region, region_derived, FALSE, ?, ?, now() FROM {stores} n
               WHERE store NOT IN (SELECT store FROM stores)""",  # noqa: S608
            [uid, user],
        )
    if "sku" in have:
        skus = _staged(cur, st, "incoming_skus",
                       f"""SELECT sku, any_value({c["category"]}) AS category FROM {{parsed}}
                           WHERE NOT _bad AND NOT _summary AND sku IS NOT NULL{new("sku", "skus")} GROUP BY sku""")  # noqa: S608  # fmt: skip
        cur.execute(
            f"""INSERT INTO skus (sku, category, reviewed, upload_id, updated_by, updated_at)
               SELECT sku, category, FALSE, ?, ?, now() FROM {skus} n
               WHERE sku NOT IN (SELECT sku FROM skus)""",  # noqa: S608
            [uid, user],
        )


def _store_derived(have: set[str]) -> str:
    if "region_derived" not in have:
        return "FALSE"
    return "coalesce(bool_and(region_derived) FILTER (WHERE region IS NOT NULL), FALSE)"


def _record_sales_summary(cur: Any, uid: int) -> None:
    """Supersede uploads none of whose rows are left; store periods, accounts and totals on the upload."""
    cur.execute(
        """UPDATE uploads SET status = 'superseded' WHERE status = 'active' AND kind = 'sales'
           AND id IN (SELECT DISTINCT upload_id FROM sales_replaced WHERE replaced_by = ?)
           AND id NOT IN (SELECT DISTINCT upload_id FROM sales)""",
        [uid],
    )
    cur.execute(
        """UPDATE uploads SET periods = (SELECT list(DISTINCT period ORDER BY period) FROM incoming_pairs),
                  accounts = (SELECT list(DISTINCT account ORDER BY account) FROM incoming_pairs),
                  revenue = (SELECT sum(revenue) FROM sales WHERE upload_id = ?),
                  replaced_rows = (SELECT count(*) FROM sales_replaced WHERE replaced_by = ?),
                  replaced_revenue = (SELECT sum(revenue) FROM sales_replaced WHERE replaced_by = ?)
           WHERE id = ?""",
        [uid, uid, uid, uid],
    )


def _commit_master(cur: Any, st: Staged, uid: int, user: str) -> None:
    """Master data: rows with the same key aside into <kind>_replaced, then upsert (the last line per key wins)."""
    keys, cols = MASTER[st.kind]
    have = _have(st)
    mapped = [c for c in cols if c in st.mapping.fields or c in keys or (c == "region" and c in have)]
    typed = ", ".join(_typed(c, have) for c in mapped)
    if st.kind == "stores" and "region" in mapped:  # a region the file gave, or one derived from its province
        mapped.append("region_derived")
        typed += ", " + _derived(have)
    # one row per key: the last line of the file wins
    rows = st.con.execute(
        f"""SELECT {typed} FROM parsed WHERE NOT _bad AND NOT _summary
            QUALIFY row_number() OVER (PARTITION BY {", ".join(keys)} ORDER BY _line DESC) = 1"""  # noqa: S608
    ).df()
    cur.register("incoming_master", rows)
    on = " AND ".join(f"t.{k} = n.{k}" for k in keys)
    t = st.kind
    cur.execute(f"INSERT INTO {t}_replaced SELECT ?, t.* FROM {t} t SEMI JOIN incoming_master n ON {on}", [uid])  # noqa: S608
    extra = {"accounts": "reviewed, upload_id, updated_by, updated_at", "stores": "reviewed, upload_id, updated_by,"
             " updated_at", "receivables": "upload_id"}[t]  # fmt: skip
    vals = {"accounts": "TRUE, ?, ?, now()", "stores": "TRUE, ?, ?, now()", "receivables": "?"}[t]
    params = [uid, user] if t != "receivables" else [uid]
    if t == "receivables":
        cur.execute(f"DELETE FROM {t} USING incoming_master n WHERE {on.replace('t.', t + '.')}")  # noqa: S608
        cur.execute(f"INSERT INTO {t} ({', '.join(mapped)}, {extra}) SELECT {', '.join(mapped)}, {vals} "  # noqa: S608
                    "FROM incoming_master", params)  # fmt: skip
    else:
        # keep the columns the file does not carry (tier overrides, reviewed notes…)
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in mapped if c not in keys)
        sets = (sets + ", " if sets else "") + ", ".join(f"{c} = EXCLUDED.{c}" for c in extra.split(", "))
        cur.execute(
            f"INSERT INTO {t} ({', '.join(mapped)}, {extra}) SELECT {', '.join(mapped)}, {vals} "  # noqa: S608
            f"FROM incoming_master ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}",
            params,
        )
    cur.execute(
        "UPDATE uploads SET replaced_rows = (SELECT count(*) FROM " + t + "_replaced WHERE replaced_by = ?),"  # noqa: S608
        " accounts = (SELECT list(DISTINCT account ORDER BY account) FROM incoming_master) WHERE id = ?",
        [uid, uid],
    )


# -- history and rollback ----------------------------------------------------------------


def history(db: Database, limit: int = 200) -> pd.DataFrame:
    """Uploads, newest first: who, when, what, how many rows, status."""
    return db.df(
        """SELECT id, kind, file_name, user_name, created_at, rows_read, rows_loaded, rows_rejected,
                  list_transform(periods, lambda p: strftime(p, '%Y-%m')) AS periods, len(accounts) AS n_accounts,
                  revenue, replaced_rows, replace_scope, rejected_revenue, status, rolled_back_by, rolled_back_at
           FROM uploads ORDER BY id DESC LIMIT ?""",
        [limit],
    )


def upload_errors(db: Database, upload_id: int) -> list[dict]:
    """Every rejected row of an upload's error report ``{"row", "column", "reason"}``, in file order."""
    rows = db.rows("SELECT row, column_name, reason FROM upload_rejected WHERE upload_id = ? ORDER BY seq", [upload_id])
    if rows:
        return [{"row": int(r), "column": c, "reason": x} for r, c, x in rows]
    v = db.scalar("SELECT errors FROM uploads WHERE id = ?", [upload_id])  # uploads before migration V6
    return json.loads(v) if v else []


def upload_errors_frame(db: Database, upload_id: int) -> pd.DataFrame:
    """The same report as a frame (row, column, reason), for the CSV / XLSX download."""
    df = db.df(
        "SELECT row, column_name AS column, reason FROM upload_rejected WHERE upload_id = ? ORDER BY seq", [upload_id]
    )
    return df if len(df) else pd.DataFrame(upload_errors(db, upload_id), columns=["row", "column", "reason"])


def _table(kind: str) -> str:
    return "sales" if kind == "sales" else kind


def _later(cur: Any, table: str, upload_id: int) -> list[int]:
    """Live uploads that replaced rows of this one (they must go back first)."""
    return [x[0] for x in cur.execute(
        f"""SELECT DISTINCT replaced_by FROM {table}_replaced WHERE upload_id = ?
            AND replaced_by IN (SELECT id FROM uploads WHERE status <> 'rolled_back') ORDER BY 1""",  # noqa: S608
        [upload_id]).fetchall()]  # fmt: skip


def _plan_with(cur: Any, table: str, upload_id: int) -> list[int]:
    """This upload and every live upload that (directly or through another) replaced part of it, newest first."""
    seen, todo = {upload_id}, [upload_id]
    while todo:
        for x in _later(cur, table, todo.pop()):
            if x not in seen:
                seen.add(x)
                todo.append(x)
    return sorted(seen, reverse=True)


def rollback_plan(db: Database, upload_id: int) -> list[int]:
    """The uploads a rollback of ``upload_id`` takes back, newest first (just itself when nothing later replaced it)."""
    kind = db.scalar("SELECT kind FROM uploads WHERE id = ?", [upload_id])
    if kind is None:
        raise IngestError("upload.err.no_upload", id=upload_id)
    cur = db.cursor()
    try:
        return _plan_with(cur, _table(kind), upload_id)
    finally:
        cur.close()


def rollback(db: Database, upload_id: int, user: str, *, with_later: bool = False) -> dict:
    """Undo an upload: remove its rows and put back exactly what it replaced.

    When later uploads replaced part of it, ``with_later`` rolls them back too, newest first, in the
    same transaction; without it the rollback is refused and says which uploads are in the way.
    """
    r = db.rows("SELECT kind, status, file_name FROM uploads WHERE id = ?", [upload_id])
    if not r:
        raise IngestError("upload.err.no_upload", id=upload_id)
    kind, status, name = r[0]
    if kind == "demo":
        raise IngestError("upload.err.rollback_demo", id=upload_id)
    if status == "rolled_back":
        raise IngestError("upload.err.already_rolled_back", id=upload_id)
    table = _table(kind)
    # [auth] a KAM rolls back only uploads of accounts they own (with_later: the later uploads too)
    auth.require(db, user, "rollback", lambda: auth.upload_accounts(
        db, rollback_plan(db, upload_id) if with_later else [upload_id]))  # fmt: skip
    detail = {"upload_id": upload_id, "file": name, "with_later": with_later}
    with db.transaction(user, "rollback", detail) as cur:
        # checked inside the transaction: an upload committed meanwhile cannot slip in between
        plan = _plan_with(cur, table, upload_id)
        if len(plan) > 1 and not with_later:
            later = ", ".join(f"#{x}" for x in sorted(plan[:-1]))
            raise IngestError("upload.err.rollback_later", id=upload_id, later=later)
        steps = [_rollback_one(cur, kind, x, user) for x in plan]
        detail["rolled_back"] = plan  # [auth] every upload id taken back
    return {
        "upload_id": upload_id,
        "rolled_back": plan,
        "rows_removed": sum(s["rows_removed"] for s in steps),
        "rows_restored": sum(s["rows_restored"] for s in steps),
        "uploads_reactivated": sorted({i for s in steps for i in s["uploads_reactivated"]} - set(plan)),
        "steps": steps,
    }


def _rollback_one(cur: Any, kind: str, upload_id: int, user: str) -> dict:
    """One upload back, inside the caller's transaction (nothing later may have replaced it any more)."""
    table = _table(kind)
    removed = cur.execute(f"SELECT count(*) FROM {table} WHERE upload_id = ?", [upload_id]).fetchone()[0]  # noqa: S608
    sql = f"SELECT count(*) FROM {table}_replaced WHERE replaced_by = ?"  # noqa: S608
    restored = cur.execute(sql, [upload_id]).fetchone()[0]
    restored_ids = [x[0] for x in cur.execute(
        f"SELECT DISTINCT upload_id FROM {table}_replaced WHERE replaced_by = ?", [upload_id]).fetchall()]  # noqa: S608  # fmt: skip
    touched = summary.touched_by_upload(cur, upload_id) if kind == "sales" else None
    cur.execute(f"DELETE FROM {table} WHERE upload_id = ?", [upload_id])  # noqa: S608
    cur.execute(f"INSERT INTO {table} SELECT * EXCLUDE (replaced_by) FROM {table}_replaced WHERE replaced_by = ?",  # noqa: S608
                [upload_id])  # fmt: skip
    cur.execute(f"DELETE FROM {table}_replaced WHERE replaced_by = ?", [upload_id])  # noqa: S608
    if touched is not None:
        summary.refresh(cur, *touched)
    if kind == "sales":
        for t, key in (("accounts", "account"), ("stores", "store"), ("skus", "sku")):
            cur.execute(
                f"DELETE FROM {t} WHERE upload_id = ? AND NOT reviewed "  # noqa: S608
                f"AND {key} NOT IN (SELECT DISTINCT {key} FROM sales WHERE {key} IS NOT NULL)",
                [upload_id],
            )
    cur.execute(
        "UPDATE uploads SET status = 'active' WHERE status = 'superseded' AND kind <> 'demo' "
        "AND id IN (SELECT unnest(?::BIGINT[]))",
        [restored_ids],
    )
    cur.execute(
        "UPDATE uploads SET status = 'rolled_back', rolled_back_by = ?, rolled_back_at = now() WHERE id = ?",
        [user, upload_id],
    )
    return {"upload_id": upload_id, "rows_removed": int(removed), "rows_restored": int(restored),
            "uploads_reactivated": restored_ids}  # fmt: skip


__all__ = ["commit", "commit_blockers", "duplicate_of", "history", "preview", "rollback", "rollback_plan",
           "upload_errors", "upload_errors_frame"]  # fmt: skip
