"""Pareto / 80-20 concentration: ranked totals, ABC classes and concentration indices.

Definitions (PRODUCT_SPEC §4; the CLI and the page share this module):
- entities are ranked by the metric, largest first; ties broken by the entity name so
  the ranking is reproducible;
- entities whose total is ≤ 0 are left out of the curve and counted apart
  (``non_positive``); N, ``total``, the shares and Gini are over the positive ones only;
- ``top20_share`` = share held by the first ⌈0.2·N⌉ entities;
- ``n_for_80`` = the smallest k whose first k entities hold ≥ 80%;
- an entity is A while the cumulative share *before* it is < a (default 80%), B while
  < b (default 95%), else C;
- Gini over the entity totals (0 = all equal); HHI = Σ share² × 10 000.

Everything is computed in DuckDB with window functions; share thresholds are compared in
DECIMAL arithmetic so an entity landing exactly on 80% is classed the same way every time.
Rows whose dimension value is missing (e.g. no store) are not an entity; their total is
reported as ``unassigned``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from kam_core import coverage as cv
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters, add_months, month_range
from kam_core.summary import CUBE_DIMS

# dimension → sales column; metric → sales column (fixed names: safe to place in SQL)
DIMENSIONS: dict[str, str] = {
    "account": "account",
    "store": "store",
    "sku": "sku",
    "category": "category",
    "province": "province",
    "region": "region",
    "channel": "channel",
    "kam": "kam",
}
METRICS: dict[str, str] = {"revenue": "revenue", "gross_profit": "gross_profit", "volume": "volume"}
CLASSES = ("A", "B", "C")
GRAINS = ("month", "quarter")


@dataclass(frozen=True)
class Thresholds:
    """ABC cut-offs on the cumulative share before an entity (A while < a, B while < b)."""

    a: float = 0.80
    b: float = 0.95

    def __post_init__(self) -> None:
        if not (0 < self.a <= self.b <= 1):
            raise UserError("pareto.err.thresholds", a=f"{self.a:.0%}", b=f"{self.b:.0%}")


@dataclass(frozen=True)
class Summary:
    """Concentration figures for one dimension, metric and selection."""

    by: str
    metric: str
    entities: int  # N: entities with a positive total
    total: float  # sum over the positive entities
    top20_count: int  # ⌈0.2·N⌉
    top20_share: float | None
    n_for_80: int | None
    gini: float | None
    hhi: float | None
    top_n: int
    top_n_share: float | None
    classes: dict[str, int]
    class_totals: dict[str, float]
    non_positive: int
    non_positive_total: float
    unassigned_total: float  # metric on rows with no value for the dimension
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def empty(self) -> bool:
        return self.entities == 0

    def class_shares(self) -> dict[str, float | None]:
        return {c: (self.class_totals[c] / self.total if self.total else None) for c in CLASSES}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["thresholds"] = {"A": self.thresholds.a, "B": self.thresholds.b}
        d["class_shares"] = self.class_shares()
        return d


@dataclass(frozen=True)
class Pareto:
    summary: Summary
    # rank, entity, value, share, cum_share, class — positive entities ranked, then the
    # non-positive ones (rank and class empty); None when not asked for.
    table: pd.DataFrame | None


def _check(by: str, metric: str) -> tuple[str, str]:
    if by not in DIMENSIONS:
        raise ValueError(f"Unknown dimension '{by}'. Choose one of: {', '.join(DIMENSIONS)}.")
    if metric not in METRICS:
        raise ValueError(f"Unknown metric '{metric}'. Choose one of: {', '.join(METRICS)}.")
    return DIMENSIONS[by], METRICS[metric]


# Ranked positive entities per partition (`{part}` = '' or a partition column list ending in ',').
# `before` = cumulative total before the entity; DECIMAL, so class cut-offs are exact.
_RANKED = """
SELECT {part_cols} entity, value,
       row_number() OVER w AS rank,
       sum(value) OVER w - value AS before,
       sum(value) OVER (PARTITION BY {part_expr}) AS total,
       count(*) OVER (PARTITION BY {part_expr}) AS n
FROM {src} WHERE value > 0 AND entity IS NOT NULL
WINDOW w AS (PARTITION BY {part_expr} ORDER BY value DESC, entity ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
"""

# Concentration figures over ranked rows (aggregate per partition). Parameters: top_n.
_FIGURES = """
count(rank) AS entities,
any_value(total) FILTER (WHERE rank IS NOT NULL) AS total,
CAST(ceil(0.2 * any_value(n) FILTER (WHERE rank IS NOT NULL)) AS BIGINT) AS top20_count,
sum(value) FILTER (WHERE rank <= ceil(0.2 * n)) / any_value(total) FILTER (WHERE rank IS NOT NULL) AS top20_share,
count(*) FILTER (WHERE before < 0.8 * total) AS n_for_80,
(any_value(n) FILTER (WHERE rank IS NOT NULL) + 1.0) / any_value(n) FILTER (WHERE rank IS NOT NULL)
  - 2.0 * sum(rank * CAST(value AS DOUBLE)) FILTER (WHERE rank IS NOT NULL)
    / (any_value(n) FILTER (WHERE rank IS NOT NULL) * CAST(any_value(total) FILTER (WHERE rank IS NOT NULL) AS DOUBLE))
  AS gini,
10000.0 * sum(power(CAST(value AS DOUBLE) / CAST(total AS DOUBLE), 2)) FILTER (WHERE rank IS NOT NULL) AS hhi,
sum(value) FILTER (WHERE rank <= ?) / any_value(total) FILTER (WHERE rank IS NOT NULL) AS top_n_share
"""


def _source(col: str) -> str:
    """Where the sums by ``col`` are read: the summary table ``sales_cube`` for its dimensions (account,
    province, region, channel, KAM: the lines' sums to the last digit, NULL where every line was NULL),
    the lines for store, SKU and category."""
    return "sales_cube" if col in CUBE_DIMS else "sales"


def _grouped_sql(col: str, m: str, where: str, bucket: str = "") -> str:
    b = f"{bucket} AS bucket, " if bucket else ""
    return (
        f"SELECT {b}{col} AS entity, sum({m}) AS value FROM {_source(col)} "  # noqa: S608 - fixed column names
        f"WHERE {where} AND {m} IS NOT NULL GROUP BY ALL"
    )


def _f(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def analyse(
    db: Database,
    f: Filters,
    by: str = "account",
    metric: str = "revenue",
    thresholds: Thresholds | None = None,
    top_n: int = 10,
    table: bool = True,
) -> Pareto:
    """Rank the entities of ``by`` on ``metric`` in the selection; one scan of the sales table."""
    col, m = _check(by, metric)
    th = thresholds or Thresholds()
    if top_n < 1:
        raise UserError("pareto.err.top_n")
    where, params = f.where()
    ranked = _RANKED.format(part_cols="", part_expr="1", src="g")
    # every entity with its rank and class (non-positive ones: no rank, no class)
    classed = f"""
        WITH g AS ({_grouped_sql(col, m, where)}),
             r AS ({ranked})
        SELECT entity, value, rank, before, total, n,
               CASE WHEN before < CAST(? AS DECIMAL(9,8)) * total THEN 'A'
                    WHEN before < CAST(? AS DECIMAL(9,8)) * total THEN 'B' ELSE 'C' END AS class
        FROM r
        UNION ALL
        SELECT entity, value, NULL, NULL, NULL, NULL, NULL FROM g WHERE NOT (value > 0 AND entity IS NOT NULL)"""  # noqa: S608
    figures = """SELECT {fig},
           count(*) FILTER (WHERE class = 'A'), count(*) FILTER (WHERE class = 'B'),
           count(*) FILTER (WHERE class = 'C'),
           coalesce(sum(value) FILTER (WHERE class = 'A'), 0),
           coalesce(sum(value) FILTER (WHERE class = 'B'), 0),
           coalesce(sum(value) FILTER (WHERE class = 'C'), 0),
           count(*) FILTER (WHERE rank IS NULL AND entity IS NOT NULL),
           coalesce(sum(value) FILTER (WHERE rank IS NULL AND entity IS NOT NULL), 0),
           coalesce(sum(value) FILTER (WHERE entity IS NULL), 0)
        FROM {src}"""
    cur = db.cursor()
    df = None
    try:
        if not table:
            # the figures only (CLI): one statement, nothing materialised
            row = cur.execute(
                f"WITH c AS ({classed}) " + figures.format(fig=_FIGURES, src="c"), [*params, th.a, th.b, top_n]
            ).fetchone()
        else:
            # the list and the figures from one scan of the sales table, through a temp table
            # (temp tables belong to this cursor's connection; the random name is just tidy)
            name = f"pareto_{uuid.uuid4().hex}"
            cur.execute(f"CREATE TEMP TABLE {name} AS {classed}", [*params, th.a, th.b])
            try:
                row = cur.execute(figures.format(fig=_FIGURES, src=name), [top_n]).fetchone()
                df = cur.execute(
                    f"""SELECT rank, entity, CAST(value AS DOUBLE) AS value,
                               CAST(value AS DOUBLE) / CAST(total AS DOUBLE) AS share,
                               CAST(before + value AS DOUBLE) / CAST(total AS DOUBLE) AS cum_share, class
                        FROM {name} WHERE entity IS NOT NULL
                        ORDER BY rank NULLS LAST, value DESC, entity"""  # noqa: S608
                ).df()
            finally:
                cur.execute(f"DROP TABLE IF EXISTS {name}")
    finally:
        cur.close()
    n = int(row[0])
    empty = n == 0
    summary = Summary(
        by=by,
        metric=metric,
        entities=n,
        total=_f(row[1]) or 0.0,
        top20_count=int(row[2] or 0),
        top20_share=None if empty else _f(row[3]),
        n_for_80=None if empty else int(row[4]),
        gini=None if empty else max(0.0, _f(row[5]) or 0.0),  # clamp −1e-17 round-off for equal entities
        hhi=None if empty else _f(row[6]),
        top_n=top_n,
        top_n_share=None if empty else _f(row[7]),
        classes={"A": int(row[8]), "B": int(row[9]), "C": int(row[10])},
        class_totals={"A": float(row[11]), "B": float(row[12]), "C": float(row[13])},
        non_positive=int(row[14]),
        non_positive_total=float(row[15]),
        unassigned_total=float(row[16]),
        thresholds=th,
    )
    return Pareto(summary, df)


def summary(db: Database, f: Filters, by: str = "account", metric: str = "revenue", **kw: object) -> Summary:
    """The figures only (what the CLI prints)."""
    return analyse(db, f, by, metric, table=False, **kw).summary  # type: ignore[arg-type]


def trend(db: Database, f: Filters, by: str = "account", metric: str = "revenue", grain: str = "month",
          top_n: int = 10) -> pd.DataFrame:  # fmt: skip
    """Concentration per month or quarter: entities, total, top20_share, n_for_80, gini, hhi, top_n_share.

    ``complete``: every month of the period (within the selection) holds data and none is partial;
    :func:`trend_change` compares only complete periods.
    """
    col, m = _check(by, metric)
    if grain not in GRAINS:
        raise ValueError(f"Unknown grain '{grain}'. Choose month or quarter.")
    where, params = f.where()
    ranked = _RANKED.format(part_cols="bucket,", part_expr="bucket", src="g")
    df = db.df(
        f"""WITH g AS ({_grouped_sql(col, m, where, bucket=f"date_trunc('{grain}', period)")}),
                 r AS ({ranked})
            SELECT CAST(bucket AS DATE) AS period, {_FIGURES}
            FROM r GROUP BY bucket ORDER BY bucket""",  # noqa: S608 - grain is checked above
        [*params, top_n],
    )
    dm = cv.data_months(db) if not df.empty else cv.DataMonths(frozenset())
    n = 3 if grain == "quarter" else 1
    complete = []
    for p in df["period"]:
        p = pd.Timestamp(p).date()
        months = [x for x in month_range(p, add_months(p, n - 1))
                  if (f.start is None or x >= f.start) and (f.end is None or x <= f.end)]  # fmt: skip
        complete.append(bool(months) and all(x in dm.have and dm.partial(x) is None for x in months))
    df["complete"] = pd.Series(complete, index=df.index, dtype=bool)
    return df


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise UserError("pareto.err.period_order")


MIGRATION_FROM = ("A", "B", "C", "new")
MIGRATION_TO = ("A", "B", "C", "lost")


def migration(db: Database, f: Filters, by: str, metric: str, before: Period, after: Period,
              thresholds: Thresholds | None = None) -> pd.DataFrame:  # fmt: skip
    """Class migration between two periods: from_class (A/B/C/new) × to_class (A/B/C/lost).

    Columns: from_class, to_class, entities, value_before, value_after, value (the second
    period's, or the first period's for "lost"). "new" = not positive in the first period,
    "lost" = not positive in the second. The global filters apply
    except their period range. When a period lacks data for some month the frame keeps the
    reason (``coverage.note(df, lang)``): new / lost then partly reflect missing months.
    """
    col, m = _check(by, metric)
    th = thresholds or Thresholds()
    where, params = f.without_period().where()

    def classed(v: str) -> str:
        return f"""SELECT entity, CASE WHEN sum({v}) OVER w - {v} < CAST(? AS DECIMAL(9,8)) * sum({v}) OVER () THEN 'A'
                          WHEN sum({v}) OVER w - {v} < CAST(? AS DECIMAL(9,8)) * sum({v}) OVER () THEN 'B'
                          ELSE 'C' END AS class
                   FROM g WHERE {v} > 0
                   WINDOW w AS (ORDER BY {v} DESC, entity ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"""  # noqa: S608

    df = db.df(
        f"""WITH g AS (
                SELECT {col} AS entity,
                       sum({m}) FILTER (WHERE period BETWEEN ? AND ?) AS v1,
                       sum({m}) FILTER (WHERE period BETWEEN ? AND ?) AS v2
                FROM {_source(col)}
                WHERE {where} AND {col} IS NOT NULL AND {m} IS NOT NULL
                  AND (period BETWEEN ? AND ? OR period BETWEEN ? AND ?)
                GROUP BY 1),
            c1 AS ({classed("v1")}),
            c2 AS ({classed("v2")})
            SELECT coalesce(c1.class, 'new') AS from_class, coalesce(c2.class, 'lost') AS to_class,
                   count(*) AS entities,
                   CAST(coalesce(sum(g.v1), 0) AS DOUBLE) AS value_before,
                   CAST(coalesce(sum(g.v2), 0) AS DOUBLE) AS value_after
            FROM g LEFT JOIN c1 USING (entity) LEFT JOIN c2 USING (entity)
            WHERE c1.class IS NOT NULL OR c2.class IS NOT NULL
            GROUP BY ALL ORDER BY 1, 2""",  # noqa: S608
        [before.start, before.end, after.start, after.end, *params,
         before.start, before.end, after.start, after.end, th.a, th.b, th.a, th.b],
    )  # fmt: skip
    df["value"] = np.where(df["to_class"] == "lost", df["value_before"], df["value_after"])
    # Months without data make entities look new or lost: the frame says so (coverage.note(df, lang)).
    return cv.attach(df, cv.compare_windows(db, (after.start, after.end), (before.start, before.end), "preceding"))


def migration_matrix(df: pd.DataFrame, value: str = "entities") -> pd.DataFrame:
    """The long migration frame as a from × to matrix (all rows and columns present, zeros filled)."""
    mat = df.pivot_table(index="from_class", columns="to_class", values=value, aggfunc="sum", fill_value=0)
    return mat.reindex(index=list(MIGRATION_FROM), columns=list(MIGRATION_TO), fill_value=0)


@dataclass(frozen=True)
class WhatIf:
    """Revenue and gross profit of the chosen entities, against the selection's totals."""

    entities: tuple[str, ...]
    revenue: float
    revenue_total: float
    revenue_share: float | None
    gross_profit: float | None
    gross_profit_total: float | None
    gross_profit_share: float | None


def what_if(db: Database, f: Filters, by: str, entities: Sequence[str]) -> WhatIf:
    """ "What if we lose X": the share of revenue and gross profit the chosen entities carry."""
    col, _ = _check(by, "revenue")
    where, params = f.where()
    lost = list(entities)
    r = db.rows(
        f"""SELECT coalesce(sum(revenue), 0), coalesce(sum(revenue) FILTER (WHERE list_contains(?, {col})), 0),
                   sum(gross_profit), sum(gross_profit) FILTER (WHERE list_contains(?, {col}))
            FROM {_source(col)} WHERE {where}""",  # noqa: S608
        [lost, lost, *params],
    )[0]
    rev, rev_total = float(r[1]), float(r[0])
    gp_total = _f(r[2])
    gp = _f(r[3]) if gp_total is not None else None
    if gp is None and gp_total is not None:
        gp = 0.0
    return WhatIf(
        entities=tuple(lost),
        revenue=rev,
        revenue_total=rev_total,
        revenue_share=rev / rev_total if rev_total else None,
        gross_profit=gp,
        gross_profit_total=gp_total,
        # a share of a negative or zero total would read backwards: leave it out
        gross_profit_share=(gp / gp_total) if gp is not None and gp_total and gp_total > 0 else None,
    )


PROFIT_MEASURES = ("gross_profit", "net_profit")  # net = gross profit − trade spend


def profit_columns(db: Database, f: Filters) -> dict[str, bool]:
    """Which profit measures the selection has data for."""
    where, params = f.where()
    gp, ts = db.rows(
        f"SELECT coalesce(sum(gp_lines), 0), coalesce(sum(ts_lines), 0) FROM sales_cube WHERE {where}",  # noqa: S608
        params,
    )[0]  # the lines with a value, counted in the summary table
    return {"gross_profit": gp > 0, "net_profit": gp > 0 and ts > 0}


@dataclass(frozen=True)
class Whale:
    """Whale curve: entities ranked by profit, cumulative profit as a share of the total."""

    measure: str
    table: pd.DataFrame  # rank, entity, profit, cum_profit, x (share of entities), y (cum profit / total)
    total: float
    peak: float  # highest cumulative profit
    peak_rank: int
    destroyers: int  # entities with negative profit
    destroyed: float  # their profit (≤ 0)

    @property
    def peak_share(self) -> float | None:
        return self.peak / self.total if self.total > 0 else None


def whale(db: Database, f: Filters, by: str = "account", measure: str = "gross_profit") -> Whale | None:
    """Profit whale curve; None when the selection has no profit data."""
    col, _ = _check(by, "gross_profit")
    if measure not in PROFIT_MEASURES:
        raise ValueError(f"Unknown profit measure '{measure}'.")
    expr = "sum(gross_profit)" if measure == "gross_profit" else "sum(gross_profit) - coalesce(sum(trade_spend), 0)"
    where, params = f.where()
    # Net profit subtracts the trade spend of the lines *with* a gross profit: the cube's trade spend
    # is over all its lines, so net profit is read from the lines.
    src = _source(col) if measure == "gross_profit" else "sales"
    df = db.df(
        f"""WITH g AS (SELECT {col} AS entity, {expr} AS profit FROM {src}
                       WHERE {where} AND gross_profit IS NOT NULL AND {col} IS NOT NULL GROUP BY 1)
            SELECT row_number() OVER w AS rank, entity, CAST(profit AS DOUBLE) AS profit,
                   CAST(sum(profit) OVER w AS DOUBLE) AS cum_profit,
                   row_number() OVER w / count(*) OVER () AS x,
                   CAST(sum(profit) OVER w AS DOUBLE) / nullif(CAST(sum(profit) OVER () AS DOUBLE), 0) AS y
            FROM g
            WINDOW w AS (ORDER BY profit DESC, entity ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            ORDER BY rank""",  # noqa: S608
        params,
    )
    if df.empty:
        return None
    cum = df["cum_profit"].to_numpy()
    i = int(np.argmax(cum))
    neg = df["profit"] < 0
    return Whale(
        measure=measure,
        table=df,
        total=float(cum[-1]),
        peak=float(cum[i]),
        peak_rank=i + 1,
        destroyers=int(neg.sum()),
        destroyed=float(df.loc[neg, "profit"].sum()),
    )


def curve(table: pd.DataFrame) -> pd.DataFrame:
    """Pareto curve points (x = share of entities, y = cumulative share) from the origin."""
    pos = table[table["rank"].notna()]
    n = len(pos)
    x = np.concatenate([[0.0], np.arange(1, n + 1) / n]) if n else np.array([0.0])
    y = np.concatenate([[0.0], pos["cum_share"].to_numpy(dtype=float)])
    return pd.DataFrame({"x": x, "y": y})


def downsample(x: np.ndarray, y: np.ndarray, keep: Sequence[int] = (), resolution: int = 1000) -> np.ndarray:
    """Indices of the points worth drawing: a new point whenever x or y moves to another 1/resolution cell.

    Between two kept points the skipped ones lie in the first point's cell, so a line through
    the kept points stays within ~2/resolution of the full curve, in both directions (works
    for the rising Pareto curve and for the rise-and-fall of a whale curve). The ends and
    ``keep`` (e.g. the 20% and 80% points) are always kept. For drawing only.
    """
    n = len(x)
    if n <= 2 * resolution:
        return np.arange(n)
    cx = np.floor(np.asarray(x, dtype=float) * resolution)
    cy = np.floor(np.asarray(y, dtype=float) * resolution)
    moved = np.empty(n, dtype=bool)
    moved[0] = True
    moved[1:] = (cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1])
    # also keep the point just before each move, so steep segments are drawn with their true slope
    before = np.zeros(n, dtype=bool)
    before[:-1] = moved[1:]
    idx = moved | before
    idx[-1] = True
    extra = [k for k in keep if 0 <= k < n]
    idx[extra] = True
    return np.flatnonzero(idx)


def curve_marks(s: Summary, cv: pd.DataFrame) -> list[tuple[float, float]]:
    """The two points marked on the Pareto curve ``cv`` (see ``curve``): the top 20% and the 80% point."""
    n = s.entities
    if not n or s.n_for_80 is None or s.top20_share is None:
        return []
    return [(s.top20_count / n, s.top20_share), (s.n_for_80 / n, float(cv["y"].iloc[s.n_for_80]))]


def abc_table(s: Summary) -> pd.DataFrame:
    """One row per ABC class: entities, their share of the entities, the class total and its share."""
    shares = s.class_shares()
    return pd.DataFrame(
        [(c, s.classes[c], s.classes[c] / s.entities if s.entities else None, s.class_totals[c], shares[c])
         for c in CLASSES],
        columns=["class", "entities", "entity_share", "value", "value_share"],
    )  # fmt: skip


def search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows whose entity contains ``text`` (case-insensitive, literally; blank = all)."""
    q = text.strip()
    if not q:
        return table
    return table[table["entity"].astype(str).str.contains(q, case=False, regex=False)]


def period_label(d: date | pd.Timestamp, grain: str) -> str:
    """'2025-03' for a month, '2025 Q1' for a quarter."""
    return f"{pd.Timestamp(d):%Y-%m}" if grain == "month" else f"{d.year} Q{(d.month - 1) // 3 + 1}"


TREND_FLAT_PTS = 1.0  # a move of the top-20% share under one percentage point is "flat"


@dataclass(frozen=True)
class TrendChange:
    """How the top-20% share moved from the first to the last period of a ``trend`` frame."""

    first: float
    last: float
    delta_pts: float  # percentage points, last − first
    verdict: str  # rising (≥ +1 pt), falling (≤ −1 pt) or flat


def trend_change(df: pd.DataFrame) -> TrendChange | None:
    """Is concentration rising? None with fewer than two periods, or when the first or last period
    lacks data for some month or is partial (``complete`` column of :func:`trend`)."""
    if len(df) < 2:
        return None
    if "complete" in df and not (bool(df["complete"].iloc[0]) and bool(df["complete"].iloc[-1])):
        return None
    first, last = float(df["top20_share"].iloc[0]), float(df["top20_share"].iloc[-1])
    delta = (last - first) * 100
    verdict = "rising" if delta >= TREND_FLAT_PTS else "falling" if delta <= -TREND_FLAT_PTS else "flat"
    return TrendChange(first, last, delta, verdict)


def migration_windows(f: Filters, first: date) -> tuple[Period, Period]:
    """Default migration comparison: the preceding window of equal length → the filter window.

    The preceding window is clipped to the first month with data (``first``), so it is never empty.
    """
    if not f.has_period():
        raise ValueError("The migration needs a period range.")
    before = f.preceding()
    start, end = max(before.start, first), max(before.end, first)  # type: ignore[type-var]
    return Period(start, end), Period(f.start, f.end)  # type: ignore[arg-type]


@dataclass(frozen=True)
class WhalePoints:
    """The whale curve to draw: x (share of entities) and y (cumulative profit share) from the origin."""

    x: pd.Series
    y: pd.Series
    peak: tuple[float, float] | None  # the highest point, marked only when some entities lose money


def whale_points(wh: Whale) -> WhalePoints:
    """Curve points of ``wh`` starting at (0, 0); entity i (1-based rank) is point i."""
    t = wh.table
    x = pd.concat([pd.Series([0.0]), t["x"].astype(float)], ignore_index=True)
    y = pd.concat([pd.Series([0.0]), t["y"].astype(float).fillna(0.0)], ignore_index=True)
    peak = None
    if wh.peak_share is not None and wh.destroyers:  # with no loss-makers the peak is the end
        peak = (float(x.iloc[wh.peak_rank]), float(y.iloc[wh.peak_rank]))
    return WhalePoints(x, y, peak)
