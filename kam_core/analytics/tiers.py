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

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from string import Formatter

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core import coverage as cv
from kam_core import derived, settings, vocab
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters, add_months
from kam_core.geo import normalize_province, province_zh
from kam_core.i18n import CATALOG, t, value_label
from kam_core.memo import Memo, data_key

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
_LOOKUP_SQL = """SELECT DISTINCT province AS raw FROM sales_cube WHERE province IS NOT NULL
                 UNION SELECT DISTINCT province FROM stores WHERE province IS NOT NULL"""
_LOOKUP_MEMO = Memo(8)


def province_lookup(db: Database) -> pd.DataFrame:
    """Every distinct raw province name in sales and stores → canonical name (None = unknown)."""
    return _memo_lookup(db).copy()


def _memo_lookup(
    db: Database, cur: duckdb.DuckDBPyConnection | None = None, version: int | None = None
) -> pd.DataFrame:
    """:func:`province_lookup`, remembered per database and data version (a page asks for it several times);
    ``cur`` and ``version``: read it in that cursor's snapshot, whose data version that is."""

    def build() -> pd.DataFrame:
        # (sales_cube holds every raw province of the sales lines: the same names, a fraction of the rows)
        raw = [r[0] for r in (cur.execute(_LOOKUP_SQL).fetchall() if cur is not None else db.rows(_LOOKUP_SQL))]
        return pd.DataFrame({"raw": raw, "province": [normalize_province(r) for r in raw]}, dtype=object)

    return _LOOKUP_MEMO.get(data_key(db, version), build)


def _lookup_frame(
    db: Database, cur: duckdb.DuckDBPyConnection | None = None, version: int | None = None
) -> pd.DataFrame:
    lookup = _memo_lookup(db, cur, version)
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
# number summing the lines gives) and account_stores (one row per account × store sold
# through: the same distinct stores). tests/test_tiers_equivalence.py checks the frame against
# tests/tiers_reference.py, which reads ``sales``. Results come back as Arrow tables (no Python
# object per cell); sums become DOUBLE in SQL (the very float DuckDB's pandas conversion gives).
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

# One row per account, in account order. (account_stores holds one row per account and store, NULL
# included: count(store) is the number of its distinct stores.)
_ACCOUNTS_SQL = """
WITH st AS (SELECT account, count(*) AS stores FROM stores GROUP BY 1),
sd AS (SELECT account, count(store) AS stores, bool_or(store IS NULL) AS has_unstored
       FROM account_stores GROUP BY 1),
-- the channel test (the channel's code in the one vocabulary is a modern-trade format) runs on the aggregate
rv AS (SELECT account, sum(r) AS revenue_all, sum(r) FILTER (WHERE {mt}) AS revenue_mt_channel
       FROM tiers_ap GROUP BY 1)
SELECT acc.account, a.name_zh, coalesce(a.international, FALSE) AS international, a.format,
       a.tier_override, a.tier_override_reason, a.tier_override_by, a.tier_override_at,
       coalesce(st.stores, 0) AS master_stores, sd.stores AS sales_stores,
       coalesce(sd.has_unstored, FALSE) AS has_unstored,
       coalesce(rv.revenue_all::DOUBLE, 0.0) AS revenue_all,
       coalesce(rv.revenue_mt_channel::DOUBLE, 0.0) AS revenue_mt_channel
FROM tiers_acc acc LEFT JOIN accounts a USING (account) LEFT JOIN st USING (account) LEFT JOIN sd USING (account)
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
SELECT acc.i, m.province, sum(a.rw)::DOUBLE AS revenue
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
    return f"{x * 100:.1f}%"


def _pcts(x: np.ndarray) -> np.ndarray:
    """``_pct`` of every value, formatted once per distinct value (shares repeat: 0%, 100% …)."""
    uniq, inv = np.unique(np.ascontiguousarray(x, dtype=np.float64).view(np.int64), return_inverse=True)
    return np.array([_pct(v) for v in uniq.view(np.float64).tolist()], dtype=object)[inv.reshape(-1)]


def _when(v: object) -> str:
    if _missing(v):
        return "?"
    return pd.Timestamp(v).strftime("%Y-%m-%d %H:%M")


_Values = pa.Array | str  # a string array (one per row being rendered), or one string for all


def _fill(key: str, lang: str, n: int, **values: _Values) -> pa.Array:
    """Catalog template ``key`` rendered for ``n`` rows at once (what ``t(key, lang, **row)`` gives per row)."""
    if not values:
        return pa.array([t(key, lang)] * n, pa.string())
    pieces: list[_Values] = []
    for literal, name, spec, conv in Formatter().parse(CATALOG[key][1 if lang == "zh" else 0]):
        if literal:
            pieces.append(literal)
        if name is not None:
            if spec or conv:  # the catalog's reasons use plain {name} fields only
                raise ValueError(f"{key}: unsupported field {{{name}!{conv}:{spec}}}")
            pieces.append(values[name])
    if not any(isinstance(p, pa.Array) for p in pieces):
        return pa.array(["".join(pieces)] * n, pa.string())  # type: ignore[arg-type]
    return pc.binary_join_element_wise(*pieces, "")


def _join(parts: list[pa.Array], sep: str) -> pa.Array:
    """Row-wise ``sep.join`` of the parts present (not null) in each row; "" where none is.

    (Not binary_join_element_wise(null_handling="skip"): pyarrow 26 drops the rows where every part is null.)
    """
    out = parts[0]
    for p in parts[1:]:
        out = pc.coalesce(pc.binary_join_element_wise(out, p, sep), out, p)
    return pc.fill_null(out, "")


def _strings(labels: list[str | None], codes: np.ndarray) -> pa.Array:
    """``labels[code]`` per row as a string array (code -1: null)."""
    return pa.array([*labels, None], pa.string()).take(pa.array(np.where(codes < 0, len(labels), codes)))


def _codes(values: pa.ChunkedArray | pa.Array) -> tuple[list, np.ndarray]:
    """(distinct values, each row's index into them; -1 where null)."""
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    enc = pc.dictionary_encode(arr)
    return enc.dictionary.to_pylist(), pc.fill_null(enc.indices, -1).to_numpy().astype(np.int64)


def _list_array(names: pa.ChunkedArray, rows: np.ndarray, counts: np.ndarray) -> pa.ListArray:
    """A list<string> array of ``counts[k]`` names per row k: ``names`` at ``rows`` (grouped by row, in order)."""
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), names.take(pa.array(rows)).combine_chunks())


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a list per account is made. Lists of names hold no cycles, and
    each collection their allocations set off walks every object the process keeps (100 000 lists: 0.12 s
    with collections, 0.02 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lists(arr: pa.ChunkedArray | pa.ListArray) -> list[list[str]]:
    """A list<string> column as Python lists (a null list: []); one str object per distinct name."""
    a = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if a.null_count:
        a = pc.fill_null(a, pa.scalar([], a.type))
    offsets = a.offsets.to_numpy().astype(np.int64)
    base = int(offsets[0])
    values, codes = _codes(a.values.slice(base, int(offsets[-1]) - base))
    with _no_gc():
        flat = np.array(values, dtype=object)[codes].tolist()
        return list(map(flat.__getitem__, map(slice, (offsets[:-1] - base).tolist(), (offsets[1:] - base).tolist())))


_MEMO = Memo(8)


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
    out = _shared_tiers(db).copy(deep=False)  # (copy on write: changing the copy leaves the memo as it is)
    out["reason"] = out["reason_zh"] if lang == "zh" else out["reason_en"]
    return out


def _shared_tiers(db: Database) -> pd.DataFrame:
    """The memoised classification itself (saved rules; reason column empty): not to be modified."""
    key = data_key(db)
    version = key[2]

    def build() -> pd.DataFrame:
        hit = stored(db, version)
        if hit is None:
            hit, snapshot, table = _classify(db, "en", get_rules(db))
            if snapshot == version and table is not None:  # no write between reading the rules and the snapshot
                _store(db, table, snapshot)
        return hit

    return _MEMO.get(key, build)


def clear_memo() -> None:
    """Forget memoised classifications and views (benchmarks measure the full cost with this)."""
    for m in (_MEMO, _VIEW_MEMO, _LOOKUP_MEMO, *_PERSISTED_VIEWS.values()):
        m.clear()


# -- the classification kept in the database file ---------------------------------------------------
# A summary of the whole database (sales, accounts, stores, rules, channel map), kept by kam_core.derived like
# every result derived from the data: under the data version it was computed for (every write goes through
# Database.transaction, which bumps it) and the code's fingerprint, so another version or an upgraded app never
# reads it. It is written by the first reader that finds none for the current version (or by the writer's
# warm-up), never for a version a write came after (kam_core.derived.save checks). What is kept is the Arrow
# table the classifier builds its frame from (:func:`_frame` turns either into the same frame), province lists
# as list columns; backups leave it out (schema derived_cache).
STORED_NAME = "tiers.classification"
_STORED = pa.schema(
    [
        ("i", pa.int64()), ("account", pa.string()), ("name_zh", pa.string()), ("tier", pa.string()),
        ("computed_tier", pa.string()), ("reason_en", pa.string()), ("reason_zh", pa.string()),
        ("international", pa.bool_()), ("format", pa.string()), ("modern_trade", pa.bool_()),
        ("stores", pa.int64()), ("n_provinces", pa.int64()), ("provinces", pa.list_(pa.string())),
        ("unknown_provinces", pa.list_(pa.string())), ("footprint", pa.string()),
        ("single_store_share", pa.float64()), ("overridden", pa.bool_()), ("override_by", pa.string()),
        ("override_at", pa.timestamp("us")), ("override_reason", pa.string()),
    ]
)  # fmt: skip


def stored(db: Database, version: int | None = None) -> pd.DataFrame | None:
    """The classification stored for data version ``version`` (default: the current one), or None."""
    version = db.data_version() if version is None else version
    table = derived.load(db, STORED_NAME, "", version)
    if not isinstance(table, pa.Table) or not table.schema.equals(_STORED):
        return None
    return _frame(table)


def drop_stored(db: Database) -> None:
    """Forget the stored classification (benchmarks time the full classification with this)."""
    derived.forget(db, STORED_NAME)


def _store(db: Database, table: pa.Table, version: int) -> bool:
    """Keep ``table`` (the classification of data version ``version``) in the file; False when it is not kept."""
    if not table.num_rows:
        return False  # (nothing to save: an empty database classifies at once)
    return derived.save(db, STORED_NAME, "", version, table)


def _frame(table: pa.Table) -> pd.DataFrame:
    """The classification frame of its Arrow table (the classifier's result, or the stored copy): reason empty."""
    n = table.num_rows

    def text(col: str) -> pd.Series | list[None]:
        # pandas' str dtype holds the Arrow strings as they are; a column of nothing but None stays
        # object (as a list of None becomes, which is what the classifier gave before).
        if table[col].null_count == n:
            return [None] * n
        return pd.Series(pd.array(table[col], dtype="str"))

    def numpy(col: str, dtype: type) -> np.ndarray:
        return table[col].to_numpy().astype(dtype, copy=False)

    overridden = numpy("overridden", bool)
    ov = np.flatnonzero(overridden)

    def if_overridden(values: list) -> list:  # (as the classifier gives them: from the account master)
        out = np.full(n, None, dtype=object)
        out[ov] = values
        return out.tolist()  # (a list: pandas infers the column's type as it did from the classifier's lists)

    rows = pa.array(ov)
    at = table["override_at"].take(rows).to_pandas().tolist() if len(ov) else []
    return pd.DataFrame(
        {
            "account": text("account"), "name_zh": text("name_zh"), "tier": text("tier"),
            "computed_tier": text("computed_tier"), "reason": "", "reason_en": text("reason_en"),
            "reason_zh": text("reason_zh"), "international": numpy("international", bool), "format": text("format"),
            "modern_trade": numpy("modern_trade", bool), "stores": numpy("stores", np.int64),
            "n_provinces": numpy("n_provinces", np.int64), "provinces": _lists(table["provinces"]),
            "unknown_provinces": _lists(table["unknown_provinces"]), "footprint": text("footprint"),
            "single_store_share": pd.Series(table["single_store_share"].to_pylist(), dtype=object),
            "overridden": overridden,
            "override_by": if_overridden(table["override_by"].take(rows).to_pylist()),
            "override_at": if_overridden(at),
            "override_reason": if_overridden(table["override_reason"].take(rows).to_pylist()),
        }
    )  # fmt: skip


def _footprint(db: Database, rules: TierRules, mt: str, mt_params: list) -> tuple[pa.Table, pa.Table, pa.Table, int]:
    """(accounts, their footprint's provinces, revenue per account and province in the share window,
    the data version of the snapshot)."""
    with db.atomic() as cur:  # one snapshot of the data
        version = int(cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0])
        cur.register("prov_map", _lookup_frame(db, cur, version))
        last = cur.execute("SELECT max(period) FROM sales_cube").fetchall()[0][0]
        cutoff = add_months(last, -rules.share_months) if last is not None else None
        cur.execute(_AGG_SQL, [cutoff])
        cur.execute(_ACC_SQL)
        fp = cur.sql(_ACCOUNTS_SQL.format(mt=mt), params=mt_params).to_arrow_table()
        provs = cur.sql(_PROVINCES_SQL).to_arrow_table()
        prov_rev = cur.sql(_PROVINCE_REVENUE_SQL).to_arrow_table()
        cur.execute("DROP TABLE tiers_ap")
        cur.execute("DROP TABLE tiers_acc")
    return fp, provs, prov_rev, version


def _account_tiers(db: Database, lang: str, rules: TierRules) -> pd.DataFrame:
    return _classify(db, lang, rules)[0]


def _classify(db: Database, lang: str, rules: TierRules) -> tuple[pd.DataFrame, int, pa.Table | None]:
    """The classification (reason in ``lang``), the data version of the snapshot it was computed from, and the
    Arrow table it was built from (what :func:`_store` keeps; None when there is no account)."""
    cmap = vocab.channel_map(db)
    mt, mt_params = vocab.code_in_sql("channel", cmap, rules.modern_trade_formats)
    fp, provs, prov_rev, version = _footprint(db, rules, mt, mt_params)
    if not fp.num_rows:
        return pd.DataFrame(columns=_COLUMNS), version, None
    table = _classified(fp, provs, prov_rev, rules, cmap)
    out = _frame(table)
    out["reason"] = out["reason_zh"] if lang == "zh" else out["reason_en"]
    return out, version, table


def _classified(fp: pa.Table, provs: pa.Table, prov_rev: pa.Table, rules: TierRules, cmap: dict) -> pa.Table:
    """The rules applied to every account at once: the classification as an Arrow table (schema ``_STORED``)."""
    n = fp.num_rows

    def col(name: str, dtype: type) -> np.ndarray:
        return fp[name].to_numpy().astype(dtype, copy=False)

    # Footprint: the store master when the account has rows there, else what its sales show.
    # (sorted by account's row number, then name; stores of accounts in neither the master nor
    # sales are no one's footprint)
    pos, unknown_flag = provs["i"].to_numpy(), provs["unknown"].to_numpy()
    name_list, name_code = _codes(provs["name"])
    known_rows, unknown_rows = np.flatnonzero(~unknown_flag), np.flatnonzero(unknown_flag)
    n_prov, n_unk = np.bincount(pos[known_rows], minlength=n), np.bincount(pos[unknown_rows], minlength=n)
    provinces = _list_array(provs["name"], known_rows, n_prov)
    unknown = _list_array(provs["name"], unknown_rows, n_unk)
    # each account's first province (in name order): a code into name_list, -1 for none
    first = np.full(n, -1, dtype=np.int64)
    has_prov = n_prov > 0
    first[has_prov] = name_code[known_rows[(np.cumsum(n_prov) - n_prov)[has_prov]]]

    master = col("master_stores", np.int64)
    in_sales = pc.is_valid(fp["sales_stores"]).to_numpy()
    source = np.where(master > 0, 0, np.where(in_sales, 1, 2))  # 0 "stores", 1 "sales", 2 "none"
    sales_stores = pc.fill_null(fp["sales_stores"], 0).to_numpy().astype(np.int64)
    unstored = col("has_unstored", bool)
    # Lines without a store code still come from somewhere: at least one store per province seen.
    sales_stores = np.where(
        unstored | (sales_stores == 0), np.maximum(sales_stores, np.maximum(n_prov + n_unk, 1)), sales_stores
    )
    stores = np.where(source == 0, master, np.where(source == 1, sales_stores, 0)).astype(np.int64)
    n_prov = np.where(source == 2, 0, n_prov)  # (an account without sales or stores has no provinces)

    # Modern-trade status: the format on record, else the channels of its sales lines.
    raw_formats, raw_code = _codes(fp["format"])
    raw_codes = [vocab.format_code(v, cmap) for v in raw_formats]
    fmt_list = list(dict.fromkeys(c for c in raw_codes if c is not None))
    fmt_of_raw = np.array([*(-1 if c is None else fmt_list.index(c) for c in raw_codes), -1], dtype=np.int64)
    fcode = fmt_of_raw[raw_code]  # (raw code -1, no format, picks the -1 at the end)
    has_fmt = fcode >= 0
    fmt_modern = np.array([*(c in rules.modern_trade_formats for c in fmt_list), False], dtype=bool)
    total, mt_rev = col("revenue_all", np.float64), col("revenue_mt_channel", np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, mt_rev / np.where(total > 0, total, 1.0), 0.0)
    modern = np.where(has_fmt, fmt_modern[fcode], (total > 0) & (share >= 0.5))
    international = col("international", bool)

    # The rule branches, in order.
    go = modern & (source != 2)  # past the format / channel and the "no footprint" tests
    wide = go & (n_prov >= rules.min_provinces)  # GKA / NKA
    chain = go & ~wide & (stores >= rules.min_stores_lka)  # LKA by store count
    single = go & ~wide & ~chain  # decided by the store's share of its province's modern-trade sales

    # Single-store test: the store's share of its province's modern-trade sales, where
    # "modern trade" is each account's own modern-trade status (format, else channels).
    rev_i = prov_rev["i"].to_numpy()
    rev_names, rev_code = _codes(prov_rev["province"])
    rev = prov_rev["revenue"].to_numpy()
    in_mt = modern[rev_i]
    # (per province summed with fsum: the same total whatever order the groups come in)
    by_prov, mt_values = rev_code[in_mt], rev[in_mt]
    order = np.argsort(by_prov, kind="stable")
    counts = np.bincount(by_prov, minlength=len(rev_names))
    ends = np.cumsum(counts)
    sorted_values = mt_values[order].tolist()
    starts = (ends - counts).tolist()
    totals = {p: math.fsum(sorted_values[a:b]) for p, a, b in zip(rev_names, starts, ends.tolist(), strict=True)}
    sel = np.flatnonzero(single)
    sp = first[sel]
    has_p = sp >= 0
    num = np.zeros(len(sel))
    den = np.zeros(len(sel))
    if has_p.any() and len(mt_values):
        # the account's revenue in its first province: found by one int64 key per account and province
        rev_index = {p: k for k, p in enumerate(rev_names)}
        to_rev = np.array([*(rev_index.get(p, -1) for p in name_list), -1], dtype=np.int64)
        want = to_rev[sp[has_p]]
        width = len(rev_names) + 1
        keys = rev_i[in_mt] * width + by_prov
        korder = np.argsort(keys, kind="stable")
        skeys, svalues = keys[korder], mt_values[korder]
        q = sel[has_p] * width + want
        at = np.minimum(np.searchsorted(skeys, q), len(skeys) - 1)
        num[has_p] = np.where((want >= 0) & (skeys[at] == q), svalues[at], 0.0)
        den[has_p] = np.array([*(totals.get(p, 0.0) for p in name_list), 0.0])[sp[has_p]]
    with np.errstate(divide="ignore", invalid="ignore"):
        sel_share = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    above = has_p & (sel_share >= rules.single_store_share)
    single_share = np.full(n, np.nan)
    single_share[sel] = sel_share

    computed = np.full(n, 3, dtype=np.int64)  # codes into TIERS
    computed[wide & international] = 0
    computed[wide & ~international] = 1
    computed[chain] = 2
    computed[sel[above]] = 2

    override_raw, override_code = _codes(fp["tier_override"])
    tier_of_raw = np.array([*(TIERS.index(v) if v in TIERS else -1 for v in override_raw), -1], dtype=np.int64)
    override_tier = tier_of_raw[override_code]
    overridden = override_tier >= 0
    ov = np.flatnonzero(overridden)
    tier = np.where(overridden, override_tier, computed)
    ov_rows = pa.array(ov)

    def master(col: str) -> list:
        # The overridden accounts' values as the per-account code read them (through pandas: NaN for a
        # NULL in a column holding a value anywhere), so an override without a reason reads as before.
        values = fp[col].take(ov_rows).to_pylist()
        return [math.nan if v is None else v for v in values] if fp[col].null_count < n else values

    override_by, override_reason = master("tier_override_by"), master("tier_override_reason")
    override_at = fp["tier_override_at"].take(ov_rows).to_pandas().tolist() if len(ov) else []

    share_pct = _pcts(share)
    pct = np.full(n, "", dtype=object)
    pct[sel] = _pcts(sel_share)
    unknown_names = np.full(n, "", dtype=object)
    with_unknown = np.flatnonzero(n_unk)
    unknown_names[with_unknown] = [", ".join(u) for u in _lists(unknown.take(pa.array(with_unknown)))]
    stores_s = pc.cast(pa.array(stores), pa.string())
    n_prov_s = pc.cast(pa.array(n_prov), pa.string())
    share_s, pct_s, unknown_s = pa.array(share_pct, pa.string()), pa.array(pct, pa.string()), pa.array(unknown_names)
    known = first >= 0
    is_convenience = np.array([*(c == "convenience" for c in fmt_list), False], dtype=bool)[fcode]
    threshold = _pct(rules.single_store_share)

    def reasons(lang: str) -> pa.Array:
        """Every account's reason in ``lang``: a few templates per rule branch, each filled for its rows at once."""
        parts = [pa.nulls(n, pa.string()) for _ in range(5)]

        def put(i: int, mask: np.ndarray, key: str, **values: _Values) -> None:
            idx = np.flatnonzero(mask) if mask.dtype == bool else mask
            if not len(idx):
                return
            rows = pa.array(idx)
            vals = {k: (v.take(rows) if isinstance(v, pa.Array) else v) for k, v in values.items()}
            full = np.zeros(n, dtype=bool)
            full[idx] = True
            parts[i] = pc.replace_with_mask(parts[i], pa.array(full), _fill(key, lang, len(idx), **vals))

        fmt_label = _strings([value_label("channel", c, lang) for c in fmt_list], fcode)
        prov_label = _strings([province_zh(p) if lang == "zh" else p for p in name_list], first)
        put(0, has_fmt & ~modern, "tiers.reason.not_modern_format", format=fmt_label)
        put(0, has_fmt & modern & is_convenience, "tiers.reason.convenience")
        put(0, ~has_fmt & ~modern, "tiers.reason.no_format_not_modern", share=share_s)
        put(0, ~has_fmt & modern, "tiers.reason.no_format_modern", share=share_s)
        put(1, modern & (source == 2), "tiers.reason.no_stores")
        put(1, go & (source == 1), "tiers.reason.from_sales")
        put(2, go & (n_unk > 0), "tiers.reason.unknown_provinces", names=unknown_s)
        put(3, wide & international, "tiers.reason.gka", stores=stores_s, provinces=n_prov_s)
        put(3, wide & ~international, "tiers.reason.nka", stores=stores_s, provinces=n_prov_s)
        put(3, chain & known, "tiers.reason.lka_stores", stores=stores_s, province=prov_label)
        put(3, chain & ~known, "tiers.reason.lka_stores_unknown", stores=stores_s)
        put(4, chain & international, "tiers.reason.international_one_province")
        put(3, sel[~has_p], "tiers.reason.single_no_province")
        put(3, sel[above], "tiers.reason.single_above", share=pct_s, province=prov_label, threshold=threshold)
        put(3, sel[has_p & ~above], "tiers.reason.single_below", share=pct_s, province=prov_label, threshold=threshold)
        result = [" " + t("tiers.reason.result", lang, tier=t(f"tiers.tier.{x}", lang)) for x in TIERS]
        sep = "；" if lang == "zh" else "; "
        text = _join(parts, sep)
        text = pc.binary_join_element_wise(text, _strings(result, computed), "")
        if len(ov):
            final = _fill(
                "tiers.reason.override", lang, len(ov),
                tier=_strings([t(f"tiers.tier.{x}", lang) for x in TIERS], tier[ov]),
                user=pa.array([str(v or "?") for v in override_by], pa.string()),
                when=pa.array([_when(v) for v in override_at], pa.string()),
                why=pa.array([str(v or "") for v in override_reason], pa.string()),
            )  # fmt: skip
            label = t("tiers.reason.computed", lang)
            opening, closing = (f" ({label}: ", ")") if lang != "zh" else (f"（{label}：", "）")
            wrapped = pc.binary_join_element_wise(final, opening, text.take(ov_rows), closing, "")
            text = pc.replace_with_mask(text, pa.array(overridden), wrapped)
        return text

    def if_overridden(values: list, typ: pa.DataType) -> pa.Array:
        out = np.full(n, None, dtype=object)
        out[ov] = values
        return pa.array(out, typ, from_pandas=True)

    return pa.table(
        {
            "i": pa.array(np.arange(n, dtype=np.int64)), "account": fp["account"], "name_zh": fp["name_zh"],
            "tier": _strings(list(TIERS), tier), "computed_tier": _strings(list(TIERS), computed),
            "reason_en": reasons("en"), "reason_zh": reasons("zh"), "international": pa.array(international),
            "format": _strings(fmt_list, fcode), "modern_trade": pa.array(modern.astype(bool)),
            "stores": pa.array(stores), "n_provinces": pa.array(n_prov.astype(np.int64)),
            "provinces": provinces, "unknown_provinces": unknown,
            "footprint": _strings(["stores", "sales", "none"], source),
            "single_store_share": pa.array(single_share, pa.float64(), from_pandas=True),
            "overridden": pa.array(overridden), "override_by": if_overridden(override_by, pa.string()),
            "override_at": if_overridden(override_at, pa.timestamp("us")),
            "override_reason": if_overridden(override_reason, pa.string()),
        },
        schema=_STORED,
    )  # fmt: skip


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
# the cube) read sales_cube: the same DECIMAL sums as over the lines. They all start from one
# aggregate per filter selection — revenue per account and raw province (:func:`_revenue_by`,
# remembered per data version) — so a page reads the cube once, not once per view; summing its sums
# gives the same DECIMAL numbers again. tests/test_tiers_facts.py runs every view again with
# FACTS = "sales" and asserts the same frame. Store counts per province (province_view) need the
# store of each line under the filters: they stay on ``sales`` for accounts whose footprint comes from
# their sales and that have several stores (:func:`_sales_stores`, once per filter selection).
FACTS = "sales_cube"


def _revenue_by(db: Database, f: Filters) -> pa.Table:
    """(account, raw province, revenue) under the filters, revenue the DECIMAL sum (memoised: shared)."""

    def make() -> pa.Table:
        where, params = f.where("s")
        sql = (
            f"SELECT s.account, s.province AS raw, sum(s.revenue) AS revenue FROM {FACTS} s WHERE {where} GROUP BY ALL"  # noqa: S608
        )
        return db.arrow(sql, params)

    return _view_memo(db, "revenue_by", (FACTS, f), make)  # type: ignore[return-value]


def _prior_revenue(db: Database, f: Filters) -> pa.Table:
    """(account, revenue) for the same months a year earlier, other filters included (none without a period):
    the DECIMAL sum per account (the tier summary needs no province; memoised per filter selection)."""

    def make() -> pa.Table:
        if not (f.start or f.end):
            return pa.schema([("account", pa.string()), ("revenue", pa.decimal128(38, 4))]).empty_table()
        where, params = f.year_before().where("s")
        sql = f"SELECT s.account, sum(s.revenue) AS revenue FROM {FACTS} s WHERE {where} GROUP BY 1"  # noqa: S608
        return db.arrow(sql, params)

    return _view_memo(db, "prior_revenue", (FACTS, f), make)  # type: ignore[return-value]


def tier_summary(db: Database, f: Filters) -> pd.DataFrame:
    """Per tier under the filters: accounts with sales, their stores, revenue, share, YoY growth.

    ``yoy`` is NaN for every tier unless both windows hold data for every month
    (``coverage.note(df, lang)`` says why; ``revenue_last_year`` is still given).
    """
    tiers = _shared_tiers(db)
    comparison = cv.compare_year_before(db, f)
    sql = """
        WITH cur AS (SELECT account, sum(revenue) AS revenue FROM base GROUP BY 1),
             pri AS (SELECT account, sum(revenue) AS revenue FROM prior GROUP BY 1),
             t AS (SELECT * FROM (VALUES ('GKA', 1), ('NKA', 2), ('LKA', 3), ('non_ka', 4)) v(tier, ord))
        SELECT t.tier,
               count(cur.account) FILTER (WHERE cur.revenue <> 0) AS accounts,
               coalesce(sum(ti.stores) FILTER (WHERE cur.revenue <> 0), 0) AS stores,
               coalesce(sum(cur.revenue), 0) AS revenue,
               sum(pri.revenue) AS revenue_last_year
        FROM t LEFT JOIN tiers_in ti ON ti.tier = t.tier
               LEFT JOIN cur ON cur.account = ti.account
               LEFT JOIN pri ON pri.account = ti.account
        GROUP BY t.tier, t.ord ORDER BY t.ord"""
    df = _with_lookup(db, sql, [], tiers_in=tiers[["account", "tier", "stores"]], base=_revenue_by(db, f),
                      prior=_prior_revenue(db, f))  # fmt: skip
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
    revenue, order = _list_order(db, f)
    return account_tiers(db, lang).assign(revenue=revenue).take(order)


def _list_order(db: Database, f: Filters) -> tuple[np.ndarray, np.ndarray]:
    """(revenue per classified account under the filters, in the classification's row order; the rows in the
    account list's order: by tier, then revenue, largest first) — memoised per filter selection, not to be
    modified."""

    def make() -> tuple[np.ndarray, np.ndarray]:
        tiers = _shared_tiers(db)
        # (summed per row of the classification in SQL: no Python string per account)
        rows = pa.table({"account": pa.array(tiers["account"], pa.string()), "i": np.arange(len(tiers))})
        cur = db.cursor()
        try:
            cur.register("base", _revenue_by(db, f))
            cur.register("acc_i", rows)
            rev = cur.sql(
                "SELECT a.i, coalesce(sum(b.revenue)::DOUBLE, 0) AS revenue FROM base b JOIN acc_i a USING (account) "
                "GROUP BY 1"
            ).fetchnumpy()
        finally:
            cur.close()
        # (tiers are in account order: a stable sort by tier and revenue leaves equal ones by account)
        revenue = np.zeros(len(tiers))
        revenue[np.asarray(rev["i"], dtype=np.int64)] = np.asarray(rev["revenue"], dtype=float)
        tier_order = pc.index_in(pa.array(tiers["tier"]), value_set=pa.array(TIERS)).to_numpy()
        return revenue, np.lexsort((-revenue, tier_order))

    return _view_memo(db, "list_order", (f,), make)  # type: ignore[return-value]


def _table_rows(db: Database, f: Filters, tiers: tuple[str, ...], search: str) -> np.ndarray:
    """The classification's rows in :func:`account_table`, in its order (memoised, not to be modified)."""

    def make() -> np.ndarray:
        order = _list_order(db, f)[1]
        shared = _shared_tiers(db)
        keep = np.zeros(len(shared), dtype=bool)
        # (filter_accounts itself, on the columns it reads: the same rows; their labels are row numbers)
        light = shared[["account", "name_zh", "tier"]].set_axis(pd.RangeIndex(len(shared)))
        keep[filter_accounts(light, tiers, search).index.to_numpy()] = True
        return order[keep[order]]

    return _view_memo(db, "table_rows", (f, tuple(tiers), search), make)  # type: ignore[return-value]


def account_rows(
    db: Database, f: Filters, lang: str = "en", tiers: tuple[str, ...] = (), search: str = "", n: int | None = None
) -> tuple[pd.DataFrame, int]:
    """(the first ``n`` rows of :func:`account_table` — all for None —, how many rows it has) — the rows a page
    shows, without building the rest (memoised: a shared frame, not to be modified)."""
    from kam_core.analytics import scoring  # (scoring reads the tiers: imported late)

    rows = _table_rows(db, f, tuple(tiers), search)
    head = rows if n is None else rows[: max(int(n), 0)]

    def make() -> pd.DataFrame:
        revenue = _list_order(db, f)[0]
        frame = account_tiers(db, lang).take(head).assign(revenue=revenue[head])
        return scoring.with_scores(db, frame, f)

    shown = _view_memo(db, "account_rows", (f, lang, tuple(tiers), search, len(head)), make)
    return shown, len(rows)  # type: ignore[return-value]


_VIEW_MEMO = Memo(24)  # (a page view keeps ~10; each a 100 000-row frame or array at most)


def _view_memo(db: Database, name: str, args: tuple, make: Callable[[], object]) -> object:
    """``make()`` remembered per database, data version, view and arguments (a few at a time).

    For the page's account table: a rerun (a click anywhere on the page) reads it again, and
    Streamlit's cache would copy 100 000 rows in and out each time. Callers must not modify it.
    """
    key = (*data_key(db), name, args)
    if name in _PERSISTED_VIEWS:  # (what a writer's warm-up computes: kept in the file too, kam_core.derived)
        return _PERSISTED_VIEWS[name].get(key, make, db)
    return _VIEW_MEMO.get(key, make)


# The cube's sums under the filters, a year earlier, and the map's store counts from the lines (a scan of
# ``sales``): per view name, kept in the database file as well, so a fresh process reads them.
_PERSISTED_VIEWS = {name: Memo(6, persist=f"tiers.{name}") for name in ("revenue_by", "prior_revenue", "sales_stores")}


def listed_accounts(db: Database, f: Filters, lang: str = "en") -> pd.DataFrame:
    """:func:`account_list` (memoised: a shared frame, not to be modified)."""
    return _view_memo(db, "account_list", (f, lang), lambda: account_list(db, f, lang))  # type: ignore[return-value]


def footprints(db: Database) -> dict[str, int]:
    """How many accounts have each footprint ("stores", "sales", "none"; memoised per data version)."""

    def make() -> dict[str, int]:
        counts = _shared_tiers(db)["footprint"].value_counts()
        return {k: int(counts.get(k, 0)) for k in ("stores", "sales", "none")}

    return dict(_view_memo(db, "footprints", (), make))  # type: ignore[call-overload]


def account_names(db: Database) -> list[str]:
    """Every classified account, sorted (memoised: a shared list, not to be modified)."""

    def make() -> list[str]:
        # (Arrow sorts strings by their UTF-8 bytes: the order of their code points, Python's order)
        names = pa.array(_shared_tiers(db)["account"], pa.string())
        return names.take(pc.sort_indices(names)).to_pylist()

    return _view_memo(db, "account_names", (), make)  # type: ignore[return-value]


def account_table(
    db: Database, f: Filters, lang: str = "en", tiers: tuple[str, ...] = (), search: str = ""
) -> pd.DataFrame:
    """:func:`account_list` narrowed by :func:`filter_accounts`, with the active scoring model's score
    and key flag (memoised: a shared frame, not to be modified)."""
    return account_rows(db, f, lang, tiers, search)[0]


def account_export(
    db: Database, f: Filters, lang: str = "en", tiers: tuple[str, ...] = (), search: str = ""
) -> pd.DataFrame:
    """:func:`export_frame` of :func:`account_table` (memoised: a shared frame, not to be modified)."""
    return _view_memo(  # type: ignore[return-value]
        db, "account_export", (f, lang, tuple(tiers), search),
        lambda: export_frame(account_table(db, f, lang, tiers, search), lang),
    )  # fmt: skip


def _sales_stores(db: Database, f: Filters, scope: tuple[str, ...]) -> pa.Table:
    """(account, canonical province, stores) for the accounts of the tiers ``scope`` whose footprint comes from
    their sales: the distinct stores (a line without a store code: one more) of their lines under the filters
    in that province (memoised per filter selection: every map tier reads it).

    An account with one row in account_stores (one store, or only lines without a store code) has that one
    store in every province it sold in: those come from the filtered aggregate; only accounts with several
    stores need their lines (a scan of ``sales``).
    """

    def make() -> pa.Table:
        tiers = _shared_tiers(db)
        chosen = tiers[tiers["tier"].isin(list(scope)) & (tiers["footprint"] == "sales")]
        accounts = pa.table({"account": pa.array(chosen["account"], pa.string())})
        where, params = f.where("s")
        sql = f"""
            WITH n AS (SELECT a.account, count(*) AS n FROM account_stores a
                       WHERE a.account IN (SELECT account FROM acc_in) GROUP BY 1)
            SELECT b.account, m.province, 1::BIGINT AS stores
            FROM base b JOIN n ON n.account = b.account AND n.n = 1 JOIN prov_map m ON m.raw = b.raw
            WHERE m.province IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT s.account, m.province, count(DISTINCT coalesce(s.store, '')) AS stores
            FROM sales s JOIN prov_map m ON m.raw = s.province
            WHERE {where} AND m.province IS NOT NULL AND s.account IN (SELECT account FROM n WHERE n > 1)
            GROUP BY ALL"""  # noqa: S608 - conditions come from Filters.where
        return db.arrow(sql, params, prov_map=_lookup_frame(db), acc_in=accounts, base=_revenue_by(db, f))

    return _view_memo(db, "sales_stores", (FACTS, f, scope), make)  # type: ignore[return-value]


def warm_views(db: Database, f: Filters) -> None:
    """Compute what the tier page's views read for the filter selection ``f`` and keep it in this process's
    memo: the cube's sums under the filters and a year earlier, and the map's store counts from the lines
    (the one scan of ``sales`` the page makes) — for a writer's warm-up, before anyone opens the page."""
    _revenue_by(db, f)
    _prior_revenue(db, f)
    tiers = _shared_tiers(db)
    if (tiers["tier"].isin(KA_TIERS) & (tiers["footprint"] == "sales")).any():
        _sales_stores(db, f, KA_TIERS)


def province_view(db: Database, f: Filters, tier: str | None = None) -> pd.DataFrame:
    """Per canonical province, for one tier (or all K/A tiers): revenue, stores, accounts, top accounts.

    Stores come from the store master (its province) for accounts that have one, else
    from the distinct stores in their sales in that province; either way only for accounts
    that sold in that province under the filters, so a region filter narrows the map.
    """
    tiers = _shared_tiers(db)
    chosen = [tier] if tier else list(KA_TIERS)
    tiers = tiers[tiers["tier"].isin(chosen)][["account", "tier", "stores", "footprint"]]
    # The stores of accounts without a store master (:func:`_sales_stores`, read for all K/A tiers at once).
    scope = KA_TIERS if set(chosen) <= set(KA_TIERS) else tuple(chosen)
    frames: dict[str, object] = {}
    st_sales = "SELECT NULL::VARCHAR AS province, 0::BIGINT AS stores WHERE FALSE"
    if (tiers["footprint"] == "sales").any():
        frames["sales_stores"] = _sales_stores(db, f, scope)
        st_sales = """SELECT ss.province, sum(ss.stores) AS stores FROM sales_stores ss JOIN tiers_in t USING (account)
                      WHERE t.footprint = 'sales' GROUP BY 1"""
    sql = f"""
        WITH rev AS (
            SELECT m.province, b.account, sum(b.revenue) AS revenue
            FROM base b JOIN tiers_in t USING (account) JOIN prov_map m ON m.raw = b.raw
            WHERE m.province IS NOT NULL GROUP BY ALL),
        st_master AS (
            SELECT m.province, count(*) AS stores FROM stores s JOIN tiers_in t USING (account)
            JOIN prov_map m ON m.raw = s.province
            WHERE t.footprint = 'stores' AND (s.account, m.province) IN (SELECT (account, province) FROM rev)
            GROUP BY 1),
        st_sales AS ({st_sales}),
        -- the top 3 accounts by revenue (ties by name) are among those at least the 3rd largest revenue: only
        -- those are ranked
        third AS (SELECT province, max(revenue, 3)[-1] AS revenue FROM rev GROUP BY 1),
        ranked AS (SELECT r.province, r.account,
                          row_number() OVER (PARTITION BY r.province ORDER BY r.revenue DESC, r.account) AS rn
                   FROM rev r JOIN third USING (province) WHERE r.revenue >= third.revenue),
        top AS (SELECT province, string_agg(account, ', ' ORDER BY rn) FILTER (WHERE rn <= 3) AS top_accounts
                FROM ranked GROUP BY 1)
        SELECT p.province, coalesce(sum(r.revenue), 0) AS revenue, count(r.account) AS accounts,
               any_value(tp.top_accounts) AS top_accounts,
               coalesce(any_value(sm.stores), 0) + coalesce(any_value(ss.stores), 0) AS stores
        FROM (SELECT province FROM rev UNION SELECT province FROM st_master UNION SELECT province FROM st_sales) p
        LEFT JOIN rev r USING (province) LEFT JOIN top tp USING (province) LEFT JOIN st_master sm USING (province)
        LEFT JOIN st_sales ss USING (province)
        GROUP BY p.province ORDER BY revenue DESC, p.province"""  # noqa: S608 - fixed SQL, no values
    df = _with_lookup(db, sql, [], tiers_in=tiers, base=_revenue_by(db, f), **frames)  # type: ignore[arg-type]
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
    tiers = _shared_tiers(db)
    tiers = tiers[tiers["tier"].isin(KA_TIERS)][["account", "tier"]]
    big = 2**62
    # Only the accounts at or above a tier's ``top``-th largest revenue are ranked (ties by name); the others
    # become one row per tier from their totals (DECIMAL sums: the same sum in any order).
    sql = """WITH b AS (SELECT t.tier, s.account, coalesce(m.province, s.raw, '?') AS province,
                               sum(s.revenue) AS revenue
                        FROM base s JOIN tiers_in t USING (account) LEFT JOIN prov_map m ON m.raw = s.raw
                        GROUP BY ALL HAVING sum(s.revenue) > 0),
                   a AS (SELECT tier, account, sum(revenue) AS total, count(*) AS n FROM b GROUP BY tier, account),
                   cut AS (SELECT tier, max(total, ?)[-1] AS total FROM a GROUP BY 1),
                   kept AS (SELECT * FROM (
                                SELECT a.tier, a.account,
                                       row_number() OVER (PARTITION BY a.tier ORDER BY a.total DESC, a.account) AS rk
                                FROM a JOIN cut USING (tier) WHERE a.total >= cut.total)
                            WHERE rk <= ?),
                   -- (provinces are ranked only within the accounts that keep their own rows)
                   r AS (SELECT b.*, kept.rk,
                                row_number() OVER (PARTITION BY b.tier, b.account ORDER BY b.revenue DESC, b.province)
                                    AS pk
                         FROM b JOIN kept USING (tier, account)),
                   c AS (SELECT tier, account, CASE WHEN pk <= ? THEN province END AS province,
                                sum(revenue) AS revenue, 1 AS accounts, count(*) AS provinces, min(rk) AS rk
                         FROM r GROUP BY 1, 2, 3
                         UNION ALL
                         SELECT tier, NULL, NULL, sum(total), count(*), sum(n), ? + 1
                         FROM a ANTI JOIN kept USING (tier, account) GROUP BY 1)
              SELECT tier, account, province, revenue, accounts, provinces FROM c
              ORDER BY tier, rk, province IS NULL, revenue DESC, province"""
    n_acc = big if top is None else int(top)
    n_prov = big if provinces is None else int(provinces)
    ranked = max(1, min(n_acc, len(tiers)))  # (at most every account is ranked)
    df = _with_lookup(db, sql, [ranked, n_acc, n_prov, n_acc], tiers_in=tiers, base=_revenue_by(db, f))
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
    tier_names = {x: t(f"tiers.tier.{x}", lang) for x in TIERS}
    lists = df["provinces"].tolist()
    if lang == "zh":  # (each distinct province named once)
        names = {p: province_zh(p) for p in set().union(*lists)}
        provinces = [", ".join(map(names.__getitem__, ps)) for ps in lists]
    else:
        provinces = [", ".join(ps) for ps in lists]

    return pd.DataFrame(
        {
            t("col.account", lang): df["account"],
            t("tiers.col.tier", lang): list(map(tier_names.__getitem__, df["tier"].tolist())),
            t("tiers.col.reason", lang): df["reason_zh" if lang == "zh" else "reason_en"],
            t("tiers.col.provinces", lang): provinces,
            t("tiers.col.n_provinces", lang): df["n_provinces"].astype(int),
            t("tiers.col.stores", lang): df["stores"].astype(int),
            t("col.revenue", lang): df["revenue"].astype(float),
            t("tiers.col.international", lang): df["international"].astype(bool),
            t("tiers.col.overridden", lang): df["overridden"].astype(bool),
        }
    )
