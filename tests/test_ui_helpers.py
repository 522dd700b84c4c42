"""ui helpers: the acting user, flash messages across a rerun, the lazy download pair, column configs."""

from __future__ import annotations

import pytest
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
    assert cols.pct("Share")["type_config"]["step"] == pytest.approx(0.001)  # the browser: one decimal
    assert cols.pct("Share", digits=0)["type_config"]["step"] == pytest.approx(0.01)
    assert cols.count("Stores")["type_config"]["format"] == "%d"
    assert cols.count("N", thousands=True)["type_config"]["format"] == "%,d"
    assert cols.text("Name")["label"] == "Name"


def signed_app() -> None:
    import streamlit as st

    from ui import columns as cols

    st.session_state.setdefault("lang", "zh")
    c = cols.signed_money("变化")
    st.text(f"{c['label']}|{c['type_config']['format']}|{cols.signed_money('量', currency=False)['label']}")


def test_a_signed_amount_leads_with_its_sign_and_names_the_currency_in_the_header() -> None:
    """printf puts the sign after a prefix ("¥-28,467,579"): a change column carries the symbol in its
    header and the sign first ("-28,467,579", "+1,234")."""
    c = cols.signed_money("Change", help="h")
    assert (c["label"], c["type_config"]["format"], c["help"]) == ("Change (¥)", "%+,.0f", "h")
    assert cols.signed_money("Volume change", currency=False)["label"] == "Volume change"
    at = AppTest.from_function(signed_app).run()
    assert not at.exception and at.text[0].value == "变化（¥）|%+,.0f|量"


def test_percent_columns_are_signed_and_rounded_to_the_decimal_shown() -> None:
    import pandas as pd

    frame = cols.hundred(pd.DataFrame({"g": [0.0614, -0.0004, None], "k": ["a", "b", "c"]}), "g")
    assert frame["g"].tolist()[:2] == [6.1, 0.0] and str(frame["g"].iloc[1]) == "0.0" and pd.isna(frame["g"].iloc[2])
    assert cols.signed_pct("YoY")["type_config"]["format"] == "%+.1f%%"
    p = cols.signed_pct("Share change", points=True)
    assert (p["label"], p["type_config"]["format"]) == ("Share change (pts)", "%+.1f")


def test_sign_first_moves_the_symbol_to_the_header_only_where_an_amount_is_negative() -> None:
    import pandas as pd

    frame = pd.DataFrame({"a": [5.0, -1.0], "b": [5.0, 1.0], "v": [-3, 2], "n": ["x", "y"]})
    config = {"a": cols.money("Revenue"), "b": cols.money("Base"), "v": cols.money("Volume", currency=False),
              "n": cols.text("Name"), "gone": cols.money("Not in the frame")}  # fmt: skip
    out = cols.sign_first(frame, config)
    assert (out["a"]["label"], out["a"]["type_config"]["format"]) == ("Revenue (¥)", "%,.0f")
    assert out["b"] == config["b"] and out["v"] == config["v"] and out["n"] == config["n"]
    assert out["gone"] == config["gone"] and config["a"]["label"] == "Revenue"  # the caller's config untouched


def test_percentages_are_rounded_to_the_decimal_shown_not_cut() -> None:
    """The browser cuts a value to the column's step (2/3 → 66.6%); the table rounds it first (66.7%)."""
    import pandas as pd

    frame = pd.DataFrame({"s": [2 / 3, 1 / 3, None], "k": [2 / 3, 0.5, 0.25], "n": ["a", "b", "c"]})
    out = cols.rounded(frame, {"s": cols.pct("Share"), "k": cols.pct("Key", digits=0), "n": cols.text("N")})
    assert out["s"].tolist()[:2] == [0.667, 0.333] and pd.isna(out["s"].iloc[2])
    assert out["k"].tolist() == [0.67, 0.5, 0.25] and frame["s"].iloc[0] == 2 / 3  # the caller's frame kept


def test_every_table_goes_through_the_helpers_that_write_missing_values_as_a_dash() -> None:
    """st.dataframe / st.data_editor write a missing value as an untranslated "None": pages call
    ui.widgets.show_table / edit_table, which set the placeholder ("–"; empty in an editor)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    direct = []
    for path in [root / "app.py", *root.glob("app_pages/*.py"), *root.glob("ui/*.py")]:
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Call) and getattr(n.func, "attr", None) in ("dataframe", "data_editor"):
                direct.append(f"{path.name}:{n.lineno}")
    outside = [d for d in direct if not d.startswith("widgets.py:")]
    assert len(direct) - len(outside) == 2 and not outside, outside


def table_app() -> None:
    import pandas as pd

    from ui.widgets import edit_table, show_table

    show_table(pd.DataFrame({"v": [1.0, None]}), key="shown")
    edit_table(pd.DataFrame({"v": [1.0, None]}), key="edited")


def test_show_table_writes_a_dash_and_edit_table_an_empty_cell() -> None:
    at = AppTest.from_function(table_app).run()
    assert [d.proto.placeholder for d in at.dataframe] == ["–", ""]
