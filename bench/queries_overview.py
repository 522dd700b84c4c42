"""Overview queries (issue: foundation), and the shared reads the overview and portfolio pages make.

Since issue 14 our functions read the summary tables (kam_core.summary); the hand-written SQL
reads the fact table ``sales``, as a person would write it without them (the ratio shows
what the summaries buy; tests/test_overview_summary.py checks both give the same result).
"""

from __future__ import annotations

from datetime import date

from bench.common import EAST, LAST12, Bench
from kam_core import coverage as cv
from kam_core import summary
from kam_core.analytics import dimensions as dims
from kam_core.analytics import overview as ov
from kam_core.analytics import portfolio as pf
from kam_core.analytics import warnings as wr
from kam_core.analytics.tiers import DEFAULT_FORMATS
from kam_core.filters import month_range

MT = DEFAULT_FORMATS
# the coverage over the lines: per optional column the lines with a value and their absolute revenue
SUMS = ", ".join(
    f"count(*) FILTER (WHERE {summary.has_value(c)}), sum(abs(revenue)) FILTER (WHERE {summary.has_value(c)})"
    for c in dims.COLUMNS
)

BENCHES: list[Bench] = [
    Bench(
        "overview.kpis",
        lambda db: ov.kpis(db, LAST12),
        """WITH b AS (SELECT period, account, sum(revenue) r, sum(gross_profit) g,
                             sum(CASE WHEN channel IN (SELECT unnest(?::VARCHAR[])) THEN revenue ELSE 0 END) m
                      FROM sales WHERE period IN ('2026-10-01', '2026-09-01', '2025-10-01') GROUP BY ALL),
               p AS (SELECT period, count(*) n FROM b WHERE r > 0 GROUP BY period),
               k AS (SELECT b.*, row_number() OVER (PARTITION BY b.period ORDER BY r DESC) rn, p.n
                     FROM b JOIN p USING (period))
           SELECT period, sum(r), sum(g), count(*) FILTER (WHERE r > 0),
                  sum(r) FILTER (WHERE r > 0 AND rn <= ceil(0.2 * n)) / sum(r) FILTER (WHERE r > 0), sum(m) / sum(r)
           FROM k GROUP BY period""",
        [MT],
    ),
    Bench(
        "overview.trend",
        lambda db: ov.trend(db, LAST12),
        """WITH m AS (SELECT period, sum(revenue) r, sum(gross_profit) g FROM sales
                      WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY period)
           SELECT a.period, a.r, a.g, b.r FROM m a LEFT JOIN m b ON b.period = a.period - INTERVAL 1 YEAR
           WHERE a.period >= '2025-11-01' ORDER BY 1""",
        [],
    ),
    Bench(
        "overview.top_accounts",
        lambda db: ov.top_accounts(db, LAST12, n=10),
        """WITH c AS (SELECT account, sum(revenue) r FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01'
                      GROUP BY account),
               t AS (SELECT * FROM c ORDER BY r DESC LIMIT 10),
               p AS (SELECT account, sum(revenue) r FROM sales WHERE period BETWEEN '2024-11-01' AND '2025-10-01'
                     AND account IN (SELECT account FROM t) GROUP BY account)
           SELECT t.account, t.r, t.r / (SELECT sum(r) FROM c), t.r / p.r - 1 FROM t LEFT JOIN p USING (account)
           ORDER BY t.r DESC""",
        [],
    ),
    Bench(
        "overview.channel_split",
        lambda db: ov.channel_split(db, LAST12),
        """SELECT channel, sum(revenue) r, sum(revenue) / sum(sum(revenue)) OVER () FROM sales
           WHERE period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY channel ORDER BY r DESC""",
        [],
    ),
    Bench(
        "overview.kpis[region=East]",
        lambda db: ov.kpis(db, EAST),
        """SELECT period, sum(revenue), sum(gross_profit), count(DISTINCT account) FROM sales
           WHERE region = 'East' AND period IN ('2026-10-01', '2026-09-01', '2025-10-01') GROUP BY period""",
        [],
    ),
    Bench(
        "dimensions.coverage",
        lambda db: dims.coverage(db),
        f"SELECT count(*), sum(abs(revenue)), {SUMS} FROM sales",
        [],
    ),
    Bench(
        "dimensions.coverage[region=East]",
        lambda db: dims.coverage(db, EAST),
        f"""SELECT count(*), sum(abs(revenue)), {SUMS} FROM sales
            WHERE period BETWEEN '2025-11-01' AND '2026-10-01' AND region = 'East'""",
        [],
    ),
    Bench(
        "coverage.months_with_data",
        lambda db: cv.months_with_data(db),
        "SELECT DISTINCT period FROM sales",
        [],
    ),
    Bench(
        "overview.filter_options",
        lambda db: ov.filter_options(db),
        """SELECT min(period), max(period), list(DISTINCT region ORDER BY region),
                  list(DISTINCT channel ORDER BY channel), list(DISTINCT kam ORDER BY kam) FROM sales""",
        [],
    ),
    Bench(
        "warnings._monthly[last 12 + prior 12]",
        lambda db: wr._monthly(db, month_range(date(2024, 11, 1), date(2026, 10, 1)), None),
        """SELECT account, period, sum(revenue)::DOUBLE, sum(gross_profit)::DOUBLE FROM sales
           WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY account, period""",
        [],
    ),
    Bench(
        "portfolio.account_kams",
        lambda db: pf.account_kams(db),
        """SELECT account, arg_max(kam, r) FROM (SELECT account, kam, sum(revenue) r FROM sales
           WHERE kam IS NOT NULL GROUP BY ALL) GROUP BY account""",
        [],
    ),
]
