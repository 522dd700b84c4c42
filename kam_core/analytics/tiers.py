"""Key-account tiers (GKA / NKA / LKA / not K/A) per account, with the reason in words.

Rules (spec §5, KAM_DOMAIN.md §6), in this order:
1. a manual override wins (recorded with who / when / why, shown as such);
2. an account whose format is not modern trade is never K/A (no format on record → the
   majority of its sales lines' channels decides); formats and channels are read through the
   one vocabulary of :mod:`kam_core.vocab` (built-in synonyms + the user's channel mapping);
3. stores in ≥ N provinces (default 2): international background → GKA, else NKA;
4. several stores (default ≥ 2) in one province → LKA;
5. a single store whose share of its province's modern-trade sales (last 12 months of
   data) is at least the threshold → LKA; otherwise not K/A.
Convenience chains go through the same tests. The footprint comes from the store master,
or — for an account without store master rows — from the stores / provinces in its sales.
Settings: ``tiers.modern_trade_formats``, ``tiers.min_provinces``, ``tiers.min_stores_lka``,
``tiers.single_store_share``, ``tiers.share_months`` (declared in :mod:`kam_core.settings`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import datetime

import pandas as pd

from kam_core import coverage as cv
from kam_core import settings, vocab
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters, add_months
from kam_core.geo import normalize_province, province_zh
from kam_core.i18n import t, value_label

TIERS = ("GKA", "NKA", "LKA", "non_ka")
KA_TIERS = ("GKA", "NKA", "LKA")
DEFAULT_FORMATS = list(vocab.DEFAULT_MODERN_TRADE)
# One setting per rule (TierRules field → key).
RULE_KEYS = {name: f"tiers.{name}" for name in settings.TIER_RULES_SPLIT}

TierInputError = UserError  # older name; the page and tests still catch it


@dataclass(frozen=True)
class TierRules:
    """Editable thresholds and the modern-trade formats eligible for K/A."""

    modern_trade_formats: tuple[str, ...] = tuple(DEFAULT_FORMATS)
    min_provinces: int = 2  # stores in at least this many provinces → GKA / NKA
    min_stores_lka: int = 2  # at least this many stores in one province → LKA
    single_store_share: float = 0.10  # single store: share of its province's modern-trade sales → LKA
    share_months: int = 12  # the share is measured over the last N months of data

    def validate(self, mapping: dict[str, str] | None = None) -> TierRules:
        """The rules with their formats as codes (``mapping``: vocab.channel_map; built-ins when None)."""
        if self.min_provinces < 2:
            raise UserError("tiers.err.min_provinces")
        if self.min_stores_lka < 2:
            raise UserError("tiers.err.min_stores")
        if not 0 < self.single_store_share <= 1:
            raise UserError("tiers.err.share")
        if self.share_months < 1:
            raise UserError("tiers.err.months")
        codes = (vocab.format_code(f, mapping) for f in self.modern_trade_formats)
        fm = tuple(dict.fromkeys(c for c in codes if c))
        if not fm:
            raise UserError("tiers.err.formats")
        return TierRules(fm, self.min_provinces, self.min_stores_lka, float(self.single_store_share), self.share_months)


def get_rules(db: Database) -> TierRules:
    mapping = vocab.channel_map(db)
    values = {name: settings.get(db, key) for name, key in RULE_KEYS.items()}
    values["modern_trade_formats"] = tuple(vocab.modern_trade_codes(db, mapping))
    return TierRules(**values).validate(mapping)


def save_rules(db: Database, rules: TierRules, user: str) -> TierRules:
    """Validate and store all five rules in one transaction (recorded with ``user``)."""
    rules = rules.validate(vocab.channel_map(db))
    d = asdict(rules)
    d["modern_trade_formats"] = list(rules.modern_trade_formats)
    settings.put_many(db, {RULE_KEYS[k]: v for k, v in d.items()}, user)
    return rules


# -- province normalisation (distinct raw names are few; mapped in Python, joined in SQL) ------------
def province_lookup(db: Database) -> pd.DataFrame:
    """Every distinct raw province name in sales and stores → canonical name (None = unknown)."""
    raw = db.df(
        """SELECT DISTINCT province AS raw FROM sales WHERE province IS NOT NULL
           UNION SELECT DISTINCT province FROM stores WHERE province IS NOT NULL"""
    )["raw"].tolist()
    return pd.DataFrame({"raw": raw, "province": [normalize_province(r) for r in raw]}, dtype=object)


def _lookup_frame(db: Database) -> pd.DataFrame:
    lookup = province_lookup(db)
    if lookup.empty:  # keep the column types when nothing is there yet
        return pd.DataFrame({"raw": ["\0"], "province": [None]}, dtype=object)
    return lookup


def _with_lookup(db: Database, sql: str, params: list, **frames: pd.DataFrame) -> pd.DataFrame:
    """Run ``sql`` on a cursor where ``prov_map(raw, province)`` and ``frames`` are registered."""
    lookup = _lookup_frame(db)
    cur = db.cursor()
    try:
        cur.register("prov_map", lookup)
        for name, frame in frames.items():
            cur.register(name, frame)
        return cur.execute(sql, params).df()
    finally:
        cur.close()


# -- the classifier ---------------------------------------------------------------------------------
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
    return f"{x * 100:.1f} %"


_MEMO: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_MEMO_LOCK = threading.Lock()


def account_tiers(db: Database, lang: str = "en", rules: TierRules | None = None) -> pd.DataFrame:
    """One row per account (account master ∪ accounts in sales): tier and the reason in words.

    Every tier view needs this; it is memoised per database and data version (every write
    bumps the version, rules and overrides included), so one page run classifies once.

    Columns: account, tier ("GKA" | "NKA" | "LKA" | "non_ka"), computed_tier, reason,
    reason_en, reason_zh, international, format, modern_trade, stores, n_provinces,
    provinces (list of canonical English names), unknown_provinces, footprint
    ("stores" | "sales" | "none"), single_store_share, overridden, override_by,
    override_at, override_reason.
    """
    if rules is not None:
        return _account_tiers(db, lang, rules)
    key = (id(db), str(db.path), db.data_version())
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
    if hit is None:
        hit = _account_tiers(db, "en", get_rules(db))
        with _MEMO_LOCK:
            _MEMO[key] = hit
            while len(_MEMO) > 8:
                _MEMO.popitem(last=False)
    out = hit.copy()
    out["reason"] = out["reason_zh"] if lang == "zh" else out["reason_en"]
    return out


def clear_memo() -> None:
    """Forget memoised classifications (benchmarks measure the full cost with this)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def _account_tiers(db: Database, lang: str, rules: TierRules) -> pd.DataFrame:
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


def account_tier_map(db: Database) -> dict[str, str]:
    """account → tier (for joins elsewhere)."""
    df = account_tiers(db)
    return dict(zip(df["account"], df["tier"], strict=True))


# -- overrides --------------------------------------------------------------------------------------
def set_override(db: Database, account: str, tier: str | None, reason: str, user: str) -> None:
    """Set (tier) or clear (None) the manual tier of an account, recording who / when / why."""
    account = (account or "").strip()
    if not account:
        raise UserError("tiers.err.account_required")
    if tier is not None and tier not in TIERS:
        raise UserError("tiers.err.tier", tiers=", ".join(TIERS), got=str(tier))
    reason = (reason or "").strip()
    if tier is not None and not reason:
        raise UserError("tiers.err.reason")
    known = db.scalar(
        "SELECT count(*) FROM (SELECT account FROM accounts WHERE account = ? UNION SELECT account FROM sales "
        "WHERE account = ? LIMIT 1)",
        [account, account],
    )
    if not known:
        raise UserError("tiers.err.unknown_account", account=account)
    now = datetime.now().replace(microsecond=0)
    action = "tier_override" if tier else "tier_override_cleared"
    with db.transaction(user, action, {"account": account, "tier": tier, "reason": reason}) as cur:
        # An account seen only in sales gets a minimal master row (marked as not reviewed).
        cur.execute(
            "INSERT INTO accounts (account, reviewed, updated_by, updated_at) VALUES (?, FALSE, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [account, user, now],
        )
        if tier:
            cur.execute(
                """UPDATE accounts SET tier_override = ?, tier_override_reason = ?, tier_override_by = ?,
                   tier_override_at = ? WHERE account = ?""",
                [tier, reason, user, now, account],
            )
        else:
            cur.execute(
                """UPDATE accounts SET tier_override = NULL, tier_override_reason = NULL, tier_override_by = NULL,
                   tier_override_at = NULL WHERE account = ?""",
                [account],
            )


# -- views under the global filters -----------------------------------------------------------------
def _prior(f: Filters) -> tuple[str, list]:
    """Condition for the same months a year earlier, other filters included (FALSE without a period)."""
    if not (f.start or f.end):
        return "FALSE", []
    return f.year_before().where("s")


def tier_summary(db: Database, f: Filters) -> pd.DataFrame:
    """Per tier under the filters: accounts with sales, their stores, revenue, share, YoY growth.

    ``yoy`` is NaN for every tier unless both windows hold data for every month
    (``coverage.note(df, lang)`` says why; ``revenue_last_year`` is still given).
    """
    tiers = account_tiers(db)
    where, params = f.where("s")
    pwhere, pparams = _prior(f)
    comparison = cv.compare_year_before(db, f)
    sql = f"""
        WITH cur AS (SELECT s.account, sum(s.revenue) AS revenue FROM sales s WHERE {where} GROUP BY 1),
             pri AS (SELECT s.account, sum(s.revenue) AS revenue FROM sales s WHERE {pwhere} GROUP BY 1),
             t AS (SELECT * FROM (VALUES ('GKA', 1), ('NKA', 2), ('LKA', 3), ('non_ka', 4)) v(tier, ord))
        SELECT t.tier,
               count(cur.account) FILTER (WHERE cur.revenue <> 0) AS accounts,
               coalesce(sum(ti.stores) FILTER (WHERE cur.revenue <> 0), 0) AS stores,
               coalesce(sum(cur.revenue), 0) AS revenue,
               sum(pri.revenue) AS revenue_last_year
        FROM t LEFT JOIN tiers_in ti ON ti.tier = t.tier
               LEFT JOIN cur ON cur.account = ti.account
               LEFT JOIN pri ON pri.account = ti.account
        GROUP BY t.tier, t.ord ORDER BY t.ord"""  # noqa: S608 - conditions come from Filters.where
    df = _with_lookup(db, sql, [*params, *pparams], tiers_in=tiers[["account", "tier", "stores"]])
    df["revenue"] = df["revenue"].astype(float)
    df["revenue_last_year"] = df["revenue_last_year"].astype(float)
    total = df["revenue"].sum()
    df["share"] = df["revenue"] / total if total else 0.0
    ly = df["revenue_last_year"]
    df["yoy"] = ((df["revenue"] - ly) / ly.abs()).where(ly.notna() & (ly != 0) & comparison.ok)
    df["accounts"] = df["accounts"].astype(int)
    df["stores"] = df["stores"].astype(int)
    return cv.attach(df[["tier", "accounts", "stores", "revenue", "share", "yoy", "revenue_last_year"]], comparison)


def account_list(db: Database, f: Filters, lang: str = "en") -> pd.DataFrame:
    """Every account with its tier, reason, provinces, stores and revenue under the filters."""
    tiers = account_tiers(db, lang)
    where, params = f.where()
    rev = db.df(f"SELECT account, sum(revenue) AS revenue FROM sales WHERE {where} GROUP BY 1", params)  # noqa: S608
    out = tiers.merge(rev, on="account", how="left")
    out["revenue"] = out["revenue"].astype(float).fillna(0.0)
    order = {t_: i for i, t_ in enumerate(TIERS)}
    out["_o"] = out["tier"].map(order)
    return out.sort_values(["_o", "revenue", "account"], ascending=[True, False, True]).drop(columns="_o")


def province_view(db: Database, f: Filters, tier: str | None = None) -> pd.DataFrame:
    """Per canonical province, for one tier (or all K/A tiers): revenue, stores, accounts, top accounts.

    Stores come from the store master (its province) for accounts that have one, else
    from the distinct stores in their sales in that province; either way only for accounts
    that sold in that province under the filters, so a region filter narrows the map.
    """
    tiers = account_tiers(db)
    chosen = [tier] if tier else list(KA_TIERS)
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
               string_agg(r.account, ', ' ORDER BY r.revenue DESC) FILTER (WHERE r.rn <= 3) AS top_accounts,
               coalesce(any_value(sm.stores), 0) + coalesce(any_value(ss.stores), 0) AS stores
        FROM (SELECT province FROM rev UNION SELECT province FROM st_master UNION SELECT province FROM st_sales) p
        LEFT JOIN ranked r USING (province) LEFT JOIN st_master sm USING (province)
        LEFT JOIN st_sales ss USING (province)
        GROUP BY p.province ORDER BY revenue DESC, p.province"""  # noqa: S608 - conditions come from Filters.where
    df = _with_lookup(db, sql, params, tiers_in=tiers)
    df["revenue"] = df["revenue"].astype(float)
    df["stores"] = df["stores"].astype(int)
    df["accounts"] = df["accounts"].astype(int)
    return df


def tree_data(db: Database, f: Filters) -> pd.DataFrame:
    """Revenue by tier → account → province (K/A tiers only) under the filters."""
    tiers = account_tiers(db)
    tiers = tiers[tiers["tier"].isin(KA_TIERS)][["account", "tier"]]
    where, params = f.where("s")
    sql = f"""SELECT t.tier, s.account, coalesce(m.province, s.province, '?') AS province,
                     sum(s.revenue) AS revenue
              FROM sales s JOIN tiers_in t USING (account) LEFT JOIN prov_map m ON m.raw = s.province
              WHERE {where} GROUP BY ALL HAVING sum(s.revenue) > 0
              ORDER BY 1, 4 DESC"""  # noqa: S608
    df = _with_lookup(db, sql, params, tiers_in=tiers)
    df["revenue"] = df["revenue"].astype(float)
    return df


def unknown_provinces(db: Database) -> pd.DataFrame:
    """Raw province names (in sales or the store master) that match no province, with where they occur."""
    lookup = province_lookup(db)
    bad = lookup[lookup["province"].isna()]["raw"].tolist()
    if not bad:
        return pd.DataFrame(columns=["name", "sales_lines", "revenue", "stores", "accounts"])
    ph = ", ".join("?" * len(bad))
    return db.df(
        f"""WITH s AS (SELECT province AS name, count(*) AS sales_lines, sum(revenue) AS revenue,
                              list(DISTINCT account) AS acc FROM sales WHERE province IN ({ph}) GROUP BY 1),
                 m AS (SELECT province AS name, count(*) AS stores, list(DISTINCT account) AS acc
                       FROM stores WHERE province IN ({ph}) GROUP BY 1)
            SELECT name, coalesce(s.sales_lines, 0) AS sales_lines, coalesce(s.revenue, 0) AS revenue,
                   coalesce(m.stores, 0) AS stores,
                   array_to_string(list_sort(list_distinct(list_concat(coalesce(s.acc, []), coalesce(m.acc, [])))),
                                   ', ') AS accounts
            FROM s FULL JOIN m USING (name) ORDER BY revenue DESC, name""",  # noqa: S608 - placeholders only
        [*bad, *bad],
    )


# -- helpers for the page -----------------------------------------------------------------------------
def format_options(db: Database, rules: TierRules | None = None) -> list[str]:
    """Formats a user may mark as modern trade: known channel codes, formats on record, sales channels."""
    rules = rules or get_rules(db)
    cmap = vocab.channel_map(db)
    known = [c for c in vocab.CODES if c != vocab.OTHER]
    seen = [r[0] for r in db.rows("SELECT DISTINCT format FROM accounts UNION SELECT DISTINCT channel FROM sales")]
    out = dict.fromkeys([*rules.modern_trade_formats, *known])
    for v in seen:
        n = vocab.format_code(v, cmap)
        if n:
            out.setdefault(n)
    return list(out)


def filter_accounts(df: pd.DataFrame, tiers: list[str] | tuple[str, ...] = (), search: str = "") -> pd.DataFrame:
    """Rows of the account list in ``tiers`` (empty = all) whose account / Chinese name contains ``search``."""
    out = df
    if tiers:
        out = out[out["tier"].isin(list(tiers))]
    s = (search or "").strip().lower()
    if s:
        name = out["account"].astype(str).str.lower()
        zh = out["name_zh"].fillna("").astype(str).str.lower() if "name_zh" in out else name
        out = out[name.str.contains(s, regex=False) | zh.str.contains(s, regex=False)]
    return out


def export_frame(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The account list as people read it: localised headers, tier names and province names."""
    prov = (lambda p: province_zh(p)) if lang == "zh" else (lambda p: p)
    return pd.DataFrame(
        {
            t("col.account", lang): df["account"],
            t("tiers.col.tier", lang): [t(f"tiers.tier.{x}", lang) for x in df["tier"]],
            t("tiers.col.reason", lang): df["reason_zh" if lang == "zh" else "reason_en"],
            t("tiers.col.provinces", lang): [", ".join(prov(p) for p in ps) for ps in df["provinces"]],
            t("tiers.col.n_provinces", lang): df["n_provinces"].astype(int),
            t("tiers.col.stores", lang): df["stores"].astype(int),
            t("col.revenue", lang): df["revenue"].astype(float),
            t("tiers.col.international", lang): df["international"].astype(bool),
            t("tiers.col.overridden", lang): df["overridden"].astype(bool),
        }
    )
