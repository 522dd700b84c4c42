"""Channel share over time, by region, by trade segment; YoY growth and mix shift.

Channel names arrive from uploads as people write them ("大卖场", "Hypermarkets", "KA");
they are mapped onto the canonical codes of :mod:`kam_core.vocab` (the one vocabulary the
tiers and the overview read too): built-in synonyms overlaid with an editable map stored in
settings (``channels.map``: raw name → code). A name neither list knows is shown as ``other``;
an empty channel as ``""`` ("(none)"). The map is applied after aggregating in DuckDB, so it
costs nothing on the fact table; the sums are read from the summary table ``sales_cube`` (period,
account, province, region, channel and KAM are in it, with the lines' sums to the last digit).

Trade segments split modern trade by the account's key-account tier: GKA / NKA / LKA,
other modern trade (modern-trade channel, account not K/A), traditional trade
(traditional, wholesale, distributor) and other channels (online, other, none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kam_core import coverage as cv
from kam_core import vocab
from kam_core.analytics import regions as rg
from kam_core.db import Database
from kam_core.filters import Filters, add_months, month_range

# The vocabulary lives in kam_core.vocab; these names stay for the pages, tests and benchmarks.
CHANNEL_MAP_KEY = vocab.MAP_KEY
TRADITIONAL_KEY = vocab.TRADITIONAL_KEY
CANONICAL = vocab.CODES
DEFAULT_TRADITIONAL = vocab.DEFAULT_TRADITIONAL
SYNONYMS = vocab.SYNONYMS
SEGMENTS = ("GKA", "NKA", "LKA", "modern_other", "traditional", "other")
KA_TIERS = rg.KA_TIERS
GRAINS = ("month", "quarter", "year")


# -- channel map (kam_core.vocab) ------------------------------------------------------
_key = vocab.key
default_channel_map = vocab.builtin_map
saved_channel_map = vocab.saved_map
channel_map = vocab.channel_map


def canonical(raw: object, mapping: dict[str, str]) -> str:
    """The code of one raw name ('' for an empty one, 'other' for an unknown one)."""
    return vocab.normalize(raw, mapping) or ""


def save_channel_map(db: Database, edits: dict[str, str], user: str) -> dict[str, str]:
    """Store raw name → code edits (replacing the saved ones); UserError for unknown codes."""
    return vocab.save_map(db, edits, user)


def channel_names(db: Database) -> pd.DataFrame:
    """Every channel name in the sales data with its revenue, code and where the code comes from.

    ``source`` is 'saved' (edited map), 'builtin' (synonym list) or 'unmapped' (shown as other).
    """
    df = db.df(
        """SELECT channel AS raw, sum(revenue) AS revenue FROM sales_cube
           WHERE channel IS NOT NULL AND trim(channel) <> '' GROUP BY channel ORDER BY revenue DESC, raw"""
    )
    saved = {_key(k): v for k, v in saved_channel_map(db).items()}
    builtin = default_channel_map()
    df["revenue"] = df["revenue"].astype(float)
    df["code"] = [saved.get(_key(r), builtin.get(_key(r), "other")) for r in df["raw"]]
    df["source"] = ["saved" if _key(r) in saved else "builtin" if _key(r) in builtin else "unmapped" for r in df["raw"]]
    return df


def mapping_table(db: Database) -> pd.DataFrame:
    """The editable map: names in the data plus saved names not (yet) in it (raw, revenue, code, source)."""
    df = channel_names(db)
    seen = {_key(r) for r in df["raw"]}
    extra = [(k, 0.0, v, "saved") for k, v in saved_channel_map(db).items() if _key(k) not in seen]
    if extra:
        df = pd.concat([df, pd.DataFrame(extra, columns=df.columns)], ignore_index=True)
    return df


def edits_from_table(table: pd.DataFrame) -> dict[str, str]:
    """The rows of an edited map table that the built-in synonyms do not already give (what to save)."""
    builtin = default_channel_map()
    return {str(r): c for r, c in zip(table["raw"], table["code"], strict=True) if builtin.get(_key(r)) != c}


_map_params = vocab.map_params
_CODE = vocab.CODE_SQL
_CMAP = vocab.JOIN_SQL


account_tiers = rg.account_tiers


def _segment_sql(db: Database) -> tuple[str, list]:
    cmap = channel_map(db)
    mt, tt = vocab.modern_trade_codes(db, cmap), vocab.traditional_codes(db, cmap)
    sql = """CASE WHEN x.channel IN (SELECT unnest(?::VARCHAR[]))
                       THEN CASE WHEN t.tier IN ('GKA', 'NKA', 'LKA') THEN t.tier ELSE 'modern_other' END
                  WHEN x.channel IN (SELECT unnest(?::VARCHAR[])) THEN 'traditional'
                  ELSE 'other' END"""
    return sql, [mt, tt]


def _keyed(
    db: Database, mapped: str, dim: str, tiers: pd.DataFrame | None, params: list
) -> tuple[str, str, list, dict[str, pd.DataFrame] | None]:
    """Key expression, FROM source, parameters and frames over a channel-mapped subquery ``mapped``.

    ``dim='channel'``: the canonical channel. ``dim='segment'``: the trade segment, which needs
    each account's tier (``tiers`` or a fresh classification); its parameters come first in the text.
    """
    if dim != "segment":
        return "x.channel", f"({mapped}) x", params, None
    seg, seg_params = _segment_sql(db)
    frames = {"tiers_in": account_tiers(db) if tiers is None else tiers[["account", "tier"]]}
    return seg, f"({mapped}) x LEFT JOIN tiers_in t USING (account)", [*seg_params, *params], frames


def _df(db: Database, sql: str, params: list, frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Run ``sql`` on a fresh cursor with small frames registered under their names."""
    cur = db.cursor()
    try:
        for name, frame in (frames or {}).items():
            cur.register(name, frame)
        return cur.execute(sql, params).df()
    finally:
        cur.close()


# -- share over time -------------------------------------------------------------------
_GRAIN_SQL = {"month": "period", "quarter": "date_trunc('quarter', period)", "year": "date_trunc('year', period)"}


def period_label(p: date | pd.Timestamp, grain: str) -> str:
    p = pd.Timestamp(p)
    if grain == "year":
        return f"{p.year}"
    if grain == "quarter":
        return f"{p.year}-Q{(p.month - 1) // 3 + 1}"
    return f"{p.year:04d}-{p.month:02d}"


def _check(grain: str, dim: str) -> None:
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {', '.join(GRAINS)}")
    if dim not in ("channel", "segment"):
        raise ValueError("dim must be 'channel' or 'segment'")


def share_over_time(
    db: Database, f: Filters, grain: str = "month", dim: str = "channel", tiers: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Revenue and share per period and channel (or trade segment); shares sum to 1 per period.

    Columns: period (label), period_start, key, revenue, share, months (months of the period selected).
    ``tiers`` (account, tier) is looked up when ``dim='segment'`` and not given.
    """
    _check(grain, dim)
    cond, params = rg.where(db, f)
    acc = ", account" if dim == "segment" else ""
    raw = f"""SELECT {_GRAIN_SQL[grain]} AS p, channel{acc}, sum(revenue) AS revenue
              FROM sales_cube WHERE {cond} GROUP BY ALL"""  # noqa: S608 - fixed expressions
    mapped = f"SELECT raw.* EXCLUDE (channel), {_CODE} AS channel FROM ({raw}) raw {_CMAP}"  # noqa: S608
    all_params = [*params, *_map_params(channel_map(db))]
    key, src, all_params, frames = _keyed(db, mapped, dim, tiers, all_params)
    sql = f"""WITH k AS (SELECT p, {key} AS key, sum(revenue) AS revenue FROM {src} GROUP BY ALL)
              SELECT p AS period_start, key, revenue,
                     revenue / nullif(sum(revenue) OVER (PARTITION BY p), 0) AS share
              FROM k ORDER BY p, revenue DESC, key"""  # noqa: S608
    df = _df(db, sql, all_params, frames)
    df["revenue"] = df["revenue"].astype(float)
    df["share"] = df["share"].astype(float)
    df.insert(0, "period", [period_label(p, grain) for p in df["period_start"]])
    df["months"] = [_months_in(p, grain, f) for p in df["period_start"]]
    return df


def _months_in(p: date | pd.Timestamp, grain: str, f: Filters) -> int:
    """Months of the period that the selection covers (a cut quarter or year shows fewer than 3 / 12)."""
    p = pd.Timestamp(p).date()
    n = {"month": 1, "quarter": 3, "year": 12}[grain]
    months = month_range(p, add_months(p, n - 1))
    return sum(1 for m in months if (f.start is None or m >= f.start) and (f.end is None or m <= f.end))


def share_by_region(db: Database, f: Filters, dim: str = "channel", tiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Revenue and share of each channel (or segment) within each mapped region over the selection."""
    _check("month", dim)
    cond, params = rg.where(db, f)
    acc = ", account" if dim == "segment" else ""
    raw = f"""SELECT province, region, channel{acc}, sum(revenue) AS revenue FROM sales_cube
              WHERE {cond} GROUP BY ALL"""  # noqa: S608
    by_region = rg.mapped_region_sql(raw)
    mapped = f"SELECT raw.* EXCLUDE (channel), {_CODE} AS channel FROM ({by_region}) raw {_CMAP}"  # noqa: S608
    keys, vals = rg.map_lists(rg.region_map(db))
    all_params = [*params, keys, vals, *_map_params(channel_map(db))]
    key, src, all_params, frames = _keyed(db, mapped, dim, tiers, all_params)
    sql = f"""WITH k AS (SELECT coalesce(x.region, '') AS region, {key} AS key, sum(revenue) AS revenue
                       FROM {src} GROUP BY ALL)
              SELECT region, key, revenue, revenue / nullif(sum(revenue) OVER (PARTITION BY region), 0) AS share
              FROM k ORDER BY region, revenue DESC, key"""  # noqa: S608
    df = _df(db, sql, all_params, frames)
    df["revenue"] = df["revenue"].astype(float)
    df["share"] = df["share"].astype(float)
    return df


# -- growth and mix shift --------------------------------------------------------------
@dataclass(frozen=True)
class MixShift:
    """Change of total revenue from ``base`` to ``current`` explained by channel (or segment).

    ``bars``: key, base, current, change (= current - base; the waterfall bars, which add up
    to ``current_total - base_total``), base_share, current_share, share_change (points as a
    fraction), growth_effect (= base × total growth rate: what the key would have added had it
    grown like the total), mix_effect (= change - growth_effect; sums to 0 over the keys:
    revenue won or lost by gaining or losing share), yoy (= change / |base|).

    ``comparison``: whether both windows hold data for every month (:mod:`kam_core.coverage`).
    When not, yoy, growth_effect and mix_effect are NaN (amounts and shares stay) and
    ``note(lang)`` says why.
    """

    base: tuple[date, date]
    current: tuple[date, date]
    base_total: float
    current_total: float
    bars: pd.DataFrame
    comparison: cv.Comparison | None = None

    @property
    def change(self) -> float:
        return self.current_total - self.base_total

    @property
    def comparable(self) -> bool:
        return self.comparison is None or self.comparison.ok

    def note(self, lang: str = "en") -> str | None:
        return self.comparison.message(lang) if self.comparison is not None else None


def two_windows(
    db: Database, f: Filters, base: tuple[date, date], current: tuple[date, date], dim: str = "channel",
    tiers: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Revenue per key in two windows (columns key, base, current); other filters as in ``f``."""
    _check("month", dim)
    cond, params = rg.where(db, f, period=False)
    # One plain range over both windows (row groups are pruned; an OR of two ranges is not).
    span, ((base_f, base_p), (cur_f, cur_p)) = rg.span_filters(base, current)
    acc = ", account" if dim == "segment" else ""
    raw = f"""SELECT channel{acc},
                     sum(revenue) FILTER (WHERE {base_f}) AS base,
                     sum(revenue) FILTER (WHERE {cur_f}) AS current
              FROM sales_cube
              WHERE period >= ? AND period <= ? AND {cond}
              GROUP BY ALL"""  # noqa: S608
    mapped = f"SELECT raw.* EXCLUDE (channel), {_CODE} AS channel FROM ({raw}) raw {_CMAP}"  # noqa: S608
    all_params = [*base_p, *cur_p, *span, *params, *_map_params(channel_map(db))]
    key, src, all_params, frames = _keyed(db, mapped, dim, tiers, all_params)
    sql = f"""SELECT {key} AS key, coalesce(sum(base), 0) AS base, coalesce(sum(current), 0) AS current
              FROM {src} GROUP BY ALL ORDER BY current DESC, key"""  # noqa: S608
    df = _df(db, sql, all_params, frames)
    df["base"] = df["base"].astype(float)
    df["current"] = df["current"].astype(float)
    return df


def mix_shift(
    db: Database, f: Filters, base: tuple[date, date], current: tuple[date, date], dim: str = "channel",
    tiers: pd.DataFrame | None = None, base_kind: str | None = None,
) -> MixShift:  # fmt: skip
    """Decompose the change of total revenue between two windows by channel (see :class:`MixShift`).

    ``base_kind`` (prior_year / preceding) names the base window in the coverage note; guessed if None.
    """
    comparison = cv.compare_windows(db, current, base, base_kind)
    d = two_windows(db, f, base, current, dim, tiers)
    t0, t1 = float(d["base"].sum()), float(d["current"].sum())
    d["change"] = d["current"] - d["base"]
    d["base_share"] = d["base"] / t0 if t0 else float("nan")
    d["current_share"] = d["current"] / t1 if t1 else float("nan")
    d["share_change"] = d["current_share"] - d["base_share"]
    g = (t1 - t0) / t0 if t0 else float("nan")
    d["growth_effect"] = d["base"] * g
    d["mix_effect"] = d["change"] - d["growth_effect"]
    d["yoy"] = d["change"] / d["base"].abs().where(d["base"] != 0)
    if not comparison.ok:  # a growth figure against months without data would be invented
        d[["growth_effect", "mix_effect", "yoy"]] = float("nan")
    d = d.reindex(d["change"].abs().sort_values(ascending=False).index).reset_index(drop=True)
    return MixShift(base, current, t0, t1, d, comparison)


def year_earlier(w: tuple[date, date]) -> tuple[date, date]:
    """The same months a year before ``w`` (Filters.year_before)."""
    return rg.year_before(w)


def preceding(w: tuple[date, date]) -> tuple[date, date]:
    """The window of the same length just before ``w`` (Filters.preceding)."""
    return Filters().with_period(*w).preceding().window()  # type: ignore[return-value]


def growth(db: Database, f: Filters, dim: str = "channel", tiers: pd.DataFrame | None = None) -> MixShift | None:
    """YoY growth per channel: the selected window against the same months a year earlier."""
    w = rg.window(db, f)
    if w is None:
        return None
    return mix_shift(db, f, year_earlier(w), w, dim, tiers, base_kind="prior_year")


def unmapped_names(db: Database) -> list[str]:
    """Channel names in the data that no map knows (shown as 'other')."""
    names = channel_names(db)
    return names.loc[names["source"] == "unmapped", "raw"].tolist()
