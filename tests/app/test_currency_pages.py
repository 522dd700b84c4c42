"""AppTest: every dashboard shows its figures in the display.currency setting (£ for GBP, never ¥)."""

from __future__ import annotations

import json

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from kam_core import settings
from kam_core.db import close_all, get_db
from tests.app.test_pages import open_app

PAGES = ["overview", "pareto", "tiers", "channels", "regions"]
POUND, YUAN = ("£", "\\u00a3"), ("¥", "\\u00a5")  # as written, and as plotly's JSON escapes it


def _nodes(node) -> list:
    out = [node]
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for c in children.values():
            out.extend(_nodes(c))
    return out


def main_text(at: AppTest) -> str:
    """Every string of the main area: metrics, captions, tables' column formats, figures' JSON."""
    protos = [n.proto for n in _nodes(at.main) if getattr(n, "proto", None) is not None]
    return "\n".join(json.dumps(MessageToDict(p), ensure_ascii=False) for p in protos)


def set_currency(path, code: str) -> None:
    close_all()
    settings.put(get_db(str(path)), "display.currency", code, "tester")
    close_all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_shows_pounds_and_no_yuan(app_env, lang: str) -> None:
    set_currency(app_env, "GBP")
    at = open_app(lang)
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        text = main_text(at)
        assert any(s in text for s in POUND), page
        assert not any(s in text for s in YUAN), page
    # the figures themselves, not only chart hovers: the overview revenue card
    at.switch_page("app_pages/overview.py").run()
    assert at.metric[0].value.startswith("£")


def test_money_columns_follow_the_setting(app_env) -> None:
    set_currency(app_env, "USD")
    at = open_app("en")
    formats = [json.loads(d.proto.columns) for d in at.dataframe]
    revenue = next(cfg["revenue"] for cfg in formats if "revenue" in cfg)
    assert revenue["type_config"]["format"] == "$%,.0f"


def test_the_settings_box_saves_the_currency_with_the_acting_user(app_env) -> None:
    at = open_app("zh")
    assert at.sidebar.selectbox(key="set_currency").value == "CNY"
    at.sidebar.selectbox(key="set_currency").set_value("EUR")
    at = _submit(at)
    assert not at.exception, at.exception
    assert at.metric[0].value.startswith("€"), at.metric[0].value
    assert any("欧元" in s.value for s in at.sidebar.success)
    db = get_db(str(app_env))
    assert settings.get(db, "display.currency") == "EUR"
    assert db.scalar("SELECT updated_by FROM settings WHERE key = 'display.currency'") == "tester"


def test_a_code_without_a_symbol_is_written_as_the_code(app_env) -> None:
    set_currency(app_env, "CHF")  # valid ISO code, not in kam_core.currency's list
    at = open_app("en")
    assert at.sidebar.selectbox(key="set_currency").value == "CHF"
    assert at.metric[0].value.startswith("CHF "), at.metric[0].value


def _submit(at: AppTest) -> AppTest:
    """Click the settings form's submit button (AppTest has no form helper)."""
    from streamlit.testing.v1.element_tree import Button

    for node in _nodes(at.sidebar):
        if isinstance(node, Button) and node.proto.is_form_submitter and node.proto.form_id == "settings_form":
            return node.click().run()
    raise AssertionError("settings form submit button not found")
