"""Overview queries (issue: foundation)."""

from __future__ import annotations

from bench.common import EAST, LAST12, Bench
from kam_core.analytics import overview as ov
from kam_core.analytics.tiers import DEFAULT_FORMATS

MT = DEFAULT_FORMATS

BENCHES: list[Bench] = [
    Bench(
        "overview.kpis",
        lambda db: ov.kpis(db, LAST12),
        """WITH b AS (SELECT period, account, sum(revenue) r, sum(gross_profit) g,
                             sum(CASE WHEN channel IN (SELECT unnest(?::VARCHAR[])) THEN revenue ELSE 0 END) m
                      FROM sales WHERE period IN ('2026-10-01', '2026-09-01', '2025-10-01') GROUP BY ALL),
               k AS (SELECT *, row_number() OVER (PARTITION BY period ORDER BY r DESC) rn,
                            count(*) FILTER (WHERE r > 0) OVER (PARTITION BY period) n FROM b)
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
]
