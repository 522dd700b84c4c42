"""AppTest: the channel page's controls, the channel mapping editor and empty selections."""

from __future__ import annotations

import pytest

from kam_core.analytics import channels as ch
from kam_core.db import Database, close_all
from kam_core.i18n import t
from tests.apptest import open_page
from tests.helpers import add_sales

PAGE = "app_pages/channels.py"


def channels_page(lang: str = "en", **params):
    return open_page("channels", lang, **params)


def growth_table(at):
    return next(d.value for d in at.dataframe if "current_share" in d.value.columns)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_controls_render_in_both_languages(app_env, lang: str) -> None:
    at = channels_page(lang)
    for key in ("channels.share_over_time", "channels.by_region", "channels.growth", "channels.mix_shift"):
        assert t(key, lang) in [s.value for s in at.subheader]
    for grain in ch.GRAINS:
        at.radio(key="ch_grain").set_value(grain).run()
        assert not at.exception, at.exception
    at.radio(key="ch_dim").set_value("segment").run()
    at.radio(key="ch_kind").set_value("bar").run()
    at.radio(key="ch_mix_base").set_value("preceding").run()
    assert not at.exception, at.exception
    names = set(growth_table(at)["name"])
    assert t("channels.segment_GKA", lang) in names and t("channels.segment_traditional", lang) in names


def test_growth_and_share_change_are_shown_signed_in_percent_and_points(app_env) -> None:
    """The table holds percent (6.1 for +6.1%), rounded to the decimal shown; the same figures as the analysis."""
    at = channels_page("en")
    shown = growth_table(at).set_index("name")
    db = Database(app_env)
    try:
        g = ch.growth(db, at.session_state["filters"], "channel")
    finally:
        db.close()
    for col in ("yoy", "share_change"):  # (rows in the analysis's order)
        want = (g.bars[col] * 100).round(1).tolist()
        assert shown[col].tolist() == pytest.approx(want, nan_ok=True), col
    assert not any(str(v) == "-0.0" for v in shown["share_change"])  # a change that rounds to zero is +0.0


def test_renamed_channel_mapping_changes_the_page(app_env) -> None:
    at = channels_page("en")
    before = growth_table(at).set_index("name")["current"]
    assert "Hypermarket" in before.index
    editor = next(d for d in at.dataframe if d.key == "ch_map_editor" or "raw" in d.value.columns)
    row = editor.value["raw"].tolist().index("hypermarket")
    at.session_state["ch_map_editor"] = {"edited_rows": {row: {"code": "supermarket"}}, "added_rows": [],
                                         "deleted_rows": []}  # fmt: skip
    at.button(key="ch_map_save").click().run()
    assert not at.exception, at.exception
    after = growth_table(at).set_index("name")["current"]
    assert "Hypermarket" not in after.index
    assert after["Supermarket"] == pytest.approx(before["Supermarket"] + before["Hypermarket"])
    assert any(t("channels.mapping_saved", "en", n=1) in s.value for s in at.success)
    close_all()
    db = Database(app_env)
    assert ch.saved_channel_map(db) == {"hypermarket": "supermarket"}
    assert db.scalar("SELECT updated_by FROM settings WHERE key = ?", [ch.CHANNEL_MAP_KEY]) == "tester"
    db.close()


def test_saving_without_a_user_name_is_refused(app_env) -> None:
    at = channels_page("en")
    at.sidebar.text_input(key="user_name").set_value("  ").run()
    at.session_state["ch_map_editor"] = {"edited_rows": {0: {"code": "online"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="ch_map_save").click().run()
    assert any(t("channels.need_user", "en") in e.value for e in at.error)
    close_all()
    db = Database(app_env)
    assert ch.saved_channel_map(db) == {}
    db.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_selection_gives_a_clear_message(app_env, lang: str) -> None:
    # A KAM whose only sale is in the first month, selected over later months, as from a shared link.
    db = Database(app_env)
    add_sales(db, [("2023-11", "Ghost shop", "East", "online", 5, 1, "Nobody")])
    db.close()
    at = channels_page(lang, kam="Nobody", **{"from": "2026-01", "to": "2026-10"})
    assert at.sidebar.multiselect(key="f_kam").value == ["Nobody"]
    assert any(t("empty.selection", lang) in i.value for i in at.info)


def test_unmapped_names_are_reported_until_mapped(app_env) -> None:
    db = Database(app_env)
    add_sales(db, [("2026-10", "Pop-up", "East", "Pop-up stalls", 1000, 1, "Li Wei")])
    db.close()
    at = channels_page("en")
    assert any("Pop-up stalls" in w.value for w in at.warning)
    editor = next(d for d in at.dataframe if "raw" in d.value.columns)
    row = editor.value["raw"].tolist().index("Pop-up stalls")
    assert editor.value["code"].iloc[row] == "other"
    at.session_state["ch_map_editor"] = {"edited_rows": {row: {"code": "traditional"}}, "added_rows": [],
                                         "deleted_rows": []}  # fmt: skip
    at.button(key="ch_map_save").click().run()
    assert not at.exception, at.exception
    assert not any("Pop-up stalls" in w.value for w in at.warning)
