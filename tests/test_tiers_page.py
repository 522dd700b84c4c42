"""AppTest of the tier page: both languages, map and treemap drawn, list filter, override and rules editing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam_core import summary
from kam_core.analytics import tiers as T
from kam_core.charts import tiers as ch
from kam_core.db import Database, close_all
from kam_core.geo import GEOJSON
from kam_core.i18n import t
from tests.apptest import array, charts, drawn_one, open_page, texts

PAGE = "app_pages/tiers.py"
ROOT = Path(__file__).resolve().parent.parent


def open_tiers(lang: str = "en") -> AppTest:
    return open_page("tiers", lang)


_COLUMN_OF = {"tiers_summary": "yoy", "tiers_accounts": "reason"}  # a column only that table has


def frame(at: AppTest, key: str):
    return next(d.value for d in at.dataframe if _COLUMN_OF[key] in d.value.columns)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_shows_summary_map_tree_and_list(app_env, lang: str) -> None:
    at = open_tiers(lang)
    shown = texts(at)
    for key in ("page.tiers", "tiers.summary", "tiers.map", "tiers.tree", "tiers.accounts", "tiers.overrides"):
        assert t(key, lang) in shown, key
    summary = frame(at, "tiers_summary")
    assert summary["tier"].tolist() == [t(f"tiers.tier_long.{x}", lang) for x in T.TIERS]
    # (shares as shown, rounded to one decimal of a percent: their sum may be off by half a step per row)
    assert summary["share"].sum() == pytest.approx(1.0, abs=0.0005 * len(summary))
    figs = charts(at)
    kinds = [[tr.get("type") for tr in f["data"]] for f in figs]
    assert ["choropleth", "choropleth"] in kinds and ["treemap"] in kinds
    geo = next(f for f in figs if f["data"][0]["type"] == "choropleth")
    # plotly's base topojson comes from the app itself, not a CDN
    config = drawn_one(at, "tiers_map").config
    assert config["topojsonURL"] == "/app/static/topojson/"
    # ... and so do the province polygons: both traces name the file, neither carries it
    assert [tr["geojson"] for tr in geo["data"]] == [ch.GEOJSON_URL] * 2
    # hover names in the page's language
    assert ("广东" if lang == "zh" else "Guangdong") in geo["data"][0]["text"]
    assert any(t("tiers.unknown_none", lang) in c.value for c in at.caption)
    accounts = frame(at, "tiers_accounts")
    assert set(accounts["tier"]) == {t(f"tiers.tier.{x}", lang) for x in T.KA_TIERS}  # default: K/A only
    walmart = accounts[accounts["account"] == "Walmart"].iloc[0]
    assert walmart["reason"].endswith(t("tiers.reason.result", lang, tier=t("tiers.tier.GKA", lang)))


def test_list_filter_and_map_tier(app_env) -> None:
    at = open_tiers("en")
    at.multiselect(key="tiers_filter").set_value(["LKA"]).run()
    at.text_input(key="tiers_search").set_value("ningbo").run()
    assert frame(at, "tiers_accounts")["account"].tolist() == ["Ningbo Sanjiang"]
    at.segmented_control(key="tiers_map_tier").set_value("GKA").run()
    at.segmented_control(key="tiers_map_measure").set_value("stores").run()
    assert not at.exception
    geo = next(f for f in charts(at) if f["data"][0]["type"] == "choropleth")
    # GKA stores per province: the store master's count for GKA accounts selling there
    db = Database(app_env)
    try:
        view = T.province_view(db, at.session_state["filters"], "GKA")
    finally:
        db.close()
    z = dict(zip(geo["data"][1]["locations"], array(geo["data"][1]["z"]), strict=True))
    assert z == {p: float(s) for p, s in zip(view["province"], view["stores"], strict=True) if s > 0}


def test_override_is_recorded_with_user_and_reason(app_env) -> None:
    at = open_tiers("en")
    at.selectbox(key="tiers_ov_account").set_value("Haode").run()
    at.selectbox(key="tiers_ov_tier").set_value("NKA")
    at.text_input(key="tiers_ov_why").set_value("expanding to Jiangsu this year")
    at.button[[b.label for b in at.button].index(t("tiers.override_save", "en"))].click().run()
    assert not at.exception, at.exception
    assert any("Haode" in s.value for s in at.success)
    close_all()
    db = Database(app_env)
    try:
        row = db.rows(
            "SELECT tier_override, tier_override_reason, tier_override_by, tier_override_at FROM accounts "
            "WHERE account = 'Haode'"
        )[0]
        assert row[:3] == ("NKA", "expanding to Jiangsu this year", "tester") and row[3] is not None
        r = T.account_tiers(db).set_index("account").loc["Haode"]
        assert r["tier"] == "NKA" and r["computed_tier"] == "LKA" and r["overridden"]
    finally:
        db.close()


def test_override_needs_user_name(app_env) -> None:
    at = open_tiers("zh")
    at.sidebar.text_input(key="user_name").set_value("").run()
    at.selectbox(key="tiers_ov_account").set_value("Haode").run()
    # select by position: AppTest formats labels outside the session (in English)
    at.selectbox(key="tiers_ov_tier").select_index(1 + T.TIERS.index("GKA"))
    at.text_input(key="tiers_ov_why").set_value("x")
    at.button[[b.label for b in at.button].index(t("tiers.override_save", "zh"))].click().run()
    assert any(t("tiers.override_need_user", "zh") in w.value for w in at.warning)
    close_all()
    db = Database(app_env)
    try:
        assert db.scalar("SELECT tier_override FROM accounts WHERE account = 'Haode'") is None
    finally:
        db.close()


def test_rules_are_saved_in_settings(app_env) -> None:
    at = open_tiers("en")
    at.number_input(key="tiers_rule_share").set_value(50.0)
    at.button[[b.label for b in at.button].index(t("tiers.rule_save", "en"))].click().run()
    assert not at.exception, at.exception
    assert any(t("tiers.rule_saved", "en") in s.value for s in at.success)
    close_all()
    db = Database(app_env)
    try:
        assert db.get_setting("tiers.single_store_share") == pytest.approx(0.5)
        assert db.scalar("SELECT updated_by FROM settings WHERE key = ?", ["tiers.single_store_share"]) == "tester"
    finally:
        db.close()


def test_unknown_province_names_are_listed(app_env) -> None:
    db = Database(app_env)
    try:
        with db.transaction("tester", "test") as cur:
            cur.execute(
                """INSERT INTO sales (period, account, store, province, channel, revenue, upload_id)
                   VALUES ('2026-10-01', 'Walmart', 'WAL-9999', 'Atlantis', 'hypermarket', 1234, 1)"""
            )
            summary.refresh(cur)  # as every write of sales does
    finally:
        db.close()
    close_all()
    for lang in ("en", "zh"):
        at = open_tiers(lang)
        warning = next(w.value for w in at.warning if t("tiers.unknown", lang) in w.value)
        assert "Atlantis" in warning
        unknown = next(d.value for d in at.dataframe if "sales_lines" in d.value.columns)
        assert unknown.to_dict("records")[0] == {
            "name": "Atlantis", "sales_lines": 1, "revenue": 1234.0, "stores": 0, "accounts": "Walmart",
        }  # fmt: skip


def test_account_table_sends_at_most_table_rows_and_says_so(app_env, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.widgets

    full = frame(open_tiers("en"), "tiers_accounts")
    monkeypatch.setattr(ui.widgets, "TABLE_ROWS", 3)
    at = open_tiers("en")
    shown = frame(at, "tiers_accounts")
    assert len(full) > 3 and shown["account"].tolist() == full["account"].tolist()[:3]
    assert t("ui.rows_capped", "en", shown="3", n=f"{len(full):,}") in [c.value for c in at.caption]
    tree = next(f for f in charts(at) if f["data"][0]["type"] == "treemap")["data"][0]
    assert t("tiers.tree_caption", "en", n=T.TREE_TOP) in [c.value for c in at.caption]
    assert sum(1 for p in tree["parents"] if p.startswith("t:")) <= 3 * (T.TREE_TOP + 1)


def test_the_served_polygons_are_the_shipped_ones() -> None:
    # Streamlit serves ./static/<path> at /app/static/<path>: the map's URL names the copy of kam_core.geo's file
    assert ch.GEOJSON_URL.startswith("/app/static/")
    served = ROOT / "static" / ch.GEOJSON_URL.removeprefix("/app/static/")
    assert served.read_bytes() == GEOJSON.read_bytes()
