"""The memoised views behind the tier page (account table, its export, the account names) and the
scoring criteria: the same frames the plain functions give, and a write shows at once."""

from __future__ import annotations

from datetime import date

import pandas as pd

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
