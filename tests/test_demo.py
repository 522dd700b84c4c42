"""The demo dataset has the shape the domain brief and the dashboards rely on (checked with numbers)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from kam_core import demo
from kam_core.db import Database

NAMED_CHAINS = {  # KAM_DOMAIN.md §6
    "Carrefour", "Metro", "Walmart", "Auchan", "Lotus", "Hualian", "Lianhua", "Nonggongshang", "RT-Mart",
    "Trust-Mart", "Tesco Legou", "Suguo", "Hangzhou Jiayou", "Ningbo Sanjiang", "Kedi", "Haode", "PriceSmart",
    "Makro", "China Resources Vanguard", "Wanjia", "ParknShop", "Xinyijia", "Ito-Yokado",
}  # fmt: skip


def _accounts(db: Database) -> pd.DataFrame:
    return db.df("SELECT * FROM accounts")


def test_named_chains_with_tier_attributes(demo_db: Database) -> None:
    acc = _accounts(demo_db).set_index("account")
    assert NAMED_CHAINS <= set(acc.index)
    assert acc.loc[["Carrefour", "Metro", "Walmart", "Auchan"], "international"].all()
    assert not acc.loc[["Lianhua", "RT-Mart", "Suguo", "Hangzhou Jiayou"], "international"].any()
    assert acc.loc["Kedi", "format"] == "convenience" and acc.loc["Haode", "format"] == "convenience"
    prov = demo_db.df("SELECT account, count(DISTINCT province) AS n FROM stores GROUP BY account").set_index(
        "account"
    )["n"]
    assert prov["Walmart"] >= 20 and prov["Carrefour"] >= 15  # across provinces
    assert prov["Lianhua"] >= 2 and prov["Suguo"] >= 2
    assert prov["Hangzhou Jiayou"] == 1 and prov["Ningbo Sanjiang"] == 1  # within one regional market
    stores = demo_db.df("SELECT account, count(*) AS n FROM stores GROUP BY account").set_index("account")["n"]
    assert stores["Hangzhou Jiayou"] > 1 and stores["Ningbo Sanjiang"] > 1


def test_several_hundred_other_customers(demo_db: Database) -> None:
    acc = _accounts(demo_db)
    others = acc[~acc["account"].isin(NAMED_CHAINS)]
    assert len(others) >= 300
    assert {"traditional", "wholesale", "online"} <= set(others["format"])
    channels = {r[0] for r in demo_db.rows("SELECT DISTINCT channel FROM sales")}
    assert {
        "traditional",
        "wholesale",
        "distributor",
        "online",
        "hypermarket",
        "supermarket",
        "convenience",
    } <= channels


def test_geography_skus_periods(demo_db: Database) -> None:
    assert demo_db.scalar("SELECT count(DISTINCT province) FROM stores") == 31
    assert demo_db.scalar("SELECT count(DISTINCT province) FROM sales") == 31
    assert {r[0] for r in demo_db.rows("SELECT DISTINCT region FROM sales")} == {
        "East",
        "South",
        "West",
        "North",
        "Central",
    }
    n_sku = demo_db.scalar("SELECT count(*) FROM skus")
    assert 70 <= n_sku <= 90
    assert demo_db.scalar("SELECT count(DISTINCT category) FROM skus") >= 4
    assert demo_db.scalar("SELECT count(DISTINCT period) FROM sales") == 36
    assert demo_db.rows("SELECT min(period), max(period) FROM sales")[0] == (date(2023, 11, 1), date(2026, 10, 1))
    # every sales line carries the fields of spec §2
    nulls = demo_db.rows(
        """SELECT count(*) FILTER (WHERE store IS NULL OR province IS NULL OR region IS NULL OR channel IS NULL
                  OR sku IS NULL OR volume IS NULL OR gross_profit IS NULL OR trade_spend IS NULL OR kam IS NULL)
           FROM sales"""
    )[0][0]
    assert nulls == 0
    assert demo_db.scalar("SELECT count(DISTINCT kam) FROM accounts") >= 5
    assert demo_db.scalar("SELECT count(DISTINCT as_of) FROM receivables") == 12


def test_top_20_percent_hold_70_to_85_percent(demo_db: Database) -> None:
    rev = demo_db.df("SELECT account, sum(revenue)::DOUBLE AS r FROM sales GROUP BY account")["r"]
    rev = rev[rev > 0].sort_values(ascending=False)
    k = math.ceil(0.2 * len(rev))
    share = rev.iloc[:k].sum() / rev.sum()
    assert 0.70 <= share <= 0.85, share


def test_modern_trade_gains_share_from_traditional(demo_db: Database) -> None:
    df = demo_db.df(
        """SELECT year(period) AS y, sum(revenue) FILTER (WHERE channel = 'traditional') / sum(revenue) AS trad,
                  sum(revenue) FILTER (WHERE channel IN ('hypermarket', 'supermarket', 'convenience',
                      'cash_and_carry', 'department', 'warehouse_club')) / sum(revenue) AS mt
           FROM sales WHERE period >= DATE '2023-11-01' GROUP BY y ORDER BY y"""
    )
    first, last = df.iloc[1], df.iloc[-1]  # full-ish years 2024 vs 2026
    assert last["mt"] > first["mt"] + 0.01
    assert last["trad"] < first["trad"] - 0.01


def test_chinese_new_year_peak(demo_db: Database) -> None:
    m = demo_db.df("SELECT period, sum(revenue)::DOUBLE AS r FROM sales GROUP BY period ORDER BY period")
    m["year"] = pd.to_datetime(m["period"]).dt.year
    m["month"] = pd.to_datetime(m["period"]).dt.month
    # The busiest month of each full year is the pre-CNY month (Jan 2025 for CNY 29 Jan; Feb 2026 for 17 Feb).
    for year, peak_month in ((2025, 1), (2026, 2)):
        y = m[m["year"] == year]
        assert int(y.loc[y["r"].idxmax(), "month"]) == peak_month
        assert y["r"].max() > 1.25 * y["r"].median()


def test_some_accounts_decline_and_some_are_new(demo_db: Database) -> None:
    y = demo_db.df(
        """SELECT account, sum(revenue) FILTER (WHERE period BETWEEN DATE '2024-11-01' AND DATE '2025-10-01') AS prev,
                  sum(revenue) FILTER (WHERE period >= DATE '2025-11-01') AS cur,
                  min(period) AS first_seen
           FROM sales GROUP BY account"""
    )
    declining = y[(y["cur"] < 0.85 * y["prev"])]
    assert len(declining) >= 10
    assert {"Trust-Mart", "Lotus"} <= set(declining["account"])
    new = y[pd.to_datetime(y["first_seen"]) > pd.Timestamp("2024-06-01")]
    assert len(new) >= 10


def test_deterministic_and_end_month_moves(tmp_path) -> None:
    a = demo.generate(date(2026, 10, 1))["sales"]
    b = demo.generate(date(2026, 10, 1))["sales"]
    pd.testing.assert_frame_equal(a, b)
    assert pd.util.hash_pandas_object(a).sum() == pd.util.hash_pandas_object(b).sum()
    db = Database(tmp_path / "end.duckdb")
    demo.build(db, end=date(2025, 6, 1), user="tester")
    assert db.rows("SELECT min(period), max(period) FROM sales")[0] == (date(2022, 7, 1), date(2025, 6, 1))
    assert demo.is_demo(db)
    db.close()


@pytest.mark.parametrize("col", ["revenue", "gross_profit", "trade_spend", "volume"])
def test_amounts_are_exact_decimals(demo_db: Database, col: str) -> None:
    t = demo_db.rows(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'sales' AND column_name = ?", [col]
    )
    assert t[0][0] == "DECIMAL(18,4)"
