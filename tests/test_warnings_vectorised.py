"""The data warning rules, tested on whole columns, give exactly what the per-account loop gave (same figures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.build import build
from kam_core import coverage as cv
from kam_core import settings
from kam_core.analytics import warnings as wr
from kam_core.analytics.warnings import Warning_, add_months, explain_link, last_complete_months
from kam_core.db import Database


def reference_revenue_rules(db: Database) -> list[Warning_]:
    """The rules as they were written first: one account at a time (the reference)."""
    dm = cv.data_months(db)
    n_down, m = settings.get(db, "warnings.revenue_down_months"), settings.get(db, "warnings.revenue_window_months")
    drop_pct, margin_pts = settings.get(db, "warnings.revenue_drop_pct"), settings.get(db, "warnings.margin_drop_pts")
    window = last_complete_months(db, max(m, 3), dm)
    prior = [add_months(x, -12) for x in window]
    df = wr._monthly(db, window + prior, None)
    rev = df.pivot_table(index="account", columns="period", values="revenue", aggfunc="sum").reindex(
        columns=window + prior
    )
    gp = df.pivot_table(index="account", columns="period", values="gross_profit", aggfunc="sum").reindex(
        columns=window + prior
    )
    out: list[Warning_] = []
    last_m, last_m_prior = window[-m:], [add_months(x, -12) for x in window[-m:]]
    cur_m = rev[last_m].fillna(0.0).to_numpy()
    pri_m = rev[last_m_prior].fillna(0.0).to_numpy()
    down = ((cur_m < pri_m) & (pri_m > 0)).sum(axis=1)
    l3, l3p = window[-3:], [add_months(x, -12) for x in window[-3:]]
    cur3, pri3 = rev[l3].fillna(0.0).sum(axis=1), rev[l3p].fillna(0.0).sum(axis=1)
    sum_m, sum_mp = rev[last_m].fillna(0.0).sum(axis=1), rev[last_m_prior].fillna(0.0).sum(axis=1)
    for i, acc in enumerate(rev.index):
        change_m = (sum_m[acc] - sum_mp[acc]) / sum_mp[acc] if sum_mp[acc] > 0 else None
        if down[i] >= n_down and change_m is not None and change_m < 0:
            out.append(Warning_(str(acc), "revenue_down_months", "medium", "warn.revenue_down_months",
                                {"down": int(down[i]), "of": m, "change_pct": round(change_m * 100, 1),
                                 "from": f"{last_m[0]:%Y-%m}", "to": f"{last_m[-1]:%Y-%m}"},
                                explain_link(str(acc), "revenue", last_m)))  # fmt: skip
        if pri3[acc] > 0:
            change3 = (cur3[acc] - pri3[acc]) / pri3[acc]
            if change3 <= -drop_pct:
                out.append(Warning_(str(acc), "revenue_drop", "high", "warn.revenue_drop",
                                    {"change_pct": round(change3 * 100, 1), "threshold_pct": round(drop_pct * 100, 1),
                                     "revenue": round(float(cur3[acc]), 2),
                                     "revenue_last_year": round(float(pri3[acc]), 2)},
                                    explain_link(str(acc), "revenue", l3)))  # fmt: skip
        g3, g3p = gp.loc[acc, l3].sum(min_count=1), gp.loc[acc, l3p].sum(min_count=1)
        if pd.notna(g3) and pd.notna(g3p) and cur3[acc] > 0 and pri3[acc] > 0:
            pts = (g3 / cur3[acc] - g3p / pri3[acc]) * 100
            if pts <= -margin_pts:
                out.append(Warning_(str(acc), "margin_down", "medium", "warn.margin_down",
                                    {"points": round(float(pts), 1),
                                     "margin_pct": round(float(g3 / cur3[acc] * 100), 1),
                                     "margin_last_year_pct": round(float(g3p / pri3[acc] * 100), 1),
                                     "threshold_pts": margin_pts},
                                    explain_link(str(acc), "gross_profit", l3)))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def skewed(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """40 000 lines over 36 complete months, 600 accounts of very different sizes (the benchmark's shape)."""
    path = build(Path(tmp_path_factory.mktemp("warn")) / "w.duckdb", 40_000, 600)
    db = Database(path)
    yield db
    db.close()


@pytest.mark.parametrize("thresholds", [{}, {"warnings.revenue_drop_pct": 0.05, "warnings.margin_drop_pts": 0.5,
                                             "warnings.revenue_down_months": 2}])  # fmt: skip
def test_same_warnings_figures_and_links_as_the_per_account_loop(skewed: Database, thresholds: dict) -> None:
    if thresholds:
        settings.put_many(skewed, thresholds, "tester")
    ref = reference_revenue_rules(skewed)
    got = wr.revenue_rules(skewed)
    assert len(ref) > 50 and {w.rule for w in ref} == {"revenue_down_months", "revenue_drop", "margin_down"}
    assert got == ref  # account, rule, severity, sentence and every figure, in the same order
    assert [w.link for w in got] == [w.link for w in ref]
    assert [repr(w.figures) for w in got] == [repr(w.figures) for w in ref]  # same types too (int vs float)
