"""Accounts × regions: the headquarters KA manager's view (domain §7).

A sales line's region comes from its province through the editable province → region map
(setting ``regions.province_map``, default :data:`kam_core.geo.DEFAULT_REGION_OF`);
a line whose province the map does not know keeps the region stored with it. Sales are
aggregated by province and stored region first, so the map is applied to a few hundred
rows, never to the fact table; the sums come from the summary table ``sales_cube`` (every filter
dimension, the account and the province are in it, and its sums are the lines' to the last digit).

Whitespace: for an account, a province where it has stores (stores table) but our sales
per store there are below ``threshold`` × the median, over the account's provinces with
stores, of our sales per store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from kam_core import coverage as cv
from kam_core import settings, summary
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters, add_months
from kam_core.geo import DEFAULT_REGION_OF, REGIONS, normalize_province, provinces
from kam_core.memo import Memo, data_key

REGION_MAP_KEY = "regions.province_map"
WHITESPACE_KEY = "regions.whitespace_threshold"
DEFAULT_WHITESPACE: float = settings.REGISTRY[WHITESPACE_KEY].default
METRICS = ("revenue", "share", "yoy")
KA_TIERS = ("GKA", "NKA", "LKA")


# -- key-account tiers -----------------------------------------------------------------
_TIERS_MEMO = Memo(8)


def account_tiers(db: Database) -> pd.DataFrame:
    """account, tier (GKA / NKA / LKA / non_ka), from the tiers module.

    Remembered per database and data version: the classifier takes seconds on a large table
    and one page view asks for it several times; any write (rules, overrides, uploads) bumps
    the version, so a stale tier is never used.
    """
    from kam_core.analytics.tiers import account_tiers as tiers_of  # imported late: a sibling feature

    return _TIERS_MEMO.get(data_key(db), lambda: tiers_of(db)[["account", "tier"]].copy())


def key_accounts(db: Database) -> list[str]:
    """Accounts whose tier is GKA, NKA or LKA."""
    t = account_tiers(db)
    return t.loc[t["tier"].isin(KA_TIERS), "account"].tolist()


# -- province → region map -------------------------------------------------------------
def region_map(db: Database) -> dict[str, str]:
    """Canonical province → region: the defaults overlaid with the saved edits."""
    saved = settings.get(db, REGION_MAP_KEY)
    return {**DEFAULT_REGION_OF, **{p: r for p, r in saved.items() if p in DEFAULT_REGION_OF and r in REGIONS}}


def save_region_map(db: Database, mapping: dict[str, str], user: str) -> dict[str, str]:
    """Validate and store a province → region map; returns what was stored (UserError if refused)."""
    clean: dict[str, str] = {}
    bad: list[str] = []
    for prov, reg in mapping.items():
        p = normalize_province(prov)
        if p is None or reg not in REGIONS:
            bad.append(f"{prov} → {reg}")
            continue
        clean[p] = reg
    if bad:
        raise UserError("regions.err.unknown", items=", ".join(bad), regions=", ".join(REGIONS))
    full = {**region_map(db), **clean}
    keys, vals = map_lists(full)
    # The stored region of every line the app derived from this map follows it, so the sidebar's region
    # filter and every other page agree with this page. A region a file gave is the file's and stays; the
    # rollback copies (*_replaced) stay as they were, so a rollback puts back exactly what was replaced.
    with db.transaction(user, "setting", {"key": REGION_MAP_KEY}) as cur:
        settings.write(cur, REGION_MAP_KEY, full, user)
        for table in ("sales", "stores"):
            cur.execute(
                f"""UPDATE {table} SET region = m.reg
                    FROM (SELECT unnest(?::VARCHAR[]) AS prov, unnest(?::VARCHAR[]) AS reg) m
                    WHERE {table}.region_derived AND {table}.province = m.prov
                      AND {table}.region IS DISTINCT FROM m.reg""",  # noqa: S608
                [keys, vals],
            )
        summary.refresh(cur, accounts=[])  # regions moved in any month; the store footprint has no region
    return full


def region_map_frame(db: Database) -> pd.DataFrame:
    """The map as a table for editing: province, Chinese name, region, default region."""
    m = region_map(db)
    rows = [(p.name, p.name_zh_short, m[p.name], DEFAULT_REGION_OF[p.name]) for p in provinces()]
    df = pd.DataFrame(rows, columns=["province", "province_zh", "region", "default_region"])
    df["_o"] = df["default_region"].map({r: i for i, r in enumerate(REGIONS)})
    return df.sort_values(["_o", "province"]).drop(columns="_o").reset_index(drop=True)


def map_lists(mapping: dict[str, str]) -> tuple[list[str], list[str]]:
    """Province keys (canonical, Chinese and short Chinese names) and their regions, for SQL."""
    keys: list[str] = []
    vals: list[str] = []
    for p in provinces():
        r = mapping.get(p.name)
        if r is None:
            continue
        for k in dict.fromkeys((p.name, p.name_zh, p.name_zh_short)):
            keys.append(k)
            vals.append(r)
    return keys, vals


def region_condition(regions: tuple[str, ...], mapping: dict[str, str], alias: str = "") -> tuple[str, list]:
    """SQL condition 'the line's mapped region is one of ``regions``' without computing it per row."""
    if not regions:
        return "TRUE", []
    a = f"{alias}." if alias else ""
    keys, vals = map_lists(mapping)
    inside = [k for k, v in zip(keys, vals, strict=True) if v in regions]
    ph_r = ", ".join("?" * len(regions))
    cond = (
        f"({a}province IN (SELECT unnest(?::VARCHAR[])) OR "
        f"(({a}province IS NULL OR {a}province NOT IN (SELECT unnest(?::VARCHAR[]))) AND {a}region IN ({ph_r})))"
    )
    return cond, [inside, keys, *regions]


def where(db: Database, f: Filters, alias: str = "", period: bool = True) -> tuple[str, list]:
    """Like ``Filters.where`` but the region filter applies to the mapped region."""
    cond, params = replace(f, regions=()).where(alias, period=period)
    rcond, rparams = region_condition(f.regions, region_map(db), alias)
    return f"{cond} AND {rcond}", [*params, *rparams]


def mapped_region_sql(inner: str) -> str:
    """Wrap an aggregate ``inner`` (with columns province, region) so its region is the mapped one.

    Parameters: the two map lists come *after* the inner query's parameters.
    """
    return f"""SELECT i.* EXCLUDE (region), coalesce(rm.reg, i.region) AS region
               FROM ({inner}) i
               LEFT JOIN (SELECT unnest(?::VARCHAR[]) AS prov, unnest(?::VARCHAR[]) AS reg) rm
                 ON rm.prov = i.province"""  # noqa: S608 - inner is our own fixed SQL


# -- windows ---------------------------------------------------------------------------
def year_before(w: tuple[date, date]) -> tuple[date, date]:
    """The same months a year earlier (Filters.year_before)."""
    return Filters().with_period(*w).year_before().window()  # type: ignore[return-value]


def window(db: Database, f: Filters) -> tuple[date, date] | None:
    """The selected months; without a period in the filters, the last 12 months of data."""
    if f.has_period():
        return f.window()
    end = f.end or db.scalar("SELECT max(period) FROM sales")
    if end is None:
        return None
    return f.with_period(f.start or add_months(end, -11), end).window()


def span_filters(*windows: tuple[date, date]) -> tuple[tuple[date, date], list[tuple[str, list]]]:
    """The range covering ``windows`` and, per window, a FILTER condition valid inside that range.

    Queries read one plain range (row groups are pruned) and split it with FILTERs that only
    test the bounds the range does not already enforce.
    """
    span = (min(w[0] for w in windows), max(w[1] for w in windows))
    conds = []
    for lo, hi in windows:
        parts, params = [], []
        if lo > span[0]:
            parts.append("period >= ?")
            params.append(lo)
        if hi < span[1]:
            parts.append("period <= ?")
            params.append(hi)
        conds.append((" AND ".join(parts) or "TRUE", params))
    return span, conds


# -- matrix ----------------------------------------------------------------------------
def account_region_matrix(
    db: Database, f: Filters, top: int | None = 25, accounts: list[str] | None = None
) -> pd.DataFrame:
    """Account × region: revenue, share of the account's total, YoY growth; largest accounts first.

    One row per account and region with sales in the window or a year earlier. ``top`` keeps
    the largest accounts (None = all); ``accounts`` restricts to a list (e.g. key accounts).
    Columns: account, region, revenue, revenue_prior, share, yoy, account_revenue, rank.
    ``yoy`` is NaN everywhere unless both windows hold data for every month (``coverage.note(df, lang)``).
    """
    w = window(db, f)
    if w is None:
        return _empty_matrix()
    start, end = w
    cond, params = where(db, f, period=False)
    mapping = region_map(db)
    keys, vals = map_lists(mapping)
    acc_cond, acc_params = ("TRUE", [])
    if accounts is not None:
        acc_cond, acc_params = "account IN (SELECT unnest(?::VARCHAR[]))", [list(accounts)]
    span, ((cur_f, cur_p), (pri_f, pri_p)) = span_filters((start, end), year_before((start, end)))
    inner = f"""SELECT account, province, region,
                       sum(revenue) FILTER (WHERE {cur_f}) AS revenue,
                       sum(revenue) FILTER (WHERE {pri_f}) AS revenue_prior
                FROM sales_cube
                WHERE period >= ? AND period <= ? AND {cond} AND {acc_cond}
                GROUP BY ALL"""  # noqa: S608 - conditions built from fixed names
    sql = f"""WITH m AS ({mapped_region_sql(inner)}),
                   ar AS (SELECT account, region, sum(revenue) AS revenue, sum(revenue_prior) AS revenue_prior
                          FROM m GROUP BY ALL),
                   acc AS (SELECT account, sum(revenue) AS account_revenue FROM ar GROUP BY account
                           HAVING sum(revenue) IS NOT NULL),
                   ranked AS (SELECT *, row_number() OVER (ORDER BY account_revenue DESC, account) AS rank FROM acc)
              SELECT ar.account, ar.region, coalesce(ar.revenue, 0) AS revenue, ar.revenue_prior,
                     coalesce(ar.revenue, 0) / nullif(r.account_revenue, 0) AS share,
                     (coalesce(ar.revenue, 0) - ar.revenue_prior) / nullif(abs(ar.revenue_prior), 0) AS yoy,
                     r.account_revenue, r.rank
              FROM ar JOIN ranked r USING (account)
              WHERE r.rank <= ?
              ORDER BY r.rank, ar.region"""  # noqa: S608
    limit = top if top is not None else 2**62
    all_params = [*cur_p, *pri_p, *span, *params, *acc_params, keys, vals, limit]
    df = db.df(sql, all_params)
    for c in ("revenue", "revenue_prior", "share", "yoy", "account_revenue"):
        df[c] = df[c].astype(float)
    return _honest_yoy(db, df, w)


def yoy_comparison(db: Database, f: Filters) -> cv.Comparison | None:
    """The window of the matrix and account views against the same months a year earlier."""
    w = window(db, f)
    return None if w is None else cv.compare_windows(db, w, year_before(w), "prior_year")


def _honest_yoy(db: Database, df: pd.DataFrame, w: tuple[date, date]) -> pd.DataFrame:
    """No YoY against a year-earlier window without data for every month; the frame keeps the reason."""
    comparison = cv.compare_windows(db, w, year_before(w), "prior_year")
    if not comparison.ok:
        df["yoy"] = float("nan")
    return cv.attach(df, comparison)


def _empty_matrix() -> pd.DataFrame:
    cols = ["account", "region", "revenue", "revenue_prior", "share", "yoy", "account_revenue", "rank"]
    return pd.DataFrame({c: pd.Series(dtype="object" if c in ("account", "region") else "float64") for c in cols})


# -- one account -----------------------------------------------------------------------
def account_provinces(db: Database, f: Filters, account: str) -> pd.DataFrame:
    """One account by province (mapped region), with its stores there and our sales per store.

    Includes provinces where it has stores but no sales in the window. Columns: region,
    province, revenue, revenue_prior, share, yoy, stores, revenue_per_store. ``yoy`` as in
    :func:`account_region_matrix`.
    """
    w = window(db, f)
    if w is None:
        return pd.DataFrame()
    start, end = w
    cond, params = where(db, f, period=False)
    keys, vals = map_lists(region_map(db))
    span, ((cur_f, cur_p), (pri_f, pri_p)) = span_filters((start, end), year_before((start, end)))
    # The store master's regions are mapped too, so stores and sales agree.
    st_cond, st_params = region_condition(f.regions, region_map(db))
    # A known province has one mapped region whatever region was stored with it, so the stored
    # one is dropped for those; unknown provinces keep theirs (and so stay apart per region).
    reg = "CASE WHEN province IN (SELECT unnest(?::VARCHAR[])) THEN NULL ELSE region END"
    inner = f"""SELECT coalesce(s.province, st.province) AS province, coalesce(s.region, st.region) AS region,
                       coalesce(s.revenue, 0) AS revenue, s.revenue_prior, coalesce(st.stores, 0) AS stores
                FROM (SELECT province, {reg} AS region,
                             sum(revenue) FILTER (WHERE {cur_f}) AS revenue,
                             sum(revenue) FILTER (WHERE {pri_f}) AS revenue_prior
                      FROM sales_cube
                      WHERE account = ? AND period >= ? AND period <= ? AND {cond}
                      GROUP BY ALL) s
                FULL JOIN (SELECT province, {reg} AS region, count(*) AS stores
                           FROM stores WHERE account = ? AND {st_cond} GROUP BY ALL) st
                  ON s.province IS NOT DISTINCT FROM st.province AND s.region IS NOT DISTINCT FROM st.region"""  # noqa: S608
    sql = f"""WITH m AS ({mapped_region_sql(inner)})
              SELECT region, province, revenue, revenue_prior,
                     revenue / nullif(sum(revenue) OVER (), 0) AS share,
                     (revenue - revenue_prior) / nullif(abs(revenue_prior), 0) AS yoy,
                     stores, revenue / nullif(stores, 0) AS revenue_per_store
              FROM m ORDER BY revenue DESC, province"""  # noqa: S608
    df = db.df(
        sql,
        [keys, *cur_p, *pri_p, account, *span, *params, keys, account, *st_params, keys, vals],
    )
    for c in ("revenue", "revenue_prior", "share", "yoy", "revenue_per_store"):
        df[c] = df[c].astype(float)
    df["stores"] = df["stores"].astype(int)
    return _honest_yoy(db, df, w)


def account_regions(provinces_df: pd.DataFrame) -> pd.DataFrame:
    """Roll a province breakdown up to regions (revenue, prior, share, YoY, stores).

    The provinces' comparison carries over: no YoY when they have none.
    """
    carried = provinces_df.attrs.get(cv.COVERAGE_ATTR)
    if provinces_df.empty:
        out = pd.DataFrame(columns=["region", "revenue", "revenue_prior", "share", "yoy", "stores"])
        out.attrs.update({cv.COVERAGE_ATTR: carried} if carried else {})
        return out
    g = provinces_df.groupby("region", dropna=False).agg(
        revenue=("revenue", "sum"), revenue_prior=("revenue_prior", lambda s: s.sum(min_count=1)),
        stores=("stores", "sum"),
    ).reset_index()  # fmt: skip
    total = g["revenue"].sum()
    g["share"] = g["revenue"] / total if total else float("nan")
    g["yoy"] = (g["revenue"] - g["revenue_prior"]) / g["revenue_prior"].abs().where(g["revenue_prior"] != 0)
    if not cv.comparable(provinces_df):
        g["yoy"] = float("nan")
    g = g.sort_values("revenue", ascending=False).reset_index(drop=True)
    g.attrs.update({cv.COVERAGE_ATTR: carried} if carried else {})
    return g


def account_trend(db: Database, f: Filters, account: str) -> pd.DataFrame:
    """Monthly revenue of one account by mapped region over the selected window."""
    w = window(db, f)
    if w is None:
        return pd.DataFrame(columns=["period", "region", "revenue"])
    cond, params = where(db, f, period=False)
    keys, vals = map_lists(region_map(db))
    inner = f"""SELECT period, province, region, sum(revenue) AS revenue FROM sales_cube
                WHERE account = ? AND period >= ? AND period <= ? AND {cond} GROUP BY ALL"""  # noqa: S608
    df = db.df(
        f"""SELECT period, region, sum(revenue) AS revenue FROM ({mapped_region_sql(inner)})
            GROUP BY ALL ORDER BY period, region""",  # noqa: S608
        [account, *w, *params, keys, vals],
    )
    df["revenue"] = df["revenue"].astype(float)
    return df


# -- whitespace ------------------------------------------------------------------------
def whitespace_threshold(db: Database) -> float:
    return float(settings.get(db, WHITESPACE_KEY))


def whitespace(provinces_df: pd.DataFrame, threshold: float = DEFAULT_WHITESPACE) -> pd.DataFrame:
    """Provinces where the account has stores but our sales per store are below ``threshold`` × its median.

    The median is over the account's provinces that have stores. ``gap`` = what our sales
    there would be at the median per-store level, minus what they are.
    """
    cols = ["region", "province", "stores", "revenue", "revenue_per_store", "median_per_store", "index", "gap"]
    d = provinces_df[provinces_df["stores"] > 0] if not provinces_df.empty else provinces_df
    if d.empty:
        return pd.DataFrame(columns=cols)
    d = d.copy()
    d["revenue_per_store"] = d["revenue"] / d["stores"]
    med = float(d["revenue_per_store"].median())
    d["median_per_store"] = med
    d["index"] = d["revenue_per_store"] / med if med else float("nan")
    d["gap"] = med * d["stores"] - d["revenue"]
    out = d[d["revenue_per_store"] < threshold * med] if med > 0 else d.iloc[0:0]
    return out.sort_values("gap", ascending=False)[cols].reset_index(drop=True)
