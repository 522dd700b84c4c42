"""The tier page's views that read one shared aggregate (province map, treemap, account list) give exactly what the
queries over the sales lines gave (tests/tiers_reference.py): every number, store count, type and row order,
for every map tier, under the filters a page can set, with and without a store master."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kam_core.analytics import tiers as T
from kam_core.db import Database
from kam_core.geo import province_zh
from kam_core.i18n import t
from tests import tiers_reference as ref
from tests.test_tiers_equivalence import build_random
from tests.test_tiers_facts import _filters


def _same(db: Database) -> None:
    T.clear_memo()
    for f in _filters(db):
        for tier in (None, *T.KA_TIERS):
            got, want = T.province_view(db, f, tier), ref.province_view(db, f, tier)
            pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"province_view {tier} {f}")
        for top, provinces in ((25, 10), (2, 1), (None, None)):
            got, want = T.tree_data(db, f, top, provinces), ref.tree_data(db, f, top, provinces)
            pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"tree_data {top} {provinces} {f}")
        for lang in ("en", "zh"):
            got, want = T.account_list(db, f, lang), ref.account_list(db, f, lang)
            pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"account_list {lang} {f}")
            # the export names tiers and provinces as the page does, row by row
            ex = T.export_frame(got, lang)
            assert ex[t("tiers.col.tier", lang)].tolist() == [t(f"tiers.tier.{x}", lang) for x in got["tier"]]
            assert ex[t("tiers.col.provinces", lang)].tolist() == [
                ", ".join(province_zh(p) if lang == "zh" else p for p in ps) for ps in got["provinces"]
            ]


def test_views_on_the_demo(demo_db: Database) -> None:
    _same(demo_db)


@pytest.mark.parametrize("seed", [3, 4])
def test_views_on_random_data(tmp_path: Path, seed: int) -> None:
    # (store masters for some accounts, sales-only footprints for others, lines without a store code,
    # unknown provinces, several raw names for one province)
    db = Database(tmp_path / "r.duckdb")
    try:
        build_random(db, seed=seed, n=1500)
        assert set(T.account_tiers(db)["footprint"]) == {"stores", "sales", "none"}
        _same(db)
    finally:
        db.close()


def test_map_of_accounts_with_a_store_master(demo_db: Database) -> None:
    # The demo's K/A accounts all have a store master: their stores come from it alone (no scan of the lines).
    tiers = T.account_tiers(demo_db)
    assert (tiers.loc[tiers["tier"].isin(T.KA_TIERS), "footprint"] == "stores").all()
    f = _filters(demo_db)[1]
    view = T.province_view(demo_db, f)
    assert view["stores"].sum() > 0
    pd.testing.assert_frame_equal(view, ref.province_view(demo_db, f), check_exact=True)
