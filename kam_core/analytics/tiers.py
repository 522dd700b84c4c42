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

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from string import Formatter

import duckdb
import numpy as np
import pandas as pd

from kam_core import coverage as cv
from kam_core import settings, vocab
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters, add_months
from kam_core.geo import normalize_province, province_zh
from kam_core.i18n import CATALOG, t, value_label

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
    # (sales_cube holds every raw province of the sales lines: the same names, a fraction of the rows)
    raw = db.df(
        """SELECT DISTINCT province AS raw FROM sales_cube WHERE province IS NOT NULL
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
# Every query below runs in one read transaction on one cursor (one snapshot of the data).
# Sales are aggregated once per account, raw province and channel (a few rows per account);
# the footprint, the modern-trade share and the single-store share all read that aggregate.
# They read the summary tables of kam_core.summary, never the fact table: sales_cube (sums per
# month, account, province, region, channel, kam: summing its DECIMAL(38,4) sums gives the very
# number summing the lines gives) and account_stores (every account × store sold
# through: the same distinct stores). tests/test_tiers_equivalence.py checks the frame against
# tests/tiers_reference.py, which reads ``sales``.
_AGG_SQL = """
CREATE OR REPLACE TEMP TABLE tiers_ap AS
SELECT account, province, channel, sum(revenue) AS r, sum(revenue) FILTER (WHERE period > ?) AS rw
FROM sales_cube GROUP BY ALL
"""

# Every account (account master ∪ accounts in sales) and its row number in account order.
_ACC_SQL = """
CREATE OR REPLACE TEMP TABLE tiers_acc AS
SELECT account, (row_number() OVER (ORDER BY account) - 1)::BIGINT AS i
FROM (SELECT account FROM accounts UNION SELECT DISTINCT account FROM tiers_ap)
"""

# One row per account, in account order.
_ACCOUNTS_SQL = """
WITH acc AS (SELECT account, i FROM tiers_acc),
st AS (SELECT account, count(*) AS stores FROM stores GROUP BY 1),
sd AS (SELECT account, count(DISTINCT store) AS stores, bool_or(store IS NULL) AS has_unstored
       FROM account_stores GROUP BY 1),
-- the channel test (the channel's code in the one vocabulary is a modern-trade format) runs on the aggregate
rv AS (SELECT account, sum(r) AS revenue_all, sum(r) FILTER (WHERE {mt}) AS revenue_mt_channel
       FROM tiers_ap GROUP BY 1)
SELECT acc.account, a.name_zh, coalesce(a.international, FALSE) AS international, a.format,
       a.tier_override, a.tier_override_reason, a.tier_override_by, a.tier_override_at,
       st.stores AS master_stores, sd.stores AS sales_stores, sd.has_unstored, rv.revenue_all, rv.revenue_mt_channel
FROM acc LEFT JOIN accounts a USING (account) LEFT JOIN st USING (account) LEFT JOIN sd USING (account)
     LEFT JOIN rv USING (account)
ORDER BY acc.i
"""

# The footprint's provinces as flat rows (account's row number, unknown?, name), sorted: from the store master for
# accounts that have one, else from the provinces in their sales. Canonical names, or the trimmed raw
# name when it matches no province.
_PROVINCES_SQL = """
WITH p AS (
    SELECT DISTINCT account, province AS raw FROM stores WHERE province IS NOT NULL
    UNION ALL
    SELECT DISTINCT account, province FROM tiers_ap
    WHERE province IS NOT NULL AND account NOT IN (SELECT account FROM stores))
SELECT acc.i, m.province IS NULL AS unknown, coalesce(m.province, trim(p.raw)) AS name
FROM p JOIN tiers_acc acc USING (account) LEFT JOIN prov_map m ON m.raw = p.raw
WHERE m.province IS NOT NULL OR trim(p.raw) <> ''
GROUP BY ALL
ORDER BY 1, 2, 3
"""

# Revenue per account and canonical province over the share window (for the single-store test).
_PROVINCE_REVENUE_SQL = """
SELECT acc.i, m.province, sum(a.rw) AS revenue
FROM tiers_ap a JOIN tiers_acc acc USING (account) JOIN prov_map m ON m.raw = a.province
WHERE m.province IS NOT NULL AND a.rw IS NOT NULL
GROUP BY ALL
"""


def _missing(v: object) -> bool:
    """None / NaN / NA / NaT (scalars only; lists are never missing)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and v != v


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def _when(v: object) -> str:
    if _missing(v):
        return "?"
    return pd.Timestamp(v).strftime("%Y-%m-%d %H:%M")


_Values = np.ndarray | str  # an object array of strings (one per row being rendered), or one string for all


def _fill(key: str, lang: str, n: int, **values: _Values) -> np.ndarray:
    """Catalog template ``key`` rendered for ``n`` rows at once (what ``t(key, lang, **row)`` gives per row)."""
    out = np.full(n, "", dtype=object)
    text = t(key, lang) if not values else CATALOG[key][1 if lang == "zh" else 0]
    if not values:
        return out + text
    for literal, name, spec, conv in Formatter().parse(text):
        if literal:
            out = out + literal
        if name is not None:
            if spec or conv:  # the catalog's reasons use plain {name} fields only
                raise ValueError(f"{key}: unsupported field {{{name}!{conv}:{spec}}}")
            out = out + values[name]
    return out


def _join(parts: list[np.ndarray], present: list[np.ndarray], sep: str) -> np.ndarray:
    """Row-wise ``sep.join`` of the parts present in each row (``present``: one bool array per part)."""
    out, filled = parts[0].copy(), present[0].copy()
    for p, has in zip(parts[1:], present[1:], strict=True):
        add = np.flatnonzero(has & filled)
        out[add] = out[add] + sep + p[add]
        first = np.flatnonzero(has & ~filled)
        out[first] = p[first]
        filled |= has
    return out


def _labels(values: np.ndarray, fn: Callable[[str], str]) -> np.ndarray:
    """``fn`` of each value, computed once per distinct value (formats, provinces, tiers are few)."""
    codes, uniques = pd.factorize(values)
    labels = np.array([*(fn(v) for v in uniques.tolist()), None], dtype=object)
    return labels[codes]  # (code -1, a missing value, picks the None at the end)


def _split(pos: np.ndarray, names: list[str], n: int) -> tuple[list[list[str]], np.ndarray]:
    """Per row 0..n-1 the names at the rows where ``pos`` says (``pos`` ascending), and how many."""
    counts = np.bincount(pos, minlength=n)
    ends = np.cumsum(counts)
    starts = ends - counts
    return list(map(names.__getitem__, map(slice, starts.tolist(), ends.tolist()))), counts


_MEMO: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_MEMO_LOCK = threading.Lock()


def account_tiers(db: Database, lang: str = "en", rules: TierRules | None = None) -> pd.DataFrame:
    """One row per account (account master ∪ accounts in sales): tier and the reason in words.

    Every tier view needs this. With the saved rules (``rules`` None) it is remembered per
    database and data version (every write bumps the version, rules and overrides included):
    in this process (a memo), and in the database file (:func:`stored`), so a fresh process —
    or a page whose caches were cleared — reads the classification instead of computing it.

    Columns: account, tier ("GKA" | "NKA" | "LKA" | "non_ka"), computed_tier, reason,
    reason_en, reason_zh, international, format, modern_trade, stores, n_provinces,
    provinces (list of canonical English names), unknown_provinces, footprint
    ("stores" | "sales" | "none"), single_store_share, overridden, override_by,
    override_at, override_reason.
    """
    if rules is not None:
        return _account_tiers(db, lang, rules)
    version = db.data_version()
    key = (id(db), str(db.path), version)
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
    if hit is None:
        hit = stored(db, version)
    if hit is None:
        hit, snapshot = _classify(db, "en", get_rules(db))
        if snapshot == version:  # no write between reading the rules and the snapshot: keep it
            _store(db, hit, snapshot)
    if hit is not None:
        with _MEMO_LOCK:
            _MEMO[key] = hit
            while len(_MEMO) > 8:
                _MEMO.popitem(last=False)
    out = hit.copy()
    out["reason"] = out["reason_zh"] if lang == "zh" else out["reason_en"]
    return out


def clear_memo() -> None:
    """Forget memoised classifications and views (benchmarks measure the full cost with this)."""
    with _MEMO_LOCK:
        _MEMO.clear()
        _VIEW_MEMO.clear()


# -- the classification kept in the database file ---------------------------------------------------
# A summary of the whole database (sales, accounts, stores, rules, channel map), so it is keyed by
# the data version: every write goes through Database.transaction, which bumps it, so a stored
# classification of another version is never read. It is written by the first reader that finds
# none for the current version — not by the writes themselves: every write path (uploads,
# rollbacks, overrides, rules, channel map, region map, restores, and any added later) stays as it
# is and pays nothing; a change simply makes the next reader compute it once. The key also holds a
# fingerprint of the code and texts the result depends on (this module, the vocabulary, the
# province names, the catalog), so an app upgrade never shows reasons from an older version.
# It lives in its own schema: backups (kam_core.backup: schema main) neither copy nor restore it
# (a restored file starts without one), and the writer keeps the data version as it is (a derived
# copy is no change of data) and takes the database's write lock (never interleaved with a write).
CACHE_SCHEMA = "tier_cache"
_CACHE_FORMAT = 1  # bump when the stored columns change
_SEP = "\x1f"  # joins a list of province names (a name holding it is not stored: computed instead)
_CACHE_DDL = [
    "CREATE SCHEMA IF NOT EXISTS tier_cache",
    "DROP TABLE IF EXISTS tier_cache.meta",  # (made anew each time: an older app's columns never get in the way)
    "DROP TABLE IF EXISTS tier_cache.account_tiers",
    """CREATE TABLE tier_cache.meta (
        fingerprint VARCHAR NOT NULL, data_version BIGINT NOT NULL, schema_version BIGINT NOT NULL,
        n BIGINT NOT NULL)""",
    """CREATE TABLE tier_cache.account_tiers (
        i BIGINT NOT NULL, account VARCHAR, name_zh VARCHAR, tier VARCHAR, computed_tier VARCHAR,
        reason_en VARCHAR, reason_zh VARCHAR, international BOOLEAN, format VARCHAR, modern_trade BOOLEAN,
        stores BIGINT, n_provinces BIGINT, provinces VARCHAR, unknown_provinces VARCHAR, footprint VARCHAR,
        single_store_share DOUBLE, overridden BOOLEAN, override_by VARCHAR, override_at TIMESTAMP,
        override_reason VARCHAR)""",
]
_FINGERPRINT: list[str] = []


def _fingerprint() -> str:
    """What the stored classification depends on besides the data: this code and its texts."""
    if not _FINGERPRINT:
        import hashlib
        import inspect
        import json
        import sys

        from kam_core import geo

        h = hashlib.sha256(f"format {_CACHE_FORMAT}".encode())
        for mod in (sys.modules[__name__], vocab, geo, settings):
            h.update(inspect.getsource(mod).encode())
        h.update(json.dumps(CATALOG, sort_keys=True, ensure_ascii=False).encode())
        _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


def _schema_version(cur: object) -> int:
    return int(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0])  # type: ignore[attr-defined]


def stored(db: Database, version: int | None = None) -> pd.DataFrame | None:
    """The classification stored for data version ``version`` (default: the current one), or None."""
    version = db.data_version() if version is None else version
    try:
        with db.atomic() as cur:
            meta = cur.execute("SELECT fingerprint, data_version, schema_version, n FROM tier_cache.meta").fetchall()
            if len(meta) != 1 or meta[0][:3] != (_fingerprint(), version, _schema_version(cur)):
                return None
            # (fetchnumpy: a fifth of the time .df() takes for 100 000 reasons; NULLs come back masked)
            raw = cur.execute("SELECT * FROM tier_cache.account_tiers ORDER BY i").fetchnumpy()
    except duckdb.Error:  # never stored in this file (or by an app whose columns differ)
        return None
    if len(raw["i"]) != meta[0][3]:
        return None

    def values(col: str) -> list:  # Python values, None where NULL
        return raw[col].tolist()

    overridden = np.asarray(raw["overridden"], dtype=bool)

    def keep_if_overridden(vals: list) -> list:  # (as the classifier gives them: from the account master)
        return [v if o else None for v, o in zip(vals, overridden.tolist(), strict=True)]

    def names(col: str) -> list[list[str]]:
        return [v.split(_SEP) if v else [] for v in values(col)]

    at = raw["override_at"]
    at = pd.Series(np.ma.filled(at, np.datetime64("NaT")) if np.ma.isMaskedArray(at) else at).tolist()
    return pd.DataFrame(
        {
            "account": values("account"), "name_zh": values("name_zh"), "tier": values("tier"),
            "computed_tier": values("computed_tier"), "reason": "",
            "reason_en": values("reason_en"), "reason_zh": values("reason_zh"),
            "international": np.asarray(raw["international"], dtype=bool), "format": values("format"),
            "modern_trade": np.asarray(raw["modern_trade"], dtype=bool),
            "stores": np.asarray(raw["stores"], dtype=np.int64),
            "n_provinces": np.asarray(raw["n_provinces"], dtype=np.int64),
            "provinces": names("provinces"), "unknown_provinces": names("unknown_provinces"),
            "footprint": values("footprint"),
            "single_store_share": pd.Series(values("single_store_share"), dtype=object),
            "overridden": overridden, "override_by": keep_if_overridden(values("override_by")),
            "override_at": keep_if_overridden(at), "override_reason": keep_if_overridden(values("override_reason")),
        }
    )  # fmt: skip


def drop_stored(db: Database) -> None:
    """Forget the stored classification (benchmarks time the full classification with this)."""
    with db.atomic(write=True) as cur:
        cur.execute("DROP SCHEMA IF EXISTS tier_cache CASCADE")


def _store(db: Database, df: pd.DataFrame, version: int) -> bool:
    """Keep ``df`` (the classification of data version ``version``) in the file; False when it cannot be kept."""
    if df.empty:
        return False  # (nothing to save: an empty database classifies at once)

    def joined(col: str) -> list[str] | None:
        out = []
        for names in df[col].tolist():
            if any(not n or _SEP in n for n in names):
                return None  # a name the join could not give back
            out.append(_SEP.join(names))
        return out

    provinces, unknown = joined("provinces"), joined("unknown_provinces")
    if provinces is None or unknown is None:
        return False
    rows = df.drop(columns=["reason"]).assign(provinces=provinces, unknown_provinces=unknown)
    rows.insert(0, "i", np.arange(len(rows), dtype=np.int64))
    rows["single_store_share"] = pd.to_numeric(rows["single_store_share"], errors="coerce").astype(float)
    rows["override_at"] = pd.to_datetime(rows["override_at"])
    try:
        with db.atomic(write=True) as cur:  # derived data: not audited, the data version stays
            for stmt in _CACHE_DDL:
                cur.execute(stmt)
            cur.register("tiers_rows", rows)
            cur.execute("INSERT INTO tier_cache.account_tiers BY NAME SELECT * FROM tiers_rows")
            cur.unregister("tiers_rows")
            cur.execute(
                "INSERT INTO tier_cache.meta VALUES (?, ?, ?, ?)",
                [_fingerprint(), version, _schema_version(cur), len(rows)],
            )
    except duckdb.Error:  # a read-only file, a full disk, a conflicting writer: computed again next time
        return False
    return True


def _footprint(
    db: Database, rules: TierRules, mt: str, mt_params: list
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """(accounts, their footprint's provinces, revenue per account and province in the share window,
    the data version of the snapshot)."""
    with db.atomic() as cur:  # one snapshot of the data
        version = int(cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0])
        cur.register("prov_map", _lookup_frame(db))
        last = cur.execute("SELECT max(period) FROM sales_cube").fetchall()[0][0]
        cutoff = add_months(last, -rules.share_months) if last is not None else None
        cur.execute(_AGG_SQL, [cutoff])
        cur.execute(_ACC_SQL)
        fp = cur.execute(_ACCOUNTS_SQL.format(mt=mt), mt_params).df()
        provs = cur.execute(_PROVINCES_SQL).df()
        prov_rev = cur.execute(_PROVINCE_REVENUE_SQL).df()
        cur.execute("DROP TABLE tiers_ap")
        cur.execute("DROP TABLE tiers_acc")
    prov_rev["revenue"] = prov_rev["revenue"].astype(float)
    return fp, provs, prov_rev, version


def _account_tiers(db: Database, lang: str, rules: TierRules) -> pd.DataFrame:
    return _classify(db, lang, rules)[0]


def _classify(db: Database, lang: str, rules: TierRules) -> tuple[pd.DataFrame, int]:
    """The classification, and the data version of the snapshot it was computed from."""
    cmap = vocab.channel_map(db)
    mt, mt_params = vocab.code_in_sql("channel", cmap, rules.modern_trade_formats)
    fp, provs, prov_rev, version = _footprint(db, rules, mt, mt_params)
    n = len(fp)
    if not n:
        return pd.DataFrame(columns=_COLUMNS), version
    accounts = fp["account"].tolist()

    # Footprint: the store master when the account has rows there, else what its sales show.
    # (sorted by account's row number, then name; stores of accounts in neither the master nor
    # sales are no one's footprint)
    pos, unknown_flag = provs["i"].to_numpy(dtype=np.int64), provs["unknown"].to_numpy(dtype=bool)
    names = provs["name"].to_numpy(dtype=object)
    provinces, n_prov = _split(pos[~unknown_flag], names[~unknown_flag].tolist(), n)
    unknown, n_unk = _split(pos[unknown_flag], names[unknown_flag].tolist(), n)
    first = np.array([p[0] if p else None for p in provinces], dtype=object)

    master = pd.to_numeric(fp["master_stores"]).fillna(0).to_numpy()
    in_sales = fp["sales_stores"].notna().to_numpy()
    source = np.where(master > 0, "stores", np.where(in_sales, "sales", "none")).astype(object)
    sales_stores = pd.to_numeric(fp["sales_stores"]).fillna(0).to_numpy().astype(np.int64)
    unstored = pd.array(fp["has_unstored"].tolist(), dtype="boolean").fillna(False).to_numpy(dtype=bool)
    # Lines without a store code still come from somewhere: at least one store per province seen.
    sales_stores = np.where(
        unstored | (sales_stores == 0), np.maximum(sales_stores, np.maximum(n_prov + n_unk, 1)), sales_stores
    )
    stores = np.where(source == "stores", master, np.where(source == "sales", sales_stores, 0)).astype(np.int64)
    n_prov = np.where(source == "none", 0, n_prov)  # (an account without sales or stores has no provinces)

    # Modern-trade status: the format on record, else the channels of its sales lines.
    raw_fmt = fp["format"].tolist()
    codes = {v: vocab.format_code(v, cmap) for v in set(raw_fmt) if isinstance(v, str)}
    fmt = np.array([codes.get(v) if isinstance(v, str) else None for v in raw_fmt], dtype=object)
    has_fmt = np.array([f is not None for f in fmt.tolist()], dtype=bool)
    total = fp["revenue_all"].astype(float).fillna(0.0).to_numpy()
    mt_rev = fp["revenue_mt_channel"].astype(float).fillna(0.0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, mt_rev / np.where(total > 0, total, 1.0), 0.0)
    modern = np.where(
        has_fmt, pd.Series(fmt, dtype=object).isin(rules.modern_trade_formats), (total > 0) & (share >= 0.5)
    )
    international = fp["international"].to_numpy(dtype=bool)

    # The rule branches, in order.
    go = modern & (source != "none")  # past the format / channel and the "no footprint" tests
    wide = go & (n_prov >= rules.min_provinces)  # GKA / NKA
    chain = go & ~wide & (stores >= rules.min_stores_lka)  # LKA by store count
    single = go & ~wide & ~chain  # decided by the store's share of its province's modern-trade sales

    # Single-store test: the store's share of its province's modern-trade sales, where
    # "modern trade" is each account's own modern-trade status (format, else channels).
    mt_sales = prov_rev[modern[prov_rev["i"].to_numpy(dtype=np.int64)]]
    # (summed with fsum: the same total whatever order the groups come in)
    prov_total = mt_sales.groupby("province")["revenue"].agg(math.fsum)
    acc_prov = mt_sales.set_index(["i", "province"])["revenue"]
    sel = np.flatnonzero(single)
    sp = first[sel]
    has_p = np.array([p is not None for p in sp.tolist()], dtype=bool)
    num = np.zeros(len(sel))
    den = np.zeros(len(sel))
    if has_p.any():
        pairs = pd.MultiIndex.from_arrays([sel[has_p], sp[has_p]])
        num[has_p] = acc_prov.reindex(pairs).fillna(0.0).to_numpy(dtype=float)
        den[has_p] = prov_total.reindex(sp[has_p]).fillna(0.0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        sel_share = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    above = has_p & (sel_share >= rules.single_store_share)
    single_share = np.full(n, None, dtype=object)
    single_share[sel] = sel_share.tolist()

    computed = np.full(n, "non_ka", dtype=object)
    computed[wide & international] = "GKA"
    computed[wide & ~international] = "NKA"
    computed[chain] = "LKA"
    computed[sel[above]] = "LKA"

    override_raw = fp["tier_override"].tolist()
    overridden = np.array([isinstance(v, str) and v in TIERS for v in override_raw], dtype=bool)
    ov = np.flatnonzero(overridden)

    def keep_if_overridden(col: str) -> list:
        return [v if o else None for v, o in zip(fp[col].tolist(), overridden.tolist(), strict=True)]

    override_by, override_at = keep_if_overridden("tier_override_by"), keep_if_overridden("tier_override_at")
    override_reason = keep_if_overridden("tier_override_reason")
    tier = computed.copy()
    tier[ov] = np.array(override_raw, dtype=object)[ov]

    share_pct = np.array([_pct(x) for x in share.tolist()], dtype=object)
    sel_pct = np.array([_pct(x) for x in sel_share.tolist()], dtype=object)
    unknown_names = np.array([", ".join(u) for u in unknown], dtype=object)
    stores_s = stores.astype(str).astype(object)
    n_prov_s = n_prov.astype(str).astype(object)

    def reasons(lang: str) -> np.ndarray:
        """Every account's reason in ``lang``: a few templates per rule branch, each filled for its rows at once."""
        parts = [np.full(n, "", dtype=object) for _ in range(5)]
        present = [np.zeros(n, dtype=bool) for _ in range(5)]

        def put(i: int, mask: np.ndarray, key: str, **values: _Values) -> None:
            idx = np.flatnonzero(mask) if mask.dtype == bool else mask
            vals = {k: (v[idx] if isinstance(v, np.ndarray) else v) for k, v in values.items()}
            parts[i][idx] = _fill(key, lang, len(idx), **vals)
            present[i][idx] = True

        fmt_label = _labels(fmt, lambda c: value_label("channel", c, lang))
        prov_label = _labels(first, (lambda p: province_zh(p)) if lang == "zh" else (lambda p: p))
        put(0, has_fmt & ~modern, "tiers.reason.not_modern_format", format=fmt_label)
        put(0, has_fmt & modern & (fmt == "convenience"), "tiers.reason.convenience")
        put(0, ~has_fmt & ~modern, "tiers.reason.no_format_not_modern", share=share_pct)
        put(0, ~has_fmt & modern, "tiers.reason.no_format_modern", share=share_pct)
        put(1, modern & (source == "none"), "tiers.reason.no_stores")
        put(1, go & (source == "sales"), "tiers.reason.from_sales")
        put(2, go & (n_unk > 0), "tiers.reason.unknown_provinces", names=unknown_names)
        put(3, wide & international, "tiers.reason.gka", stores=stores_s, provinces=n_prov_s)
        put(3, wide & ~international, "tiers.reason.nka", stores=stores_s, provinces=n_prov_s)
        known = np.array([p is not None for p in first.tolist()], dtype=bool)
        put(3, chain & known, "tiers.reason.lka_stores", stores=stores_s, province=prov_label)
        put(3, chain & ~known, "tiers.reason.lka_stores_unknown", stores=stores_s)
        put(4, chain & international, "tiers.reason.international_one_province")
        threshold = _pct(rules.single_store_share)
        pct = np.full(n, "", dtype=object)
        pct[sel] = sel_pct
        put(3, sel[~has_p], "tiers.reason.single_no_province")
        put(3, sel[above], "tiers.reason.single_above", share=pct, province=prov_label, threshold=threshold)
        put(3, sel[has_p & ~above], "tiers.reason.single_below", share=pct, province=prov_label, threshold=threshold)
        result = {x: " " + t("tiers.reason.result", lang, tier=t(f"tiers.tier.{x}", lang)) for x in TIERS}
        text = _join(parts, present, "；" if lang == "zh" else "; ") + _labels(computed, result.__getitem__)
        if len(ov):
            final = _fill(
                "tiers.reason.override", lang, len(ov),
                tier=_labels(tier[ov], lambda x: t(f"tiers.tier.{x}", lang)),
                user=np.array([str(override_by[i] or "?") for i in ov], dtype=object),
                when=np.array([_when(override_at[i]) for i in ov], dtype=object),
                why=np.array([str(override_reason[i] or "") for i in ov], dtype=object),
            )  # fmt: skip
            label = t("tiers.reason.computed", lang)
            text[ov] = (
                (final + f" ({label}: " + text[ov] + ")")
                if lang != "zh"
                else (final + f"（{label}：" + text[ov] + "）")
            )
        return text

    en, zh = reasons("en"), reasons("zh")
    out = pd.DataFrame(
        {
            "account": accounts, "name_zh": fp["name_zh"].tolist(), "tier": tier.tolist(),
            "computed_tier": computed.tolist(), "reason": "",
            "reason_en": en.tolist(), "reason_zh": zh.tolist(), "international": international,
            "format": fmt.tolist(), "modern_trade": modern.astype(bool), "stores": stores, "n_provinces": n_prov,
            "provinces": provinces, "unknown_provinces": unknown, "footprint": source.tolist(),
            "single_store_share": pd.Series(single_share, dtype=object), "overridden": overridden,
            "override_by": override_by, "override_at": override_at, "override_reason": override_reason,
        }
    )  # fmt: skip
    out["reason"] = out["reason_zh"] if lang == "zh" else out["reason_en"]
    return out, version


_COLUMNS = [
    "account", "name_zh", "tier", "computed_tier", "reason", "reason_en", "reason_zh", "international", "format",
    "modern_trade", "stores", "n_provinces", "provinces", "unknown_provinces", "footprint", "single_store_share",
    "overridden", "override_by", "override_at", "override_reason",
]  # fmt: skip


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
# The sums by account / province under the filters (period, region, channel, kam: all dimensions of
# the cube) read sales_cube: the same DECIMAL sums as over the lines. tests/test_tiers_facts.py runs
# every view again with FACTS = "sales" and asserts the same frame. Store counts per province
# (province_view) need the store of each line under the filters: they stay on ``sales``.
FACTS = "sales_cube"


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
        WITH cur AS (SELECT s.account, sum(s.revenue) AS revenue FROM {FACTS} s WHERE {where} GROUP BY 1),
             pri AS (SELECT s.account, sum(s.revenue) AS revenue FROM {FACTS} s WHERE {pwhere} GROUP BY 1),
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
    rev = db.df(f"SELECT account, sum(revenue) AS revenue FROM {FACTS} WHERE {where} GROUP BY 1", params)  # noqa: S608
    out = tiers.merge(rev, on="account", how="left")
    out["revenue"] = out["revenue"].astype(float).fillna(0.0)
    order = {t_: i for i, t_ in enumerate(TIERS)}
    out["_o"] = out["tier"].map(order)
    return out.sort_values(["_o", "revenue", "account"], ascending=[True, False, True]).drop(columns="_o")


_VIEW_MEMO: OrderedDict[tuple, object] = OrderedDict()


def _view_memo(db: Database, name: str, args: tuple, make: Callable[[], object]) -> object:
    """``make()`` remembered per database, data version, view and arguments (a few at a time).

    For the page's account table: a rerun (a click anywhere on the page) reads it again, and
    Streamlit's cache would copy 100 000 rows in and out each time. Callers must not modify it.
    """
    key = (id(db), str(db.path), db.data_version(), name, args)
    with _MEMO_LOCK:
        hit = _VIEW_MEMO.get(key)
    if hit is None:
        hit = make()
        with _MEMO_LOCK:
            _VIEW_MEMO[key] = hit
            while len(_VIEW_MEMO) > 8:  # (a page view keeps 4; each a 100 000-row frame at most)
                _VIEW_MEMO.popitem(last=False)
    return hit


def listed_accounts(db: Database, f: Filters, lang: str = "en") -> pd.DataFrame:
    """:func:`account_list` (memoised: a shared frame, not to be modified)."""
    return _view_memo(db, "account_list", (f, lang), lambda: account_list(db, f, lang))  # type: ignore[return-value]


def account_names(db: Database) -> list[str]:
    """Every classified account, sorted (memoised: a shared list, not to be modified)."""
    return _view_memo(db, "account_names", (), lambda: sorted(account_tiers(db)["account"]))  # type: ignore[return-value]


def account_table(
    db: Database, f: Filters, lang: str = "en", tiers: tuple[str, ...] = (), search: str = ""
) -> pd.DataFrame:
    """:func:`account_list` narrowed by :func:`filter_accounts`, with the active scoring model's score
    and key flag (memoised: a shared frame, not to be modified)."""
    from kam_core.analytics import scoring  # (scoring reads the tiers: imported late)

    def make() -> pd.DataFrame:
        return scoring.with_scores(db, filter_accounts(listed_accounts(db, f, lang), tiers, search), f)

    return _view_memo(db, "account_table", (f, lang, tuple(tiers), search), make)  # type: ignore[return-value]


def account_export(
    db: Database, f: Filters, lang: str = "en", tiers: tuple[str, ...] = (), search: str = ""
) -> pd.DataFrame:
    """:func:`export_frame` of :func:`account_table` (memoised: a shared frame, not to be modified)."""
    return _view_memo(  # type: ignore[return-value]
        db, "account_export", (f, lang, tuple(tiers), search),
        lambda: export_frame(account_table(db, f, lang, tiers, search), lang),
    )  # fmt: skip


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


TREE_TOP = 25  # accounts drawn per tier in the treemap; the rest share one "others" cell per tier
TREE_PROVINCES = 10  # provinces drawn per account; the rest share one "other provinces" cell


def tree_data(
    db: Database, f: Filters, top: int | None = TREE_TOP, provinces: int | None = TREE_PROVINCES
) -> pd.DataFrame:
    """Revenue by tier → account → province (K/A tiers only) under the filters, at most what a person can read.

    Per tier the ``top`` accounts by revenue keep their own rows; the rest become one row with
    account and province None (their summed revenue; ``accounts`` says how many). Per kept
    account the ``provinces`` largest provinces keep theirs; the rest become one row with
    province None (``provinces`` says how many). None = no limit. Only account × province
    cells with positive revenue count. Columns: tier, account, province, revenue, accounts, provinces.
    """
    tiers = account_tiers(db)
    tiers = tiers[tiers["tier"].isin(KA_TIERS)][["account", "tier"]]
    where, params = f.where("s")
    big = 2**62
    sql = f"""WITH b AS (SELECT t.tier, s.account, coalesce(m.province, s.province, '?') AS province,
                               sum(s.revenue) AS revenue
                        FROM {FACTS} s JOIN tiers_in t USING (account) LEFT JOIN prov_map m ON m.raw = s.province
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
              ORDER BY tier, rk, province IS NULL, revenue DESC, province"""  # noqa: S608
    n_acc = big if top is None else int(top)
    n_prov = big if provinces is None else int(provinces)
    df = _with_lookup(db, sql, [*params, n_acc, n_acc, n_prov], tiers_in=tiers)
    df["revenue"] = df["revenue"].astype(float)
    df["accounts"] = df["accounts"].astype(int)
    df["provinces"] = df["provinces"].astype(int)
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
    seen = [
        r[0]
        for r in db.rows(
            "SELECT v FROM (SELECT DISTINCT format AS v FROM accounts UNION SELECT DISTINCT channel FROM sales_cube) "
            "ORDER BY v"  # (one order every time: the options keep their places between runs)
        )
    ]
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
