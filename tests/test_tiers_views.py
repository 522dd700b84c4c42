"""Tier views under the filters (summary, map data, treemap data, account list), export safety and the CLI."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kam_core import cli, export_safe
from kam_core.analytics import tiers as T
from kam_core.charts import tiers as charts_tiers
from kam_core.db import Database
from kam_core.filters import Filters
from tests.test_tiers import add_lines, add_master


@pytest.fixture
def small(empty_db: Database) -> Database:
    """Intl (GKA: Guangdong + Beijing), Nat (NKA), Loc (LKA: 2 stores in Zhejiang), Shop (traditional)."""
    add_master(
        empty_db,
        [("Intl", True, "hypermarket"), ("Nat", False, "supermarket"), ("Loc", False, "supermarket"),
         ("Shop", False, "traditional")],
        [("I1", "Intl", "广东"), ("I2", "Intl", "Beijing"), ("N1", "Nat", "Jiangsu"), ("N2", "Nat", "Anhui"),
         ("N3", "Nat", "Anhui"), ("L1", "Loc", "Zhejiang"), ("L2", "Loc", "浙江省"), ("S1", "Shop", "Zhejiang")],
    )  # fmt: skip
    add_lines(
        empty_db,
        [
            ("2025-03", "Intl", "I1", "Guangdong", "hypermarket", 100.0),
            ("2026-03", "Intl", "I1", "广东省", "hypermarket", 150.0),
            ("2026-03", "Intl", "I2", "Beijing", "hypermarket", 50.0),
            ("2025-03", "Nat", "N1", "Jiangsu", "supermarket", 200.0),
            ("2026-03", "Nat", "N1", "Jiangsu", "supermarket", 180.0),
            ("2026-03", "Loc", "L1", "Zhejiang", "supermarket", 60.0),
            ("2026-03", "Shop", "S1", "Zhejiang", "traditional", 40.0),
            ("2026-03", "Shop", "S1", "Mars", "traditional", 5.0),
        ],
    )
    return empty_db


MAR26 = Filters(start=date(2026, 3, 1), end=date(2026, 3, 1))


def test_summary_numbers(small: Database) -> None:
    s = T.tier_summary(small, MAR26).set_index("tier")
    total = 150 + 50 + 180 + 60 + 40 + 5
    assert list(s.index) == ["GKA", "NKA", "LKA", "non_ka"]
    assert s.loc["GKA", "revenue"] == 200 and s.loc["GKA", "accounts"] == 1 and s.loc["GKA", "stores"] == 2
    assert s.loc["NKA", "stores"] == 3 and s.loc["LKA", "stores"] == 2
    assert s.loc["GKA", "share"] == pytest.approx(200 / total)
    assert s.loc["GKA", "yoy"] == pytest.approx(200 / 100 - 1)
    assert s.loc["NKA", "yoy"] == pytest.approx(180 / 200 - 1)
    assert pd_isna(s.loc["LKA", "yoy"])  # no sales a year earlier
    assert s["share"].sum() == pytest.approx(1.0)


def pd_isna(v: object) -> bool:
    return v is None or v != v


def test_summary_follows_filters(small: Database) -> None:
    s = T.tier_summary(small, Filters(start=date(2025, 3, 1), end=date(2025, 3, 1))).set_index("tier")
    assert s.loc["GKA", "revenue"] == 100 and s.loc["LKA", "accounts"] == 0 and s.loc["LKA", "revenue"] == 0


def test_province_view(small: Database) -> None:
    p = T.province_view(small, MAR26).set_index("province")
    assert p.loc["Guangdong", "revenue"] == 150  # 广东省 in sales → Guangdong
    assert p.loc["Zhejiang", "revenue"] == 60  # the traditional shop is not K/A
    assert p.loc["Zhejiang", "stores"] == 2 and p.loc["Zhejiang", "top_accounts"] == "Loc"
    assert "Anhui" not in p.index  # Nat sold nothing in Anhui in the selection
    gka = T.province_view(small, MAR26, "GKA")
    assert sorted(gka["province"]) == ["Beijing", "Guangdong"] and gka["stores"].sum() == 2
    fig = charts_tiers.province_map(p.reset_index(), "revenue", dict.fromkeys(
        ["value", "revenue", "stores", "accounts", "top_accounts"], "x"), "zh")  # fmt: skip
    value = fig.data[1]
    assert list(value.locations) == list(p.index) and value.featureidkey == "properties.name_en"
    assert p.index[0] == "Jiangsu" and value.customdata[0][0] == "江苏"  # hover names in the page's language
    assert list(value.customdata[0][1:4]) == [180.0, 1, 1]  # revenue, stores, accounts


def test_unknown_province_listed(small: Database) -> None:
    unk = T.unknown_provinces(small)
    assert unk["name"].tolist() == ["Mars"] and unk["revenue"].tolist() == [5.0]


def test_tree_data(small: Database) -> None:
    tree = T.tree_data(small, MAR26)
    assert set(tree["tier"]) == {"GKA", "NKA", "LKA"}
    assert tree["revenue"].sum() == 150 + 50 + 180 + 60
    fig = charts_tiers.tier_treemap(tree, {"GKA": "G", "NKA": "N", "LKA": "L"}, charts_tiers.province_names("en"))
    t = fig.data[0]
    root_values = {lab: v for lab, v, par in zip(t.labels, t.values, t.parents, strict=True) if par == ""}
    assert root_values == {"G": 200, "N": 180, "L": 60}


def test_account_list_filter_and_export(small: Database) -> None:
    df = T.account_list(small, MAR26, "zh")
    assert df["account"].tolist()[:3] == ["Intl", "Nat", "Loc"]
    assert T.filter_accounts(df, ["LKA"])["account"].tolist() == ["Loc"]
    assert T.filter_accounts(df, [], "na")["account"].tolist() == ["Nat"]
    ex = T.export_frame(df, "zh")
    assert "分级" in ex.columns and ex.iloc[0]["省份"] == "北京, 广东"


def test_export_is_formula_safe(small: Database) -> None:
    T.set_override(small, "Loc", "NKA", '=HYPERLINK("http://x")', "Alice")
    df = T.export_frame(T.account_list(small, MAR26, "en"), "en")
    csv = export_safe.to_csv_bytes(df).decode("utf-8-sig")
    assert ",=HYPERLINK" not in csv and "manual override to NKA by Alice" in csv
    wb = openpyxl.load_workbook(io.BytesIO(export_safe.to_xlsx_bytes({"tiers": df})))
    ws = wb["tiers"]
    # the override reason stays text (no formula), numbers stay numbers
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    loc = next(row for row in ws.iter_rows(values_only=True) if row[0] == "Loc")
    assert '=HYPERLINK("http://x")' in loc[2] and loc[5] == 2 and loc[6] == 60


def test_cli_json(small: Database, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(small.path)
    small.close()
    assert cli.main(["tiers", "--db", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    by = {r["account"]: r for r in out}
    assert set(by) == {"Intl", "Nat", "Loc", "Shop"}
    assert by["Intl"] == by["Intl"] | {
        "tier": "GKA", "provinces": ["Beijing", "Guangdong"], "stores": 2, "international": True, "overridden": False,
        "reason": "2 stores in 2 provinces, international background → GKA",
    }  # fmt: skip
    assert by["Shop"]["tier"] == "non_ka" and by["Shop"]["international"] is False
    assert cli.main(["tiers", "--db", path, "--json", "--lang", "zh", "--tier", "LKA"]) == 0
    zh = json.loads(capsys.readouterr().out)
    assert [r["account"] for r in zh] == ["Loc"] and "浙江" in zh[0]["reason"]
    assert cli.main(["tiers", "--db", path]) == 0
    assert "GKA     Intl: 2 stores in 2 provinces" in capsys.readouterr().out


def test_cli_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as e:
        cli.main(["tiers", "--db", str(tmp_path / "x.duckdb"), "--tier", "XKA"])
    assert e.value.code == 2


def test_empty_database(empty_db: Database) -> None:
    assert T.account_tiers(empty_db).empty
    assert T.tier_summary(empty_db, Filters())["revenue"].sum() == 0
    assert T.province_view(empty_db, Filters()).empty
    assert T.unknown_provinces(empty_db).empty


def test_cli_override(small: Database, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(small.path)
    small.close()
    args = ["tier-override", "Loc", "--db", path, "--json", "--user", "carol"]
    assert cli.main([*args, "--tier", "NKA"]) == 1  # no reason given: rejected, nothing written
    assert "why" in capsys.readouterr().err.lower()
    assert cli.main([*args, "--tier", "NKA", "--why", "opening in Jiangsu"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out | {"reason": ""} == {"account": "Loc", "tier": "NKA", "computed_tier": "LKA", "overridden": True,
                                    "override_by": "carol", "reason": ""}  # fmt: skip
    assert out["reason"].startswith("manual override to NKA by carol on ")
    assert cli.main([*args, "--clear"]) == 0
    assert json.loads(capsys.readouterr().out)["tier"] == "LKA"
    assert cli.main(["tier-override", "Nobody", "--db", path, "--tier", "GKA", "--why", "x"]) == 1
    db = Database(path)
    try:
        log = db.rows("SELECT user_name, action FROM audit_log WHERE action LIKE 'tier_override%' ORDER BY logged_at")
    finally:
        db.close()
    assert log == [("carol", "tier_override"), ("carol", "tier_override_cleared")]
