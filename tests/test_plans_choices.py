"""The plan editor's account picker data (kam_core.plans.edit.account_choices, data_year) against the code it
replaced: the same frame — rows, order, values and dtypes — on the demo data and on hand-made data with ties,
numeric account codes, accounts with a plan but no sales, and an empty database. And ui.widgets.PickList, the
column-kept options the plans page gives its picker: the same matches as pick_matches over the same labels."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from kam_core.analytics.scoring import key_accounts
from kam_core.db import Database
from kam_core.i18n import t
from kam_core.plans import edit
from tests.helpers import add_sales
from ui.widgets import PickList, pick_matches

YEAR = 2026  # the test demo ends in 2026-10


# -- the code account_choices / data_year replaced (kept as the reference) -----------------------------
def reference_account_choices(db: Database, year: int) -> pd.DataFrame:
    frame = pd.DataFrame(
        db.rows(
            """WITH last AS (SELECT max(period) AS p FROM sales_cube)
               SELECT account, coalesce(sum(revenue) FILTER (WHERE period > p - INTERVAL 12 MONTH), 0)
               FROM sales_cube, last GROUP BY account""",
        ),
        columns=["account", "revenue"],
    )
    plans = dict(db.rows("SELECT account, max(version) FROM account_plans WHERE year = ? GROUP BY account", [year]))
    known = set(frame["account"])
    for a in plans:
        if a not in known:
            frame.loc[len(frame)] = [a, 0.0]
    keys = key_accounts(db) if len(frame) else pd.DataFrame(columns=["account", "key"])
    key_set = set(keys.loc[keys["key"].astype(bool), "account"])
    frame["revenue"] = frame["revenue"].astype(float)
    frame["key"] = frame["account"].isin(key_set)
    frame["version"] = [int(plans.get(a, 0)) for a in frame["account"]]
    frame["_plan"] = frame["version"] > 0
    frame = frame.sort_values(["_plan", "key", "revenue", "account"], ascending=[False, False, False, True])
    return frame.drop(columns="_plan").reset_index(drop=True)


def reference_data_year(db: Database) -> int | None:
    last = db.scalar("SELECT max(period) FROM sales")
    return None if last is None else int(last.year)


def same(db: Database, year: int) -> pd.DataFrame:
    new, old = edit.account_choices(db, year), reference_account_choices(db, year)
    pd.testing.assert_frame_equal(new, old, check_exact=True)  # dtypes, index and every value
    assert edit.data_year(db) == reference_data_year(db)
    return new


def plan_row(db: Database, account: str, year: int, version: int) -> None:
    """A stored plan version written directly (store.save refuses an account without sales: this is one whose
    sales were replaced by a later upload, or a plan of a year without data)."""
    with db.transaction("tester", "test", data=False) as cur:
        cur.execute("INSERT INTO account_plans (account, year, version, doc, user_name, saved_at, comment) "
                    "VALUES (?, ?, ?, '{}', 'tester', now(), '')", [account, year, version])  # fmt: skip


# -- the demo data ---------------------------------------------------------------------------------
@pytest.mark.parametrize("year", [YEAR - 1, YEAR, YEAR + 1])
def test_demo_choices_equal_the_reference(demo_db: Database, year: int) -> None:
    c = same(demo_db, year)
    assert len(c) == demo_db.scalar("SELECT count(DISTINCT account) FROM sales")
    if year == YEAR:  # the demo's three plans come first
        assert set(c["account"][:3]) == {"Carrefour", "RT-Mart", "Ningbo Sanjiang"} and (c["version"][:3] > 0).all()
    assert c["key"].any() and not c["key"].all()


# -- hand-made data --------------------------------------------------------------------------------
@pytest.fixture
def hand(tmp_path: Path) -> Database:
    db = Database(tmp_path / "hand.duckdb")
    yield db
    db.close()


def test_ties_codes_plans_without_sales_and_old_sales(hand: Database) -> None:
    rows = [
        # equal revenue in the last 12 months: the account code breaks the tie (text order: "100" < "99")
        ("2026-06", "99", "East", "hyper", 500.0, 100.0, "k1"),
        ("2026-06", "100", "East", "hyper", 500.0, 100.0, "k1"),
        ("2026-06", "0100", "East", "hyper", 500.0, 100.0, "k1"),
        ("2026-05", "Ärger AG", "East", "hyper", 500.0, 100.0, "k1"),
        ("2026-05", "apple", "East", "hyper", 500.0, 100.0, "k1"),
        ("2026-05", "Apple", "East", "hyper", 500.0, 100.0, "k2"),
        ("2026-05", "上海联华超市", "East", "hyper", 500.0, 100.0, "k2"),
        # sums with four decimals and a line's revenue split over months and stores
        ("2026-01", "Metro", "North", "cash", 0.1, 0.0, "k2"),
        ("2026-02", "Metro", "North", "cash", 0.2, 0.0, "k2"),
        ("2026-03", "Metro", "South", "cash", 1234567.8901, 0.0, "k2"),
        ("2026-04", "Big", "North", "hyper", 98765432.1234, 1000.0, "k1"),
        ("2026-04", "Huge", "North", "hyper", 98765432109876.5432, 1000.0, "k1"),  # past 2**53 / 10**4
        ("2026-05", "Huge", "South", "hyper", 12345678901234.5678, 1000.0, "k1"),
        # sales only more than 12 months before the last month: revenue 0, still a choice
        ("2024-03", "Old Friend", "West", "hyper", 900.0, 10.0, "k3"),
        ("2025-06", "Just Out", "West", "hyper", 900.0, 10.0, "k3"),  # 2025-06 is 16 months before 2026-10
        ("2025-11", "Just In", "West", "hyper", 900.0, 10.0, "k3"),  # 11 months before: counted
        ("2026-10", "Zero", "West", "hyper", 0.0, 0.0, "k3"),
        ("2026-10", "Refund", "West", "hyper", -50.0, -5.0, "k3"),
        ("2026-10", "Last", "West", "hyper", 10.0, 1.0, "k3"),
    ]
    add_sales(hand, rows)
    c = same(hand, YEAR)
    for key in (True, False):  # within a tie, text order: digits, upper case, lower case, then the rest
        tied = c.loc[(c["revenue"] == 500.0) & (c["key"] == key), "account"].tolist()
        assert tied == sorted(tied)
    assert sorted(c.loc[c["revenue"] == 500.0, "account"]) == ["0100", "100", "99", "Apple", "apple", "Ärger AG",
                                                              "上海联华超市"]  # fmt: skip
    assert float(c.loc[c["account"] == "Metro", "revenue"].iloc[0]) == float(Decimal("1234568.1901"))
    assert float(c.loc[c["account"] == "Old Friend", "revenue"].iloc[0]) == 0.0
    assert float(c.loc[c["account"] == "Just In", "revenue"].iloc[0]) == 900.0

    # plans: for accounts with sales, for one with no sales at all, for another year, several versions
    plan_row(hand, "100", YEAR, 1)
    plan_row(hand, "Old Friend", YEAR, 1)
    plan_row(hand, "Old Friend", YEAR, 2)
    plan_row(hand, "Gone Ltd", YEAR, 3)  # no sales line at all
    plan_row(hand, "99", YEAR + 1, 1)
    c = same(hand, YEAR)
    assert set(c["account"][:3]) == {"100", "Old Friend", "Gone Ltd"}
    assert dict(zip(c["account"], c["version"], strict=True))["Old Friend"] == 2
    assert float(c.loc[c["account"] == "Gone Ltd", "revenue"].iloc[0]) == 0.0
    nxt = same(hand, YEAR + 1)
    assert nxt["account"][0] == "99" and (nxt["version"][1:] == 0).all()
    same(hand, YEAR - 5)  # a year without plans


def test_all_equal_revenue_orders_by_account(hand: Database) -> None:
    codes = [str(n) for n in (7, 70, 700, 8, 80, 9, 10, 1, 11, 100)]
    add_sales(hand, [("2026-10", a, "East", "hyper", 10.0, 1.0, "k") for a in codes])
    c = same(hand, YEAR)
    rest = c[~c["key"]]
    assert rest["account"].tolist() == sorted(rest["account"].tolist())  # text order, not numeric


def test_empty_database(hand: Database) -> None:
    c = same(hand, YEAR)
    assert c.empty and list(c.columns) == ["account", "revenue", "key", "version"]
    assert edit.data_year(hand) is None
    plan_row(hand, "Only A Plan", YEAR, 1)  # plans but no sales at all
    plan_row(hand, "Another", YEAR, 2)
    c = same(hand, YEAR)
    assert c["account"].tolist() == ["Another", "Only A Plan"] and c["version"].tolist() == [2, 1]


# -- the picker's options ----------------------------------------------------------------------------
VALUES = ["", "18102", "181020", "上海联华超市", "Carrefour", "ＡＢＣ Mart", "Straße 1", "carrefour market"]
LABELS = ["all accounts", "★ 18102 · plan v2", "181020", "上海联华超市", "★ Carrefour", "ＡＢＣ Mart", "Straße 1",
          "carrefour market · plan v1"]  # fmt: skip


QUERIES = ["", "  ", "1810", "18102", "１８１０２", "联华", "carrefour", "CARREFOUR", "★", "plan v", "abc", "strasse",
           "STRASSE 1", "all acc", "nothing like it", "r"]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [1, 3, 200])
def test_picklist_matches_like_pick_matches(query: str, limit: int) -> None:
    label = dict(zip(VALUES, LABELS, strict=True))
    pl = PickList(VALUES, LABELS)
    positions, n = pl.find(query, limit)
    assert ([VALUES[i] for i in positions], n) == pick_matches(VALUES, query, label.__getitem__, limit)
    assert [pl.label(i) for i in positions] == [label[VALUES[i]] for i in positions]


def test_picklist_membership_and_counts() -> None:
    pl = PickList(pa.array(VALUES), pa.array(LABELS))
    assert len(pl) == len(VALUES) and pl.accounts() == len(VALUES) - 1  # the "" option is no account
    assert "18102" in pl and "1810" not in pl and None not in pl and 18102 not in pl
    assert pl.position("Carrefour") == 4 and pl.position("nope") is None
    assert pl.value(3) == "上海联华超市" and pl.to_list() == VALUES
    plain = PickList(["b", "a"])  # no labels: the values are shown
    assert plain.label(0) == "b" and plain.find("A", 5) == ([1], 1)


def test_choice_labels(demo_db: Database) -> None:
    c = edit.account_choices(demo_db, YEAR)
    for lang in ("en", "zh"):
        labels = edit.choice_labels(c, lang).to_pylist()
        for a, key, v, got in zip(c["account"], c["key"], c["version"], labels, strict=True):
            name = ("★ " if key else "") + a
            assert got == (t("plp.pick_with_plan", lang, name=name, v=v) if v else name)
    assert edit.choice_labels(edit.account_choices(Database(":memory:"), YEAR), "en").to_pylist() == []


def test_data_year_from_the_cube(hand: Database) -> None:
    add_sales(hand, [("2024-12", "A", "East", "hyper", 1.0, 0.0, "k"), ("2025-01", "B", "East", "hyper", 1.0, 0, "k")])
    assert edit.data_year(hand) == reference_data_year(hand) == 2025
    assert edit.plan_years(hand) == [2024, 2025, 2026]


# -- the page with more accounts than the picker shows ---------------------------------------------
CODES = [str(18000 + i) for i in range(300)]


def test_plans_page_picker_with_many_accounts(app_env: Path) -> None:
    from kam_core.db import close_all, get_db
    from tests.test_plans_page import open_plan
    from ui.widgets import PICK_LIMIT

    db = Database(app_env)
    try:
        add_sales(db, [("2026-09", a, "East", "hyper", 10.0, 2.0, "kam1") for a in CODES])
    finally:
        db.close()
    close_all()
    at = open_plan("en")  # ?account=Carrefour
    c = edit.account_choices(get_db(str(app_env)), YEAR)
    labels = edit.choice_labels(c, "en").to_pylist()
    label_of = dict(zip(c["account"], labels, strict=True))
    box = at.selectbox(key="plan_account")
    assert box.value == "Carrefour" and box.options == labels[:PICK_LIMIT]  # the first ones, as labelled
    assert t("plp.pick_with_plan", "en", name="★ Carrefour", v=2) in box.options
    for typed in ("1810", "plan v", "★", "carre"):
        at.text_input(key="plan_account_find").set_value(typed).run()
        assert not at.exception, at.exception
        found, _ = pick_matches(list(c["account"]), typed, label_of.__getitem__)
        want = found if "Carrefour" in found else ["Carrefour", *found]  # the choice stays listed
        assert at.selectbox(key="plan_account").options == [label_of[a] for a in want]
        assert at.selectbox(key="plan_account").value == "Carrefour"
    at.text_input(key="plan_account_find").set_value("18102").run()
    at.selectbox(key="plan_account").set_value("18102").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="plan_account").value == "18102"
    assert at.query_params.get("account") in ("18102", ["18102"])
    assert any(t("plp.no_plan_yet", "en", account="18102", year=YEAR) in x.value for x in at.info)
