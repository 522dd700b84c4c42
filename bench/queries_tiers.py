"""Key-account tier queries (issue 5): the classifier and the tier summary, against hand-written SQL.

``tiers.account_tiers`` times the full classification (memo and stored copy dropped);
``[stored]`` a fresh process's read of the classification the first reader kept in the file.
The bench table has no account or store master, so the footprint comes from sales (the
classifier's slower path). The raw SQL applies the same provinces / stores / modern-trade
tests without province-name normalisation, reasons or the single-store share test, so the
ratio shows what those cost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.common import LAST12, Bench
from kam_core.analytics import tiers as T

MT = T.DEFAULT_FORMATS

_RAW_TIERS = """
    fp AS (SELECT s.account, count(DISTINCT s.store) AS st, count(DISTINCT s.province) AS np,
                  coalesce(sum(s.revenue) FILTER (WHERE s.channel IN (SELECT unnest(?::VARCHAR[]))), 0)
                      / nullif(sum(s.revenue), 0) AS mts,
                  coalesce(any_value(a.international), FALSE) AS intl
           FROM sales s LEFT JOIN accounts a USING (account) GROUP BY s.account),
    t AS (SELECT account, st, CASE WHEN mts < 0.5 THEN 'non_ka' WHEN np >= 2 AND intl THEN 'GKA'
                                   WHEN np >= 2 THEN 'NKA' WHEN st >= 2 THEN 'LKA' ELSE 'non_ka' END AS tier
          FROM fp)"""


def cold(fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn without the classifier's memo and stored copy, so each timing includes the classification."""
    T.clear_memo()
    T.drop_stored(args[0])
    return fn(*args)


def stored(fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn without the memo, the classification read from the database file (a fresh process)."""
    T.clear_memo()
    return fn(*args)


BENCHES: list[Bench] = [
    Bench(
        "tiers.account_tiers",
        lambda db: cold(T.account_tiers, db),
        f"WITH {_RAW_TIERS} SELECT * FROM t",
        [MT],
    ),
    Bench(
        "tiers.account_tiers[stored]",
        lambda db: stored(T.account_tiers, db),
        f"WITH {_RAW_TIERS} SELECT * FROM t",
        [MT],
    ),
    Bench(
        "tiers.tier_summary",
        lambda db: cold(T.tier_summary, db, LAST12),
        f"""WITH {_RAW_TIERS},
               c AS (SELECT account, sum(revenue) AS r FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01'
                     GROUP BY 1),
               p AS (SELECT account, sum(revenue) AS r FROM sales WHERE period BETWEEN '2024-11-01' AND '2025-10-01'
                     GROUP BY 1)
           SELECT t.tier, count(c.account) FILTER (WHERE c.r <> 0), sum(t.st) FILTER (WHERE c.r <> 0), sum(c.r),
                  sum(c.r) / sum(sum(c.r)) OVER (), sum(c.r) / sum(p.r) - 1
           FROM t LEFT JOIN c USING (account) LEFT JOIN p USING (account) GROUP BY t.tier""",
        [MT],
    ),
    Bench(
        "tiers.province_view",
        lambda db: cold(T.province_view, db, LAST12),
        f"""WITH {_RAW_TIERS}
           SELECT s.province, sum(s.revenue), count(DISTINCT s.account), count(DISTINCT s.store)
           FROM sales s JOIN t USING (account)
           WHERE t.tier <> 'non_ka' AND s.period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY 1""",
        [MT],
    ),
]
