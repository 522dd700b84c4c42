"""Key-account tiers: each rule and boundary on hand-made accounts, the demo's named chains, overrides."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kam_core import summary
from kam_core.analytics import tiers as T
from kam_core.db import Database


def add_master(db: Database, accounts: list[tuple], stores: list[tuple] = ()) -> None:
    """accounts: (account, international, format); stores: (store, account, province)."""
    with db.transaction("tester", "test-master") as cur:
        for acc, intl, fmt in accounts:
            cur.execute("INSERT INTO accounts (account, international, format) VALUES (?, ?, ?)", [acc, intl, fmt])
        for store, acc, prov in stores:
            cur.execute("INSERT INTO stores (store, account, province) VALUES (?, ?, ?)", [store, acc, prov])


def add_lines(db: Database, rows: list[tuple]) -> None:
    """rows: (period 'YYYY-MM', account, store, province, channel, revenue)."""
    df = pd.DataFrame(rows, columns=["period", "account", "store", "province", "channel", "revenue"])
    df["period"] = [date(int(p[:4]), int(p[5:7]), 1) for p in df["period"]]
    with db.transaction("tester", "test-sales") as cur:
        uid = cur.execute(
            "INSERT INTO uploads (kind, file_name, sha256, user_name, created_at) VALUES ('sales', 't', 'x', 'tester', "
            "now()) RETURNING id"
        ).fetchone()[0]
        cur.register("rows_in", df)
        cur.execute(
            """INSERT INTO sales (period, account, store, province, channel, revenue, upload_id)
               SELECT period, account, store, province, channel, revenue, ? FROM rows_in""",
            [uid],
        )
        summary.refresh(cur)  # as an upload does (the pages read the summary tables)
        cur.unregister("rows_in")


def tiers_of(db: Database, lang: str = "en") -> dict[str, dict]:
    df = T.account_tiers(db, lang)
    return {r["account"]: r for r in df.to_dict("records")}


@pytest.fixture
def market(empty_db: Database) -> Database:
    """Zhejiang's modern-trade sales in 2026-01: 1 000 in total, a single-store share of 10% exactly."""
    add_master(
        empty_db,
        [
            ("TwoProv", False, "supermarket"),
            ("OneProv", False, "supermarket"),
            ("IntlTwo", True, "hypermarket"),
            ("IntlOne", True, "hypermarket"),
            ("BigSingle", False, "supermarket"),
            ("SmallSingle", False, "supermarket"),
            ("Conv", False, "convenience"),
            ("ConvLocal", False, "便利店"),
            ("Grocer", False, "traditional"),
            ("GrocerChain", True, "traditional"),
        ],
        [
            ("T1", "TwoProv", "浙江"), ("T2", "TwoProv", "Jiangsu"),
            ("O1", "OneProv", "Zhejiang"), ("O2", "OneProv", "浙江省"), ("O3", "OneProv", "ZJ"),
            ("I1", "IntlTwo", "广东"), ("I2", "IntlTwo", "Guangdong Province"), ("I3", "IntlTwo", "Beijing"),
            ("J1", "IntlOne", "Shanghai"), ("J2", "IntlOne", "上海"),
            ("B1", "BigSingle", "Zhejiang"),
            ("S1", "SmallSingle", "Zhejiang"),
            ("C1", "Conv", "Shanghai"), ("C2", "Conv", "Jiangsu"), ("C3", "Conv", "Zhejiang"),
            ("L1", "ConvLocal", "Shanghai"), ("L2", "ConvLocal", "Shanghai"),
            ("G1", "GrocerChain", "Shanghai"), ("G2", "GrocerChain", "Beijing"),
        ],
    )  # fmt: skip
    add_lines(
        empty_db,
        [
            ("2026-01", "OneProv", "O1", "Zhejiang", "supermarket", 850.0),
            ("2026-01", "BigSingle", "B1", "Zhejiang", "supermarket", 100.0),  # 100 / 1000 = 10% → LKA
            ("2026-01", "SmallSingle", "S1", "Zhejiang", "supermarket", 50.0),  # 5% → not K/A
            ("2026-01", "Grocer", "G0", "Zhejiang", "traditional", 5000.0),  # traditional: not in the denominator
        ],
    )
    return empty_db


def test_two_provinces_vs_one(market: Database) -> None:
    t = tiers_of(market)
    assert t["TwoProv"]["tier"] == "NKA" and t["TwoProv"]["n_provinces"] == 2
    assert t["OneProv"]["tier"] == "LKA"
    # 浙江 / 浙江省 / ZJ / Zhejiang are one province
    assert t["OneProv"]["provinces"] == ["Zhejiang"] and t["OneProv"]["stores"] == 3
    assert "3 stores, all in Zhejiang" in t["OneProv"]["reason"]


def test_international_with_two_provinces_is_gka(market: Database) -> None:
    t = tiers_of(market)
    assert t["IntlTwo"]["tier"] == "GKA"
    assert t["IntlTwo"]["provinces"] == ["Beijing", "Guangdong"]  # 广东 + Guangdong Province = one
    assert t["IntlTwo"]["reason"] == "3 stores in 2 provinces, international background → GKA"


def test_international_single_province_chain_is_lka(market: Database) -> None:
    t = tiers_of(market)
    assert t["IntlOne"]["tier"] == "LKA"
    assert "international background but one province only" in t["IntlOne"]["reason"]


def test_single_store_threshold_boundary(market: Database) -> None:
    t = tiers_of(market)
    assert t["BigSingle"]["single_store_share"] == pytest.approx(0.10)
    assert t["BigSingle"]["tier"] == "LKA"  # exactly at the threshold counts
    assert t["SmallSingle"]["single_store_share"] == pytest.approx(0.05)
    assert t["SmallSingle"]["tier"] == "non_ka"
    assert "below 10.0%" in t["SmallSingle"]["reason"]
    # raise the threshold just above 10%: the big single store drops out
    T.save_rules(market, T.TierRules(single_store_share=0.1001), "tester")
    t = tiers_of(market)
    assert t["BigSingle"]["tier"] == "non_ka"
    # lower it to 5%: both qualify
    T.save_rules(market, T.TierRules(single_store_share=0.05), "tester")
    t = tiers_of(market)
    assert t["SmallSingle"]["tier"] == "LKA"
    assert market.get_setting("tiers.single_store_share") == 0.05


def test_convenience_chains_tiered_by_the_same_tests(market: Database) -> None:
    t = tiers_of(market)
    assert t["Conv"]["tier"] == "NKA"
    assert t["Conv"]["reason"].startswith("convenience chain")
    assert t["ConvLocal"]["tier"] == "LKA"  # format written in Chinese (便利店) is recognised
    assert t["ConvLocal"]["format"] == "convenience"


def test_traditional_trade_is_never_ka(market: Database) -> None:
    t = tiers_of(market)
    assert t["Grocer"]["tier"] == "non_ka"
    # even international with stores in two provinces
    assert t["GrocerChain"]["tier"] == "non_ka"
    assert "is not modern trade" in t["GrocerChain"]["reason"]


def test_eligible_formats_are_editable(market: Database) -> None:
    T.save_rules(market, T.TierRules(modern_trade_formats=(*T.DEFAULT_FORMATS, "traditional")), "tester")
    assert tiers_of(market)["GrocerChain"]["tier"] == "GKA"
    T.save_rules(market, T.TierRules(modern_trade_formats=("hypermarket",)), "tester")
    t = tiers_of(market)
    assert t["TwoProv"]["tier"] == "non_ka" and t["IntlTwo"]["tier"] == "GKA"


def test_rules_validation(empty_db: Database) -> None:
    with pytest.raises(ValueError):
        T.save_rules(empty_db, T.TierRules(single_store_share=0), "tester")
    with pytest.raises(ValueError):
        T.save_rules(empty_db, T.TierRules(min_provinces=1), "tester")
    with pytest.raises(ValueError):
        T.save_rules(empty_db, T.TierRules(modern_trade_formats=()), "tester")
    assert T.get_rules(empty_db) == T.TierRules()


def test_override_wins_and_is_recorded(market: Database) -> None:
    T.set_override(market, "SmallSingle", "LKA", "flagship store, dominant in Hangzhou", "Alice")
    r = tiers_of(market)["SmallSingle"]
    assert r["tier"] == "LKA" and r["computed_tier"] == "non_ka" and r["overridden"]
    assert r["override_by"] == "Alice" and r["override_reason"] == "flagship store, dominant in Hangzhou"
    assert r["reason"].startswith("manual override to LKA by Alice on ")
    assert "computed: single store" in r["reason"]
    zh = tiers_of(market, "zh")["SmallSingle"]["reason"]
    assert zh.startswith("由 Alice 于") and "手动调整" in zh
    log = market.rows("SELECT user_name, action FROM audit_log WHERE action LIKE 'tier_override%'")
    assert log == [("Alice", "tier_override")]
    # clearing brings the computed tier back
    T.set_override(market, "SmallSingle", None, "", "Bob")
    r = tiers_of(market)["SmallSingle"]
    assert r["tier"] == "non_ka" and not r["overridden"]


def test_override_needs_a_reason_a_user_and_a_valid_tier(market: Database) -> None:
    with pytest.raises(ValueError):
        T.set_override(market, "OneProv", "GKA", "  ", "Alice")
    with pytest.raises(ValueError):
        T.set_override(market, "OneProv", "XKA", "why", "Alice")
    with pytest.raises(ValueError):
        T.set_override(market, "Nobody", "GKA", "why", "Alice")
    with pytest.raises(ValueError):
        T.set_override(market, "OneProv", "GKA", "why", " ")
    assert tiers_of(market)["OneProv"]["tier"] == "LKA"


def test_no_store_master_footprint_from_sales(empty_db: Database) -> None:
    add_master(empty_db, [("SalesOnly", False, "hypermarket"), ("SalesLocal", False, None)])
    add_lines(
        empty_db,
        [
            ("2026-01", "SalesOnly", "X1", "Hubei", "hypermarket", 10.0),
            ("2026-01", "SalesOnly", "X2", "湖南", "hypermarket", 10.0),
            ("2026-02", "SalesOnly", "X2", "湖南省", "hypermarket", 10.0),
            # no master row and no format: modern trade from its channels
            ("2026-01", "NoMaster", "N1", "Sichuan", "supermarket", 10.0),
            ("2026-01", "NoMaster", "N2", "四川", "supermarket", 10.0),
            ("2026-01", "NoMaster", "N2", "四川", "traditional", 5.0),  # 20 of 25 through modern trade
            ("2026-01", "SalesLocal", "L1", "Hubei", "traditional", 10.0),
            ("2026-01", "SalesLocal", "L2", "Hunan", "traditional", 10.0),
        ],
    )
    t = tiers_of(empty_db)
    assert t["SalesOnly"]["tier"] == "NKA" and t["SalesOnly"]["footprint"] == "sales"
    assert t["SalesOnly"]["stores"] == 2 and t["SalesOnly"]["provinces"] == ["Hubei", "Hunan"]
    assert "footprint from sales" in t["SalesOnly"]["reason"]
    assert t["NoMaster"]["tier"] == "LKA" and t["NoMaster"]["modern_trade"]
    assert "80.0% of sales through modern-trade channels" in t["NoMaster"]["reason"]
    assert t["SalesLocal"]["tier"] == "non_ka" and not t["SalesLocal"]["modern_trade"]


def test_unknown_province_names_are_reported(empty_db: Database) -> None:
    add_master(empty_db, [("Odd", False, "supermarket")], [("U1", "Odd", "Atlantis"), ("U2", "Odd", "Zhejiang")])
    add_lines(empty_db, [("2026-01", "Odd", "U1", "Atlantis", "supermarket", 7.0)])
    r = tiers_of(empty_db)["Odd"]
    assert r["unknown_provinces"] == ["Atlantis"] and r["provinces"] == ["Zhejiang"]
    assert "unrecognised province names: Atlantis" in r["reason"]
    unk = T.unknown_provinces(empty_db)
    assert unk.to_dict("records") == [
        {"name": "Atlantis", "sales_lines": 1, "revenue": 7.0, "stores": 1, "accounts": "Odd"}
    ]


def test_every_account_has_a_tier_and_a_reason(demo_db: Database) -> None:
    df = T.account_tiers(demo_db)
    n_accounts = demo_db.scalar("SELECT count(*) FROM (SELECT account FROM accounts UNION SELECT account FROM sales)")
    assert len(df) == n_accounts
    assert set(df["tier"]) <= set(T.TIERS)
    assert df["reason_en"].str.len().min() > 10 and df["reason_zh"].str.len().min() > 5


@pytest.mark.parametrize(
    ("account", "tier"),
    [
        ("Carrefour", "GKA"), ("Metro", "GKA"), ("Walmart", "GKA"), ("Auchan", "GKA"), ("Lotus", "GKA"),
        ("Lianhua", "NKA"), ("RT-Mart", "NKA"), ("Suguo", "NKA"), ("Hualian", "NKA"), ("Nonggongshang", "NKA"),
        ("Ningbo Sanjiang", "LKA"), ("Hangzhou Jiayou", "LKA"), ("ParknShop", "LKA"),
        ("Kedi", "NKA"), ("Haode", "LKA"),
    ],
)  # fmt: skip
def test_demo_named_chains(demo_db: Database, account: str, tier: str) -> None:
    assert tiers_of(demo_db)[account]["tier"] == tier


def test_demo_reason_counts_match_store_master(demo_db: Database) -> None:
    r = tiers_of(demo_db)["Walmart"]
    stores, provs = demo_db.rows("SELECT count(*), count(DISTINCT province) FROM stores WHERE account = 'Walmart'")[0]
    assert r["reason"] == f"{stores} stores in {provs} provinces, international background → GKA"
    zh = tiers_of(demo_db, "zh")["Walmart"]["reason"]
    assert zh == f"{stores} 家门店分布在 {provs} 个省份，国际背景 → 判定为 GKA（全球）"


def test_refused_override_says_why_in_both_languages(demo_db) -> None:
    from kam_core.analytics import tiers as T

    with pytest.raises(T.TierInputError) as e:
        T.set_override(demo_db, "Carrefour", "NKA", "  ", user="alice")
    assert "reason" in str(e.value)
    assert e.value.message("zh") == "请说明手动调整分级的原因（原因会被记录）。"
