"""Pareto page (AppTest) and CLI: the same figures for the same selection; interactions change the output."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam_core.analytics import pareto as pa
from kam_core.db import Database, close_all, get_db
from kam_core.filters import Filters
from kam_core.i18n import t
from tests.apptest import drawn, open_app, open_page
from tests.helpers import add_sales
from ui import fmt

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/pareto.py"
SEL = {"from": "2025-01", "to": "2025-12", "region": "East"}
CLI_SEL = ["--from", "2025-01", "--to", "2025-12", "--region", "East"]


def cli(db: Path, *args: str) -> dict:
    r = subprocess.run([sys.executable, "-m", "kam_core", "pareto", "--db", str(db), "--json", *args], cwd=ROOT,
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected(out: dict, lang: str = "en") -> dict[str, str]:
    """The CLI's unrounded figures, formatted as the page formats them."""
    met = t(f"pareto.metric_lc.{out['metric']}", lang)
    total = fmt.count(out["total"]) if out["metric"] == "volume" else fmt.money(out["total"], lang)
    return {
        t("pareto.fig.entities", lang, metric=met): fmt.count(out["entities"]),
        t("pareto.fig.total", lang, metric=met): total,
        t("pareto.fig.top20_share", lang): fmt.pct(out["top20_share"]),
        t("pareto.fig.n_for_80", lang): fmt.count(out["n_for_80"]),
        t("pareto.fig.gini", lang): f"{out['gini']:.3f}",
        t("pareto.fig.hhi", lang): f"{out['hhi']:,.0f}",
        t("pareto.fig.top_n_share", lang, n=out["top_n"]): fmt.pct(out["top_n_share"]),
        t("pareto.fig.non_positive", lang): fmt.count(out["non_positive"]),
    }


def open_pareto(lang: str = "en", **params: str) -> AppTest:
    return open_page("pareto", lang, **params)


def open_tab(at: AppTest, key: str, lang: str = "en") -> AppTest:
    at.session_state["pareto_tab"] = t(f"pareto.tab.{key}", lang)
    at.run()
    assert not at.exception, at.exception
    return at


def frame(at: AppTest, first_cols: list[str]):
    """The dataframe shown whose columns start with first_cols (AppTest dataframes carry no key)."""
    return next(d.value for d in at.dataframe if list(d.value.columns)[: len(first_cols)] == first_cols)


def abc_counts(at: AppTest) -> list[int]:
    return [int(v) for v in frame(at, ["class", "entities"])["entities"]]


def test_page_and_cli_show_the_same_figures(app_env: Path) -> None:
    by_account = cli(app_env, "--by", "account", *CLI_SEL)
    by_province_gp = cli(app_env, "--by", "province", "--metric", "gross_profit", *CLI_SEL)
    by_account_ab = cli(app_env, "--by", "account", "--a", "0.5", "--b", "0.9", *CLI_SEL)
    assert by_account["entities"] > 50  # a real selection, not a trivial one

    at = open_pareto("en", **SEL)
    assert shown(at) == expected(by_account)
    sentence = t("pareto.sentence", "en", dims="accounts", share=fmt.pct(by_account["top20_share"], 0),
                 metric="revenue", n80=fmt.count(by_account["n_for_80"]), counted="accounts")  # fmt: skip
    assert any(sentence in m.value for m in at.markdown)

    # switching the level and the metric changes the figures, and they still match the CLI
    at.selectbox(key="pareto_by").set_value("province").run()
    at.selectbox(key="pareto_metric").set_value("gross_profit").run()
    assert not at.exception
    assert shown(at) == expected(by_province_gp)
    assert shown(at) != expected(by_account)

    # editable ABC thresholds: the ABC summary follows them, as the CLI's classes do
    at.selectbox(key="pareto_by").set_value("account").run()
    at.selectbox(key="pareto_metric").set_value("revenue").run()
    open_tab(at, "abc")
    assert abc_counts(at) == [by_account["classes"][c] for c in "ABC"]
    at.number_input(key="pareto_a").set_value(50).run()
    at.number_input(key="pareto_b").set_value(90).run()
    assert abc_counts(at) == [by_account_ab["classes"][c] for c in "ABC"]
    assert abc_counts(at) != [by_account["classes"][c] for c in "ABC"]


def test_zh_figures_match_the_cli(app_env: Path) -> None:
    out = cli(app_env, "--by", "kam", *CLI_SEL)
    at = open_app("zh", **SEL)
    at.switch_page(PAGE).run()
    at.selectbox(key="pareto_by").select_index(list(pa.DIMENSIONS).index("kam")).run()
    assert shown(at) == expected(out, "zh")
    assert any("20% 的客户经理" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_renders(app_env: Path, lang: str) -> None:
    at = open_pareto(lang, **SEL)
    assert len(drawn(at)) == 2  # curve and classic Pareto chart on the first tab
    for key in ("abc", "trend", "migration", "whatif", "whale"):
        open_tab(at, key, lang)
    open_tab(at, "abc", lang)
    assert t("pareto.abc.title", lang) in [s.value for s in at.subheader]


def test_list_search_and_downloads(app_env: Path) -> None:
    at = open_tab(open_pareto("en", **SEL), "abc")
    lst = frame(at, ["rank", "entity"])
    assert len(lst) > 50
    at.text_input(key="pareto_search").set_value("walmart").run()
    lst = frame(at, ["rank", "entity"])
    assert list(lst["entity"]) == ["Walmart"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == [t("pareto.download_csv", "en"), t("pareto.download_xlsx", "en")]


def test_trend_grain_changes_the_table(app_env: Path) -> None:
    at = open_tab(open_pareto("en", **SEL), "trend")
    monthly = frame(at, ["label", "entities"])
    assert list(monthly["label"]) == [f"2025-{m:02d}" for m in range(1, 13)]
    at.radio(key="pareto_grain").set_value("quarter").run()
    quarterly = frame(at, ["label", "entities"])
    assert list(quarterly["label"]) == ["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]
    db = get_db(app_env)
    f = Filters(start=date(2025, 1, 1), end=date(2025, 12, 1), regions=("East",))
    exact = pa.trend(db, f, "account", "revenue", "quarter")
    # (the table holds the share rounded to the one decimal shown: 0.7824 → 0.782 = 78.2%)
    assert list(quarterly["top20_share"]) == list(exact["top20_share"].round(3))


def test_what_if_and_migration(app_env: Path) -> None:
    at = open_tab(open_pareto("en", **SEL), "whatif")
    db = get_db(app_env)
    f = Filters(start=date(2025, 1, 1), end=date(2025, 12, 1), regions=("East",))
    top = pa.analyse(db, f).table["entity"].iloc[0]
    assert at.multiselect(key="pareto_whatif").value == [top]
    w = pa.what_if(db, f, "account", [top])
    risk = {m.label: m.value for m in at.metric}
    assert risk[t("pareto.whatif.revenue", "en")] == fmt.pct(w.revenue_share)
    assert risk[t("pareto.whatif.gp", "en")] == fmt.pct(w.gross_profit_share)
    second = pa.analyse(db, f).table["entity"].iloc[1]
    at.multiselect(key="pareto_whatif").set_value([top, second]).run()
    w2 = pa.what_if(db, f, "account", [top, second])
    assert {m.label: m.value for m in at.metric}[t("pareto.whatif.revenue", "en")] == fmt.pct(w2.revenue_share)

    open_tab(at, "migration")
    # defaults: the selection against the 12 months before it
    assert at.select_slider(key="pareto_mig_before").value == ("2024-01", "2024-12")
    assert at.select_slider(key="pareto_mig_after").value == ("2025-01", "2025-12")
    at.select_slider(key="pareto_mig_before").set_value(("2025-01", "2025-12")).run()
    assert any(t("pareto.mig.bad_range", "en") in w.value for w in at.warning)


def test_empty_selection_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    close_all()
    path = tmp_path / "small.duckdb"
    db = Database(path)
    add_sales(db, [("2026-01", "A", "East", "hypermarket", 100, 10, "Li"),
                   ("2026-03", "B", "South", "traditional", 50, 5, "Wang")])  # fmt: skip
    db.close()
    monkeypatch.setenv("KAM_DB", str(path))
    monkeypatch.setenv("KAM_DEMO", "0")
    for lang in ("en", "zh"):
        # East has nothing in March
        at = open_pareto(lang, region="East", **{"from": "2026-03", "to": "2026-03"})
        assert any(t("empty.selection", lang) in i.value for i in at.info), (lang, [i.value for i in at.info])
        assert not at.metric
    close_all()


def test_a_net_negative_account_reads_sign_first_with_the_currency_in_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Credit notes can leave an account below zero (43 of 4 373 customers of the UCI retail data): the list
    writes "-120" under "Revenue (¥)" instead of "¥-120"; a column without a negative keeps "¥1,000"."""
    close_all()
    path = tmp_path / "credit.duckdb"
    db = Database(path)
    add_sales(db, [("2026-01", "A", "East", "hypermarket", 1000, 100, "Li"),
                   ("2026-01", "B", "East", "hypermarket", 500, 50, "Li"),
                   ("2026-01", "C", "East", "traditional", -120, -12, "Wang")])  # fmt: skip
    db.close()
    monkeypatch.setenv("KAM_DB", str(path))
    monkeypatch.setenv("KAM_DEMO", "0")
    for lang in ("en", "zh"):
        at = open_tab(open_pareto(lang), "abc", lang)
        configs = {tuple(d.value.columns): json.loads(d.proto.columns) for d in at.dataframe}
        listed = next(c for cols_, c in configs.items() if "cum_share" in cols_)
        head = t("pareto.metric.revenue", lang)
        want = f"{head}（¥）" if lang == "zh" else f"{head} (¥)"
        assert (listed["value"]["label"], listed["value"]["type_config"]["format"]) == (want, "%,.0f")
        table = next(d.value for d in at.dataframe if "cum_share" in d.value.columns)
        assert sorted(table["value"].tolist()) == [-120, 500, 1000]
        abc = next(c for cols_, c in configs.items() if "entity_share" in cols_)  # class sums: none below zero
        assert abc["value"]["type_config"]["format"] == "¥%,.0f"
    close_all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_overview_top20_card_names_its_month_and_equals_pareto_over_that_month(app_env, lang: str) -> None:
    at = open_app(lang)
    card = next(m for m in at.metric if m.label == t("kpi.top20_share", lang))
    month = "2026-10"  # the demo's last month, which the overview's cards show
    assert card.help == t("kpi.top20_help", lang, month=month)
    one_month = open_pareto(lang, **{"from": month, "to": month})
    assert shown(one_month)[t("pareto.fig.top20_share", lang)] == card.value
