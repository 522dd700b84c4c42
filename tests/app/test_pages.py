"""AppTest: every page opens in both languages, shows its headings and KPIs, and filters work."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kam_core.i18n import t
from tests.apptest import APP, open_app, qp, texts
from ui.nav import PageSpec, available

__all__ = ["APP", "open_app", "qp", "texts"]  # used by the other page tests
# Extra headings some pages must show (every page shows its title "page.<key>").
HEADINGS = {
    "overview": ["overview.trend", "overview.top_accounts", "overview.channel_split"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", available(), ids=lambda p: p.key)
def test_page_renders(app_env, page: PageSpec, lang: str) -> None:
    at = open_app(lang)
    at.switch_page(page.script).run()
    assert not at.exception, at.exception
    shown = texts(at)
    for key in [f"page.{page.key}", *HEADINGS.get(page.key, [])]:
        assert t(key, lang) in shown, (key, shown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_kpis_and_demo_note(app_env, lang: str) -> None:
    at = open_app(lang)
    labels = [m.label for m in at.metric]
    for key in ("kpi.revenue", "kpi.gross_profit", "kpi.active_accounts", "kpi.top20_share", "kpi.modern_trade_share"):
        assert t(key, lang) in labels
    assert any(t("demo.note", lang) in i.value for i in at.info)
    assert at.sidebar.radio(key="lang").value == lang


def _revenue(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == t("kpi.revenue", "en"))


def test_filters_change_numbers_and_live_in_the_url(app_env) -> None:
    at = open_app("en")
    everything = _revenue(at)
    at.sidebar.multiselect(key="f_region").set_value(["East"]).run()
    east = _revenue(at)
    assert east != everything
    assert qp(at, "region") == ["East"]
    at.sidebar.select_slider(key="f_period").set_value(("2025-01", "2025-06")).run()
    assert qp(at, "from") == ["2025-01"] and qp(at, "to") == ["2025-06"]
    assert any("2025-06" in c.value for c in at.caption)
    june_east = _revenue(at)

    # A copied link reopens the same view.
    again = open_app("en", region="East", **{"from": "2025-01", "to": "2025-06"})
    assert again.sidebar.multiselect(key="f_region").value == ["East"]
    assert again.sidebar.select_slider(key="f_period").value == ("2025-01", "2025-06")
    assert _revenue(again) == june_east


def test_language_switch_translates(app_env) -> None:
    at = open_app("en")
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert t("page.overview", "zh") in texts(at)
    assert qp(at, "lang") == ["zh"]


def test_empty_database_loads_demo(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kam_core.db import close_all

    close_all()
    monkeypatch.setenv("KAM_DB", str(tmp_path / "fresh.duckdb"))
    at = open_app("en")
    assert any(t("demo.note", "en") in i.value for i in at.info)
    assert _revenue(at) != "–"
    close_all()


def test_pareto_level_and_metric_live_in_the_url(app_env) -> None:
    at = open_app("en", by="sku", metric="volume")
    at.switch_page("app_pages/pareto.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pareto_by").value == "sku"
    assert at.selectbox(key="pareto_metric").value == "volume"
    at.selectbox(key="pareto_by").set_value("category").run()
    assert qp(at, "by") == ["category"] and qp(at, "metric") == ["volume"]
    at.selectbox(key="pareto_metric").set_value("revenue").run()
    assert qp(at, "metric") == []  # the default is left out of the link


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tiers_store_sources_name_only_the_sources_some_account_has(app_env, lang: str) -> None:
    at = open_app(lang)
    at.switch_page("app_pages/tiers.py").run()
    head = t("ui.stores_source", lang, parts="\0").split("\0")[0]  # "Store counts: "
    captions = [c.value for c in at.caption if c.value.startswith(head)]
    # the demo has a store list for every account: one part, no "… for 0 accounts"
    n = t("ui.stores_source.master", lang, n="463")
    assert captions == [t("ui.stores_source", lang, parts=n)], captions
