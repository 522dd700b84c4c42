"""The tier classifier as it was before it was vectorised (commit e737b30), kept verbatim as a reference.

tests/test_tiers_equivalence.py asserts that :func:`kam_core.analytics.tiers.account_tiers`
gives exactly what this gives (every column, every row, both languages). Only the imports
changed, and one bug is fixed (marked in :func:`account_tiers`): the province lookup helpers come
from the module under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kam_core import vocab
from kam_core.analytics import tiers as T
from kam_core.analytics.tiers import TIERS, TierRules, _with_lookup
from kam_core.db import Database
from kam_core.filters import Filters, add_months
from kam_core.geo import province_zh
from kam_core.i18n import t, value_label

# -- the classifier as it was before vectorising (commit e737b30) -------------------------------------
_FOOTPRINT_SQL = """
WITH acc AS (
    SELECT account FROM accounts UNION SELECT DISTINCT account FROM sales),
st AS (
    SELECT s.account, count(*) AS stores,
           list(DISTINCT m.province) FILTER (WHERE m.province IS NOT NULL) AS provinces,
           list(DISTINCT trim(s.province)) FILTER (WHERE s.province IS NOT NULL AND m.province IS NULL
                                                   AND trim(s.province) <> '') AS unknown
    FROM stores s LEFT JOIN prov_map m ON m.raw = s.province GROUP BY s.account),
-- sales pre-aggregated per account, province and store first: the distinct-lists below then
-- run over thousands of rows instead of the whole fact table.
-- (grouped with the raw channel first, so the channel test — the channel's code in the one
-- vocabulary is a modern-trade format — runs on the groups, not on every line)
g0 AS (
    SELECT account, province, store, channel, sum(revenue) AS r FROM sales GROUP BY ALL),
g AS (
    SELECT account, province, store, sum(r) AS r, sum(r) FILTER (WHERE {mt}) AS rmt
    FROM g0 GROUP BY ALL),
sa AS (
    SELECT g.account, count(DISTINCT g.store) AS stores, bool_or(g.store IS NULL) AS has_unstored,
           list(DISTINCT m.province) FILTER (WHERE m.province IS NOT NULL) AS provinces,
           list(DISTINCT trim(g.province)) FILTER (WHERE g.province IS NOT NULL AND m.province IS NULL
                                                   AND trim(g.province) <> '') AS unknown,
           sum(g.r) AS revenue_all, sum(g.rmt) AS revenue_mt_channel
    FROM g LEFT JOIN prov_map m ON m.raw = g.province GROUP BY g.account)
SELECT acc.account, a.name_zh, coalesce(a.international, FALSE) AS international, a.format,
       a.tier_override, a.tier_override_reason, a.tier_override_by, a.tier_override_at,
       st.stores AS master_stores, st.provinces AS master_provinces, st.unknown AS master_unknown,
       sa.stores AS sales_stores, sa.has_unstored, sa.provinces AS sales_provinces, sa.unknown AS sales_unknown,
       sa.revenue_all, sa.revenue_mt_channel
FROM acc LEFT JOIN accounts a USING (account) LEFT JOIN st USING (account) LEFT JOIN sa USING (account)
ORDER BY acc.account
"""

# Revenue per account and canonical province over the share window (for the single-store test).
_PROVINCE_REVENUE_SQL = """
WITH s AS (SELECT account, province, sum(revenue) AS revenue FROM sales WHERE period > ? GROUP BY ALL)
SELECT s.account, m.province, sum(s.revenue) AS revenue
FROM s JOIN prov_map m ON m.raw = s.province
WHERE m.province IS NOT NULL
GROUP BY ALL
"""


@dataclass
class _Reason:
    """A reason as catalog keys and values, rendered in either language."""

    parts: list[tuple[str, dict]] = field(default_factory=list)

    def add(self, key: str, **kw: object) -> None:
        self.parts.append((key, kw))

    def render(self, lang: str) -> str:
        out = []
        for key, kw in self.parts:
            vals = {k: (v(lang) if callable(v) else v) for k, v in kw.items()}
            out.append(t(key, lang, **vals))
        sep = "；" if lang == "zh" else "; "
        return sep.join(out)


def _prov_label(name: str) -> object:
    return lambda lang: province_zh(name) if lang == "zh" else name


def _fmt_label(code: str) -> object:
    return lambda lang: value_label("channel", code, lang)


def _tier_label(tier: str) -> object:
    return lambda lang: t(f"tiers.tier.{tier}", lang)


def _missing(v: object) -> bool:
    """None / NaN / NA / NaT (scalars only; lists are never missing). Called per cell: kept cheap."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and v != v


def _num(v: object) -> float:
    return 0.0 if _missing(v) else float(v)


def _as_list(v: object) -> list[str]:
    if _missing(v) or isinstance(v, str):
        return []
    return sorted(str(x) for x in v)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def account_tiers(db: Database, lang: str, rules: TierRules) -> pd.DataFrame:
    cmap = vocab.channel_map(db)
    mt, mt_params = vocab.code_in_sql("channel", cmap, rules.modern_trade_formats)
    fp = _with_lookup(db, _FOOTPRINT_SQL.format(mt=mt), mt_params)
    last = db.scalar("SELECT max(period) FROM sales")
    prov_rev = pd.DataFrame(columns=["account", "province", "revenue"])
    if last is not None:
        prov_rev = _with_lookup(db, _PROVINCE_REVENUE_SQL, [add_months(last, -rules.share_months)])
        prov_rev["revenue"] = prov_rev["revenue"].astype(float)

    rows = []
    for r in fp.itertuples(index=False):
        rows.append(_classify(r, rules, cmap))
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=_COLUMNS)

    # Single-store test: the store's share of its province's modern-trade sales, where
    # "modern trade" is each account's own modern-trade status (format, else channels).
    mt_accounts = set(out.loc[out["modern_trade"], "account"])
    mt_rev = prov_rev[prov_rev["account"].isin(mt_accounts)]
    prov_total = mt_rev.groupby("province")["revenue"].sum()
    acc_prov = mt_rev.set_index(["account", "province"])["revenue"]
    for i in out.index[out["_single"]]:
        acc, prov = out.at[i, "account"], out.at[i, "_single_province"]
        # The one change to the old code, a bug fix: pandas 3 stores a missing province as NaN in
        # this str column, not None, so the old code said "single store with 0.0% of nan's
        # modern-trade sales" instead of "single store in an unknown province" (same tier).
        prov = None if _missing(prov) else prov
        reason: _Reason = out.at[i, "_reason"]
        num = float(acc_prov.get((acc, prov), 0.0)) if prov else 0.0
        den = float(prov_total.get(prov, 0.0)) if prov else 0.0
        share = num / den if den > 0 else 0.0
        out.at[i, "single_store_share"] = share
        if prov is None:
            reason.add("tiers.reason.single_no_province")
            out.at[i, "computed_tier"] = "non_ka"
        elif share >= rules.single_store_share:
            reason.add("tiers.reason.single_above", share=_pct(share), province=_prov_label(prov),
                       threshold=_pct(rules.single_store_share))  # fmt: skip
            out.at[i, "computed_tier"] = "LKA"
        else:
            reason.add("tiers.reason.single_below", share=_pct(share), province=_prov_label(prov),
                       threshold=_pct(rules.single_store_share))  # fmt: skip
            out.at[i, "computed_tier"] = "non_ka"

    tiers, en, zh = [], [], []
    for r in out.to_dict("records"):
        reason: _Reason = r["_reason"]

        def computed(lang: str, reason: _Reason = reason, tier: str = r["computed_tier"]) -> str:
            return reason.render(lang) + " " + t("tiers.reason.result", lang, tier=t(f"tiers.tier.{tier}", lang))

        if r["overridden"]:
            final = _Reason()
            final.add("tiers.reason.override", tier=_tier_label(r["tier_override"]), user=r["override_by"] or "?",
                      when=_when(r["override_at"]), why=r["override_reason"] or "")  # fmt: skip
            en.append(f"{final.render('en')} ({t('tiers.reason.computed', 'en')}: {computed('en')})")
            zh.append(f"{final.render('zh')}（{t('tiers.reason.computed', 'zh')}：{computed('zh')}）")
            tiers.append(r["tier_override"])
        else:
            en.append(computed("en"))
            zh.append(computed("zh"))
            tiers.append(r["computed_tier"])
    out["tier"] = tiers
    out["reason_en"] = en
    out["reason_zh"] = zh
    out["reason"] = out["reason_zh"] if lang == "zh" else out["reason_en"]
    return out[_COLUMNS].reset_index(drop=True)


_COLUMNS = [
    "account", "name_zh", "tier", "computed_tier", "reason", "reason_en", "reason_zh", "international", "format",
    "modern_trade", "stores", "n_provinces", "provinces", "unknown_provinces", "footprint", "single_store_share",
    "overridden", "override_by", "override_at", "override_reason",
]  # fmt: skip


def _when(v: object) -> str:
    if _missing(v):
        return "?"
    return pd.Timestamp(v).strftime("%Y-%m-%d %H:%M")


def _classify(r: object, rules: TierRules, cmap: dict[str, str]) -> dict:
    """Everything but the single-store share test (which needs all accounts' modern-trade status)."""
    reason = _Reason()
    international = not _missing(r.international) and bool(r.international)
    fmt = vocab.format_code(r.format, cmap)
    # Footprint: the store master when the account has rows there, else what its sales show.
    if not _missing(r.master_stores) and int(r.master_stores) > 0:
        source, stores = "stores", int(r.master_stores)
        provinces, unknown = _as_list(r.master_provinces), _as_list(r.master_unknown)
    elif not _missing(r.sales_stores):
        source = "sales"
        provinces, unknown = _as_list(r.sales_provinces), _as_list(r.sales_unknown)
        stores = int(r.sales_stores)
        # Lines without a store code still come from somewhere: at least one store per province seen.
        if (not _missing(r.has_unstored) and bool(r.has_unstored)) or stores == 0:
            stores = max(stores, len(provinces) + len(unknown), 1)
    else:
        source, stores, provinces, unknown = "none", 0, [], []

    # Modern-trade status: the format on record, else the channels of its sales lines.
    if fmt:
        modern = fmt in rules.modern_trade_formats
    else:
        total, mt_rev = _num(r.revenue_all), _num(r.revenue_mt_channel)
        share = mt_rev / total if total > 0 else 0.0
        modern = total > 0 and share >= 0.5
    override = r.tier_override if isinstance(r.tier_override, str) and r.tier_override in TIERS else None
    row = {
        "account": r.account, "name_zh": r.name_zh, "international": international, "format": fmt,
        "modern_trade": modern, "stores": stores, "n_provinces": len(provinces), "provinces": provinces,
        "unknown_provinces": unknown, "footprint": source, "single_store_share": None,
        "overridden": override is not None, "tier_override": override,
        "override_by": r.tier_override_by if override else None,
        "override_at": r.tier_override_at if override else None,
        "override_reason": r.tier_override_reason if override else None,
        "_single": False, "_single_province": None, "_reason": reason,
    }  # fmt: skip

    if fmt:
        if not modern:
            reason.add("tiers.reason.not_modern_format", format=_fmt_label(fmt))
            row["computed_tier"] = "non_ka"
            return row
        if fmt == "convenience":
            reason.add("tiers.reason.convenience")
    else:
        if not modern:
            reason.add("tiers.reason.no_format_not_modern", share=_pct(share))
            row["computed_tier"] = "non_ka"
            return row
        reason.add("tiers.reason.no_format_modern", share=_pct(share))
    if source == "none":
        reason.add("tiers.reason.no_stores")
        row["computed_tier"] = "non_ka"
        return row
    if source == "sales":
        reason.add("tiers.reason.from_sales")
    if unknown:
        reason.add("tiers.reason.unknown_provinces", names=", ".join(unknown))

    if len(provinces) >= rules.min_provinces:
        if international:
            reason.add("tiers.reason.gka", stores=stores, provinces=len(provinces))
            row["computed_tier"] = "GKA"
        else:
            reason.add("tiers.reason.nka", stores=stores, provinces=len(provinces))
            row["computed_tier"] = "NKA"
        return row
    prov = provinces[0] if provinces else None
    if stores >= rules.min_stores_lka:
        if prov:
            reason.add("tiers.reason.lka_stores", stores=stores, province=_prov_label(prov))
        else:
            reason.add("tiers.reason.lka_stores_unknown", stores=stores)
        if international:
            reason.add("tiers.reason.international_one_province")
        row["computed_tier"] = "LKA"
        return row
    # One store: decided by its share of the province's modern-trade sales (after the loop).
    row["_single"] = True
    row["_single_province"] = prov
    row["computed_tier"] = "non_ka"
    return row


# -- the tier page's views as they were before they shared one aggregate (commit aa11292) ----------------
# (tree_data over the lines rather than the cube: the same sums)
# Kept verbatim but for one change (marked): the top accounts of a province are listed in rank order, ties
# by account name, where the old query left equal revenues in whatever order the join gave them.
def province_view(db: Database, f: Filters, tier: str | None = None) -> pd.DataFrame:
    tiers = T.account_tiers(db)
    chosen = [tier] if tier else list(T.KA_TIERS)
    tiers = tiers[tiers["tier"].isin(chosen)][["account", "tier", "stores", "footprint"]]
    where, params = f.where("s")
    sql = f"""
        WITH b AS (  -- one scan of the fact table, pre-aggregated before any join
            SELECT s.account, s.province AS raw, s.store, sum(s.revenue) AS revenue
            FROM sales s WHERE {where} AND s.account IN (SELECT account FROM tiers_in) GROUP BY ALL),
        bm AS (
            SELECT b.*, m.province, t.footprint
            FROM b JOIN tiers_in t USING (account) JOIN prov_map m ON m.raw = b.raw
            WHERE m.province IS NOT NULL),
        rev AS (SELECT province, account, sum(revenue) AS revenue FROM bm GROUP BY ALL),
        st_master AS (
            SELECT m.province, count(*) AS stores FROM stores s JOIN tiers_in t USING (account)
            JOIN prov_map m ON m.raw = s.province
            WHERE t.footprint = 'stores' AND (s.account, m.province) IN (SELECT (account, province) FROM rev)
            GROUP BY 1),
        st_sales AS (
            SELECT province, count(DISTINCT account || '|' || coalesce(store, '')) AS stores
            FROM bm WHERE footprint = 'sales' GROUP BY 1),
        ranked AS (SELECT *, row_number() OVER (PARTITION BY province ORDER BY revenue DESC, account) AS rn FROM rev)
        SELECT p.province, coalesce(sum(r.revenue), 0) AS revenue, count(r.account) AS accounts,
               -- (the change: ORDER BY r.rn, was ORDER BY r.revenue DESC)
               string_agg(r.account, ', ' ORDER BY r.rn) FILTER (WHERE r.rn <= 3) AS top_accounts,
               coalesce(any_value(sm.stores), 0) + coalesce(any_value(ss.stores), 0) AS stores
        FROM (SELECT province FROM rev UNION SELECT province FROM st_master UNION SELECT province FROM st_sales) p
        LEFT JOIN ranked r USING (province) LEFT JOIN st_master sm USING (province)
        LEFT JOIN st_sales ss USING (province)
        GROUP BY p.province ORDER BY revenue DESC, p.province"""
    df = _with_lookup(db, sql, params, tiers_in=tiers)
    df["revenue"] = df["revenue"].astype(float)
    df["stores"] = df["stores"].astype(int)
    df["accounts"] = df["accounts"].astype(int)
    return df


def account_list(db: Database, f: Filters, lang: str = "en") -> pd.DataFrame:
    tiers = T.account_tiers(db, lang)
    where, params = f.where()
    rev = db.df(f"SELECT account, sum(revenue) AS revenue FROM sales WHERE {where} GROUP BY 1", params)
    out = tiers.merge(rev, on="account", how="left")
    out["revenue"] = out["revenue"].astype(float).fillna(0.0)
    order = {t_: i for i, t_ in enumerate(TIERS)}
    out["_o"] = out["tier"].map(order)
    return out.sort_values(["_o", "revenue", "account"], ascending=[True, False, True]).drop(columns="_o")


def tree_data(db: Database, f: Filters, top: int | None = 25, provinces: int | None = 10) -> pd.DataFrame:
    tiers = T.account_tiers(db)
    tiers = tiers[tiers["tier"].isin(T.KA_TIERS)][["account", "tier"]]
    where, params = f.where("s")
    big = 2**62
    sql = f"""WITH b AS (SELECT t.tier, s.account, coalesce(m.province, s.province, '?') AS province,
                               sum(s.revenue) AS revenue
                        FROM sales s JOIN tiers_in t USING (account) LEFT JOIN prov_map m ON m.raw = s.province
                        WHERE {where} GROUP BY ALL HAVING sum(s.revenue) > 0),
                   a AS (SELECT tier, account,
                                row_number() OVER (PARTITION BY tier ORDER BY sum(revenue) DESC, account) AS rk
                         FROM b GROUP BY tier, account),
                   r AS (SELECT b.*, a.rk,
                                row_number() OVER (PARTITION BY b.tier, b.account ORDER BY b.revenue DESC, b.province)
                                    AS pk
                         FROM b JOIN a USING (tier, account)),
                   c AS (SELECT tier, CASE WHEN rk <= ? THEN account END AS account,
                                CASE WHEN rk <= ? AND pk <= ? THEN province END AS province,
                                sum(revenue) AS revenue, count(DISTINCT account) AS accounts, count(*) AS provinces,
                                min(rk) AS rk
                         FROM r GROUP BY 1, 2, 3)
              SELECT tier, account, province, revenue, accounts, provinces FROM c
              ORDER BY tier, rk, province IS NULL, revenue DESC, province"""
    n_acc = big if top is None else int(top)
    n_prov = big if provinces is None else int(provinces)
    df = _with_lookup(db, sql, [*params, n_acc, n_acc, n_prov], tiers_in=tiers)
    df["revenue"] = df["revenue"].astype(float)
    df["accounts"] = df["accounts"].astype(int)
    df["provinces"] = df["provinces"].astype(int)
    return df
