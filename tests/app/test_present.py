"""Presentation mode (ui/present.py): ?present=1 hides editing, steps through sections, keeps the filters."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from kam_core.db import Database
from kam_core.i18n import t
from tests.apptest import array, charts, drawn, open_app, open_page, qp, texts
from ui import present
from ui.widgets import chart_config

# Widget keys of the editing sections, per page: gone while presenting, there otherwise.
EDITING = {
    "tiers": ["tiers_ov_account", "tiers_ov_tier", "tiers_rule_formats"],  # tier override, tier rules
    "channels": ["ch_map_save"],  # channel mapping
    "regions": ["rg_map_save", "rg_map_reset"],  # province → region map
    "scoring": ["sc_name", "sc_activate", "sc_fit_save", "sc_custom_name"],  # model editor, strategic fit, custom
    "upload": ["up_kind"],
}
LANGS = ["en", "zh"]


def keys(at: AppTest) -> set[str]:
    """Every user key of a widget or container drawn in this run (sidebar included)."""
    out: set[str] = set()

    def walk(node: object) -> None:
        if key := getattr(node, "key", None):
            out.add(key)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def nav_line(at: AppTest) -> str:
    """The 'Section i of n · title' line of the presentation's step bar."""
    return next(m.value for m in at.markdown if m.value.startswith("**") and " · " in m.value)


def revenue(at: AppTest, lang: str) -> str:
    return next(m.value for m in at.metric if m.label == t("kpi.revenue", lang))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(EDITING))
def test_presenting_hides_the_editing_sections(app_env, page: str, lang: str) -> None:
    normal = keys(open_page(page, lang))
    assert set(EDITING[page]) <= normal, (page, set(EDITING[page]) - normal)
    shown = open_page(page, lang, present="1")
    assert not set(EDITING[page]) & keys(shown), page
    assert t(f"page.{page}", lang) in texts(shown)  # the page itself still opens
    if page == "upload":
        assert any(t("present.editing_hidden", lang) in i.value for i in shown.info)


@pytest.mark.parametrize("lang", LANGS)
def test_presenting_hides_the_sidebar_and_the_settings_box(app_env, lang: str) -> None:
    normal = open_app(lang)
    assert "set_currency" in keys(normal)
    assert not [h for h in normal.get("html") if "stSidebar" in h.proto.body]
    at = open_app(lang, present="1")
    css = [h.proto.body for h in at.get("html") if "stSidebar" in h.proto.body]
    assert len(css) == 1 and "display: none" in css[0]  # injected once
    assert "set_currency" not in keys(at)
    # Hidden, not removed: the filters keep running (and applying) while presenting.
    assert {"f_period", "f_region", "lang", "present"} <= keys(at)
    assert at.sidebar.toggle(key="present").value is True


@pytest.mark.parametrize("lang", LANGS)
def test_overview_steps_through_its_sections(app_env, lang: str) -> None:
    at = open_app(lang, present="1")
    assert nav_line(at) == f"**{t('present.step', lang, i=1, n=4)}** · {t('present.summary', lang)}"
    assert t("kpi.revenue", lang) in [m.label for m in at.metric]
    assert t("overview.trend", lang) not in texts(at) and not charts(at)
    assert at.button(key="present_prev").disabled and not at.button(key="present_next").disabled
    assert at.button(key="present_next").label == t("present.next", lang)
    assert qp(at, "step") == ["1"]

    at.button(key="present_next").click().run()
    assert qp(at, "step") == ["2"] and qp(at, "present") == ["1"]
    assert t("overview.trend", lang) in texts(at)
    assert t("overview.top_accounts", lang) not in texts(at)
    assert not at.metric  # one section at a time
    assert [c["layout"]["height"] for c in charts(at)] == [round(360 * present.CHART_HEIGHT)]

    for _ in range(3):  # past the last section it stays on the last one
        if not at.button(key="present_next").disabled:
            at.button(key="present_next").click().run()
    assert qp(at, "step") == ["4"] and at.button(key="present_next").disabled
    assert t("overview.channel_split", lang) in texts(at)

    at.button(key="present_prev").click().run()
    assert qp(at, "step") == ["3"]
    assert t("overview.top_accounts", lang) in texts(at)
    assert t("overview.channel_split", lang) not in texts(at)


def test_a_link_opens_at_its_step_and_an_odd_step_is_clamped(app_env) -> None:
    at = open_app("en", present="1", step="3")
    assert t("overview.top_accounts", "en") in texts(at)
    at = open_app("en", present="1", step="99")
    assert qp(at, "step") == ["4"] and t("overview.channel_split", "en") in texts(at)
    at = open_app("en", present="1", step="x")
    assert qp(at, "step") == ["1"]


def test_normal_mode_shows_every_section_and_drops_a_stale_step(app_env) -> None:
    at = open_app("en", step="3")
    shown = texts(at)
    for key in ("overview.trend", "overview.top_accounts", "overview.channel_split"):
        assert t(key, "en") in shown
    assert "step" not in at.query_params and "present" not in at.query_params
    assert not {"present_next", "present_prev", "present_exit"} & keys(at)


@pytest.mark.parametrize("lang", LANGS)
def test_pareto_presents_figures_then_each_view(app_env, lang: str) -> None:
    at = open_page("pareto", lang, present="1")
    n = 1 + 6  # the figures, then the six tabs
    assert nav_line(at).startswith(f"**{t('present.step', lang, i=1, n=n)}**")
    assert "pareto_fig_gini" in keys(at) and "pareto_tab" not in keys(at)
    at.button(key="present_next").click().run()
    assert qp(at, "step") == ["2"]
    assert nav_line(at).endswith(t("pareto.tab.curve", lang))
    assert "pareto_fig_gini" not in keys(at)
    assert {"pareto_curve_chart", "pareto_bars_chart"} <= keys(at)
    at.button(key="present_next").click().run()
    assert nav_line(at).endswith(t("pareto.tab.abc", lang)) and "pareto_search" in keys(at)
    # Normal mode: the figures and the tabs together.
    normal = open_page("pareto", lang)
    assert {"pareto_fig_gini", "pareto_tab", "pareto_curve_chart"} <= keys(normal)


@pytest.mark.parametrize("lang", LANGS)
def test_url_filters_apply_the_same_way_while_presenting(app_env, lang: str) -> None:
    everything = revenue(open_app(lang), lang)
    normal = open_app(lang, region="East")
    shown = open_app(lang, present="1", region="East")
    assert revenue(shown, lang) == revenue(normal, lang) != everything
    assert qp(shown, "region") == ["East"]
    assert "East" in shown.caption[0].value or t("region.East", lang) in shown.caption[0].value  # the filter line
    # The trend chart draws the same numbers in both modes (only its size differs).
    trend_normal = next(c for c in charts(normal) if c["layout"]["height"] == 360)
    shown = open_app(lang, present="1", region="East", step="2")
    (trend_shown,) = charts(shown)
    for a, b in zip(trend_normal["data"], trend_shown["data"], strict=True):
        assert array(a["y"]) == array(b["y"])


@pytest.mark.parametrize("lang", LANGS)
def test_exit_removes_the_flag_and_brings_editing_back(app_env, lang: str) -> None:
    at = open_page("tiers", lang, present="1", region="East")
    assert at.button(key="present_exit").label == t("present.exit", lang)
    at.button(key="present_exit").click().run()
    assert "present" not in at.query_params and "step" not in at.query_params
    assert qp(at, "region") == ["East"] and qp(at, "lang") == [lang]  # the view stays
    assert set(EDITING["tiers"]) <= keys(at)
    assert at.sidebar.toggle(key="present").value is False


def test_the_sidebar_toggle_starts_presenting(app_env) -> None:
    at = open_app("en")
    at.sidebar.toggle(key="present").set_value(True).run()
    assert qp(at, "present") == ["1"] and qp(at, "step") == ["1"]
    assert "present_next" in keys(at)
    at.sidebar.toggle(key="present").set_value(False).run()
    assert "present" not in at.query_params and "step" not in at.query_params


def test_every_chart_downloads_as_png_offline(app_env) -> None:
    at = open_app("en")
    configs = [d.config for d in drawn(at)]
    assert len(configs) == 3
    for c in configs:
        assert c["toImageButtonOptions"]["format"] == "png" and c["toImageButtonOptions"]["scale"] == 2
        assert c["displaylogo"] is False and c["typesetMath"] is False
        assert {"select2d", "lasso2d"} <= set(c["modeBarButtonsToRemove"])  # no selection nothing reads
    assert {c["toImageButtonOptions"]["filename"] for c in configs} == {
        "overview_trend", "overview_top_chart", "overview_channels"}  # fmt: skip
    # A caller's options are added (the tiers map serves its own topojson).
    assert chart_config("tiers_map", {"topojsonURL": "/app/static/topojson/"})["topojsonURL"].startswith("/app/")


def test_enlarge_scales_height_and_every_set_font_and_leaves_the_figure() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[2]))
    fig.update_layout(height=300, title=dict(text="t", font=dict(size=14)), xaxis=dict(tickfont=dict(size=10)))
    fig.add_annotation(text="a", x=1, y=2, font=dict(size=11))
    big = present.enlarge(fig)
    assert big.layout.height == round(300 * present.CHART_HEIGHT)
    assert big.layout.font.size == round(present.DEFAULT_FONT * present.CHART_FONT)
    assert big.layout.title.font.size == round(14 * present.CHART_FONT)
    assert big.layout.xaxis.tickfont.size == round(10 * present.CHART_FONT)
    assert big.layout.annotations[0].font.size == round(11 * present.CHART_FONT)
    assert fig.layout.height == 300 and fig.layout.title.font.size == 14  # the original is untouched
    assert present.enlarge(go.Figure()).layout.height == round(present.DEFAULT_HEIGHT * present.CHART_HEIGHT)


def test_flatten_unpacks_rows_and_tabs_in_order() -> None:
    def noop() -> None:
        return None

    items = [("a", noop), present.Row([("b", noop), ("c", noop)]), present.Tabs("k", [("d", noop)])]
    assert [title for title, _ in present.flatten(items)] == ["a", "b", "c", "d"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_plan_is_presented_read_only_one_section_at_a_time(app_env, lang: str) -> None:
    from kam_core.export.content import plan_content

    at = open_page("plans", lang, account="Carrefour", year="2026", present="1")
    assert not [b for b in at.button if b.key == "plan_save"]  # nothing to edit while presenting
    assert not at.get("data_editor")
    db = Database(app_env)
    try:
        c = plan_content(db, "Carrefour", 2026, lang)
    finally:
        db.close()
    assert any(c.sections["snapshot"] in m.value for m in at.markdown)
    assert {m.label: m.value for m in at.metric} == {f.label: f.value for f in c.figures}
    for _ in range(2):  # → vision, → SWOT
        next(b for b in at.button if b.key == "present_next").click().run()
    assert at.query_params.get("step") in ("3", ["3"])
    shown = "\n".join(m.value for m in at.markdown)
    assert c.sections["swot"] in shown
    for _, _, items in c.swot:
        for item in items[:1]:
            assert item.split(" — ")[0][:20].replace("*", "") in shown.replace("\\", "")
