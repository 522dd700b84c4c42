"""The tier page's views that read one shared aggregate (province map, treemap, account list) give exactly what the
queries over the sales lines gave (tests/tiers_reference.py): every number, store count, type and row order,
for every map tier, under the filters a page can set, with and without a store master. The rows the page shows
(account_rows) are the head of the full table as it was built before; the summary's last-year revenue is the
sum of the lines a year earlier."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kam_core.analytics import scoring
from kam_core.analytics import tiers as T
from kam_core.db import Database
from kam_core.filters import Filters
from kam_core.geo import province_zh
from kam_core.i18n import t
from kam_core.memo import data_key
from tests import tiers_reference as ref
from tests.helpers import insert_sales
from tests.test_tiers_equivalence import build_random
from tests.test_tiers_facts import _filters


def _last_year_by_tier(db: Database, f: Filters) -> dict[str, float]:
    """Revenue per tier over the lines of the same months a year earlier (the other filters too)."""
    if not (f.start or f.end):
        return {}
    where, params = f.year_before().where("s")
    cur = db.cursor()
    try:
        cur.register("tiers_in", T.account_tiers(db)[["account", "tier"]])
        rows = cur.execute(
            f"SELECT t.tier, sum(s.revenue) FROM sales s JOIN tiers_in t USING (account) WHERE {where} GROUP BY 1",
            params,
        ).fetchall()
    finally:
        cur.close()
    return {tier: float(v) for tier, v in rows}


def _same_rows(db: Database, f: Filters) -> None:
    """account_rows: the first rows of the table the page built before (the whole list, scored), and its length."""
    accounts = T.account_tiers(db)["account"].tolist()
    needle = accounts[len(accounts) // 2][1:3].lower() if accounts else ""
    for lang in ("en", "zh"):
        full = ref.account_list(db, f, lang)
        for tiers, search in (((), ""), (T.KA_TIERS, ""), (("LKA", "non_ka"), needle), ((), "no such account")):
            want = scoring.with_scores(db, T.filter_accounts(full, tiers, search), f)
            for n in (None, 0, 1, 7, len(want) + 5):
                got, total = T.account_rows(db, f, lang, tiers, search, n)
                assert total == len(want)
                head = want if n is None else want.head(n)
                pd.testing.assert_frame_equal(got, head, check_exact=True, obj=f"account_rows {tiers} {search!r} {n}")
            pd.testing.assert_frame_equal(T.account_table(db, f, lang, tiers, search), want, check_exact=True)


def _same(db: Database) -> None:
    T.clear_memo()
    assert T.account_names(db) == sorted(T.account_tiers(db)["account"].tolist())
    for f in _filters(db):
        summary = T.tier_summary(db, f)
        last_year = _last_year_by_tier(db, f)
        for tier, got in zip(summary["tier"], summary["revenue_last_year"], strict=True):
            want = last_year.get(tier)
            assert (pd.isna(got) and want is None) or got == want, (tier, f, got, want)
        _same_rows(db, f)
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


def test_views_with_numeric_codes_foreign_provinces_and_stores_across_provinces(tmp_path: Path) -> None:
    # Sales-only footprints of every kind the map's store counts distinguish: several stores (some only in some
    # months, one store in two provinces, two raw names of one province), one store in several provinces, lines
    # with no store code only, no code and a code, an empty code and none; numeric account codes; a foreign and
    # an unknown province; an account with a store master beside them.
    db = Database(tmp_path / "edge.duckdb")
    try:
        lines = [
            ("2025-03", "100", "S1", "广东", "South"), ("2026-02", "100", "S1", "Guangdong", "South"),
            ("2025-03", "100", "S2", "Guangdong", "South"), ("2026-03", "100", "S3", "Beijing", "North"),
            ("2026-04", "100", "S3", "广东省", "South"), ("2025-06", "100", "S4", "Beijing", "North"),
            ("2026-01", "20", "S9", "Shanghai", "East"), ("2026-02", "20", "S9", "上海市", "East"),
            ("2025-05", "20", "S9", "Jiangsu", "East"), ("2026-05", "20", "S9", "California", "West"),
            ("2026-05", "20", "S9", "Atlantis", None),
            ("2026-01", "3", None, "Zhejiang", "East"), ("2026-03", "3", None, "Fujian", "South"),
            ("2025-12", "4", None, "Hubei", "Central"), ("2026-06", "4", "S10", "Hubei", "Central"),
            ("2026-02", "4", "S11", "湖北", "Central"),
            ("2026-01", "5", "", "Hunan", "Central"), ("2026-02", "5", None, "Hunan", "Central"),
            ("2026-03", "5", "S12", "Hunan", "Central"), ("2026-04", "5", "S12", "Jiangxi", "Central"),
            ("2026-03", "6", "S13", None, None), ("2026-04", "6", "S14", "Sichuan", "West"),
            ("2026-04", "6", "S15", "Sichuan", "West"),
            ("2026-02", "M1", "X1", "Beijing", "North"), ("2026-03", "M1", "X2", "Tianjin", "North"),
            # (four single stores with the same revenue in Sichuan: the top 3 are the first names)
            *[("2026-04", a, f"T{a}", "Sichuan", "West") for a in ("9", "8", "10", "7")],
        ]  # fmt: skip
        frame = pd.DataFrame(lines, columns=["period", "account", "store", "province", "region"])
        frame["channel"] = "hypermarket"
        frame["revenue"] = [
            1000.0 if str(s).startswith("T") else float(10 + 7 * i) for i, s in enumerate(frame["store"])
        ]
        with db.transaction("tester", "test-master") as cur:
            cur.execute("INSERT INTO accounts (account, international, format) VALUES ('20', TRUE, 'hypermarket')")
            cur.executemany(
                "INSERT INTO stores (store, account, province) VALUES (?, ?, ?)",
                [("X1", "M1", "Beijing"), ("X2", "M1", "天津"), ("X3", "M1", "Beijing")],
            )
        insert_sales(db, frame)
        tiers = T.account_tiers(db).set_index("account")
        assert set(tiers.loc[["100", "20", "3", "4", "5", "6"], "footprint"]) == {"sales"}
        assert tiers.loc["M1", "footprint"] == "stores"
        assert {"GKA", "NKA", "LKA"} <= set(tiers["tier"])
        _same(db)
        windows = [
            Filters(start=date(2026, 1, 1), end=date(2026, 6, 1)),
            Filters(start=date(2025, 3, 1), end=date(2025, 6, 1), regions=("South",)),
            Filters(regions=("Central", "West")),
        ]
        for f in windows:
            for tier in (None, *T.KA_TIERS):
                pd.testing.assert_frame_equal(T.province_view(db, f, tier), ref.province_view(db, f, tier),
                                              check_exact=True, obj=f"province_view {tier} {f}")  # fmt: skip
            _same_rows(db, f)
        # (Guangdong in 2026: S1 and S3 — one under two raw names, one beside its Beijing lines)
        view = T.province_view(db, windows[0]).set_index("province")
        assert view.loc["Guangdong", "stores"] == 2
        assert T.province_view(db, Filters()).set_index("province").loc["Sichuan", "top_accounts"] == "10, 7, 8"
    finally:
        db.close()


def test_warmed_views_are_the_views(tmp_path: Path) -> None:
    # warm_views keeps the map's store counts of the K/A tiers (the page's one scan of the lines) for the filter
    # selection: the views read them and give what the lines give.
    db = Database(tmp_path / "w.duckdb")
    try:
        build_random(db, seed=5, n=400)
        for f in _filters(db)[:2]:
            T.clear_memo()
            T.warm_views(db, f)
            assert (
                T._PERSISTED_VIEWS["sales_stores"].peek((*data_key(db), "sales_stores", (T.FACTS, f, T.KA_TIERS)))
                is not None
            )
            for tier in (None, *T.KA_TIERS):
                pd.testing.assert_frame_equal(T.province_view(db, f, tier), ref.province_view(db, f, tier),
                                              check_exact=True)  # fmt: skip
    finally:
        db.close()
