"""The memoised views behind the tier page (account table, its export, the account names) and the
scoring criteria: the same frames the plain functions give, and a write shows at once."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kam_core.analytics import scoring as S
from kam_core.analytics import tiers as T
from kam_core.db import Database
from kam_core.filters import Filters
from tests.helpers import add_sales

YEAR = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1))


def test_account_table_and_export_are_the_plain_views(demo_db: Database) -> None:
    T.clear_memo()
    for lang, tiers, search in (("en", (), ""), ("zh", ("GKA", "LKA"), "a"), ("en", ("non_ka",), "zz-nothing")):
        plain = S.with_scores(demo_db, T.filter_accounts(T.account_list(demo_db, YEAR, lang), tiers, search), YEAR)
        table = T.account_table(demo_db, YEAR, lang, tiers, search)
        pd.testing.assert_frame_equal(table, plain, check_exact=True)
        assert T.account_table(demo_db, YEAR, lang, tiers, search) is table  # a rerun: the same frame
        pd.testing.assert_frame_equal(T.account_export(demo_db, YEAR, lang, tiers, search),
                                      T.export_frame(plain, lang), check_exact=True)  # fmt: skip
    pd.testing.assert_frame_equal(T.listed_accounts(demo_db, YEAR, "zh"), T.account_list(demo_db, YEAR, "zh"))
    assert T.account_names(demo_db) == sorted(T.account_tiers(demo_db)["account"])
    counts = T.account_tiers(demo_db)["footprint"].value_counts().to_dict()
    assert T.footprints(demo_db) == {k: counts.get(k, 0) for k in ("stores", "sales", "none")}


def test_a_write_shows_at_once(empty_db: Database) -> None:
    add_sales(empty_db, [("2026-10", "A", "East", "hypermarket", 100, 10, "k"),
                         ("2026-10", "B", "East", "supermarket", 50, 5, "k")])  # fmt: skip
    f = Filters(start=date(2026, 10, 1), end=date(2026, 10, 1))
    before = T.account_table(empty_db, f)
    assert S.criteria_values(empty_db, f).values["revenue"].to_dict() == {"A": 100.0, "B": 50.0}
    T.set_override(empty_db, "B", "GKA", "merger", "alice")
    add_sales(empty_db, [("2026-10", "C", "East", "hypermarket", 70, 7, "k")])
    after = T.account_table(empty_db, f)
    assert before.set_index("account").loc["B", "tier"] != "GKA"
    assert after.set_index("account").loc["B", "tier"] == "GKA"
    assert sorted(after["account"]) == ["A", "B", "C"] == T.account_names(empty_db)
    assert T.footprints(empty_db) == {"stores": 0, "sales": 3, "none": 0}
    assert after.set_index("account").loc["C", "revenue"] == 70.0
    assert S.criteria_values(empty_db, f).values["revenue"].to_dict() == {"A": 100.0, "B": 50.0, "C": 70.0}


def test_a_plan_save_keeps_the_classification_and_bumps_only_the_write_version(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes no analysis reads (plans, users, templates) bump the write version only: the cached pages
    show them at once (ui.data keys by both), the classification and the scores are not computed again."""
    from kam_core import auth
    from kam_core.plans import store
    from kam_core.plans.model import PlanDoc

    add_sales(empty_db, [("2026-10", "A", "East", "hypermarket", 100, 10, "k")])
    T.clear_memo()
    data0, write0 = empty_db.versions()
    assert data0 == empty_db.data_version()
    tiers = T.account_tiers(empty_db)
    store.save(empty_db, "A", 2026, PlanDoc(account="A", year=2026), 0, "first", "ann")
    auth.set_user(empty_db, "kam@x.com", "kam", "ann", kam_name="k")
    data1, write1 = empty_db.versions()
    assert (data1, write1) == (data0, write0 + 2)

    def recompute(*a: object, **k: object) -> None:
        raise AssertionError("classified again after a plan save")

    monkeypatch.setattr(T, "_classify", recompute)
    pd.testing.assert_frame_equal(T.account_tiers(empty_db), tiers)  # kept for the unchanged data version
    empty_db.set_setting("abc_thresholds", [0.8, 0.95], user="alice")  # a setting is data: both bumped
    assert empty_db.versions() == (data1 + 1, write1 + 1)
