"""Account × region matrix, province → region map, one account's breakdown and whitespace."""

from __future__ import annotations

from datetime import date

import pytest

from kam_core import summary
from kam_core.analytics import regions as rg
from kam_core.db import Database
from kam_core.filters import Filters

YEAR = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1))
JAN = Filters(start=date(2025, 1, 1), end=date(2025, 1, 1))


def test_matrix_totals_equal_account_totals(demo_db) -> None:
    m = rg.account_region_matrix(demo_db, YEAR, top=15)
    assert m["account"].nunique() == 15
    want = dict(
        demo_db.rows(
            """SELECT account, sum(revenue) FROM sales WHERE period BETWEEN ? AND ?
               GROUP BY account ORDER BY 2 DESC LIMIT 15""",
            [YEAR.start, YEAR.end],
        )
    )
    got = m.groupby("account")["revenue"].sum()
    assert set(got.index) == set(want)
    for acc, total in want.items():
        assert got[acc] == pytest.approx(float(total), rel=1e-12)
        assert m.loc[m["account"] == acc, "account_revenue"].iloc[0] == pytest.approx(float(total), rel=1e-12)
    assert m.groupby("account")["share"].sum().to_numpy() == pytest.approx(1.0)
    # Sorted by account size: ranks follow the totals.
    order = m.drop_duplicates("account").sort_values("rank")["account"].tolist()
    assert order == list(want)


def test_matrix_yoy_is_against_the_same_months_a_year_earlier(demo_db) -> None:
    m = rg.account_region_matrix(demo_db, YEAR, top=3)
    r = m.iloc[0]
    prior = demo_db.scalar(
        """SELECT sum(revenue) FROM sales
           WHERE account = ? AND region = ? AND period BETWEEN '2024-11-01' AND '2025-10-01'""",
        [r["account"], r["region"]],
    )
    assert r["revenue_prior"] == pytest.approx(float(prior))
    assert r["yoy"] == pytest.approx(r["revenue"] / float(prior) - 1)


def test_matrix_for_a_list_of_accounts(demo_db) -> None:
    m = rg.account_region_matrix(demo_db, YEAR, top=None, accounts=["Kedi", "Walmart"])
    assert m.drop_duplicates("account")["account"].tolist() == ["Walmart", "Kedi"]


def _db_with_provinces(tmp_path) -> Database:
    db = Database(tmp_path / "p.duckdb")
    with db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO uploads (id, kind, file_name, sha256, user_name, created_at) "
                    "VALUES (1, 'sales', 't', 'x', 't', now())")  # fmt: skip
        cur.execute(
            """INSERT INTO sales (period, account, province, region, channel, revenue, upload_id) VALUES
               ('2025-01-01', 'A', 'Guangdong', 'South', 'hypermarket', 200, 1),
               ('2025-01-01', 'A', 'Jiangsu', 'East', 'hypermarket', 180, 1),
               ('2025-01-01', 'A', 'Zhejiang', 'East', 'hypermarket', 220, 1),
               ('2025-01-01', 'A', 'Hunan', 'Central', 'hypermarket', 40, 1),
               ('2025-01-01', 'A', 'Atlantis', 'West', 'hypermarket', 30, 1),
               ('2025-01-01', 'A', NULL, 'North', 'hypermarket', 20, 1),
               ('2025-01-01', 'B', '广东', 'South', 'supermarket', 50, 1),
               ('2024-01-01', 'A', 'Guangdong', 'South', 'hypermarket', 100, 1)"""
        )
        summary.refresh(cur)  # as an upload does (the pages read the summary tables)
        cur.execute(
            """INSERT INTO stores (store, account, province, region) VALUES
               ('s1', 'A', 'Guangdong', 'South'), ('s2', 'A', 'Guangdong', 'South'),
               ('s3', 'A', 'Jiangsu', 'East'), ('s4', 'A', 'Jiangsu', 'East'),
               ('s5', 'A', 'Zhejiang', 'East'), ('s6', 'A', 'Zhejiang', 'East'),
               ('s7', 'A', 'Hunan', 'Central'), ('s8', 'A', 'Hunan', 'Central'),
               ('s9', 'A', 'Hunan', 'Central'), ('s10', 'A', 'Hunan', 'Central'),
               ('s11', 'A', 'Sichuan', 'West'), ('s12', 'A', 'Sichuan', 'West'), ('s13', 'A', 'Sichuan', 'West')"""
        )
        summary.refresh(cur)  # as every write path does
    return db


def test_edited_province_map_changes_the_regional_figures(tmp_path) -> None:
    db = _db_with_provinces(tmp_path)
    before = rg.account_region_matrix(db, JAN).query("account == 'A'").set_index("region")["revenue"].to_dict()
    assert before == {"South": 200, "East": 400, "Central": 40, "West": 30, "North": 20}
    assert rg.account_region_matrix(db, JAN).query("account == 'B'")["region"].tolist() == ["South"]  # 广东 → South

    rg.save_region_map(db, {"Guangdong": "East", "Hunan": "South"}, user="ann")
    assert db.scalar("SELECT updated_by FROM settings WHERE key = ?", [rg.REGION_MAP_KEY]) == "ann"
    m = rg.account_region_matrix(db, JAN)
    after = m.query("account == 'A'").set_index("region")["revenue"].to_dict()
    assert after == {"East": 600, "South": 40, "West": 30, "North": 20}  # Atlantis / no province keep theirs
    assert m.query("account == 'B'")["region"].tolist() == ["East"]
    assert sum(after.values()) == sum(before.values())
    # The region filter follows the map too.
    east = rg.account_region_matrix(db, Filters(start=JAN.start, end=JAN.end, regions=("East",)))
    assert east.groupby("account")["revenue"].sum().to_dict() == {"A": 600, "B": 50}
    # One account's breakdown and trend follow it as well.
    prov = rg.account_provinces(db, JAN, "A")
    assert rg.account_regions(prov).set_index("region")["revenue"].to_dict() == after
    trend = rg.account_trend(db, JAN, "A")
    assert trend.set_index("region")["revenue"].to_dict() == after
    with pytest.raises(ValueError):
        rg.save_region_map(db, {"Guangdong": "Mars"}, user="ann")
    db.close()


def test_account_provinces_and_whitespace_by_hand(tmp_path) -> None:
    db = _db_with_provinces(tmp_path)
    prov = rg.account_provinces(db, JAN, "A").set_index("province", drop=False)
    assert prov.loc["Guangdong", "yoy"] == pytest.approx(1.0)  # 200 vs 100 a year earlier
    assert prov.loc["Sichuan", "stores"] == 3 and prov.loc["Sichuan", "revenue"] == 0  # stores, no sales
    assert prov["revenue"].sum() == 690
    assert prov["share"].sum() == pytest.approx(1.0)
    # Sales per store where there are stores: Guangdong 100, Jiangsu 90, Zhejiang 110, Hunan 10, Sichuan 0.
    ws = rg.whitespace(prov.reset_index(drop=True), 0.5)
    assert ws["median_per_store"].iloc[0] == 90
    assert ws.set_index("province")["gap"].to_dict() == {"Hunan": 90 * 4 - 40, "Sichuan": 270}
    assert rg.whitespace(prov.reset_index(drop=True), 0.05)["province"].tolist() == ["Sichuan"]
    assert rg.whitespace(prov.reset_index(drop=True), 1.0)["province"].tolist() == ["Hunan", "Sichuan"]
    db.close()


def test_empty_database(empty_db) -> None:
    assert rg.account_region_matrix(empty_db, Filters()).empty
    assert rg.whitespace(rg.account_provinces(empty_db, Filters(), "X")).empty


def test_region_map_frame_lists_every_province(demo_db) -> None:
    df = rg.region_map_frame(demo_db)
    assert len(df) == 31 and set(df["region"]) == {"East", "South", "West", "North", "Central"}
    assert (df["region"] == df["default_region"]).all()


def test_tiers_are_remembered_until_the_data_changes(demo_path, tmp_path) -> None:
    from kam_core.analytics import tiers

    path = tmp_path / "t.duckdb"
    path.write_bytes(demo_path.read_bytes())
    db = Database(path)
    first = rg.account_tiers(db)
    assert rg.account_tiers(db) is first  # no second classification for the same data
    assert first.set_index("account").loc["Kedi", "tier"] != "GKA"
    tiers.set_override(db, "Kedi", "GKA", "test", user="ann")
    again = rg.account_tiers(db)
    assert again.set_index("account").loc["Kedi", "tier"] == "GKA"
    assert "Kedi" in rg.key_accounts(db)
    db.close()


def test_edited_region_map_moves_stored_regions_so_every_page_agrees(tmp_path) -> None:
    """After moving Henan to North, the overview (stored region, sidebar filter) agrees with the regions page."""
    from datetime import date

    from kam_core import demo
    from kam_core.analytics import overview as ov
    from kam_core.analytics import regions as rg
    from kam_core.db import Database
    from kam_core.filters import Filters

    db = Database(tmp_path / "r.duckdb")
    demo.build(db, end=date(2026, 10, 1), user="t")
    f = Filters(start=date(2026, 1, 1), end=date(2026, 10, 1), regions=("North",))
    henan = db.scalar("SELECT sum(revenue) FROM sales WHERE province = 'Henan' AND period = DATE '2026-10-01'")
    before = ov.kpis(db, f).revenue.value
    rg.save_region_map(db, {"Henan": "North"}, user="alice")
    after = ov.kpis(db, f).revenue.value
    assert after == pytest.approx(before + float(henan))
    assert db.scalar("SELECT DISTINCT region FROM sales WHERE province = 'Henan'") == "North"
    assert db.scalar("SELECT DISTINCT region FROM stores WHERE province = 'Henan'") == "North"
    assert db.rows("SELECT user_name, action FROM audit_log ORDER BY logged_at DESC LIMIT 1")[0] == ("alice", "setting")
    db.close()
