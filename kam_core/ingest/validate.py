"""Parse the staged text columns into typed values and check every row, in DuckDB.

Result: table ``parsed`` in the staging connection with the typed columns of the kind,
``_line`` (row number as the user sees it), ``_summary`` (a total line, never loaded) and
``_bad`` (rejected); plus the list of row errors and warnings with plain reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import duckdb
import pyarrow as pa

from kam_core.geo import DEFAULT_REGION_OF, normalize_province, normalize_region
from kam_core.i18n import CATALOG, t
from kam_core.ingest.mapping import FIELDS, Field, Mapping, account_columns, get_field
from kam_core.ingest.parse import NUMBER_MACROS, day_first, parse_date, parse_day, parse_period
from kam_core.ingest.read import Source
from kam_core.settings import REGISTRY

MAX_LISTED = 1_000  # rejected rows / warnings listed in Python; every rejected row stays in table ``rejected_rows``
# A total line: the label starts with a total word ("合计", "Total:", "Subtotal (East)") or
# ends with one ("家乐福 小计", "Walmart Total") — the latter is how grouped exports label
# per-account subtotals, which would otherwise load as new accounts and count twice.
_SUMMARY_RE = (
    r"(?i)^\s*((合\s*计|总\s*计|小\s*计|共\s*计|汇\s*总|总\s*合\s*计).*"
    r"|(grand\s*|sub\s*-?\s*)?totals?\s*([:：(（].*)?|sum\s*[:：]?"
    r"|.*\S\s*[-–—:：(（]?\s*(合\s*计|总\s*计|小\s*计|共\s*计|汇\s*总)\s*[)）]?"
    r"|.*\S\s+[-–—:：(]?\s*(grand\s*|sub\s*-?\s*)?totals?\s*\)?)$"
)
_TIME_SQL = (
    r"CASE WHEN contains({c}, ':') THEN "
    r"regexp_replace({c}, '[ T]\d{{1,2}}:\d{{2}}(:\d{{2}}(\.\d+)?)?\s*([AaPp][Mm])?$', '') ELSE {c} END"
)


@dataclass
class Checked:
    """What validation found (the rows themselves stay in the staging table ``parsed``)."""

    kind: str
    rows_read: int = 0
    rows_valid: int = 0
    rows_rejected: int = 0
    rows_summary: int = 0
    rejected: list[dict] = field(default_factory=list)  # the first MAX_LISTED; all in staging ``rejected_rows``
    rejected_entries: int = 0  # entries of ``rejected_rows`` (a line failing two checks counts twice)
    rejected_revenue: Decimal | None = None  # revenue the rejected lines carry where it can be read
    warnings: list[dict] = field(default_factory=list)
    warning_count: int = 0
    notes: list[str] = field(default_factory=list)  # column-level remarks (e.g. how dates were read)
    columns: list[str] = field(default_factory=list)  # typed columns of ``parsed``
    identity: Identity | None = None  # sales with both a customer name and a customer id column


@dataclass(frozen=True)
class Identity:
    """A file with both a customer name and a customer id column: how well one names the other."""

    name_column: str
    id_column: str
    key_column: str  # the one mapped to account
    names: int
    ids: int
    names_multi_ids: int  # names that cover several ids
    ids_multi_names: int  # ids that carry several names

    def to_json(self) -> dict:
        return {
            "name_column": self.name_column, "id_column": self.id_column, "key_column": self.key_column,
            "names": self.names, "ids": self.ids, "names_multi_ids": self.names_multi_ids,
            "ids_multi_names": self.ids_multi_names,
        }  # fmt: skip


def _canon_map(kind: str) -> dict[str, str]:
    """Channel / region names in English or Chinese → the canonical code."""
    out: dict[str, str] = {}
    for key, (en, zh) in CATALOG.items():
        if key.startswith(kind + ".") and key != kind + ".":
            code = key.split(".", 1)[1]
            for v in (code, en, zh):
                out[v.strip().lower()] = code
    return out


def _stripped(v: str) -> str | None:
    """A text canonised in Python kept as written, stripped; None (the cell's own text stays) when nothing is
    left — a cell of only a tab or a line break, which DuckDB's trim keeps: a stored text is never blank."""
    return v.strip() or None


def _value_table(
    con: duckdb.DuckDBPyConnection, name: str, keys: list[str], fn: Callable[[str], object], typ: pa.DataType
) -> None:
    """Map each distinct text of a column once in Python: table ``name(k, v)``."""
    vals = [fn(k) for k in keys]
    con.register(name + "_in", pa.table({"k": pa.array(keys, pa.string()), "v": pa.array(vals, typ)}))
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_in")  # noqa: S608
    con.unregister(name + "_in")


@dataclass
class _Plan:
    """The SQL of ``parsed`` as it is built: one select over the trimmed raw columns, its joins and row checks."""

    col: dict[str, str]  # field → raw column (c0, c1 …) of the file
    level0: list[str]  # trims each used column once; the parsing expressions refer to those columns
    sel: list[str] = field(default_factory=lambda: ["r0._line"])
    joins: list[str] = field(default_factory=list)
    checks: list[tuple[str, str, str]] = field(default_factory=list)  # (condition on the inner select, field, reason)
    shown: list[str] = field(default_factory=list)  # r_<field>: the text as written of a parsed field
    out_cols: list[str] = field(default_factory=list)
    replace: list[str] = field(default_factory=list)  # outer select: columns recomputed (revenue, region)
    extra: list[str] = field(default_factory=list)  # outer select: columns added
    region_fill: bool = False


def check(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    kind: str,
    m: Mapping,
    lang: str = "en",
    absurd: float | None = None,
    region_of: dict[str, str] | None = None,
) -> Checked:
    """Build ``parsed`` from ``raw`` and list rejected rows and warnings.

    ``region_of``: province → region used to fill a missing region (default: the built-in map;
    the app passes the map edited in settings).
    """
    for macro in NUMBER_MACROS:
        con.execute(macro)
    limit = float(absurd or REGISTRY["ingest.absurd_amount"].default)  # the app passes the setting
    res = Checked(kind=kind)
    plan = _plan(src, m, _ascii_columns(con))
    labels = _summary_labels(plan, kind)
    distinct = _distinct_texts(con, kind, plan.col, sorted({c for _, c in labels if c}))
    for f in FIELDS[kind]:
        if f.name in plan.col:  # not in the file: no column (the loader writes NULL)
            _add_field(con, plan, f, kind, m, distinct, limit, res, lang)
    summary = _summary_condition(con, plan, kind, labels, distinct.get(_TOTALS, []))
    if kind == "sales":
        _add_revenue(plan, limit)
    _add_region_fill(con, plan, kind, region_of or DEFAULT_REGION_OF)
    _create_parsed(con, plan, summary, kind)
    if kind == "sales":
        res.identity = _identity(con, src, m, lang, res)
    con.execute("DROP TABLE raw")  # frees its memory: from here on only ``parsed`` is used
    res.columns = plan.out_cols
    _collect(con, res, plan.checks, m, kind, lang, limit)
    return res


def _identity(con: duckdb.DuckDBPyConnection, src: Source, m: Mapping, lang: str, res: Checked) -> Identity | None:
    """Names covering several ids and ids carrying several names, when the file has both columns."""
    name_h, id_h = account_columns(src.headers)
    if not (name_h and id_h):
        return None
    cn, ci = f"c{src.headers.index(name_h)}", f"c{src.headers.index(id_h)}"
    row = con.execute(
        f"""WITH p AS (SELECT DISTINCT nullif(trim({cn}), '') AS n, nullif(trim({ci}), '') AS i FROM raw
                       WHERE nullif(trim({cn}), '') IS NOT NULL AND nullif(trim({ci}), '') IS NOT NULL)
            SELECT (SELECT count(DISTINCT n) FROM p), (SELECT count(DISTINCT i) FROM p),
                   (SELECT count(*) FROM (SELECT n FROM p GROUP BY n HAVING count(*) > 1)),
                   (SELECT count(*) FROM (SELECT i FROM p GROUP BY i HAVING count(*) > 1))"""  # noqa: S608
    ).fetchone()
    key = m.fields.get("account", "")
    ident = Identity(name_h, id_h, key, *(int(x) for x in row))
    other = id_h if key == name_h else name_h
    res.notes.append(t("upload.note.identity", lang, names=ident.names, ids=ident.ids,
                       names_multi=ident.names_multi_ids, ids_multi=ident.ids_multi_names,
                       name_col=name_h, id_col=id_h, key=key, other=other))  # fmt: skip
    return ident


def _plan(src: Source, m: Mapping, ascii_cols: frozenset[str] = frozenset()) -> _Plan:
    """Which raw column holds each mapped field, and the level-0 select that trims them (and c0).

    ``ascii_cols``: raw columns known to hold ASCII text only (:func:`_ascii_columns`)."""
    col = {f: f"c{src.headers.index(h)}" for f, h in m.fields.items() if h in src.headers}
    level0 = ["r._line" if src.line_base is None else f"r.rowid + {int(src.line_base)} AS _line"]
    level0 += [f"nullif({_trim(f'r.{c}', c in ascii_cols)}, '') AS t_{n}" for n, c in col.items()]
    if "c0" not in col.values():
        level0.append(f"nullif({_trim('r.c0', 'c0' in ascii_cols)}, '') AS t_c0")
    return _Plan(col=col, level0=level0)


def _ascii_columns(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The text columns of ``raw`` that hold no character beyond ASCII, from the table's own statistics
    (DuckDB's string statistics record whether any value has one; no pass over the rows). Empty when
    the statistics do not say (an empty table, another layout): every column is then trimmed in full."""
    described = con.execute("SELECT column_name FROM (DESCRIBE raw) WHERE column_type = 'VARCHAR'").fetchall()
    cols = [r[0] for r in described]
    if not cols:
        return frozenset()
    row = con.execute(f"SELECT {', '.join(f'stats({c})' for c in cols)} FROM raw LIMIT 1").fetchone()  # noqa: S608
    if row is None:
        return frozenset()
    return frozenset(c for c, s in zip(cols, row, strict=True) if isinstance(s, dict) and s.get("has_unicode") is False)


_TOTALS = "\x00totals"  # key of _distinct_texts' result: label texts that match _SUMMARY_RE


def _trim(x: str, ascii_only: bool = False) -> str:
    """``trim(x)``, run only where it can change something. DuckDB's trim strips space separators (Unicode Zs);
    the only ASCII one is the space, so an ASCII text (as many bytes as characters) that neither starts nor ends
    with a space is its own trim — most cells, and the check is far cheaper than trim's walk and copy.
    ``contains`` (a byte search) first: a cell without any space (codes, numbers, dates) skips both ends' tests.
    ``ascii_only``: the column is known to be ASCII (:func:`_ascii_columns`), so the character count is not needed."""
    ends = f"contains({x}, ' ') AND ({x} LIKE ' %' OR {x} LIKE '% ')"
    cond = ends if ascii_only else f"({ends}) OR strlen({x}) <> length({x})"
    return f"CASE WHEN {cond} THEN trim({x}) ELSE {x} END"


def _distinct_texts(
    con: duckdb.DuckDBPyConnection, kind: str, col: dict[str, str], label_cols: list[str] | None = None
) -> dict[str, list[str]]:
    """One pass over the rows for the distinct texts of every column parsed in Python (dates, names to canonise).

    ``label_cols``: raw columns whose trimmed texts are summary labels; under the key ``_TOTALS`` come those
    of their distinct texts that read as a total line (the pattern runs on the distinct texts, not on every row).
    """
    # The clean-up runs on the distinct raw texts only (a few dozen), not on every row; list_distinct drops NULLs.
    wanted = {
        f.name: (col[f.name], _TIME_SQL.format(c="nullif(trim(x), '')")
                 if f.kind in ("period", "date") else "nullif(trim(x), '')")
        for f in FIELDS[kind]
        if f.name in col and (f.kind in ("period", "date") or f.name == "province"
                              or (f.name == "channel" and kind == "sales")
                              or (f.name == "region" and kind in ("sales", "stores")))
    }  # fmt: skip
    aggs = [f"list_distinct(list_transform(list(DISTINCT r.{c}), lambda x: {e}))" for c, e in wanted.values()]
    match = f"lambda x: coalesce(regexp_full_match(x, '{_SUMMARY_RE}'), FALSE)"
    totals = [f"list_filter(list_transform(list(DISTINCT r.{c}), lambda x: nullif(trim(x), '')), {match})"
              for c in label_cols or []]  # fmt: skip
    if not aggs and not totals:
        return {}
    row = con.execute(f"SELECT {', '.join(aggs + totals)} FROM raw r").fetchall()[0]  # noqa: S608
    out = {n: list(v or []) for n, v in zip(wanted, row, strict=False)}
    if totals:
        out[_TOTALS] = sorted({x for v in row[len(aggs) :] for x in v or []})
    return out


def _add_field(
    con: duckdb.DuckDBPyConnection, plan: _Plan, f: Field, kind: str, m: Mapping, distinct: dict[str, list[str]],
    limit: float, res: Checked, lang: str,
) -> None:  # fmt: skip
    """The typed column of one mapped field and its row checks."""
    raw = f"r0.t_{f.name}"
    if f.name == "unit_price":
        plan.sel.append(f"num6({raw}) AS unit_price, {raw} AS r_unit_price")
        plan.shown.append("r_unit_price")
        plan.checks.append(("r_unit_price IS NOT NULL AND unit_price IS NULL", "unit_price", "bad_number"))
        return
    if f.kind not in ("text", "code"):  # texts are kept as given (trimmed): no second copy
        plan.sel.append(f"{raw} AS r_{f.name}")
        plan.shown.append(f"r_{f.name}")
    if f.kind in ("period", "date"):
        _add_date(con, plan, f, m, distinct[f.name], res, lang)
    elif f.kind == "number":
        _add_number(plan, f, float(m.scale.get(f.name, 1.0)), limit)
    elif f.kind == "bool":
        plan.sel.append(
            f"""CASE WHEN lower({raw}) IN ('1','true','yes','y','t','x','是','有','√','international','国际')
                     THEN TRUE WHEN lower({raw}) IN ('0','false','no','n','f','否','无','local','本土') THEN FALSE
                END AS {f.name}"""
        )
        plan.checks.append((f"r_{f.name} IS NOT NULL AND {f.name} IS NULL", f.name, "bad_bool"))
    elif f.kind == "int":
        plan.sel.append(f"TRY_CAST(TRY_CAST({raw} AS DOUBLE) AS INTEGER) AS {f.name}")
        plan.checks.append((f"r_{f.name} IS NOT NULL AND ({f.name} IS NULL OR {f.name} NOT BETWEEN 1 AND 5)",
                            f.name, "bad_fit"))  # fmt: skip
    elif f.name == "region" and kind in ("sales", "stores"):
        # 华东 / East China / 东北 → our five regions; what it cannot map is kept as written (and reported)
        _value_table(con, "m_region", distinct["region"], lambda v: normalize_region(v) or _stripped(v), pa.string())
        plan.joins.append(f"LEFT JOIN m_region ON m_region.k = {raw}")
        plan.sel.append(f"coalesce(m_region.v, {raw}) AS region")
    elif f.name == "channel" and kind == "sales":
        canon = _canon_map(f.name)
        _value_table(con, f"m_{f.name}", distinct[f.name],
                     lambda v, cm=canon: cm.get(v.strip().lower()) or _stripped(v), pa.string())  # fmt: skip
        plan.joins.append(f"LEFT JOIN m_{f.name} ON m_{f.name}.k = {raw}")
        plan.sel.append(f"coalesce(m_{f.name}.v, {raw}) AS {f.name}")
    elif f.name == "province":
        _value_table(con, "m_province", distinct["province"],
                     lambda v: normalize_province(v) or _stripped(v), pa.string())  # fmt: skip
        plan.joins.append(f"LEFT JOIN m_province ON m_province.k = {raw}")
        plan.sel.append(f"coalesce(m_province.v, {raw}) AS {f.name}")
    else:
        plan.sel.append(f"{raw} AS {f.name}")
    plan.out_cols.append(f.name)
    if f.required and f.kind != "number":
        plan.checks.append((f"{'r_' if f.kind in ('period', 'date') else ''}{f.name} IS NULL", f.name, "empty"))


def _add_date(
    con: duckdb.DuckDBPyConnection, plan: _Plan, f: Field, m: Mapping, texts: list[str], res: Checked, lang: str
) -> None:
    """A month or a day: each distinct text parsed once in Python (day-first decided over the column), joined back."""
    key = _TIME_SQL.format(c=f"r0.t_{f.name}")
    dfirst = day_first(texts)
    if any(_ambiguous(x) for x in texts):
        res.notes.append(t("upload.note.dayfirst" if dfirst else "upload.note.monthfirst", lang,
                           column=m.fields[f.name]))  # fmt: skip
    fn = parse_period if f.kind == "period" else parse_day
    # a period written as a full date also gives its day: the last day seen per month is the data's "through"
    days = [parse_day(x, dfirst) if (r := parse_date(x, dfirst)) and r[2] is not None else None for x in texts]
    con.register(f"m_{f.name}_in", pa.table({
        "k": pa.array(texts, pa.string()),
        "v": pa.array([fn(x, dfirst) for x in texts], pa.date32()),
        "d": pa.array(days, pa.date32())}))  # fmt: skip
    con.execute(f"CREATE OR REPLACE TABLE m_{f.name} AS SELECT * FROM m_{f.name}_in")  # noqa: S608
    con.unregister(f"m_{f.name}_in")
    plan.joins.append(f"LEFT JOIN m_{f.name} ON m_{f.name}.k = {key}")
    plan.sel.append(f"m_{f.name}.v AS {f.name}")
    if f.kind == "period":
        plan.sel.append(f"m_{f.name}.d AS period_day")
    plan.checks.append((f"r_{f.name} IS NOT NULL AND {f.name} IS NULL", f.name, "bad_date"))
    if f.kind == "period":
        plan.checks.append((f"{f.name} < DATE '1990-01-01' OR {f.name} > current_date + INTERVAL 2 YEAR",
                            f.name, "absurd_date"))  # fmt: skip


def _add_number(plan: _Plan, f: Field, scale: float, limit: float) -> None:
    """An amount in its stored type straight away (no cast on insert); beyond DECIMAL(18,4) is implausibly large."""
    raw = f"r0.t_{f.name}"
    big = f"num(r_{f.name})" + (f" * {scale!r}" if scale != 1 else "")
    if scale != 1:
        plan.sel.append(f"TRY_CAST(num({raw}) * {scale!r}::DECIMAL(18,4) AS DECIMAL(18,4)) AS {f.name}")
    else:
        plan.sel.append(f"num4({raw}) AS {f.name}")
    # CASE: the slow full parse runs only on the (few) values that did not fit
    failed = f"r_{f.name} IS NOT NULL AND {f.name} IS NULL"
    plan.checks.append((f"CASE WHEN {failed} THEN {big} IS NULL ELSE FALSE END", f.name, "bad_number"))
    plan.checks.append((f"CASE WHEN {failed} THEN {big} IS NOT NULL ELSE FALSE END", f.name, "absurd"))
    plan.checks.append((f"abs({f.name}) >= {limit!r}", f.name, "absurd"))


def _plain(kind: str, name: str) -> bool:
    """Whether the parsed column of a text field is the trimmed text itself (not canonised through a map)."""
    f = get_field(kind, name)
    canonised = name == "province" or (name == "region" and kind in ("sales", "stores")) or (
        name == "channel" and kind == "sales")  # fmt: skip
    return f.kind in ("text", "code") and not canonised


def _summary_labels(plan: _Plan, kind: str) -> list[tuple[str, str | None]]:
    """The columns of ``parsed`` read as total labels, each with the raw column it is the trimmed text of
    (None: a canonised value, matched row by row): account, store, period / as_of as written, and the first
    column (a text field there, else its text as written, ``r_c0``)."""
    col = plan.col
    labels = [(("r_" if n in ("period", "as_of") else "") + n, col[n]) for n in ("account", "store", "period", "as_of")
              if n in col]  # fmt: skip
    first = next((n for n, c in col.items() if c == "c0" and get_field(kind, n).kind in ("text", "code")), None)
    labels.append((first, "c0" if _plain(kind, first) else None) if first else ("r_c0", "c0"))
    out: dict[str, str | None] = {}
    for name, raw in labels:
        if raw is not None and raw in out.values():
            continue  # the same text under two names (r_c0 is r_period when the first column is the month)
        out.setdefault(name, raw)
    return list(out.items())


def _summary_condition(
    con: duckdb.DuckDBPyConnection, plan: _Plan, kind: str, labels: list[tuple[str, str | None]], totals: list[str]
) -> str:
    """Summary lines: a total label in a text column (or the first column), or — sales — neither period nor account.

    A label taken as written is looked up among ``totals`` (its distinct texts that match the pattern, usually
    none); a canonised one is matched row by row.
    """
    col = plan.col
    first = next((n for n, c in col.items() if c == "c0" and get_field(kind, n).kind in ("text", "code")), None)
    if first is None:
        c0_field = next((n for n, c in col.items() if c == "c0"), "c0")
        plan.sel.append(f"r0.t_{c0_field} AS r_c0")
        plan.shown.append("r_c0")
    if totals:
        _value_table(con, "m_totals", totals, lambda v: True, pa.bool_())
    terms = []
    for name, raw in labels:
        if raw is None:
            terms.append(f"coalesce(regexp_full_match({name}, '{_SUMMARY_RE}'), FALSE)")
        elif totals:
            terms.append(f"coalesce({name} IN (SELECT k FROM m_totals), FALSE)")  # noqa: S608 - a column name
    if kind == "sales":
        both = [n for n in ("account IS NULL", "r_period IS NULL") if n.split()[0].removeprefix("r_") in col]
        if both:
            terms.append("(" + " AND ".join(both) + ")")
    return " OR ".join(terms) or "FALSE"


def _add_revenue(plan: _Plan, limit: float) -> None:
    """Sales revenue: as given (recomputed with the volume × price fallback) or derived from volume × unit price."""
    has = "revenue" in plan.col
    (plan.replace if has else plan.extra).append(f"{_revenue_expr(plan.col, plan.checks, limit)} AS revenue")
    if not has:
        plan.out_cols.append("revenue")


def _add_region_fill(con: duckdb.DuckDBPyConnection, plan: _Plan, kind: str, region_of: dict[str, str]) -> None:
    """Sales and stores with a province: a missing region filled from the province → region map."""
    plan.region_fill = kind in ("sales", "stores") and "province" in plan.col
    if not plan.region_fill:
        return
    con.register("rg_in", pa.table({"k": list(region_of), "v": list(region_of.values())}))
    con.execute("CREATE OR REPLACE TABLE rg AS SELECT * FROM rg_in")
    con.unregister("rg_in")
    if "region" in plan.col:
        plan.replace.append("coalesce(i.region, rg.v) AS region")
        plan.extra.append("(i.region IS NULL AND rg.v IS NOT NULL) AS region_derived")
    else:
        plan.extra.append("rg.v AS region")
        plan.out_cols.append("region")
        plan.extra.append("(rg.v IS NOT NULL) AS region_derived")


def _create_parsed(con: duckdb.DuckDBPyConnection, plan: _Plan, summary: str, kind: str) -> None:
    """Table ``parsed``: the typed columns, ``_summary`` and ``_bad`` (any check failed on a non-summary line).

    The texts as written (``r_<field>``) are kept on the lines that are reported — rejected, total and
    (sales) negative-revenue lines — and NULL on the others: the checks and reasons read them only there.
    """
    inner = f"SELECT {', '.join(plan.sel)} FROM (SELECT {', '.join(plan.level0)} FROM raw r) r0 {' '.join(plan.joins)}"  # noqa: S608
    bad = " OR ".join(f"coalesce({cnd}, FALSE)" for cnd, _, _ in plan.checks) or "FALSE"
    star = f"i.* REPLACE ({', '.join(plan.replace)})" if plan.replace else "i.*"
    star = ", ".join([star, *plan.extra])
    typed = f"""SELECT {star}, ({summary}) AS _summary, NOT ({summary}) AND ({bad}) AS _bad
                FROM ({inner}) i {"LEFT JOIN rg ON rg.k = i.province" if plan.region_fill else ""}"""  # noqa: S608
    if plan.shown:
        keep = "_bad OR _summary" + (" OR revenue < 0" if kind == "sales" else "")
        shown = ", ".join(f"CASE WHEN {keep} THEN {c} END AS {c}" for c in plan.shown)
        typed = f"SELECT * REPLACE ({shown}) FROM ({typed})"  # noqa: S608
    con.execute(f"CREATE OR REPLACE TABLE parsed AS {typed}")


def _ambiguous(x: str) -> bool:
    from kam_core.ingest.parse import _AB

    return bool(_AB.match(x.strip()))


def _revenue_expr(col: dict[str, str], checks: list, limit: float) -> str:
    """Revenue as given, else volume × unit price; a check when neither is there."""
    # 38 digits: DECIMAL(18,6) * DECIMAL(18,6) is DECIMAL(18,12), which overflows (an error, not NULL) from 10^6
    product = "TRY_CAST(CAST(volume AS DECIMAL(38,6)) * CAST(unit_price AS DECIMAL(38,6)) AS DECIMAL(18,4))"
    has_product = "volume" in col and "unit_price" in col
    if "revenue" in col:
        # the inner select named the parsed revenue `revenue`; keep it, fall back to the product
        expr = f"coalesce(revenue, {product})" if has_product else "revenue"
        checks.append(("r_revenue IS NULL" + (" AND (volume IS NULL OR unit_price IS NULL)" if has_product else ""),
                       "revenue", "empty"))  # fmt: skip
    else:
        expr = product
        checks.append(("volume IS NULL OR unit_price IS NULL", "unit_price", "no_revenue"))
    if "revenue" not in col:
        checks.append((f"abs({expr}) >= {limit!r}", "revenue", "absurd"))
    return expr


def _collect(
    con: duckdb.DuckDBPyConnection, res: Checked, checks: list, m: Mapping, kind: str, lang: str, limit: float
) -> None:
    n = con.execute(
        """SELECT count(*) FILTER (NOT _summary), count(*) FILTER (NOT _summary AND NOT _bad),
                  count(*) FILTER (_bad), count(*) FILTER (_summary) FROM parsed"""
    ).fetchone()
    res.rows_read, res.rows_valid, res.rows_rejected, res.rows_summary = (int(x) for x in n)
    header = {**m.fields}
    _rejected_table(con, res, checks, header, lang)
    if res.rows_rejected:
        res.rejected = rejected_rows(con, MAX_LISTED)
        if kind == "sales":
            # what the rejected lines carry, where their revenue can be read (an implausible amount does not count)
            res.rejected_revenue = con.execute(
                f"SELECT sum(revenue) FILTER (abs(revenue) < {limit!r}) FROM parsed WHERE _bad"  # noqa: S608
            ).fetchone()[0]
    if kind == "sales":
        # Negative revenue = returns / credit notes: loaded, flagged. (A negative profit is just a loss.)
        where = "WHERE NOT _bad AND NOT _summary AND revenue < 0"
        res.warning_count = int(con.execute(f"SELECT count(*) FROM parsed {where}").fetchall()[0][0])  # noqa: S608
        # the column that made it negative: revenue as given, else the negative quantity (or price) of the product
        rev, vol, price = (header.get(x) for x in ("revenue", "volume", "unit_price"))
        cases = []
        if rev:
            cases.append(("r_revenue IS NOT NULL", rev))
        if vol:
            cases.append(("volume < 0", vol))
        if price:
            cases.append(("unit_price < 0", price))
        col = " ".join(f"WHEN {c} THEN ?" for c, _ in cases)
        col_sql = f"CASE {col} ELSE ? END" if cases else "?"
        params = [h for _, h in cases] + [rev or vol or price or "revenue"]
        rows = con.execute(
            f"SELECT _line, revenue, {col_sql} FROM parsed {where} ORDER BY _line LIMIT {MAX_LISTED}",  # noqa: S608
            params,
        ).fetchall()
        for line, v, c in rows:
            res.warnings.append({"row": int(line), "column": c,
                                 "reason": t("upload.reason.negative", lang, value=_short(v))})  # fmt: skip


_SENTINEL = "\x00VALUE\x00"
_SHORT_SQL = "CASE WHEN v IS NULL THEN '' WHEN length(v) <= 40 THEN v ELSE left(v, 37) || '…' END"


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _rejected_table(con: duckdb.DuckDBPyConnection, res: Checked, checks: list, header: dict, lang: str) -> None:
    """Table ``rejected_rows(row, seq, column_name, reason)``: every failed check of every rejected line, in DuckDB.

    The reasons are built in SQL from the translated template (no Python list of 100 000 rows).
    """
    parts = []
    have = _cols(con)
    for i, (cnd, fname, code) in enumerate(checks):
        shown = f"r_{fname}" if f"r_{fname}" in have else "NULL"
        tpl = t(f"upload.reason.{code}", lang, value=_SENTINEL, field=t(f"field.{fname}", lang))
        reason = " || ".join(_lit(x) if j % 2 == 0 else _SHORT_SQL for j, x in
                             enumerate(_interleave(tpl.split(_SENTINEL))))  # fmt: skip
        parts.append(
            f"""SELECT _line AS row, {i} AS ci, {_lit(header.get(fname, fname))} AS column_name, {reason} AS reason
                FROM (SELECT _line, {shown}::VARCHAR AS v FROM parsed WHERE _bad AND coalesce({cnd}, FALSE))"""  # noqa: S608
        )
    body = " UNION ALL ".join(parts) if parts and res.rows_rejected else (
        "SELECT NULL::BIGINT AS row, NULL::INTEGER AS ci, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason "
        "WHERE FALSE")  # fmt: skip
    con.execute(
        f"""CREATE OR REPLACE TABLE rejected_rows AS
            SELECT row, CAST(row_number() OVER (ORDER BY row, ci) AS INTEGER) AS seq, column_name, reason
            FROM ({body}) ORDER BY row, ci"""  # noqa: S608
    )
    res.rejected_entries = int(con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0])


def _interleave(pieces: list[str]) -> list[str]:
    """['a', 'b', 'c'] → ['a', <value>, 'b', <value>, 'c'] (even = literal text, odd = the value)."""
    out: list[str] = []
    for j, x in enumerate(pieces):
        if j:
            out.append("")
        out.append(x)
    return out


def rejected_rows(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict]:
    """Report rows ``{"row", "column", "reason"}`` of ``rejected_rows``, in file order (all, or the first ``limit``)."""
    sql = "SELECT row, column_name, reason FROM rejected_rows ORDER BY seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [{"row": int(r), "column": c, "reason": x} for r, c, x in con.execute(sql).fetchall()]


def _cols(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE parsed)").fetchall()}


def _short(v: object) -> str:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (int, float, Decimal)):
        return f"{v:,.2f}"
    s = "" if v is None else str(v)
    return s if len(s) <= 40 else s[:37] + "…"
