"""ui helpers: the acting user, flash messages across a rerun, the lazy download pair, column configs."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui import columns as cols


def flash_app() -> None:
    import streamlit as st

    from ui.state import acting_user, flash, has_flash, show_flash

    st.session_state.setdefault("user_name", "  Ann  ")
    st.text(f"user=[{acting_user()}] pending={has_flash('k')}")
    show_flash("k")
    if st.button("save", key="save"):
        flash("k", "Saved by " + acting_user())
        st.rerun()


def test_acting_user_is_stripped_and_flash_shows_once_after_the_rerun() -> None:
    at = AppTest.from_function(flash_app).run()
    assert at.text[0].value == "user=[Ann] pending=False" and not at.success
    at.button(key="save").click().run()
    assert [s.value for s in at.success] == ["Saved by Ann"]
    at.run()
    assert not at.success  # shown once
    at.session_state["user_name"] = "   "
    at.run()
    assert at.text[0].value == "user=[] pending=False"


def download_app() -> None:
    import pandas as pd

    from ui.widgets import download_pair

    download_pair(pd.DataFrame({"name": ["=1+1", "ok"], "v": [1, 2]}), "stem", "dl", sheet="s", labels=("CSV", "XLSX"))


def test_download_pair_has_two_keyed_buttons() -> None:
    at = AppTest.from_function(download_app).run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == ["CSV", "XLSX"]


def test_column_configs() -> None:
    assert cols.money("Revenue")["type_config"]["format"] == "¥%,.0f"
    assert cols.money("Volume", currency=False)["type_config"]["format"] == "%,.0f"
    assert cols.pct("Share", help="h")["type_config"]["format"] == "percent"
    assert cols.pct("Share", help="h")["help"] == "h"
    assert cols.count("Stores")["type_config"]["format"] == "%d"
    assert cols.count("N", thousands=True)["type_config"]["format"] == "%,d"
    assert cols.text("Name")["label"] == "Name"
