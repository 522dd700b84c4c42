"""Key-account scoring (issue: choosing key accounts) against hand-written SQL computing the same criteria.

Run at 100 000 accounts: ``python bench/run.py --rows 10000000 --accounts 100000 --only scoring``.
``scoring.criteria[sales]``: the sales / receivables / account-master criteria (one aggregate
query) against the same aggregate by hand. ``scoring.score[default model]``: the whole
default model (criteria, tier classifier cold, normalisation, composite, rank) against SQL
computing the criteria, with stores / provinces as distinct counts over sales (no tier
rules, no normalisation), so the ratio shows what classification and scoring cost.
"""

from __future__ import annotations

from bench.common import LAST12, Bench
from kam_core.analytics import scoring as S
from kam_core.analytics import tiers as T

SALES_CRITERIA = ["revenue", "revenue_share", "growth", "gross_margin", "trade_spend_pct", "overdue_pct",
                  "strategic_fit"]  # fmt: skip

_RAW = """
WITH s AS (
    SELECT account,
           sum(revenue) FILTER (WHERE period BETWEEN '2025-11-01' AND '2026-10-01') AS r,
           sum(gross_profit) FILTER (WHERE period BETWEEN '2025-11-01' AND '2026-10-01') AS g,
           sum(trade_spend) FILTER (WHERE period BETWEEN '2025-11-01' AND '2026-10-01') AS ts,
           sum(revenue) FILTER (WHERE period BETWEEN '2024-11-01' AND '2025-10-01') AS rp
           {extra}
    FROM sales WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY account),
rec AS (SELECT account, (arg_max(overdue_1_30 + overdue_31_60 + overdue_61_90 + overdue_90_plus, as_of))
                        / arg_max(current + overdue_1_30 + overdue_31_60 + overdue_61_90 + overdue_90_plus, as_of) AS od
        FROM receivables WHERE as_of <= '2026-10-31' GROUP BY account)
SELECT s.account, r, r / sum(r) OVER () AS share, r / nullif(rp, 0) - 1 AS growth, g / r AS gm, ts / r AS tsp,
       rec.od, a.strategic_fit {extra_out}
FROM s LEFT JOIN rec USING (account) LEFT JOIN accounts a USING (account) WHERE s.r IS NOT NULL
"""


def _score_cold(db: object) -> object:
    T.clear_memo()
    T.drop_stored(db)  # type: ignore[arg-type]
    S.clear_memo()
    return S.score(db, LAST12, S.DEFAULT_MODEL)  # type: ignore[arg-type]


def _fresh(fn: object, *args: object) -> object:
    S.clear_memo()  # (the criteria sums are memoised per data version: time the query)
    return fn(*args)  # type: ignore[operator]


BENCHES: list[Bench] = [
    Bench(
        "scoring.criteria[sales]",
        lambda db: _fresh(S.criteria_values, db, LAST12, SALES_CRITERIA),
        _RAW.format(extra="", extra_out=""),
        [],
    ),
    Bench(
        "scoring.score[default, tiers memoised]",
        lambda db: _fresh(S.score, db, LAST12, S.DEFAULT_MODEL),
        _RAW.format(
            extra=", count(DISTINCT store) AS st, count(DISTINCT province) AS np",
            extra_out=", s.st, s.np",
        ),
        [],
    ),
    Bench(
        "scoring.score[default model]",
        _score_cold,
        _RAW.format(
            extra=", count(DISTINCT store) AS st, count(DISTINCT province) AS np",
            extra_out=", s.st, s.np",
        ),
        [],
    ),
]
