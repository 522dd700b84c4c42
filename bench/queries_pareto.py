"""Pareto / 80-20 queries (issue 4) against hand-written DuckDB SQL giving the same result.

Run at scale with: python bench/run.py --rows 10000000 --accounts 100000 --only pareto
"""

from __future__ import annotations

from datetime import date

from bench.common import EAST, LAST12, Bench
from kam_core.analytics import pareto as pa

PREV12 = pa.Period(date(2024, 11, 1), date(2025, 10, 1))
CUR12 = pa.Period(date(2025, 11, 1), date(2026, 10, 1))

# The full ranked list with class (a lower bound of our work: we also compute the figures).
_RAW_LIST = """
WITH g AS (SELECT {col} AS e, sum({m}) AS v FROM sales
           WHERE period BETWEEN '2025-11-01' AND '2026-10-01' {extra} AND {m} IS NOT NULL GROUP BY 1),
r AS (SELECT e, v, row_number() OVER w AS rk, sum(v) OVER w AS cum, sum(v) OVER () AS t
      FROM g WHERE v > 0 AND e IS NOT NULL WINDOW w AS (ORDER BY v DESC, e ROWS UNBOUNDED PRECEDING))
SELECT rk, e, v::DOUBLE, v::DOUBLE / t::DOUBLE AS share, cum::DOUBLE / t::DOUBLE AS cum_share,
       CASE WHEN cum - v < 0.8 * t THEN 'A' WHEN cum - v < 0.95 * t THEN 'B' ELSE 'C' END AS class
FROM r
UNION ALL SELECT NULL, e, v::DOUBLE, NULL, NULL, NULL FROM g WHERE v <= 0 AND e IS NOT NULL
ORDER BY 1 NULLS LAST
"""

_RAW_SUMMARY = """
WITH g AS (SELECT {col} AS e, sum({m}) AS v FROM sales
           WHERE period BETWEEN '2025-11-01' AND '2026-10-01' AND {m} IS NOT NULL GROUP BY 1),
r AS (SELECT v, row_number() OVER w AS rk, sum(v) OVER w - v AS b, sum(v) OVER () AS t, count(*) OVER () AS n
      FROM g WHERE v > 0 AND e IS NOT NULL WINDOW w AS (ORDER BY v DESC, e ROWS UNBOUNDED PRECEDING))
SELECT count(*), any_value(t), sum(v) FILTER (WHERE rk <= ceil(0.2 * n)) / any_value(t),
       count(*) FILTER (WHERE b < 0.8 * t),
       (any_value(n) + 1.0) / any_value(n) - 2.0 * sum(rk * v::DOUBLE) / (any_value(n) * any_value(t)::DOUBLE),
       10000 * sum(power(v::DOUBLE / t::DOUBLE, 2)), sum(v) FILTER (WHERE rk <= 10) / any_value(t),
       count(*) FILTER (WHERE b < 0.8 * t), count(*) FILTER (WHERE b >= 0.8 * t AND b < 0.95 * t),
       count(*) FILTER (WHERE b >= 0.95 * t),
       (SELECT count(*) FROM g WHERE v <= 0 AND e IS NOT NULL), (SELECT sum(v) FROM g WHERE e IS NULL)
FROM r
"""

_RAW_TREND = """
WITH g AS (SELECT date_trunc('{grain}', period) AS p, account AS e, sum(revenue) AS v FROM sales
           WHERE period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY ALL HAVING sum(revenue) > 0),
r AS (SELECT p, v, row_number() OVER w AS rk, sum(v) OVER w - v AS b,
             sum(v) OVER (PARTITION BY p) AS t, count(*) OVER (PARTITION BY p) AS n
      FROM g WINDOW w AS (PARTITION BY p ORDER BY v DESC, e ROWS UNBOUNDED PRECEDING))
SELECT p, count(*), any_value(t), sum(v) FILTER (WHERE rk <= ceil(0.2 * n)) / any_value(t),
       count(*) FILTER (WHERE b < 0.8 * t),
       (any_value(n) + 1.0) / any_value(n) - 2.0 * sum(rk * v::DOUBLE) / (any_value(n) * any_value(t)::DOUBLE),
       10000 * sum(power(v::DOUBLE / t::DOUBLE, 2)), sum(v) FILTER (WHERE rk <= 10) / any_value(t)
FROM r GROUP BY p ORDER BY p
"""

_RAW_MIGRATION = """
WITH g AS (SELECT account AS e,
                  sum(revenue) FILTER (WHERE period <= '2025-10-01') AS v1,
                  sum(revenue) FILTER (WHERE period >= '2025-11-01') AS v2
           FROM sales WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY 1),
c1 AS (SELECT e, CASE WHEN sum(v1) OVER (ORDER BY v1 DESC, e ROWS UNBOUNDED PRECEDING) - v1 < 0.8 * sum(v1) OVER ()
                      THEN 'A' WHEN sum(v1) OVER (ORDER BY v1 DESC, e ROWS UNBOUNDED PRECEDING) - v1
                      < 0.95 * sum(v1) OVER () THEN 'B' ELSE 'C' END AS k FROM g WHERE v1 > 0),
c2 AS (SELECT e, CASE WHEN sum(v2) OVER (ORDER BY v2 DESC, e ROWS UNBOUNDED PRECEDING) - v2 < 0.8 * sum(v2) OVER ()
                      THEN 'A' WHEN sum(v2) OVER (ORDER BY v2 DESC, e ROWS UNBOUNDED PRECEDING) - v2
                      < 0.95 * sum(v2) OVER () THEN 'B' ELSE 'C' END AS k FROM g WHERE v2 > 0)
SELECT coalesce(c1.k, 'new'), coalesce(c2.k, 'lost'), count(*), sum(v1), sum(v2)
FROM g LEFT JOIN c1 USING (e) LEFT JOIN c2 USING (e) WHERE c1.k IS NOT NULL OR c2.k IS NOT NULL
GROUP BY ALL ORDER BY 1, 2
"""

_RAW_WHALE = """
WITH g AS (SELECT account AS e, sum(gross_profit) - coalesce(sum(trade_spend), 0) AS p FROM sales
           WHERE period BETWEEN '2025-11-01' AND '2026-10-01' AND gross_profit IS NOT NULL GROUP BY 1)
SELECT row_number() OVER w, e, p, sum(p) OVER w, row_number() OVER w / count(*) OVER (), sum(p) OVER w / sum(p) OVER ()
FROM g WINDOW w AS (ORDER BY p DESC, e ROWS UNBOUNDED PRECEDING) ORDER BY 1
"""

_TOP3 = ["ACC000000", "ACC000001", "ACC000002"]

BENCHES: list[Bench] = [
    Bench(
        "pareto.analyse[account]",
        lambda db: pa.analyse(db, LAST12, "account", "revenue"),
        _RAW_LIST.format(col="account", m="revenue", extra=""),
    ),
    Bench(
        "pareto.analyse[account,East]",
        lambda db: pa.analyse(db, EAST, "account", "revenue"),
        _RAW_LIST.format(col="account", m="revenue", extra="AND region = 'East'"),
    ),
    Bench(
        "pareto.analyse[store]",
        lambda db: pa.analyse(db, LAST12, "store", "revenue"),
        _RAW_LIST.format(col="store", m="revenue", extra=""),
    ),
    Bench(
        "pareto.summary[account]",
        lambda db: pa.summary(db, LAST12, "account", "revenue"),
        _RAW_SUMMARY.format(col="account", m="revenue"),
    ),
    Bench(
        "pareto.summary[sku,volume]",
        lambda db: pa.summary(db, LAST12, "sku", "volume"),
        _RAW_SUMMARY.format(col="sku", m="volume"),
    ),
    Bench(
        "pareto.summary[province,gp]",
        lambda db: pa.summary(db, LAST12, "province", "gross_profit"),
        _RAW_SUMMARY.format(col="province", m="gross_profit"),
    ),
    Bench(
        "pareto.trend[month]",
        lambda db: pa.trend(db, LAST12, "account", "revenue", "month"),
        _RAW_TREND.format(grain="month"),
    ),
    Bench(
        "pareto.trend[quarter]",
        lambda db: pa.trend(db, LAST12, "account", "revenue", "quarter"),
        _RAW_TREND.format(grain="quarter"),
    ),
    Bench(
        "pareto.migration",
        lambda db: pa.migration(db, LAST12, "account", "revenue", PREV12, CUR12),
        _RAW_MIGRATION,
    ),
    Bench(
        "pareto.what_if",
        lambda db: pa.what_if(db, LAST12, "account", _TOP3),
        """SELECT sum(revenue), sum(revenue) FILTER (WHERE account IN ('ACC000000', 'ACC000001', 'ACC000002')),
                  sum(gross_profit),
                  sum(gross_profit) FILTER (WHERE account IN ('ACC000000', 'ACC000001', 'ACC000002'))
           FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01'""",
    ),
    Bench("pareto.whale[net]", lambda db: pa.whale(db, LAST12, "account", "net_profit"), _RAW_WHALE),
]
