"""AppTest: the scoring page — ranking, page = CLI, weights reorder, models, sensitivity, matrix, strategic fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam_core import summary
from kam_core.analytics import scoring as S
from kam_core.charts import scoring as ch
from kam_core.db import Database, close_all
from kam_core.i18n import t
from tests.apptest import array, drawn, open_page
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/scoring.py"


def open_scoring(lang: str = "en") -> AppTest:
    return open_page("scoring", lang, timeout=90)


# AppTest gives read-only tables no key: each is found by a column only it has.
MARK = {"sc_ranking": "rank_baseline", "sc_sensitivity": "stay_down", "sc_models_table": "versions",
        "sc_quadrants": "quadrant", "sc_breakdown": "normalised", "sc_criteria": "code"}  # fmt: skip


def frame(at: AppTest, key: str) -> pd.DataFrame:
    return next(d for d in at.dataframe if MARK[key] in d.value.columns).value


def edit_criteria(at: AppTest, cells: dict[str, dict[str, Any]]) -> None:
    """Edit the criteria editor's cells ({criterion code: {column: value}}), as a user does; the next run applies
    them."""
    codes = frame(at, "sc_criteria")["code"].tolist()
    at.session_state["sc_criteria"] = {"edited_rows": {codes.index(n): row for n, row in cells.items()},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip


def set_weights(at: AppTest, weights: dict[str, float]) -> None:
    edit_criteria(at, {n: {"weight": w} for n, w in weights.items()})


def weight(at: AppTest, code: str) -> float:
    rows = frame(at, "sc_criteria")
    return float(rows.loc[rows["code"] == code, "weight"].iloc[0])


def figure(at: AppTest, key: str) -> dict:
    return next(d for d in drawn(at) if key in d.key).spec


def button(at: AppTest, label: str) -> Any:  # an AppTest button
    return next(b for b in at.button if b.label == label)


def with_db(path: Path, sql: str, params: list | None = None) -> None:
    close_all()
    db = Database(path)
    try:
        with db.transaction("tester", "test") as cur:
            cur.execute(sql, params or [])
            summary.refresh(cur)  # (the statements change sales lines: as every write of sales does)
    finally:
        db.close()
    close_all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders_the_ranking_in_both_languages(app_env, lang: str) -> None:
    at = open_scoring(lang)
    assert at.title[0].value == t("page.scoring", lang)
    subs = [s.value for s in at.subheader]
    for key in ("sp.criteria", "sp.ranking", "sp.contributions", "sp.sensitivity", "sp.models", "sp.matrix"):
        assert t(key, lang) in subs
    ranking = frame(at, "sc_ranking")
    assert len(ranking) == 25  # the first page, not every account
    assert ranking["rank"].tolist() == list(range(1, 26))
    assert ranking["score"].is_monotonic_decreasing
    assert ranking["key"].sum() == 20  # the built-in model: top 20
    assert (ranking["change"] == "=").all()  # the draft is the active model
    # the breakdown of the first account: values as people read them, "–" (never "None") where one is missing
    b = frame(at, "sc_breakdown").set_index("criterion")
    fit = b.loc[t("scoring.criterion.strategic_fit", lang)]
    assert fit["value"] == "–" and pd.isna(fit["normalised"]) and fit["contribution"] == 0
    assert b.loc[t("scoring.criterion.growth", lang), "value"].endswith("%")
    assert b.loc[t("scoring.criterion.tier", lang), "value"] in {t(f"tiers.tier.{k}", lang) for k in S.TIER_VALUE}
    assert not b.isin(["None", "nan"]).any().any()


def test_page_and_cli_agree(app_env) -> None:
    at = open_scoring()
    f = at.session_state["filters"]
    ranking = frame(at, "sc_ranking").head(5)
    r = run_cli("score", "--db", str(app_env), "--from", f"{f.start:%Y-%m}", "--to", f"{f.end:%Y-%m}", "--top", "5",
                "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    assert [x["account"] for x in r.json] == ranking["account"].tolist()
    assert [x["score"] for x in r.json] == pytest.approx(ranking["score"].tolist(), abs=1e-9)
    assert [x["key"] for x in r.json] == ranking["key"].tolist()


def test_changing_a_weight_reorders_the_ranking(app_env) -> None:
    at = open_scoring()
    before = frame(at, "sc_ranking")["account"].tolist()
    set_weights(at, {"revenue": 0.0, "stores": 0.0, "gross_margin": 10.0})
    at.run()
    assert not at.exception, at.exception
    after = frame(at, "sc_ranking")
    assert after["account"].tolist() != before
    # the same model scored directly gives the same order, and the change column compares with the active one
    weights = {c.name: c.weight for c in S.DEFAULT_MODEL.criteria} | {"revenue": 0, "stores": 0, "gross_margin": 10}
    crit = tuple(replace(c, weight=weights[c.name]) for c in S.DEFAULT_MODEL.criteria if weights[c.name] > 0)
    db = Database(app_env)
    try:
        want = S.score(db, at.session_state["filters"], replace(S.DEFAULT_MODEL, criteria=crit)).table.head(25)
    finally:
        db.close()
    assert after["account"].tolist() == want["account"].tolist()
    assert after["score"].tolist() == pytest.approx(want["score"].tolist())
    moved = after[after["rank_baseline"] != after["rank"]]
    assert len(moved) and all(c.startswith(("▲", "▼")) for c in moved["change"])


def test_direction_and_normalisation_edited_in_the_table_score_as_the_model_says(app_env) -> None:
    at = open_scoring("zh")  # (the cells hold the codes; the browser shows them in the page's language)
    edit_criteria(at, {"revenue": {"direction": "lower", "normalise": "minmax"}})
    at.run()
    assert not at.exception, at.exception
    crit = tuple(replace(c, direction="lower", normalise="minmax") if c.name == "revenue" else c
                 for c in S.DEFAULT_MODEL.criteria)  # fmt: skip
    db = Database(app_env)
    try:
        want = S.score(db, at.session_state["filters"], replace(S.DEFAULT_MODEL, criteria=crit)).table.head(25)
    finally:
        db.close()
    after = frame(at, "sc_ranking")
    assert after["account"].tolist() == want["account"].tolist()
    assert after["score"].tolist() == pytest.approx(want["score"].tolist())
    assert (after["change"] != "=").any()  # the draft differs from the active model


def test_save_needs_a_user_then_records_the_version_and_activates(app_env) -> None:
    at = open_scoring()
    set_weights(at, {"growth": 3.0})
    at.text_input(key="sc_name").set_value("Growth focus")
    at.sidebar.text_input(key="user_name").set_value("")
    button(at, t("sp.save", "en")).click().run()
    assert t("sp.need_user", "en") in [w.value for w in at.warning]
    db = Database(app_env)
    assert S.model_versions(db, "Growth focus") == []
    db.close()

    at.sidebar.text_input(key="user_name").set_value("Li Wei")
    button(at, t("sp.save", "en")).click().run()
    assert not at.exception, at.exception
    assert any("Growth focus" in s.value and "Li Wei" in s.value for s in at.success)
    db = Database(app_env)
    v = S.model_versions(db, "Growth focus")
    db.close()
    assert [(m.version, m.saved_by) for m in v] == [(1, "Li Wei")]
    assert v[0].weights["growth"] == 3.0
    models = frame(at, "sc_models_table")
    assert models.set_index("name").loc["Growth focus", "version"] == 1
    builtin = models.set_index("name").loc[t("scoring.model.builtin", "en")]
    assert builtin["active"].startswith("●")
    assert builtin[["version", "saved_by", "saved_at"]].isna().all()  # the built-in model has none of them …
    table = next(d for d in at.dataframe if "versions" in d.value.columns)
    assert table.proto.placeholder == "–"  # … and the table writes "–" there, not "None"

    at.selectbox(key="sc_activate_pick").set_value("Growth focus")
    at.button(key="sc_activate").click().run()
    assert not at.exception, at.exception
    models = frame(at, "sc_models_table").set_index("name")
    assert models.loc["Growth focus", "active"].startswith("●")
    assert models.loc[t("scoring.model.builtin", "en"), "active"] == ""
    db = Database(app_env)
    assert S.active_name(db) == "Growth focus"
    db.close()


def test_sensitivity_has_one_row_per_criterion(app_env) -> None:
    at = open_scoring()
    sens = frame(at, "sc_sensitivity")
    assert len(sens) == len(S.DEFAULT_MODEL.criteria)
    assert (sens["n_key"] == 20).all()
    assert ((sens["stay_down"] <= 20) & (sens["stay_up"] <= 20)).all()
    assert figure(at, "sc_sensitivity_chart")["data"][0]["type"] == "bar"


def test_matrix_quadrants_and_text_safe_account_names(app_env) -> None:
    # the two largest accounts get a numeric code and a name with Plotly markup
    db = Database(app_env)
    top = S.score(db).table.sort_values("revenue", ascending=False)["account"].head(2).tolist()
    db.close()
    with_db(app_env, "UPDATE sales SET account = '18102' WHERE account = ?", [top[0]])
    with_db(app_env, "UPDATE sales SET account = 'A<b>&Co' WHERE account = ?", [top[1]])
    at = open_scoring()
    fig = figure(at, "sc_matrix_chart")
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    for q in S.QUADRANTS:
        assert f"<b>{S.quadrant_name(q, 'en')}</b>" in notes
    assert len([a for a in fig["layout"]["annotations"] if a.get("name", "").startswith("quadrant_")]) == 4
    raw = [c[0] for tr in fig["data"] for c in tr["customdata"]]
    hover = [c[1] for tr in fig["data"] for c in tr["customdata"]]
    numbers = [a for a in fig["layout"]["annotations"] if a.get("name", "").startswith("number_")]
    shown = sorted(int(a["text"].removeprefix("<b>").removesuffix("</b>")) for a in numbers)
    assert "18102" in raw and all(isinstance(a, str) for a in raw)
    assert "A&lt;b&gt;&amp;Co" in hover and "A<b>&Co" not in hover
    assert shown == list(range(1, 11))  # the ten largest numbered beside their bubbles, named in the caption
    largest = next(tr for tr in fig["data"] if "18102" in [c[0] for c in tr["customdata"]])
    k = [c[0] for c in largest["customdata"]].index("18102")
    one = next(a for a in numbers if a["name"] == "number_1")  # number 1 points at the largest account's bubble
    assert (one["x"], one["y"]) == (array(largest["x"])[k], array(largest["y"])[k]) and one["showarrow"]
    # the demo's largest accounts crowd one corner: no number covers another, nor a numbered bubble
    from kam_core.charts import scoring as cs

    boxes = [(cs._px(a["x"], a["y"])[0] + a["ax"], cs._px(a["x"], a["y"])[1] + a["ay"]) for a in numbers]
    for n, (bx, by) in enumerate(boxes):
        assert all(abs(bx - ox) >= cs._BOX_W or abs(by - oy) >= cs._BOX_H for ox, oy in boxes[n + 1 :])
        for a in numbers:  # standoff = the bubble's radius: the line stops at its edge
            px, py = cs._px(a["x"], a["y"])
            nx, ny = (
                min(max(px, bx - cs._BOX_W / 2), bx + cs._BOX_W / 2),
                min(max(py, by - cs._BOX_H / 2), by + cs._BOX_H / 2),
            )
            assert (nx - px) ** 2 + (ny - py) ** 2 >= a["standoff"] ** 2
    caption = next(c.value for c in at.caption if c.value.startswith(t("sp.matrix_numbered", "en")))
    from ui.fmt import md

    assert f"**1** 18102 · **2** {md('A<b>&Co')} · " in caption and md("A<b>&Co") != "A<b>&Co"
    shapes = fig["layout"]["shapes"]
    assert {s["x0"] for s in shapes if s["x0"] == s["x1"]} == {50} and {
        s["y0"] for s in shapes if s["y0"] == s["y1"]
    } == {50}
    bars = figure(at, "sc_contrib_chart")
    assert bars["layout"]["yaxis"]["type"] == "category"
    assert "18102" in bars["data"][0]["y"] and "A&lt;b&gt;&amp;Co" in bars["data"][0]["y"]
    quads = frame(at, "sc_quadrants")
    assert quads["quadrant"].tolist() == [S.quadrant_name(q, "en") for q in S.QUADRANTS]
    assert quads["accounts"].sum() == len(S.matrix(Database(app_env)).dropna(subset=["attractiveness", "strength"]))
    close_all()


def test_strategic_fit_edit_and_upload_are_saved(app_env) -> None:
    at = open_scoring()
    editor = next(d for d in at.dataframe if "strategic_fit" in d.value.columns)
    first, second = editor.value["account"].iloc[0], editor.value["account"].iloc[1]
    at.session_state["sc_fit_editor"] = {"edited_rows": {0: {"strategic_fit": 4}}, "added_rows": [],
                                         "deleted_rows": []}  # fmt: skip
    at.run()
    at.button(key="sc_fit_save").click().run()
    assert not at.exception, at.exception
    assert t("sp.fit_saved", "en", n=1, user="tester") in [s.value for s in at.success]
    csv = f"account,strategic_fit\n{second},2\n".encode()
    at.file_uploader(key="sc_fit_file").set_value(("fit.csv", csv, "text/csv")).run()
    at.button(key="sc_fit_import").click().run()
    assert not at.exception, at.exception
    db = Database(app_env)
    try:
        fits = S.strategic_fit_table(db, [first, second])
    finally:
        db.close()
    assert fits["strategic_fit"].tolist() == [4, 2]
    editor = next(d for d in at.dataframe if "strategic_fit" in d.value.columns).value.set_index("account")
    assert editor.loc[first, "strategic_fit"] == 4


def test_custom_criterion_defined_and_offered_as_a_weight(app_env) -> None:
    at = open_scoring()
    at.text_input(key="sc_custom_name").set_value("survey")
    button(at, t("sp.custom_define", "en")).click().run()
    assert not at.exception, at.exception
    assert weight(at, "survey") == 0.0  # offered as a criterion, not used until given a weight
    ranking = frame(at, "sc_ranking")["account"]
    top, low = ranking.iloc[5], ranking.iloc[0]
    csv = f"account,value\n{top},100\n{low},0\n".encode()  # minmax: 100 and 0
    at.file_uploader(key="sc_custom_file").set_value(("v.csv", csv, "text/csv"))
    at.run()
    at.button(key="sc_custom_import").click().run()
    assert not at.exception, at.exception
    set_weights(at, {"survey": 50.0})
    at.run()
    after = frame(at, "sc_ranking")["account"].tolist()
    assert after[0] == top and low not in after[:20]


def test_escape_and_charts_keep_codes_as_text() -> None:
    assert ch.escape("a<b>&c") == "a&lt;b&gt;&amp;c"
    mx = pd.DataFrame({"account": ["18102", "x"], "revenue": [10.0, 5.0], "attractiveness": [80.0, 20.0],
                       "strength": [70.0, 30.0], "quadrant": ["invest", "cash"]})  # fmt: skip
    fig = ch.matrix_chart(mx, 50, 50, {"x": "A", "y": "S", "revenue": "R"}, {q: q for q in S.QUADRANTS}, 1)
    numbers = [a for a in fig.layout.annotations if (a.name or "").startswith("number_")]
    assert fig.data[0].customdata[0][0] == "18102" and [a.text for a in numbers] == ["<b>1</b>"]  # the largest only
    assert (numbers[0].x, numbers[0].y) == (fig.data[0].x[0], fig.data[0].y[0])  # beside the largest's bubble
    assert ch.numbered(mx, 1) == [(1, "18102")] and ch.numbered(mx, 5) == [(1, "18102"), (2, "x")]
    assert (
        "£%{customdata[2]"
        in ch.matrix_chart(mx, 50, 50, {"x": "A", "y": "S", "revenue": "R"}, {q: q for q in S.QUADRANTS}, 1, "£")
        .data[0]
        .hovertemplate
    )


def test_active_model_score_and_key_flag_on_the_tier_list_and_the_overview(app_env) -> None:
    from kam_core.filters import Filters, add_months
    from tests.apptest import open_app, table_with

    db = Database(app_env)
    try:
        last = db.scalar("SELECT max(period) FROM sales")
        ks = S.key_accounts(db, Filters(start=add_months(last, -11), end=last))  # the sidebar's default window
    finally:
        db.close()
    expected = ks.set_index("account")
    at = open_app("en")
    top = table_with(at, "score")
    assert len(top) == 10
    for r in top.itertuples():
        assert r.score == pytest.approx(expected.at[r.account, "score"]) and r.key == expected.at[r.account, "key"]
    at = open_page("tiers", "en")
    accounts = table_with(at, "reason")
    keyed = accounts[accounts["key"]]
    assert set(keyed["account"]) <= set(expected.index[expected["key"]]) and len(keyed) > 5
