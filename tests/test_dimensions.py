"""Which dimensions the data has (kam_core.analytics.dimensions) and how the pages say what is missing."""

from __future__ import annotations

import pytest

from kam_core.analytics import dimensions as dims
from kam_core.db import close_all, get_db
from kam_core.filters import Filters
from kam_core.i18n import t
from tests.app.test_pages import open_app
from tests.apptest import drawn
from tests.helpers import add_sales

# Numeric account codes, no channel, no store column (add_sales never sets a store).
ROWS = [
    ("2025-01", "18102", "East", None, 500.0, 100.0, "kam1"),
    ("2025-01", "9", "South", None, 300.0, 60.0, "kam1"),
    ("2025-02", "120000", "East", None, 200.0, 20.0, "kam2"),
    ("2025-02", "18102", "East", None, 400.0, 90.0, "kam2"),
]


def test_shares_of_lines_and_revenue_with_a_value(empty_db) -> None:
    add_sales(empty_db, [*ROWS, ("2025-02", "9", "", "online", 100.0, None, "")])
    cov = dims.coverage(empty_db)
    assert not cov["store"].present and cov["store"].line_share == 0.0
    assert cov["channel"].lines == 1 and cov["channel"].line_share == pytest.approx(1 / 5)
    assert cov["channel"].revenue_share == pytest.approx(100 / 1500)
    assert cov["region"].line_share == pytest.approx(4 / 5)  # '' counts as no value
    assert cov["kam"].revenue_share == pytest.approx(1400 / 1500)
    assert cov["gross_profit"].lines == 4 and not cov["gross_profit"].complete
    assert dims.has(empty_db, "channel") and not dims.has(empty_db, "store")
    feb_online = dims.coverage(empty_db, Filters(channels=("online",)))
    assert feb_online["channel"].complete


def test_an_empty_table_has_no_dimension(empty_db) -> None:
    cov = dims.coverage(empty_db)
    assert set(cov) == set(dims.COLUMNS)
    assert not any(d.present for d in cov.values())


@pytest.fixture
def bare_env(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """An app database holding only ROWS: no channel, no store, numeric account codes."""
    close_all()
    path = tmp_path / "bare.duckdb"
    monkeypatch.setenv("KAM_DB", str(path))
    monkeypatch.setenv("KAM_DEMO", "0")
    add_sales(get_db(str(path)), ROWS)
    close_all()
    yield path
    close_all()


def _chart_specs(at) -> dict[str, dict]:
    return {d.key: d.spec for d in drawn(at)}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_say_the_data_has_no_channel_and_no_store(bare_env, lang: str) -> None:
    at = open_app(lang)
    assert any(t("ui.no_channel", lang) in i.value for i in at.info)
    assert not any(d.key == "overview_channels" for d in drawn(at))  # no 100% "(none)"
    at.switch_page("app_pages/channels.py").run()
    assert not at.exception, at.exception
    assert any(t("ui.no_channel", lang) in i.value for i in at.info)
    assert not drawn(at)
    at.switch_page("app_pages/tiers.py").run()
    assert not at.exception, at.exception
    assert any(t("ui.no_store", lang) in i.value for i in at.info)
    summary = at.dataframe[0]
    assert list(summary.value.columns) == ["tier", "accounts", "revenue", "share", "yoy"]  # no assumed store counts
    at.multiselect(key="tiers_filter").set_value(["non_ka"]).run()
    accounts = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert "stores" not in accounts.columns and sorted(accounts["account"]) == ["120000", "18102", "9"]


def test_pages_draw_numeric_account_codes_as_labels_in_rank_order(bare_env) -> None:
    at = open_app("en")
    top = _chart_specs(at)["overview_top_chart"]["layout"]["yaxis"]
    assert top["type"] == "category" and top["categoryarray"] == ["120000", "9", "18102"]  # largest on top
    at.switch_page("app_pages/pareto.py").run()
    assert not at.exception, at.exception
    bars = _chart_specs(at)["pareto_bars_chart"]["layout"]["xaxis"]
    assert bars["type"] == "category" and bars["categoryarray"] == ["18102", "9", "120000"]
    at.switch_page("app_pages/regions.py").run()
    assert not at.exception, at.exception
    heat = _chart_specs(at)["rg_heatmap"]["layout"]["yaxis"]
    assert heat["type"] == "category" and heat["categoryarray"] == ["18102", "9", "120000"]
