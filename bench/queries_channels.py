"""Channel and region queries (issue 6) against hand-written DuckDB SQL.

The hand-written side groups by the stored channel / region (the bench table already holds
canonical channel codes and default regions, so the results agree); ours also maps names
and provinces. Trade segments need each account's tier: both sides get the same fixed
tier list (the tier classifier itself is benchmarked with the tiers feature).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bench.common import EAST, LAST12, Bench
from kam_core.analytics import channels as ch
from kam_core.analytics import regions as rg
from kam_core.analytics.tiers import DEFAULT_FORMATS
from kam_core.filters import Filters

ACCOUNTS = [f"ACC{i:06d}" for i in range(5000)]
TIER_OF = ["GKA" if i < 20 else "NKA" if i < 120 else "LKA" if i < 500 else "non_ka" for i in range(5000)]
TIERS = pd.DataFrame({"account": ACCOUNTS, "tier": TIER_OF})
MT, TT = DEFAULT_FORMATS, ch.DEFAULT_TRADITIONAL
CUR = (date(2025, 11, 1), date(2026, 10, 1))
PRIOR = (date(2024, 11, 1), date(2025, 10, 1))
TOP_ACCOUNT = "ACC000000"

BENCHES: list[Bench] = [
    Bench(
        "channels.share[month]",
        lambda db: ch.share_over_time(db, LAST12, "month"),
        """SELECT period, channel, sum(revenue) r, sum(revenue) / sum(sum(revenue)) OVER (PARTITION BY period) s
           FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY period, channel
           ORDER BY period, r DESC""",
    ),
    Bench(
        "channels.share[quarter,all]",
        lambda db: ch.share_over_time(db, Filters(), "quarter"),
        """SELECT date_trunc('quarter', period) p, channel, sum(revenue) r,
                  sum(revenue) / sum(sum(revenue)) OVER (PARTITION BY date_trunc('quarter', period)) s
           FROM sales GROUP BY p, channel ORDER BY p, r DESC""",
    ),
    Bench(
        "channels.share[month,region=East]",
        lambda db: ch.share_over_time(db, EAST, "month"),
        """SELECT period, channel, sum(revenue) r, sum(revenue) / sum(sum(revenue)) OVER (PARTITION BY period) s
           FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01' AND region = 'East'
           GROUP BY period, channel ORDER BY period, r DESC""",
    ),
    Bench(
        "channels.share[segment]",
        lambda db: ch.share_over_time(db, LAST12, "month", "segment", tiers=TIERS),
        """WITH t AS (SELECT unnest(?::VARCHAR[]) account, unnest(?::VARCHAR[]) tier),
                x AS (SELECT s.period, CASE WHEN s.channel IN (SELECT unnest(?::VARCHAR[]))
                                            THEN CASE WHEN t.tier IN ('GKA', 'NKA', 'LKA') THEN t.tier
                                                      ELSE 'modern_other' END
                                            WHEN s.channel IN (SELECT unnest(?::VARCHAR[])) THEN 'traditional'
                                            ELSE 'other' END seg, s.revenue
                      FROM sales s LEFT JOIN t USING (account)
                      WHERE s.period BETWEEN '2025-11-01' AND '2026-10-01')
           SELECT period, seg, sum(revenue) r, sum(revenue) / sum(sum(revenue)) OVER (PARTITION BY period)
           FROM x GROUP BY period, seg ORDER BY period, r DESC""",
        [ACCOUNTS, TIER_OF, MT, TT],
    ),
    Bench(
        "channels.by_region",
        lambda db: ch.share_by_region(db, LAST12),
        """SELECT region, channel, sum(revenue) r, sum(revenue) / sum(sum(revenue)) OVER (PARTITION BY region)
           FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY region, channel
           ORDER BY region, r DESC""",
    ),
    Bench(
        "channels.mix_shift",
        lambda db: ch.mix_shift(db, Filters(), PRIOR, CUR),
        """SELECT channel, sum(revenue) FILTER (WHERE period BETWEEN '2024-11-01' AND '2025-10-01') b,
                  sum(revenue) FILTER (WHERE period BETWEEN '2025-11-01' AND '2026-10-01') c
           FROM sales WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY channel""",
    ),
    Bench(
        "channels.regions.matrix[top25]",
        lambda db: rg.account_region_matrix(db, LAST12, top=25),
        """WITH ar AS (SELECT account, region,
                              sum(revenue) FILTER (WHERE period >= '2025-11-01') r,
                              sum(revenue) FILTER (WHERE period < '2025-11-01') p
                       FROM sales WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY ALL),
                acc AS (SELECT account, sum(r) t FROM ar GROUP BY account ORDER BY t DESC LIMIT 25)
           SELECT ar.account, ar.region, ar.r, ar.p, ar.r / acc.t, ar.r / ar.p - 1, acc.t
           FROM ar JOIN acc USING (account) ORDER BY acc.t DESC, ar.region""",
    ),
    Bench(
        "channels.regions.matrix[all]",
        lambda db: rg.account_region_matrix(db, LAST12, top=None),
        """WITH ar AS (SELECT account, region,
                              sum(revenue) FILTER (WHERE period >= '2025-11-01') r,
                              sum(revenue) FILTER (WHERE period < '2025-11-01') p
                       FROM sales WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY ALL),
                acc AS (SELECT account, sum(r) t FROM ar GROUP BY account)
           SELECT ar.account, ar.region, ar.r, ar.p, ar.r / acc.t, ar.r / ar.p - 1, acc.t
           FROM ar JOIN acc USING (account) ORDER BY acc.t DESC, ar.region""",
    ),
    Bench(
        "channels.regions.account_provinces",
        lambda db: rg.account_provinces(db, LAST12, TOP_ACCOUNT),
        """WITH s AS (SELECT province, any_value(region) region, sum(revenue) FILTER (WHERE period >= '2025-11-01') r,
                             sum(revenue) FILTER (WHERE period < '2025-11-01') p
                      FROM sales WHERE account = ? AND period BETWEEN '2024-11-01' AND '2026-10-01'
                      GROUP BY province),
                st AS (SELECT province, count(*) n FROM stores WHERE account = ? GROUP BY province)
           SELECT s.*, st.n, s.r / sum(s.r) OVER (), s.r / s.p - 1, s.r / st.n
           FROM s FULL JOIN st USING (province) ORDER BY s.r DESC""",
        [TOP_ACCOUNT, TOP_ACCOUNT],
    ),
    Bench(
        "channels.regions.account_trend",
        lambda db: rg.account_trend(db, LAST12, TOP_ACCOUNT),
        """SELECT period, region, sum(revenue) FROM sales
           WHERE account = ? AND period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY ALL ORDER BY 1, 2""",
        [TOP_ACCOUNT],
    ),
]
