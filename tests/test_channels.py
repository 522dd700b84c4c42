"""Channel share, mapping, segments, growth and mix shift; the `channels` CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kam_core import summary
from kam_core.analytics import channels as ch
from kam_core.analytics import regions as rg
from kam_core.filters import Filters
from tests.helpers import add_sales

ROOT = Path(__file__).resolve().parent.parent
YEAR = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1))


@pytest.mark.parametrize("grain", ch.GRAINS)
@pytest.mark.parametrize("dim", ["channel", "segment"])
def test_shares_sum_to_one_per_period_and_revenue_matches_sales(demo_db, grain: str, dim: str) -> None:
    df = ch.share_over_time(demo_db, YEAR, grain, dim)
    assert not df.empty
    sums = df.groupby("period")["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0, abs=1e-12)
    total = float(demo_db.scalar("SELECT sum(revenue) FROM sales WHERE period BETWEEN ? AND ?", [YEAR.start, YEAR.end]))
    assert df["revenue"].sum() == pytest.approx(total, rel=1e-12)
    n_periods = {"month": 12, "quarter": 5, "year": 2}[grain]  # Nov 2025 – Oct 2026
    assert df["period"].nunique() == n_periods


def test_quarter_labels_and_partial_periods(demo_db) -> None:
    df = ch.share_over_time(demo_db, YEAR, "quarter")
    months = df.drop_duplicates("period").set_index("period")["months"].to_dict()
    assert months == {"2025-Q4": 2, "2026-Q1": 3, "2026-Q2": 3, "2026-Q3": 3, "2026-Q4": 1}


def test_raw_names_map_onto_canonical_channels_and_edits_apply(empty_db) -> None:
    add_sales(
        empty_db,
        [
            ("2025-01", "A", "East", "hypermarket", 100, 10, "k"),
            ("2025-01", "B", "East", "大卖场", 50, 5, "k"),  # Chinese synonym
            ("2025-01", "C", "East", " Hypermarkets ", 30, 3, "k"),  # case and blanks ignored
            ("2025-01", "D", "East", "Weird shop", 20, 2, "k"),  # unknown → other
            ("2025-01", "E", "East", None, 0.5, 0, "k"),  # no channel → ""
        ],
    )
    f = Filters(start=date(2025, 1, 1), end=date(2025, 1, 1))
    got = ch.share_over_time(empty_db, f).set_index("key")["revenue"].to_dict()
    assert got == {"hypermarket": 180.0, "other": 20.0, "": 0.5}
    assert ch.unmapped_names(empty_db) == ["Weird shop"]

    ch.save_channel_map(empty_db, {"Weird shop": "online", "大卖场": "supermarket"}, user="ann")
    got = ch.share_over_time(empty_db, f).set_index("key")["share"].to_dict()
    assert got == pytest.approx({"hypermarket": 130 / 200.5, "supermarket": 50 / 200.5, "online": 20 / 200.5,
                                 "": 0.5 / 200.5})  # fmt: skip
    assert ch.unmapped_names(empty_db) == []
    assert empty_db.scalar("SELECT updated_by FROM settings WHERE key = ?", [ch.CHANNEL_MAP_KEY]) == "ann"
    with pytest.raises(ValueError, match="Unknown channel code"):
        ch.save_channel_map(empty_db, {"x": "not_a_channel"}, user="ann")


def test_mapping_table_edits_keep_only_overrides(empty_db) -> None:
    add_sales(empty_db, [("2025-01", "A", "East", "卖场", 10, 1, "k"), ("2025-01", "B", "East", "Odd", 5, 1, "k")])
    table = ch.mapping_table(empty_db)
    assert table.set_index("raw")[["code", "source"]].to_dict("index") == {
        "卖场": {"code": "hypermarket", "source": "builtin"},
        "Odd": {"code": "other", "source": "unmapped"},
    }
    edited = table.assign(code=["hypermarket", "online"])
    assert ch.edits_from_table(edited) == {"Odd": "online"}  # 卖场 → hypermarket is built in already
    ch.save_channel_map(empty_db, ch.edits_from_table(edited), user="ann")
    assert ch.mapping_table(empty_db).set_index("raw").loc["Odd", "source"] == "saved"


def test_segments_split_modern_trade_by_tier(empty_db) -> None:
    add_sales(
        empty_db,
        [
            ("2025-01", "Global", "East", "hypermarket", 40, 0, "k"),
            ("2025-01", "National", "East", "supermarket", 30, 0, "k"),
            ("2025-01", "Local", "East", "convenience", 10, 0, "k"),
            ("2025-01", "Corner", "East", "supermarket", 5, 0, "k"),  # modern trade, not a key account
            ("2025-01", "Shop", "East", "traditional", 8, 0, "k"),
            ("2025-01", "Dealer", "East", "distributor", 4, 0, "k"),
            ("2025-01", "Web", "East", "online", 3, 0, "k"),
        ],
    )
    tiers = pd.DataFrame({"account": ["Global", "National", "Local", "Corner", "Shop"],
                          "tier": ["GKA", "NKA", "LKA", "non_ka", "non_ka"]})  # fmt: skip
    f = Filters(start=date(2025, 1, 1), end=date(2025, 1, 1))
    got = ch.share_over_time(empty_db, f, dim="segment", tiers=tiers).set_index("key")["revenue"].to_dict()
    assert got == {"GKA": 40, "NKA": 30, "LKA": 10, "modern_other": 5, "traditional": 12, "other": 3}
    by_region = ch.share_by_region(empty_db, f, dim="segment", tiers=tiers)
    assert by_region["share"].sum() == pytest.approx(1.0)


def test_segments_use_the_tiers_module_on_the_demo(demo_db) -> None:
    df = ch.share_over_time(demo_db, YEAR, "year", "segment")
    assert set(df["key"]) <= set(ch.SEGMENTS)
    seg = df.groupby("key")["revenue"].sum()
    # The demo's GKA chains (Walmart, Carrefour …) sell through modern trade.
    assert seg["GKA"] > 0 and seg["NKA"] > 0 and seg["traditional"] > 0
    walmart = float(demo_db.scalar("SELECT sum(revenue) FROM sales WHERE account = 'Walmart' AND period >= ?",
                                   [YEAR.start]))  # fmt: skip
    assert seg["GKA"] >= walmart


def test_mix_shift_bars_add_up_to_the_total_change(demo_db) -> None:
    cur = (date(2025, 11, 1), date(2026, 10, 1))
    for base in (ch.year_earlier(cur), ch.preceding(cur)):
        ms = ch.mix_shift(demo_db, Filters(), base, cur)
        t0 = float(demo_db.scalar("SELECT sum(revenue) FROM sales WHERE period BETWEEN ? AND ?", list(base)))
        t1 = float(demo_db.scalar("SELECT sum(revenue) FROM sales WHERE period BETWEEN ? AND ?", list(cur)))
        assert ms.base_total == pytest.approx(t0, rel=1e-12) and ms.current_total == pytest.approx(t1, rel=1e-12)
        assert ms.bars["change"].sum() == pytest.approx(t1 - t0, rel=1e-9)
        assert ms.bars["growth_effect"].sum() == pytest.approx(t1 - t0, rel=1e-9)
        assert ms.bars["mix_effect"].sum() == pytest.approx(0.0, abs=1e-3)


def test_mix_shift_by_hand(empty_db) -> None:
    add_sales(
        empty_db,
        [
            ("2024-01", "A", "East", "hypermarket", 100, 0, "k"),
            ("2024-01", "B", "East", "traditional", 100, 0, "k"),
            ("2025-01", "A", "East", "hypermarket", 150, 0, "k"),
            ("2025-01", "B", "East", "traditional", 90, 0, "k"),
            ("2025-01", "C", "East", "online", 10, 0, "k"),
        ],
    )
    jan24, jan25 = (date(2024, 1, 1),) * 2, (date(2025, 1, 1),) * 2
    ms = ch.mix_shift(empty_db, Filters(), jan24, jan25)
    b = ms.bars.set_index("key")
    assert ms.change == 50
    assert b["change"].to_dict() == {"hypermarket": 50, "traditional": -10, "online": 10}
    # total growth 25%: hypermarket would have grown by 25, traditional by 25, online from 0 by 0
    assert b["growth_effect"].to_dict() == pytest.approx({"hypermarket": 25, "traditional": 25, "online": 0})
    assert b["mix_effect"].to_dict() == pytest.approx({"hypermarket": 25, "traditional": -35, "online": 10})
    assert b.loc["online", "yoy"] != b.loc["online", "yoy"]  # no base: growth undefined (NaN)
    g = ch.growth(empty_db, Filters(start=date(2025, 1, 1), end=date(2025, 1, 1)))
    assert g.bars.set_index("key")["yoy"].to_dict()["hypermarket"] == pytest.approx(0.5)


def test_region_filter_and_by_region_follow_the_province_map(tmp_path) -> None:
    from kam_core.db import Database

    db = Database(tmp_path / "r.duckdb")
    with db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO uploads (id, kind, file_name, sha256, user_name, created_at) "
                    "VALUES (1, 'sales', 't', 'x', 't', now())")  # fmt: skip
        cur.execute(
            """INSERT INTO sales (period, account, province, region, channel, revenue, upload_id) VALUES
               ('2025-01-01', 'A', 'Guangdong', 'South', 'hypermarket', 100, 1),
               ('2025-01-01', 'A', 'Jiangsu', 'East', 'supermarket', 60, 1),
               ('2025-01-01', 'B', NULL, 'East', 'online', 7, 1),
               ('2025-01-01', 'B', 'Atlantis', 'South', 'online', 3, 1)"""
        )
        summary.refresh(cur)  # as every write path does
    f = Filters(start=date(2025, 1, 1), end=date(2025, 1, 1))
    by = ch.share_by_region(db, f).groupby("region")["revenue"].sum().to_dict()
    assert by == {"East": 67, "South": 103}
    rg.save_region_map(db, {"Guangdong": "East"}, user="ann")
    by = ch.share_by_region(db, f).groupby("region")["revenue"].sum().to_dict()
    assert by == {"East": 167, "South": 3}  # Atlantis is unknown: keeps its stored region
    east = ch.share_over_time(db, Filters(start=f.start, end=f.end, regions=("East",)))
    assert east["revenue"].sum() == 167
    db.close()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kam_core", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture
def demo_copy(demo_path: Path, tmp_path: Path) -> Path:
    """The CLI runs in another process: it needs a file no one here holds open."""
    p = tmp_path / "cli.duckdb"
    p.write_bytes(demo_path.read_bytes())
    return p


@pytest.mark.parametrize("by", ch.GRAINS)
def test_cli_json_contract(demo_copy: Path, by: str) -> None:
    r = run_cli("channels", "--db", str(demo_copy), "--json", "--by", by, "--from", "2025-01", "--to", "2025-12")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and all(set(x) == {"period", "channel", "revenue", "share"} for x in rows)
    df = pd.DataFrame(rows)
    assert df.groupby("period")["share"].sum().to_numpy() == pytest.approx(1.0, abs=1e-12)
    assert df["period"].nunique() == {"month": 12, "quarter": 4, "year": 1}[by]
    import duckdb

    con = duckdb.connect(str(demo_copy), read_only=True)
    total = float(con.execute("SELECT sum(revenue) FROM sales WHERE period BETWEEN '2025-01-01' AND '2025-12-01'")
                  .fetchone()[0])  # fmt: skip
    con.close()
    assert df["revenue"].sum() == pytest.approx(total, rel=1e-12)
    assert set(df["channel"]) <= set(ch.CANONICAL) | {None}


def test_cli_lines_without_channel_are_null(tmp_path: Path) -> None:
    from kam_core.db import Database
    from tests.helpers import add_sales

    p = tmp_path / "nochannel.duckdb"
    db = Database(p)
    add_sales(db, [("2026-03", "A", "East", None, 30, 3, "Li"), ("2026-03", "B", "East", "online", 70, 7, "Li")])
    db.close()
    rows = json.loads(run_cli("channels", "--db", str(p), "--json").stdout)
    assert {r["channel"]: r["share"] for r in rows} == {"online": 0.7, None: 0.3}


def test_cli_errors(demo_copy: Path) -> None:
    bad = run_cli("channels", "--db", str(demo_copy), "--json", "--from", "2025-13")
    assert bad.returncode == 1 and "YYYY-MM" in bad.stderr and bad.stdout == ""
    backwards = run_cli("channels", "--db", str(demo_copy), "--from", "2025-06", "--to", "2025-01")
    assert backwards.returncode == 1
    assert run_cli("channels", "--db", str(demo_copy), "--by", "week").returncode == 2
    human = run_cli("channels", "--db", str(demo_copy), "--by", "year", "--from", "2026-01")
    assert human.returncode == 0 and "2026" in human.stdout and "%" in human.stdout


def test_chart_builders(demo_db) -> None:
    from kam_core.charts import channels as cc
    from kam_core.charts import regions as cr

    share = ch.share_over_time(demo_db, YEAR, "quarter", "segment")
    fig = cc.share_stack(share, {}, "bar", order=list(ch.SEGMENTS))
    assert [tr.name for tr in fig.data] == [s for s in ch.SEGMENTS if s in set(share["key"])]
    for i in range(len(fig.data[0].x)):  # every period stacks to 100%
        assert sum(float(tr.y[i]) for tr in fig.data) == pytest.approx(1.0)

    ms = ch.growth(demo_db, YEAR)
    wf = cc.waterfall(ms.base_total, ms.bars, {}, "base", "now")
    w = wf.data[0]
    assert list(w.measure) == ["absolute", *["relative"] * len(ms.bars), "total"]
    assert w.y[0] == pytest.approx(ms.base_total) and w.y[-1] == pytest.approx(ms.current_total, rel=1e-9)
    assert sum(w.y[1:-1]) == pytest.approx(ms.change, rel=1e-9)

    m = rg.account_region_matrix(demo_db, YEAR, top=5)
    hm = cr.heatmap(m, "share", {}, ["East", "South", "West", "North", "Central"], "share", str).data[0]
    assert list(hm.y) == m.drop_duplicates("account")["account"].tolist()  # largest account first (top row)
    assert list(hm.x) == ["East", "South", "West", "North", "Central"]
    assert [sum(v for v in row if v == v) for row in hm.z] == pytest.approx([1.0] * 5)


@pytest.mark.parametrize(
    "cur", [(date(2024, 11, 1), date(2026, 10, 1)), (date(2026, 8, 1), date(2026, 10, 1))], ids=["overlap", "gap"]
)
def test_growth_windows_that_overlap_or_leave_a_gap(demo_db, cur) -> None:
    """24 months overlap the year before; 3 months leave a gap between the two windows."""
    g = ch.growth(demo_db, Filters(start=cur[0], end=cur[1]))
    prior = ch.year_earlier(cur)
    want = dict(
        demo_db.rows(
            """SELECT channel, sum(revenue) FILTER (WHERE period BETWEEN ? AND ?) / sum(revenue)
                                  FILTER (WHERE period BETWEEN ? AND ?) - 1
               FROM sales GROUP BY channel""",
            [*cur, *prior],
        )
    )
    got = g.bars.set_index("key")["yoy"].to_dict()
    assert got == pytest.approx({k: float(v) for k, v in want.items()}, rel=1e-9)
    m = rg.account_region_matrix(demo_db, Filters(start=cur[0], end=cur[1]), top=1)
    r = m.iloc[0]
    prior_rev = demo_db.scalar(
        "SELECT sum(revenue) FROM sales WHERE account = ? AND region = ? AND period BETWEEN ? AND ?",
        [r["account"], r["region"], *prior],
    )
    assert r["revenue_prior"] == pytest.approx(float(prior_rev))
