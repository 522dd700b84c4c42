"""The tier and scoring views read the summary table sales_cube; here each is computed again over the
fact table (``FACTS = "sales"``: the same queries on the sales lines) and must give the identical
frame — every number, type and row order — under the filters a page can set."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics import scoring as S
from kam_core.analytics import tiers as T
from kam_core.db import Database
from kam_core.filters import Filters
from tests.test_tiers_equivalence import build_random


def _filters(db: Database) -> list[Filters]:
    def first(col: str) -> tuple[str, ...]:
        v = db.scalar(f"SELECT min({col}) FROM sales WHERE {col} IS NOT NULL")
        return (v,) if v is not None else ()

    last = db.scalar("SELECT max(period) FROM sales")
    year = Filters(start=date(last.year - 1, last.month, 1), end=last)
    return [
        Filters(),
        year,
        Filters(start=last, end=last),
        Filters(start=year.start, end=year.end, regions=first("region")),
        Filters(start=year.start, end=year.end, channels=first("channel"), kams=first("kam")),
        Filters(end=last, channels=first("channel")),
    ]


def _views(db: Database, f: Filters) -> dict[str, object]:
    return {
        "tier_summary": T.tier_summary(db, f),
        "account_list": T.account_list(db, f, "zh"),
        "tree_data": T.tree_data(db, f),
        "tree_data_all": T.tree_data(db, f, top=None, provinces=None),
        "province_view": T.province_view(db, f),
        "province_view_lka": T.province_view(db, f, "LKA"),
        "format_options": T.format_options(db),
        "criteria": S.criteria_values(db, f).values,
        "window": S.scoring_window(db, f),
        "score": S.score(db, f).table,
    }


def _same(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    for f in _filters(db):
        cube = _views(db, f)
        with monkeypatch.context() as m:
            m.setattr(T, "FACTS", "sales")
            m.setattr(S, "FACTS", "sales")
            lines = _views(db, f)
        for name, got in cube.items():
            want = lines[name]
            if isinstance(want, pd.DataFrame):
                pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"{name} {f}")
            else:
                assert got == want, (name, f)


def test_views_on_the_demo(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(demo_db, monkeypatch)


def test_views_on_random_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(tmp_path / "r.duckdb")
    try:
        build_random(db, seed=5, n=1200)
        with db.transaction("tester", "t") as cur:  # some gross profit and trade spend, some NULL
            cur.execute("UPDATE sales SET gross_profit = revenue / 4 WHERE hash(account) % 3 = 0")
            cur.execute("UPDATE sales SET trade_spend = revenue / 8 WHERE hash(account) % 5 = 0")
            from kam_core import summary

            summary.refresh(cur)
        _same(db, monkeypatch)
        assert np.isfinite(S.criteria_values(db).values["revenue"]).all()
    finally:
        db.close()
