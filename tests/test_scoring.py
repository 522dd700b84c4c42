"""Key-account scoring: criteria, normalisation, composite, models, sensitivity, matrix — numbers by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kam_core import summary
from kam_core.analytics import scoring as S
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters
from kam_core.i18n import t
from tests.helpers import add_sales

FIX = Path(__file__).parent / "fixtures" / "scoring"
Q1 = Filters(start=date(2026, 1, 1), end=date(2026, 3, 1))


def small(db: Database) -> None:
    """Five accounts in Jan–Mar 2026; A and B also in Jan–Mar 2025 (every prior month has data).

    revenue A 400, B 300, C 200, D 100, E 100; gross profit A 100, B 90, C none, D 10, E 40;
    prior-year revenue A 200, B 300 → growth A 1.0, B 0.0, C / D / E missing.
    """
    rows = [
        ("2026-01", "A", "East", "hypermarket", 100, 25, "k"), ("2026-02", "A", "East", "hypermarket", 100, 25, "k"),
        ("2026-03", "A", "East", "hypermarket", 200, 50, "k"), ("2026-01", "B", "East", "hypermarket", 300, 90, "k"),
        ("2026-02", "C", "South", "supermarket", 200, None, "k"),
        ("2026-03", "D", "South", "supermarket", 100, 10, "k"),
        ("2026-03", "E", "North", "supermarket", 100, 40, "k"),
        ("2025-01", "A", "East", "hypermarket", 50, 10, "k"), ("2025-02", "A", "East", "hypermarket", 50, 10, "k"),
        ("2025-03", "A", "East", "hypermarket", 100, 20, "k"), ("2025-02", "B", "East", "hypermarket", 300, 60, "k"),
    ]  # fmt: skip
    add_sales(db, rows)


def model(*crit: tuple, top: int | None = 2, min_score: float | None = None) -> S.Model:
    return S.Model("m", tuple(S.ModelCriterion(*c) for c in crit), S.KeyRule(top, min_score))


# -- criteria -----------------------------------------------------------------------------------
def test_criteria_values_by_hand(empty_db: Database) -> None:
    small(empty_db)
    with empty_db.transaction("t", "test") as cur:
        cur.execute("UPDATE sales SET trade_spend = revenue * 0.1 WHERE account = 'A' AND period >= '2026-01-01'")
        summary.refresh(cur)  # as every write of sales does
    v = S.criteria_values(empty_db, Q1).values
    assert list(v.index) == ["A", "B", "C", "D", "E"]
    assert v["revenue"].tolist() == [400.0, 300.0, 200.0, 100.0, 100.0]
    assert v["revenue_share"].tolist() == [400 / 1100, 300 / 1100, 200 / 1100, 100 / 1100, 100 / 1100]
    assert v.loc["A", "growth"] == 1.0 and v.loc["B", "growth"] == 0.0
    assert v[["growth"]].loc[["C", "D", "E"]].isna().all().all()
    assert v.loc["A", "gross_margin"] == 0.25 and v.loc["D", "gross_margin"] == 0.1
    assert math.isnan(v.loc["C", "gross_margin"])  # no gross profit is missing, not 0
    assert v.loc["A", "trade_spend_pct"] == pytest.approx(0.1)
    assert v["trade_spend_pct"].drop("A").isna().all()
    assert v["overdue_pct"].isna().all() and v["strategic_fit"].isna().all()


def test_region_filter_narrows_accounts_and_share(empty_db: Database) -> None:
    small(empty_db)
    v = S.criteria_values(empty_db, Filters(start=date(2026, 1, 1), end=date(2026, 3, 1), regions=("South",))).values
    assert list(v.index) == ["C", "D"]
    assert v["revenue_share"].tolist() == [200 / 300, 100 / 300]


def test_growth_missing_when_prior_year_has_one_of_twelve_months(empty_db: Database) -> None:
    rows = [(f"2026-{m:02d}", "A", "East", "hypermarket", 100, 10, "k") for m in range(1, 11)]
    rows += [(f"2025-{m}", "A", "East", "hypermarket", 100, 10, "k") for m in (11, 12)]
    rows += [("2025-10", "A", "East", "hypermarket", 90, 9, "k")]  # the only month of the prior-year window
    add_sales(empty_db, rows)
    cf = S.criteria_values(empty_db)  # default window: the last 12 months of data
    assert (cf.window.start, cf.window.end) == (date(2025, 11, 1), date(2026, 10, 1))
    assert cf.growth is not None and not cf.growth.ok
    assert cf.growth.message("en") == "prior year: data for 1 of 12 months"
    assert cf.growth.message("zh") == "去年同期：12 个月中仅 1 个月有数据"
    assert cf.values["growth"].isna().all()
    assert cf.values.loc["A", "revenue"] == 1200.0


def test_overdue_from_latest_snapshot_on_or_before_window_end(empty_db: Database) -> None:
    small(empty_db)
    with empty_db.transaction("t", "test") as cur:
        cur.execute(
            """INSERT INTO receivables VALUES
               ('A', '2026-02-28', 80, 20, 0, 0, 0, 1),
               ('A', '2026-03-31', 50, 0, 30, 0, 20, 1),
               ('A', '2026-04-30', 100, 0, 0, 0, 0, 1),
               ('C', '2026-01-31', 0, 0, 0, 0, 0, 1)"""
        )
    v = S.criteria_values(empty_db, Q1).values
    assert v.loc["A", "overdue_pct"] == 0.5  # 31-60 30 + 90+ 20 of 100, the 31 March snapshot
    assert math.isnan(v.loc["B", "overdue_pct"])  # no snapshot
    assert math.isnan(v.loc["C", "overdue_pct"])  # nothing owed: no ratio
    feb = S.criteria_values(empty_db, Filters(start=date(2026, 1, 1), end=date(2026, 2, 1))).values
    assert feb.loc["A", "overdue_pct"] == 0.2


def test_footprint_and_tier_from_the_tier_classifier(empty_db: Database) -> None:
    small(empty_db)
    with empty_db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO accounts (account, international, format) VALUES ('A', TRUE, 'hypermarket')")
        cur.execute("INSERT INTO stores (store, account, province) VALUES ('S1', 'A', 'Guangdong'), "
                    "('S2', 'A', 'Beijing'), ('S3', 'A', 'Beijing')")  # fmt: skip
    v = S.criteria_values(empty_db, Q1, ["stores", "provinces", "tier"]).values
    assert (v.loc["A", "stores"], v.loc["A", "provinces"], v.loc["A", "tier"]) == (3.0, 2.0, 3.0)  # GKA
    assert v.loc["B", "tier"] in (0.0, 1.0)


# -- normalisation ------------------------------------------------------------------------------
def test_percentile_ties_one_account_and_missing() -> None:
    s = pd.Series([400, 300, 200, 100, 100, None], index=list("ABCDEF"), dtype=float)
    n = S.normalise(s, "percentile")
    assert n.drop("F").tolist() == [100.0, 75.0, 50.0, 12.5, 12.5]  # D, E share ranks 1 and 2 → 1.5
    assert math.isnan(n["F"])
    low = S.normalise(s, "percentile", "lower")
    assert low.drop("F").tolist() == [0.0, 25.0, 50.0, 87.5, 87.5]
    assert S.normalise(pd.Series([7.0, None]), "percentile").tolist()[0] == 100.0
    assert S.normalise(pd.Series([7.0]), "minmax").tolist() == [50.0]


def test_minmax_clips_to_5th_and_95th_percentiles() -> None:
    s = pd.Series([400, 300, 200, 100, 100], index=list("ABCDE"), dtype=float)
    # sorted 100 100 200 300 400: 5th = 100 + 0.2 × 0 = 100, 95th = 300 + 0.8 × 100 = 380
    n = S.normalise(s, "minmax")
    assert n.tolist() == pytest.approx([100.0, 100 * 200 / 280, 100 * 100 / 280, 0.0, 0.0], abs=1e-12)
    low = S.normalise(s, "minmax", "lower")
    assert low.tolist() == pytest.approx([0.0, 100 * 80 / 280, 100 * 180 / 280, 100.0, 100.0], abs=1e-12)
    assert (n.iloc[0], n.iloc[3], low.iloc[0], low.iloc[3]) == (100.0, 0.0, 0.0, 100.0)  # the ends are exact
    assert S.normalise(pd.Series([3.0, 3.0, None]), "minmax").tolist()[:2] == [50.0, 50.0]  # hi = lo


def test_scale_scores_a_tier_against_the_scale_not_the_crowd() -> None:
    # 19 accounts in 20 without a K/A tier (the demo: 428 of 463): the 95th percentile is near 0,
    # so min–max made GKA, NKA and LKA alike 100; the scale keeps them apart whoever else is scored
    tiers = pd.Series([3.0, 2.0, 1.0] + [0.0] * 57 + [None], dtype=float)
    assert S.normalise(tiers, "minmax").iloc[:3].tolist() == [100.0, 100.0, 100.0]  # what the default was
    n = S.normalise(tiers, "scale", scale=S.SCALES["tier"])
    assert n.iloc[:4].tolist() == pytest.approx([100.0, 200 / 3, 100 / 3, 0.0], abs=1e-12) and math.isnan(n.iloc[-1])
    # the same account scores the same with or without the others
    assert S.normalise(pd.Series([1.0]), "scale", scale=S.SCALES["tier"]).tolist() == pytest.approx([100 / 3])
    fit = S.normalise(pd.Series([1.0, 3.0, 5.0, 4.0]), "scale", "lower", scale=S.SCALES["strategic_fit"])
    assert fit.tolist() == pytest.approx([100.0, 50.0, 0.0, 25.0])
    assert S.DEFAULT_MODEL.criterion("tier").normalise == "scale"
    assert S.DEFAULT_MODEL.criterion("strategic_fit").normalise == "scale"
    with pytest.raises(ValueError):
        S.normalise(pd.Series([1.0]), "scale")  # a scale's ends are needed


def test_no_scale_message_names_the_criteria_that_have_one() -> None:
    with pytest.raises(UserError) as e:
        S.parse_criteria([{"name": "gross_margin", "weight": 1, "normalise": "scale"}], S.all_criteria())
    msg = e.value.message("en")
    assert "gross_margin" in msg and "tier, strategic_fit" in msg and '"minmax"' in msg


# -- composite ----------------------------------------------------------------------------------
def test_composite_percentile_by_hand(empty_db: Database) -> None:
    small(empty_db)
    m = model(("revenue", 2, "higher", "percentile"), ("gross_margin", 1, "higher", "percentile"),
              ("growth", 2, "higher", "percentile"), ("tier", 0, "higher", "minmax"))  # fmt: skip
    s = S.score(empty_db, Q1, m)
    tab = s.table.set_index("account")
    # revenue n: A 100, B 75, C 50, D 12.5, E 12.5; margin n (D .10 A .25 B .30 E .40): D 0, A 33⅓, B 66⅔, E 100;
    # growth n: A 100, B 0. Σw = 5 (tier's weight 0 removes it).
    expected = {"A": (200 + 100 / 3 + 200) / 5, "B": (150 + 200 / 3 + 0) / 5, "C": 100 / 2, "D": 25 / 3, "E": 125 / 3}
    assert list(tab.index) == ["A", "C", "B", "E", "D"]
    assert tab["rank"].tolist() == [1, 2, 3, 4, 5]
    for a, x in expected.items():
        assert tab.loc[a, "score"] == pytest.approx(x, abs=1e-12)
    assert tab["coverage"].to_dict() == {"A": 1.0, "C": 0.4, "B": 1.0, "E": 0.6, "D": 0.6}
    assert tab["low_coverage"].to_dict() == {"A": False, "C": True, "B": False, "E": False, "D": False}
    assert s.key_accounts() == ["A", "C"]  # top 2, the low-coverage account included (ranked and flagged)
    c = s.contributions
    assert c.loc["A"].to_dict() == pytest.approx({"revenue": 40.0, "gross_margin": 20 / 3, "growth": 40.0, "tier": 0.0})
    for a in expected:
        assert c.loc[a].sum() == pytest.approx(tab.loc[a, "score"], abs=1e-12)
    rec = s.records()
    assert rec[1]["criteria"]["growth"] == {"value": None, "normalised": None, "weight": 2.0, "contribution": 0.0}
    assert rec[1]["criteria"]["revenue"]["contribution"] == pytest.approx(50.0)


def test_composite_minmax_by_hand(empty_db: Database) -> None:
    small(empty_db)
    S.set_strategic_fits(empty_db, {"A": 3, "B": 3}, "alice")
    m = model(("revenue", 1, "higher", "minmax"), ("gross_margin", 1, "higher", "minmax"),
              ("strategic_fit", 1, "higher", "minmax"), top=None, min_score=50)  # fmt: skip
    s = S.score(empty_db, Q1, m)
    tab = s.table.set_index("account")
    rev = {"A": 100.0, "B": 100 * 200 / 280, "C": 100 * 100 / 280, "D": 0.0, "E": 0.0}
    lo, hi = 0.10 + 0.15 * (0.25 - 0.10), 0.30 + 0.85 * (0.40 - 0.30)  # 5th / 95th of .10 .25 .30 .40
    gm = {"A": 100 * (0.25 - lo) / (hi - lo), "B": 100 * (0.30 - lo) / (hi - lo), "D": 0.0, "E": 100.0}
    fit = 50.0  # A and B both 3: hi = lo
    expected = {"A": (rev["A"] + gm["A"] + fit) / 3, "B": (rev["B"] + gm["B"] + fit) / 3, "C": rev["C"],
                "D": 0.0, "E": 50.0}  # fmt: skip
    for a, x in expected.items():
        assert tab.loc[a, "score"] == pytest.approx(x, abs=1e-9), a
    assert list(tab.index) == ["A", "B", "E", "C", "D"]
    assert tab.loc["C", "coverage"] == pytest.approx(1 / 3) and bool(tab.loc["C", "low_coverage"])
    assert s.key_accounts() == ["A", "B", "E"]  # score ≥ 50 (E exactly 50)


def test_ties_rank_by_revenue_then_name() -> None:
    norm = pd.DataFrame({"x": [50.0, 50.0, 50.0, None]}, index=["b", "a", "c", "z"])
    rev = pd.Series({"a": 10.0, "b": 10.0, "c": 20.0, "z": 99.0})
    tab = S.composite(norm, {"x": 1.0}, rev, S.KeyRule(top=3))
    assert tab["account"].tolist() == ["c", "a", "b", "z"]  # z has no value: ranked last, never key
    assert tab["key"].tolist() == [True, True, True, False]
    assert math.isnan(tab["score"].iloc[-1]) and tab["coverage"].iloc[-1] == 0.0


# -- sensitivity --------------------------------------------------------------------------------
def test_sensitivity_on_a_hand_built_case() -> None:
    # x: P 4 Q 3 R 2 S 1 → 100, 66⅔, 33⅓, 0;  y: P 1 Q 2 R 4 S 3 → 0, 33⅓, 100, 66⅔ (percentile)
    values = pd.DataFrame({"revenue": [10.0, 20.0, 5.0, 1.0], "x": [4.0, 3.0, 2.0, 1.0], "y": [1.0, 2.0, 4.0, 3.0]},
                          index=pd.Index(list("PQRS"), name="account"))  # fmt: skip
    m = model(("x", 1, "higher", "percentile"), ("y", 1, "higher", "percentile"), top=2)
    s = S.score_frame(values, m)
    # scores P 50, Q 50 (more revenue → ahead of P), R 66⅔, S 33⅓ → key R, Q
    assert s.key_accounts() == ["R", "Q"]
    sens = S.sensitivity(s).set_index("criterion")
    # x × 0.8: P 44.4 Q 48.1 R 70.4 → R, Q stay; x × 1.2: P 54.5 Q 51.5 R 63.6 → R, P (1 stays)
    # y × 0.8: P 55.6 Q 51.9 R 63.0 → R, P (1 stays); y × 1.2: P 45.5 Q 48.5 R 69.7 → R, Q
    assert sens.loc["x", ["n_key", "stay_down", "stay_up"]].tolist() == [2, 2, 1]
    assert sens.loc["y", ["n_key", "stay_down", "stay_up"]].tolist() == [2, 1, 2]


# -- selection matrix ---------------------------------------------------------------------------
def test_quadrants_and_their_names() -> None:
    assert S.quadrant(50, 50) == "invest" and S.quadrant(49.9, 50) == "maintain"
    assert S.quadrant(10, 10) == "cash" and S.quadrant(80, 10) == "reconsider"
    assert S.quadrant(float("nan"), 60) is None
    for q in S.QUADRANTS:
        assert S.quadrant_name(q, "en") != S.quadrant_name(q, "zh")
        assert len(S.quadrant_meaning(q, "zh")) > 10
    assert S.quadrant_name("invest", "zh") == "重点投入"


def test_matrix_frame_by_hand() -> None:
    values = pd.DataFrame({"revenue": [10.0, 20.0, 5.0, 1.0], "x": [4.0, 3.0, 2.0, 1.0], "y": [1.0, 2.0, 4.0, 3.0]},
                          index=pd.Index(list("PQRS"), name="account"))  # fmt: skip
    a = [S.ModelCriterion("x", 1, "higher", "percentile")]
    st = [S.ModelCriterion("y", 1, "higher", "percentile")]
    mx = S.matrix_frame(values, a, st, a_threshold=60, s_threshold=50).set_index("account")
    assert list(mx.index) == ["Q", "P", "R", "S"]  # by revenue, for bubble size
    assert mx["attractiveness"].to_dict() == pytest.approx({"Q": 200 / 3, "P": 100.0, "R": 100 / 3, "S": 0.0})
    assert mx["quadrant"].to_dict() == {"Q": "reconsider", "P": "reconsider", "R": "maintain", "S": "maintain"}
    mx = S.matrix_frame(values, a, st, a_threshold=30, s_threshold=30).set_index("account")
    assert mx["quadrant"].to_dict() == {"Q": "invest", "P": "reconsider", "R": "invest", "S": "maintain"}
    with pytest.raises(UserError):
        S.matrix_frame(values, a, st, a_threshold=120)


def test_matrix_on_db_has_every_account(empty_db: Database) -> None:
    small(empty_db)
    mx = S.matrix(empty_db, Q1)
    assert mx["account"].tolist() == ["A", "B", "C", "D", "E"] or set(mx["account"]) == set("ABCDE")
    assert set(mx["quadrant"].dropna()) <= set(S.QUADRANTS)


# -- models -------------------------------------------------------------------------------------
def test_model_versions_activate_and_builtin(empty_db: Database) -> None:
    assert S.active_model(empty_db) is S.DEFAULT_MODEL
    assert S.DEFAULT_MODEL.total_weight == 13.0
    doc = {"name": "growth first", "criteria": [{"name": "growth", "weight": 3}, {"name": "revenue", "weight": 1}]}
    v1 = S.save_model(empty_db, doc, "alice")
    doc["criteria"][0]["weight"] = 5
    v2 = S.save_model(empty_db, doc, "bob", activate=True)
    assert (v1.version, v1.saved_by, v2.version, v2.saved_by) == (1, "alice", 2, "bob")
    assert v1.saved_at <= v2.saved_at
    assert v1.key_rule == S.KeyRule(top=20) and v1.criterion("growth").normalise == "minmax"  # defaults
    assert S.get_model(empty_db, "growth first", 1).weights == {"growth": 3.0, "revenue": 1.0}
    assert S.active_model(empty_db).weights == {"growth": 5.0, "revenue": 1.0}
    assert [m.version for m in S.model_versions(empty_db, "growth first")] == [1, 2]
    listing = S.list_models(empty_db)
    assert [(r["name"], r["version"], r["versions"], r["saved_by"], r["active"]) for r in listing] == [
        ("builtin", None, 0, None, False), ("growth first", 2, 2, "bob", True)]  # fmt: skip
    S.activate_model(empty_db, "builtin", "carol")
    assert S.active_model(empty_db) is S.DEFAULT_MODEL
    acts = empty_db.rows("SELECT user_name, action FROM audit_log WHERE action LIKE 'score_model%' ORDER BY logged_at")
    assert acts == [("alice", "score_model.save"), ("bob", "score_model.save"), ("carol", "score_model.activate")]
    with pytest.raises(UserError) as e:
        S.get_model(empty_db, "growth first", 7)
    assert e.value.key == "scoring.err.unknown_version"
    with pytest.raises(UserError) as e:
        S.save_model(empty_db, {**doc, "name": "builtin"}, "x")
    assert e.value.key == "scoring.err.reserved_name"


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"name": "x", "criteria": [{"name": "nope", "weight": 1}]}, "scoring.err.unknown_criterion"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": -1}]}, "scoring.err.weight"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": True}]}, "scoring.err.weight"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": 0}]}, "scoring.err.all_zero"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": 1}], "key_rule": {"top": 0}}, "scoring.err.key_rule"),
        (
            {"name": "x", "criteria": [{"name": "revenue", "weight": 1}], "key_rule": {"top": 2, "min_score": 3}},
            "scoring.err.key_rule",
        ),
        (
            {"name": "x", "criteria": [{"name": "revenue", "weight": 1}], "key_rule": {"min_score": 101}},
            "scoring.err.key_rule",
        ),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": 1, "direction": "up"}]}, "scoring.err.direction"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": 1, "normalise": "z"}]}, "scoring.err.normalise"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": 1, "normalise": "scale"}]}, "scoring.err.no_scale"),
        (
            {"name": "x", "criteria": [{"name": "revenue", "weight": 1}, {"name": "revenue", "weight": 1}]},
            "scoring.err.duplicate_criterion",
        ),
        ({"name": "x", "criteria": []}, "scoring.err.no_criteria"),
        ({"criteria": [{"name": "revenue", "weight": 1}]}, "scoring.err.model_name"),
        ([1, 2], "scoring.err.model_shape"),
    ],
)
def test_refused_models_write_nothing(empty_db: Database, doc: object, key: str) -> None:
    with pytest.raises(UserError) as e:
        S.save_model(empty_db, doc, "alice")
    assert e.value.key == key
    assert e.value.message("en") != e.value.message("zh")
    assert empty_db.scalar("SELECT count(*) FROM score_models") == 0


def test_refusal_messages_in_both_languages() -> None:
    with pytest.raises(UserError) as e:
        S.parse_model({"name": "x", "criteria": [{"name": "revenue", "weight": -2}]}, S.all_criteria())
    assert e.value.message("en") == "The weight of revenue must be a number ≥ 0 (got -2)."
    assert e.value.message("zh") == "revenue 的权重必须是 ≥ 0 的数字（收到 -2）。"
    with pytest.raises(UserError) as e:
        S.parse_key_rule({"top": 1.5})
    assert e.value.message("en").startswith('key_rule must be {"top": N}')
    assert e.value.message("zh").startswith('key_rule 必须是 {"top": N}')


def test_every_criterion_has_a_definition_in_both_languages(empty_db: Database) -> None:
    for c in S.all_criteria(empty_db).values():
        assert c.definition("en") and c.definition("zh") and c.definition("en") != c.definition("zh")
        assert c.label("zh") != c.label("en")
    assert t("scoring.normalise_definition.percentile", "zh")


# -- judgement and custom criteria --------------------------------------------------------------
def test_strategic_fit_set_recorded_and_uploaded(empty_db: Database) -> None:
    small(empty_db)
    S.set_strategic_fit(empty_db, "A", 4, "alice")
    assert empty_db.rows("SELECT strategic_fit, reviewed, updated_by FROM accounts WHERE account = 'A'") == [
        (4, False, "alice")]  # fmt: skip
    assert empty_db.rows("SELECT user_name FROM audit_log WHERE action = 'scoring.strategic_fit'") == [("alice",)]
    with pytest.raises(UserError) as e:
        S.set_strategic_fit(empty_db, "A", 6, "alice")
    assert "1 到 5" in e.value.message("zh")
    with pytest.raises(UserError) as e:
        S.set_strategic_fit(empty_db, "Nobody", 3, "alice")
    assert e.value.key == "scoring.err.unknown_account"
    assert S.import_strategic_fit(empty_db, FIX / "strategic_fit.csv", "bob") == 3
    v = S.criteria_values(empty_db, Q1, ["strategic_fit"]).values["strategic_fit"]
    assert v["A"] == 4.0 and v["B"] == 2.0 and v.drop(["A", "B"]).isna().all()  # C cleared
    with pytest.raises(UserError) as e:
        S.import_strategic_fit(empty_db, FIX / "strategic_fit_bad.csv", "bob")
    assert e.value.message("en") == "Row 3: Strategic fit of B must be a whole number from 1 to 5 (got 7)."
    assert e.value.message("zh").startswith("第 3 行：B 的战略匹配度")
    assert empty_db.scalar("SELECT strategic_fit FROM accounts WHERE account = 'A'") == 4  # nothing written


def test_custom_criterion_in_a_model(empty_db: Database) -> None:
    small(empty_db)
    with pytest.raises(UserError):
        S.define_criterion(empty_db, "revenue", "alice")
    S.define_criterion(empty_db, "innovation", "alice", "lower", "Joint innovation projects")
    assert S.import_criterion_values(empty_db, "innovation", FIX / "innovation.csv", "alice") == 2
    assert S.criterion_values(empty_db, "innovation").to_dict("list") == {"account": ["A", "B"], "value": [1.5, -2.0]}
    doc = {"name": "c", "criteria": [{"name": "innovation", "weight": 1}], "key_rule": {"top": 1}}
    m = S.parse_model(doc, S.all_criteria(empty_db))
    assert m.criterion("innovation").direction == "lower"  # the criterion's own direction by default
    s = S.score(empty_db, Q1, m)
    assert s.table["account"].tolist()[:2] == ["B", "A"]  # lower is better: B −2 ranks first
    assert s.table.set_index("account").loc[["C", "D", "E"], "coverage"].eq(0).all()
    with pytest.raises(UserError) as e:
        S.set_criterion_values(empty_db, "innovation", {"Nobody": 1}, "alice")
    assert e.value.key == "scoring.err.unknown_account"
    S.set_criterion_values(empty_db, "innovation", {"C": "7"}, "alice", replace_all=False)
    assert S.criterion_values(empty_db, "innovation")["account"].tolist() == ["A", "B", "C"]
    S.delete_criterion(empty_db, "innovation", "alice")
    assert S.criteria_values(empty_db, Q1, ["innovation"]).values["innovation"].isna().all()


def test_key_accounts_uses_the_active_model(empty_db: Database) -> None:
    small(empty_db)
    S.save_model(empty_db, {"name": "rev", "criteria": [{"name": "revenue", "weight": 1}], "key_rule": {"top": 2}},
                 "alice", activate=True)  # fmt: skip
    k = S.key_accounts(empty_db, Q1)
    assert k.loc[k["key"], "account"].tolist() == ["A", "B"]
    assert k["score"].tolist() == [100.0, 75.0, 50.0, 12.5, 12.5]


def test_empty_database_scores_nothing(empty_db: Database) -> None:
    s = S.score(empty_db)
    assert s.table.empty and s.records() == []


# -- what the page reads: the ranking against the active model, the breakdown, the matrix it draws -----------
def test_ranking_against_the_active_model_marks_new_and_dropped_key_accounts(empty_db: Database) -> None:
    small(empty_db)
    by_revenue = model(("revenue", 1, "higher", "percentile"), top=2)  # A 400, B 300 key
    by_margin = model(("gross_margin", 1, "higher", "minmax"), top=2)  # E 0.4, B 0.3 key (A 0.25, D 0.1)
    r = S.ranking(empty_db, Q1, by_margin, by_revenue)
    tab = r.table.set_index("account")
    assert r.table["account"].tolist()[:2] == ["E", "B"] and r.window == S.scoring_window(empty_db, Q1)
    assert tab.loc["E", "status"] == "new_key" and tab.loc["A", "status"] == "dropped_key"
    assert pd.isna(tab.loc["B", "status"]) and bool(tab.loc["B", "key_baseline"])
    assert tab.loc["E", "rank_baseline"] == 5 and tab.loc["E", "rank_change"] == 4  # E ties D on revenue: the name
    assert tab.loc["C", "rank_baseline"] == 3 and math.isnan(tab.loc["C", "score"])  # no margin: ranked last
    same = S.ranking(empty_db, Q1, by_revenue, by_revenue).table
    assert same["status"].isna().all() and (same["rank_change"] == 0).all()
    assert "contribution.gross_margin" in r.table.columns  # the contribution bars read the same table


def test_breakdown_of_one_account(empty_db: Database) -> None:
    small(empty_db)
    m = model(("revenue", 3, "higher", "percentile"), ("gross_margin", 1, "higher", "minmax"), top=2)
    b = S.score_breakdown(empty_db, Q1, m, "C").set_index("criterion")
    assert b.loc["revenue", "value"] == 200.0 and b.loc["revenue", "normalised"] == 50.0
    assert math.isnan(b.loc["gross_margin", "value"]) and b.loc["gross_margin", "contribution"] == 0.0  # missing
    assert b.loc["revenue", "contribution"] == 50.0  # only criterion present: its whole normalised value
    with pytest.raises(KeyError):
        S.score_breakdown(empty_db, Q1, m, "nobody")


def test_matrix_view_is_the_matrix_reduced_to_what_is_drawn(demo_db: Database) -> None:
    a, s = S.DEFAULT_ATTRACTIVENESS, S.DEFAULT_STRENGTH
    mx = S.matrix(demo_db, None, a, s, 40.0, 60.0)
    placed = mx.dropna(subset=["attractiveness", "strength"])
    v = S.matrix_view(demo_db, None, a, s, 40.0, 60.0, 25)
    assert v.placed == len(placed) and v.top["account"].tolist() == placed["account"].head(25).tolist()
    assert v.quadrants["quadrant"].tolist() == list(S.QUADRANTS)
    for q, n, rev in v.quadrants.itertuples(index=False):
        assert n == (placed["quadrant"] == q).sum()
        assert rev == pytest.approx(placed.loc[placed["quadrant"] == q, "revenue"].sum())
    assert v.quadrants["accounts"].sum() == v.placed


def test_remembered_criteria_and_scores_follow_a_write(empty_db: Database) -> None:
    small(empty_db)
    m = model(("strategic_fit", 1, "higher", "minmax"), ("revenue", 0.1, "higher", "percentile"), top=1)
    assert S.score(empty_db, Q1, m).key_accounts() == ["A"]  # no fit anywhere: revenue decides
    S.set_strategic_fits(empty_db, {"A": 1, "D": 5}, "tester")  # a write: the next read sees it
    assert S.criteria_values(empty_db, Q1, ["strategic_fit"]).values.loc["D", "strategic_fit"] == 5.0
    # fit minmax: A 0, D 100; D (100 + 0.1 × 12.5) / 1.1 ≈ 92 ahead of B (revenue only, 75) and A (≈ 9)
    assert S.score(empty_db, Q1, m).key_accounts() == ["D"]
    assert S.key_accounts(empty_db, Q1).set_index("account").loc["A", "rank"] == 1  # the active (built-in) model


def test_model_choice_offers_every_model_at_its_latest_version_and_the_active_one(empty_db: Database) -> None:
    c = S.model_choice(empty_db)
    assert [m["name"] for m in c.models] == [S.BUILTIN_MODEL] and c.active == S.DEFAULT_MODEL
    assert c.latest == {S.BUILTIN_MODEL: S.DEFAULT_MODEL} and set(c.criteria) == set(S.BUILTIN_CRITERIA)
    m = model(("revenue", 1, "higher", "percentile"))
    S.save_model(empty_db, m, "tester")
    S.save_model(empty_db, replace(m, key_rule=S.KeyRule(top=3)), "tester", activate=True)
    c = S.model_choice(empty_db)
    assert [m["name"] for m in c.models] == [S.BUILTIN_MODEL, "m"]
    assert c.latest["m"].version == 2 and c.latest["m"].key_rule.top == 3
    assert c.active == c.latest["m"] == S.active_model(empty_db)
