"""AppTest: the account × region page, its province → region map and empty selections."""

from __future__ import annotations

import pytest

from kam_core.analytics import regions as rg
from kam_core.db import Database
from kam_core.i18n import t, value_label
from tests.apptest import open_page
from tests.helpers import add_sales

PAGE = "app_pages/regions.py"


def regions_page(lang: str = "en", **params):
    return open_page("regions", lang, **params)


def region_table(at) -> dict[str, float]:
    df = next(d.value for d in at.dataframe if "stores" in d.value.columns and "share" in d.value.columns)
    return df.set_index("region")["revenue"].to_dict()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_metrics_accounts_and_key_account_toggle(app_env, lang: str) -> None:
    at = regions_page(lang)
    assert t("regions.matrix", lang) in [s.value for s in at.subheader]
    for metric in rg.METRICS:
        at.radio(key="rg_metric").set_value(metric).run()
        assert not at.exception, at.exception
        assert any(t(f"regions.matrix_caption_{metric}", lang, n=25) in c.value for c in at.caption)
    at.number_input(key="rg_top").set_value(10).run()
    assert any(t("regions.matrix_caption_yoy", lang, n=10) in c.value for c in at.caption)
    at.toggle(key="rg_ka").set_value(True).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="rg_account").value == "Walmart"  # largest account first
    at.selectbox(key="rg_account").set_value("Lianhua").run()
    assert not at.exception, at.exception
    at.slider(key="rg_ws").set_value(100).run()
    assert not at.exception, at.exception


def test_edited_province_map_changes_the_region_figures(app_env, demo_db) -> None:
    # app_env is a private copy of the demo database: read the expected figures from the shared one.
    frame = rg.region_map_frame(demo_db)
    guangdong = float(
        demo_db.scalar(
            """SELECT sum(revenue) FROM sales WHERE account = 'Walmart' AND province = 'Guangdong'
               AND period BETWEEN '2025-11-01' AND '2026-10-01'"""
        )
    )
    at = regions_page("en")
    at.selectbox(key="rg_account").set_value("Walmart").run()
    before = region_table(at)
    row = frame["province"].tolist().index("Guangdong")
    at.session_state["rg_map_editor"] = {"edited_rows": {row: {"region": "East"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="rg_map_save").click().run()
    assert not at.exception, at.exception
    after = region_table(at)
    assert after["East"] == pytest.approx(before["East"] + guangdong)
    assert after["South"] == pytest.approx(before["South"] - guangdong)
    assert any(t("regions.map_saved", "en") in s.value for s in at.success)
    # Restoring the defaults brings the figures back.
    at.button(key="rg_map_reset").click().run()
    assert region_table(at) == pytest.approx(before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_selection_gives_a_clear_message(app_env, lang: str) -> None:
    # A KAM whose only sale is in the first month, selected over later months, as from a shared link.
    db = Database(app_env)
    add_sales(db, [("2023-11", "Ghost shop", "East", "online", 5, 1, "Nobody")])
    db.close()
    at = regions_page(lang, kam="Nobody", **{"from": "2026-01", "to": "2026-10"})
    assert at.sidebar.multiselect(key="f_kam").value == ["Nobody"]
    assert any(t("empty.selection", lang) in i.value for i in at.info)


def test_account_picker_follows_the_heat_map(app_env) -> None:
    at = regions_page("en")
    options = at.selectbox(key="rg_account").options
    assert len(options) == 25 and options[0] == "Walmart"
    at.selectbox(key="rg_account").set_value(options[-1]).run()
    at.number_input(key="rg_top").set_value(5).run()  # the picked account leaves the heat map
    assert not at.exception, at.exception
    assert len(at.selectbox(key="rg_account").options) == 5
    assert at.selectbox(key="rg_account").value == "Walmart"


def test_matrix_table_cells_are_figures_or_a_dash_never_none(app_env, demo_db) -> None:
    # A big new account in a region it never sold in a year earlier: its growth there is missing, not 0%.
    db = Database(app_env)
    add_sales(db, [("2026-10", "Newcomer Mart", "North", "hypermarket", 900_000_000, 1, "Nobody")])
    db.close()
    at = regions_page("en")
    table = next(d.value for d in at.dataframe if t("regions.account_total", "en") in d.value.columns)
    assert not table.isna().any().any()
    matrix = rg.account_region_matrix(Database(app_env), at.session_state["filters"], 25, None)
    walmart = matrix[matrix["account"] == "Walmart"].set_index("region")["revenue"]
    shown = {value_label("region", r, "en"): r for r in matrix["region"].unique()}
    assert len(table.columns) == 1 + len(shown), (table.columns, table.index[:3])
    for region, code in shown.items():  # the regions Walmart has no sales in are 0, the others its revenue
        assert table.loc["Walmart", region] == pytest.approx(float(walmart.get(code, 0.0)))
    at.radio(key="rg_metric").set_value("yoy").run()
    table = next(d.value for d in at.dataframe if t("regions.account_total", "en") in d.value.columns)
    assert table.loc["Newcomer Mart", "North"] == "–"
    assert not table.isin(["None", "nan"]).any().any() and not table.isna().any().any()
    assert all(v == "–" or v.endswith("%") for v in table.drop(columns=t("regions.account_total", "en")).stack())
