"""The account-plan editor page (AppTest) and its pure helpers (kam_core.plans.edit)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kam_core.db import Database, close_all, get_db
from kam_core.i18n import t
from kam_core.plans import edit, store
from kam_core.plans.demo_plans import DEMO_PLAN_USER
from kam_core.plans.model import Problem, SwotItem, to_dict
from tests.app.test_pages import open_app
from ui.fmt import md

YEAR = 2026  # the test demo ends in 2026-10


# -- pure helpers -----------------------------------------------------------------------------------
def test_editor_frames_round_trip_the_demo_plan(demo_db: Database) -> None:
    doc = to_dict(store.latest(demo_db, "Carrefour", YEAR).doc)
    for section in ("competitors", "stakeholders", "objectives", "actions"):
        assert edit.frame_rows(section, edit.frame_of(section, doc[section])) == doc[section], section
    for q in ("strengths", "weaknesses", "opportunities", "threats"):
        assert edit.frame_rows("swot", edit.frame_of("swot", doc["swot"][q])) == doc["swot"][q]
    # share is edited as a percentage; a blank added row is dropped; a blank code cell gets its default
    comp = edit.frame_of("competitors", doc["competitors"])
    assert comp["share_pct"].tolist() == [22.0, 8.0]
    frame = edit.frame_of("stakeholders", doc["stakeholders"])
    frame.loc[len(frame)] = [None] * len(frame.columns)
    frame.loc[len(frame)] = ["Wu", None, None, None, None, None, None, None]
    rows = edit.frame_rows("stakeholders", frame)
    assert len(rows) == 4 and rows[-1] == {"name": "Wu", "title": "", "role": "influencer", "attitude": "neutral",
                                           "influence": 3, "owner": "", "last_contact": None, "note": ""}  # fmt: skip


def test_problem_text_names_section_row_and_column_in_both_languages() -> None:
    p = Problem("stakeholders", 2, "influence", "plans.v.range", {"value": 9, "min": "1", "max": "5"})
    assert edit.problem_text(p, "en") == "Stakeholders · row 2 · Influence (1–5): 9 is outside 1 … 5"
    assert edit.problem_text(p, "zh") == "关键人物 · 第 2 行 · 影响力（1–5）：9 超出范围 1 … 5"
    q = Problem("swot.threats", 1, "text", "plans.v.required")
    assert edit.problem_text(q, "en") == "SWOT · Threats · row 1 · Item: required"


def test_from_last_year_copies_text_and_open_actions_only(demo_db: Database) -> None:
    prev = store.latest(demo_db, "Carrefour", YEAR).doc
    new = edit.from_last_year(prev, YEAR + 1)
    assert new.year == YEAR + 1 and new.vision == prev.vision and new.swot == prev.swot
    assert new.objectives == []
    assert [a.id for a in new.actions] == ["A2", "A3"]  # A1 is done
    assert all(a.objective_id is None for a in new.actions)


def test_accept_adds_a_suggestion_once_with_its_source() -> None:
    doc = to_dict(replace(edit_doc(), swot=replace(edit_doc().swot, threats=[SwotItem("x")])))
    once = edit.accept(doc, "threats", "Overdue 12%", "overdue")
    assert once["swot"]["threats"][-1] == {"text": "Overdue 12%", "note": "", "source": "overdue"}
    assert edit.accept(once, "threats", "Overdue 12%", "overdue") == once
    assert edit.accepted_sources(once) == {"overdue"}


def edit_doc():
    from kam_core.plans.model import new_plan

    return new_plan("Acme", YEAR)


def test_overdue_uses_the_model_rule() -> None:
    acts = [{"description": "a", "due": "2026-01-31", "status": "planned"},
            {"description": "b", "due": "2026-01-31", "status": "done"},
            {"description": "c", "due": "2026-12-31", "status": "planned"},
            {"description": "d", "due": None}]  # fmt: skip
    assert [a["description"] for a in edit.overdue(acts, date(2026, 6, 1))] == ["a"]


def test_account_choices_put_plans_first_and_mark_key_accounts(demo_db: Database) -> None:
    c = edit.account_choices(demo_db, YEAR)
    assert set(c.loc[c["version"] > 0, "account"]) == {"Carrefour", "RT-Mart", "Ningbo Sanjiang"}
    assert (c["version"] > 0).tolist()[:3] == [True, True, True]
    assert int(c.loc[c["account"] == "Carrefour", "version"].iloc[0]) == 2
    rest = c[c["version"] == 0]
    assert rest["key"].tolist() == sorted(rest["key"].tolist(), reverse=True)  # key accounts before the others
    assert edit.data_year(demo_db) == YEAR and YEAR + 1 in edit.plan_years(demo_db)


# -- the page ---------------------------------------------------------------------------------------
def open_plan(lang: str = "en", account: str = "Carrefour", year: int = YEAR) -> AppTest:
    at = open_app(lang, account=account, year=str(year))
    at.switch_page("app_pages/plans.py").run()
    assert not at.exception, at.exception
    return at


def editor_key(at: AppTest, name: str) -> str:
    return next(e.key for e in at.data_editor if e.key.startswith(f"plan_{name}_"))


def editor_frame(at: AppTest, name: str):
    return next(e for e in at.data_editor if e.key.startswith(f"plan_{name}_")).value


def edit_cells(at: AppTest, name: str, edited: dict | None = None, added: list | None = None) -> None:
    """Edit a grid the way the frontend reports it (AppTest does not type into data_editor cells)."""
    at.session_state[editor_key(at, name)] = {"edited_rows": edited or {}, "added_rows": added or [],
                                              "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, at.exception


def save(at: AppTest, comment: str) -> None:
    at.text_input(key="plan_comment").set_value(comment)
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception


def messages(at: AppTest) -> str:
    return "\n".join(x.value for x in [*at.error, *at.warning, *at.success, *at.info])


def db_at(path) -> Database:
    """The app's own connection (the page's cached one is the same object: never close it mid-test)."""
    return get_db(str(path))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_edit_swot_and_stakeholder_save_reload(app_env, lang: str) -> None:
    at = open_plan(lang)
    assert t("page.plans", lang) in [x.value for x in at.title]
    assert t("plp.unsaved", lang) not in messages(at)  # the opened plan equals the saved version
    assert at.selectbox(key="plan_account").value == "Carrefour"
    edit_cells(at, "swot_threats", {0: {"text": "Hypermarket traffic down 6%"}})
    edit_cells(at, "stakeholders", {1: {"attitude": "champion", "note": "met at the CNY review"}})
    assert t("plp.unsaved", lang) in messages(at)
    save(at, "threat and Chen Yu updated")
    assert t("plp.saved", lang, v=3, user="tester") in messages(at)

    again = open_plan(lang)  # a new session: everything comes from the database
    threats = editor_frame(again, "swot_threats")
    assert threats["text"].tolist()[0] == "Hypermarket traffic down 6%"
    people = editor_frame(again, "stakeholders").set_index("name")
    assert people.loc["Chen Yu", "attitude"] == "champion"
    assert people.loc["Chen Yu", "note"] == "met at the CNY review"
    assert people.loc["Zhang Lin", "attitude"] == "neutral"
    assert t("plp.unsaved", lang) not in messages(again)
    hist = store.history(db_at(app_env), "Carrefour", YEAR)
    assert (hist[0]["version"], hist[0]["saved_by"], hist[0]["comment"]) == (3, "tester", "threat and Chen Yu updated")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_conflicting_save_is_refused_and_the_draft_kept(app_env, lang: str) -> None:
    at = open_plan(lang)
    edit_cells(at, "swot_threats", {0: {"text": "My new threat"}})
    db = db_at(app_env)  # someone else saves version 3 meanwhile
    other = store.latest(db, "Carrefour", YEAR)
    store.save(db, "Carrefour", YEAR, replace(other.doc, vision="Their vision"), 2, "their edit", "Wang Fang")
    save(at, "mine")
    shown = messages(at)
    assert "Wang Fang" in shown and ("Version 3" in shown if lang == "en" else "版本 3" in shown)
    assert t("plp.saved", lang, v=3, user="tester") not in shown
    # the draft is kept: the grid still holds the edit, the draft has it, and the diff against theirs shows it
    key = editor_key(at, "swot_threats")
    rows = at.session_state[key]["edited_rows"]
    assert (rows.get(0) or rows.get("0"))["text"] == "My new threat"
    assert at.session_state["_plan_drafts"][f"Carrefour|{YEAR}"].doc["swot"]["threats"][0]["text"] == "My new threat"
    assert "My new threat" in "\n".join(m.value for m in at.markdown)
    at.button(key="plan_keep_mine").click().run()
    assert not at.exception, at.exception
    latest = store.latest(db_at(app_env), "Carrefour", YEAR)
    assert latest.version == 4 and latest.doc.swot.threats[0].text == "My new threat"
    assert latest.doc.vision != "Their vision"  # mine on top of theirs: my draft as a whole


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validation_names_section_row_and_field(app_env, lang: str) -> None:
    at = open_plan(lang)
    edit_cells(at, "stakeholders", added=[{"title": "Store manager"}])
    expected = edit.problem_text(Problem("stakeholders", 4, "name", "plans.v.required"), lang)
    assert md(expected) in messages(at)  # shown as literal text (the page escapes markup)
    assert expected == ("Stakeholders · row 4 · Name: required" if lang == "en" else "关键人物 · 第 4 行 · 名称：必填")
    save(at, "should not save")
    assert t("plp.not_saved_invalid", lang, n=1) in messages(at)
    assert store.latest(db_at(app_env), "Carrefour", YEAR).version == 2


def test_accept_a_suggestion_then_save_keeps_its_source(app_env) -> None:
    at = open_plan("en", account="RT-Mart")
    buttons = [b for b in at.button if b.key and b.key.startswith("plan_accept_")]
    assert buttons, "the demo has suggestions for RT-Mart"
    source = buttons[0].key.removeprefix("plan_accept_")
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert f"plan_accept_{source}" not in [b.key for b in at.button]  # now "in the plan"
    frames = {q: editor_frame(at, f"swot_{q}") for q in ("strengths", "weaknesses", "opportunities", "threats")}
    hit = [(q, r) for q, f in frames.items() for r in f.to_dict("records") if r["source"] == source]
    assert len(hit) == 1
    quadrant, row = hit[0]
    save(at, "accepted a suggestion")
    saved = getattr(store.latest(db_at(app_env), "RT-Mart", YEAR).doc.swot, quadrant)
    assert [(s.text, s.source) for s in saved if s.source] == [(row["text"], source)]


def test_restore_an_old_version_from_history(app_env) -> None:
    at = open_plan("en")
    at.session_state["plan_tab"] = t("plp.tab.history", "en")
    at.run()
    assert not at.exception, at.exception
    assert t("plp.restore", "en") in [s.value for s in at.subheader]
    at.selectbox(key="plan_restore_version").set_value(1)
    at.button(key="plan_restore").click().run()
    assert not at.exception, at.exception
    assert t("plp.restored", "en", v=1, new=3, user="tester") in messages(at)
    db = db_at(app_env)
    v3, v1 = store.latest(db, "Carrefour", YEAR), store.get(db, "Carrefour", YEAR, 1)
    assert (v3.version, v3.restored_from, v3.doc) == (3, 1, v1.doc)


def test_new_plan_from_last_years(app_env) -> None:
    at = open_plan("en", year=YEAR + 1)
    assert t("plp.no_plan_yet", "en", account="Carrefour", year=YEAR + 1) in messages(at)
    at.button(key="plan_from_last_year").click().run()
    assert not at.exception, at.exception
    assert t("plp.unsaved", "en") in messages(at)
    assert editor_frame(at, "actions")["id"].tolist() == ["A2", "A3"]
    save(at, "from last year")
    v = store.latest(db_at(app_env), "Carrefour", YEAR + 1)
    assert v.version == 1 and v.doc.objectives == [] and v.doc.vision.startswith("Become Carrefour")
    assert store.latest(db_at(app_env), "Carrefour", YEAR).saved_by == DEMO_PLAN_USER


def test_a_link_opens_that_plan_and_the_choice_stays_in_the_url(app_env) -> None:
    at = open_plan("zh", account="RT-Mart")
    assert at.selectbox(key="plan_account").value == "RT-Mart"
    assert at.query_params.get("account") in ("RT-Mart", ["RT-Mart"])
    at.selectbox(key="plan_account").set_value("Carrefour").run()
    assert not at.exception, at.exception
    assert at.query_params.get("account") in ("Carrefour", ["Carrefour"])


def test_saving_needs_a_name(app_env) -> None:
    at = open_plan("en")
    at.sidebar.text_input(key="user_name").set_value("   ").run()
    edit_cells(at, "swot_threats", {0: {"text": "x"}})
    save(at, "no name")
    assert t("ui.need_user", "en") in messages(at)
    assert store.latest(db_at(app_env), "Carrefour", YEAR).version == 2


def test_empty_database_says_so(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    close_all()
    monkeypatch.setenv("KAM_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("KAM_DEMO", "0")
    for lang in ("en", "zh"):
        at = open_plan(lang)
        assert t("empty.no_data", lang) in messages(at)
    close_all()
