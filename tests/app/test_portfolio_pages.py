"""AppTest: the plan portfolio, the change breakdown and the overview's links to them, in both languages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from kam_core import export_safe
from kam_core.analytics import explain as ex
from kam_core.analytics import portfolio as P
from kam_core.analytics import warnings as wr
from kam_core.db import Database
from kam_core.filters import Filters
from kam_core.i18n import t
from tests import warnings_reference as ref
from tests.app.test_pages import open_app, qp
from tests.apptest import drawn
from ui import widgets

YEAR = 2026  # the demo's plans are for the year of its latest month (2026-10)


def frames(at) -> list:
    """The page's tables in order (AppTest does not keep a dataframe's key)."""
    return [d.value for d in at.dataframe]


def core_portfolio(path: Path) -> P.Portfolio:
    db = Database(path)
    try:
        return P.portfolio(db, YEAR, date.today())
    finally:
        db.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_portfolio_page_matches_the_core_and_links_to_the_editor(app_env: Path, lang: str) -> None:
    at = open_app(lang, year=str(YEAR))
    at.switch_page("app_pages/portfolio.py").run()
    assert not at.exception, at.exception
    assert t("page.portfolio", lang) in [x.value for x in at.title]
    core = core_portfolio(app_env)
    plans = frames(at)[0]
    assert plans["account"].tolist() == core.rows["account"].tolist()
    assert sorted(plans["account"]) == ["Carrefour", "Ningbo Sanjiang", "RT-Mart"]
    assert plans["completeness"].tolist() == [round(x * 100) for x in core.rows["completeness"]]
    for col in ("off_track", "actions_overdue", "warn_high", "warn_medium"):
        assert plans[col].tolist() == core.rows[col].tolist(), col
    assert plans["link"].tolist() == [f"/plans?account={a.replace(' ', '+')}&year={YEAR}" for a in plans["account"]]
    missing = frames(at)[1]
    assert missing["account"].tolist() == core.missing["account"].tolist() and len(missing) > 0
    warns = frames(at)[-1]
    assert len(warns) == len(core.warnings)
    carrefour = warns[warns["account"] == "Carrefour"]
    assert (carrefour["plan"] == f"/plans?account=Carrefour&year={YEAR}").all()
    assert t("warn.rule.actions_overdue", lang) in set(carrefour["rule"])
    # the severity filter keeps only what was asked for
    at.multiselect(key="pf_sev").set_value(["high"]).run()
    high = frames(at)[-1]
    assert set(high["severity"]) == {t("warn.severity.high", lang)}
    drop = high[high["explain"].notna()].iloc[0]
    assert drop["explain"].startswith("/explain?metric=revenue&by=sku&") and "account=" in drop["explain"]
    # the KAM filter narrows the plans
    at.multiselect(key="pf_kam").set_value(["Li Wei"]).run()
    assert frames(at)[0]["account"].tolist() == ["Carrefour"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_portfolio_warnings_shown_and_downloaded_are_the_reference(
    app_env: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the table shows the first rows (made for those rows); the download, made on the click, holds every warning
    files: dict[str, object] = {}
    add = MediaFileManager.add_deferred

    def recorded(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        files[file_name] = data_callable
        return add(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recorded)
    monkeypatch.setattr(widgets, "TABLE_ROWS", 100)
    at = open_app(lang, year=str(YEAR))
    at.switch_page("app_pages/portfolio.py").run()
    assert not at.exception, at.exception
    db = Database(app_env)
    try:
        want = ref.warnings_frame(ref.evaluate(db, as_of=P.as_of_for(YEAR, date.today())), YEAR, lang)
    finally:
        db.close()
    assert len(want) > 100
    shown = frames(at)[-1]
    assert len(shown) == 100
    for col in ("severity", "account", "rule", "message", "plan"):
        assert shown[col].tolist() == want[col][:100].tolist(), col
    assert shown["explain"].tolist() == want["explain"][:100].fillna("").tolist()
    assert files[f"warnings_{YEAR}.csv"]() == export_safe.to_csv_bytes(want.drop(columns=["plan", "explain"]))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_page_from_a_link_equals_the_core(app_env: Path, lang: str) -> None:
    params = {"metric": "revenue", "by": "sku", "vs": "yoy", "account": "Carrefour", "from": "2026-08", "to": "2026-10"}
    at = open_app(lang, **params)
    at.switch_page("app_pages/explain.py").run()
    assert not at.exception, at.exception
    assert t("page.explain", lang) in [x.value for x in at.title]
    assert at.selectbox(key="ex_by").value == "sku" and at.selectbox(key="ex_account").value == "Carrefour"
    db = Database(app_env)
    try:
        f = Filters(start=date(2026, 8, 1), end=date(2026, 10, 1))
        b = ex.breakdown(db, f, "sku", "revenue", "yoy", "Carrefour")
    finally:
        db.close()
    table = frames(at)[0]
    assert len(table) == len(b.members)
    assert table["change"].sum() == pytest.approx(float(b.total_change), abs=0.005)
    assert table["member"].tolist() == [m.member for m in b.members]
    assert table["before"].tolist() == [float(m.before) for m in b.members]
    chart = drawn(at)
    assert chart, "the waterfall is drawn"
    # the URL keeps the question; a change of dimension goes there too
    at.selectbox(key="ex_by").set_value("category").run()
    assert not at.exception and qp(at, "by") == ["category"] and qp(at, "account") == ["Carrefour"]


def test_explain_page_notes_an_incomparable_window(app_env: Path) -> None:
    # the demo's first months have no year before: growth is not shown, the breakdown still is
    at = open_app("en", **{"from": "2024-01", "to": "2024-03"})
    at.switch_page("app_pages/explain.py").run()
    assert not at.exception, at.exception
    growth = next(m for m in at.metric if m.label == t("explain.growth", "en"))
    assert growth.value == "–"
    assert any(t("coverage.no_growth", "en", what=t("explain.growth", "en"), reason="")[:15] in c.value
               for c in at.caption)  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_links_to_the_portfolio_and_the_breakdown(app_env: Path, lang: str) -> None:
    at = open_app(lang)
    db = Database(app_env)
    try:
        high = wr.counts(wr.evaluate(db, as_of=date.today()))["high"]
    finally:
        db.close()
    links = [e.proto for e in at.get("page_link")]
    assert any(p.label == t("overview.high_warnings", lang, n=high) and p.page.endswith("portfolio") for p in links)
    md = " ".join(m.value for m in at.markdown)
    assert f"]({'/explain?metric=revenue&by=account&from=2026-10&to=2026-10&vs=mom'})" in md
    assert "/explain?metric=gross_profit&by=account&from=2026-10&to=2026-10&vs=yoy" in md
    assert f"{t('explain.link', lang)} [{t('kpi.mom', lang)}](/explain?metric=revenue" in md
