"""The vectorised composite, sensitivity and selection matrix give exactly what they gave before.

tests/scoring_reference.py keeps the previous code (one pandas composite per weighting, a sort per
ranking); here both run on the demo database's criteria and on hand-made frames with ties, missing
criteria, zero weights, unsorted and non-ASCII account names, and the results must be equal: same
ranks, same key accounts, same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kam_core import derived
from kam_core.analytics import scoring as S
from kam_core.analytics import tiers as T
from kam_core.db import Database
from kam_core.filters import Filters
from tests import scoring_reference as R


def mc(name: str, weight: float, direction: str = "higher", normalise: str = "minmax") -> S.ModelCriterion:
    return S.ModelCriterion(name, weight, direction, normalise)


def same_scores(new: S.Scores, old: S.Scores) -> None:
    pd.testing.assert_frame_equal(new.table, old.table, check_exact=True)
    pd.testing.assert_frame_equal(new.values, old.values, check_exact=True)
    pd.testing.assert_frame_equal(new.normalised, old.normalised, check_exact=True)


def check(values: pd.DataFrame, model: S.Model) -> None:
    """score_frame, composite, sensitivity (three deltas) and the matrix as before, for ``model``."""
    new, old = S.score_frame(values, model), R.score_frame(values, model)
    same_scores(new, old)
    norm = S.normalise_all(values.reindex(columns=[c.name for c in model.criteria]), model.criteria)
    pd.testing.assert_frame_equal(
        S.composite(norm, model.weights, values["revenue"], model.key_rule),
        R.composite(norm, model.weights, values["revenue"], model.key_rule),
        check_exact=True,
    )
    for delta in (0.2, 0.5, 1.0):  # (1.0: a weight of 0, and a model of one criterion has none left)
        pd.testing.assert_frame_equal(S.sensitivity(new, delta), R.sensitivity(old, delta), check_exact=True)
    half = len(model.criteria) // 2 or 1
    a, s = (part if any(c.weight > 0 for c in part) else model.criteria
            for part in (model.criteria[:half], model.criteria[half:]))  # fmt: skip
    for th in ((50.0, 50.0), (0.0, 100.0), (33.3, 66.7)):
        pd.testing.assert_frame_equal(S.matrix_frame(values, a, s, *th), R.matrix_frame(values, a, s, *th),
                                      check_exact=True)  # fmt: skip


# -- the demo -------------------------------------------------------------------------------------------
DEMO_MODELS = [
    S.DEFAULT_MODEL,
    S.Model("top5", S.DEFAULT_MODEL.criteria, S.KeyRule(top=5)),
    S.Model("min", S.DEFAULT_MODEL.criteria, S.KeyRule(top=None, min_score=55.0)),
    S.Model("all", tuple(mc(n, i % 3, *S._DEFAULTS[n]) for i, n in enumerate(S.BUILTIN_CRITERIA)), S.KeyRule(top=30)),
    S.Model("one", (mc("revenue", 1.0, "higher", "percentile"),), S.KeyRule(top=10)),
    S.Model("ties", (mc("tier", 3.0), mc("provinces", 1.0, "lower"), mc("strategic_fit", 0.5)), S.KeyRule(top=25)),
    S.Model("gone", (mc("revenue", 1.0, "higher", "percentile"), mc("deleted_custom", 2.0)), S.KeyRule(top=8)),
]


@pytest.mark.parametrize("model", DEMO_MODELS, ids=[m.name for m in DEMO_MODELS])
def test_as_before_on_the_demo(demo_db: Database, model: S.Model) -> None:
    values = S.criteria_values(demo_db, None).values
    assert len(values) > 50
    check(values, model)
    check(values.iloc[::-1], model)  # rows in any order give the same ranking


def test_score_on_the_demo_as_before(demo_db: Database) -> None:
    cf = S.criteria_values(demo_db, None, [c.name for c in S.DEFAULT_MODEL.criteria])
    same_scores(S.score(demo_db, None, S.DEFAULT_MODEL), R.score_frame(cf.values, S.DEFAULT_MODEL, cf.window))
    sens = S.score_sensitivity(demo_db, None, S.DEFAULT_MODEL)
    pd.testing.assert_frame_equal(sens, R.sensitivity(S.score(demo_db, None, S.DEFAULT_MODEL)), check_exact=True)
    assert int(sens["n_key"].iloc[0]) == 20 and (sens[["stay_down", "stay_up"]] <= 20).all().all()


# -- hand-made frames -----------------------------------------------------------------------------------
def hand_made() -> pd.DataFrame:
    """Ties everywhere: equal values, equal revenue (then the name decides), missing values and revenue."""
    return pd.DataFrame(
        {
            "revenue": [100.0, 100.0, 100.0, 50.0, np.nan, 50.0, 0.0, 100.0, 75.0, 75.0],
            "x": [3.0, 3.0, 1.0, 3.0, 3.0, np.nan, 2.0, np.nan, 1.0, 2.0],
            "y": [1.0, 1.0, 2.0, np.nan, 1.0, 2.0, np.nan, np.nan, 2.0, 1.0],
            "z": [np.nan] * 10,  # nobody has it
            "w": [5.0] * 10,  # everybody the same
        },
        index=pd.Index(["b", "a", "乙", "c", "d", "甲", "10", "9", "Z", "e"], name="account"),
    )


HAND_MODELS = [
    S.Model("xy", (mc("x", 1.0), mc("y", 1.0)), S.KeyRule(top=3)),
    S.Model("pct", (mc("x", 2.0, "higher", "percentile"), mc("y", 1.0, "lower", "percentile")), S.KeyRule(top=4)),
    S.Model("zero", (mc("x", 1.0), mc("y", 0.0), mc("z", 0.0)), S.KeyRule(top=2)),
    S.Model("missing", (mc("z", 1.0), mc("x", 1.0, "lower")), S.KeyRule(top=5)),
    S.Model("flat", (mc("w", 1.0), mc("w2", 1.0)), S.KeyRule(top=3)),  # w2: not in the frame
    S.Model("min", (mc("x", 1.0), mc("y", 1.0, "lower", "percentile")), S.KeyRule(top=None, min_score=50.0)),
    S.Model("top_all", (mc("x", 1.0), mc("y", 3.0)), S.KeyRule(top=100)),
    S.Model("nobody", (mc("z", 1.0),), S.KeyRule(top=3)),
]


@pytest.mark.parametrize("model", HAND_MODELS, ids=[m.name for m in HAND_MODELS])
def test_as_before_on_hand_made_ties_and_gaps(model: S.Model) -> None:
    check(hand_made(), model)


def test_hand_made_ties_rank_by_revenue_then_name() -> None:
    s = S.score_frame(hand_made(), HAND_MODELS[0])
    # minmax: x 3 → 100, 2 → 50, 1 → 0; y 1 → 0, 2 → 100. c and 甲 have one criterion, at 100 (revenue 50 each:
    # the name decides, "c" < "甲"); a, b, 乙, Z, 10, d score 50 (revenue 100, 100, 100, 75, 0, missing); e 25.
    assert s.table["account"].tolist() == ["c", "甲", "a", "b", "乙", "Z", "10", "d", "e", "9"]
    assert s.table["score"].tolist()[:-1] == [100.0, 100.0, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0, 25.0]
    assert s.key_accounts() == ["c", "甲", "a"]
    assert S.score_frame(hand_made(), HAND_MODELS[-1]).key_accounts() == []  # no value anywhere: nobody is key


@pytest.mark.parametrize("seed", range(6))
def test_as_before_on_random_frames_with_many_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    values = pd.DataFrame(
        {
            "revenue": rng.choice([0.0, 10.0, 20.0, 30.0, np.nan], n, p=[0.1, 0.3, 0.3, 0.2, 0.1]),
            **{c: rng.choice([1.0, 2.0, 3.0, np.nan], n) for c in "abc"},
            "d": rng.normal(size=n) * 1e6,
        },
        index=pd.Index([f"acc{i:04d}" for i in rng.permutation(n)], name="account"),
    )
    for rule in (S.KeyRule(top=1), S.KeyRule(top=max(1, n // 3)), S.KeyRule(top=None, min_score=40.0)):
        m = S.Model("r", (mc("a", 1.5), mc("b", 1.0, "lower", "percentile"), mc("c", 0.0), mc("d", 0.7)), rule)
        check(values, m)


def test_single_row_and_empty_frames() -> None:
    one = pd.DataFrame({"revenue": [5.0], "x": [1.0]}, index=pd.Index(["only"], name="account"))
    none = one.iloc[:0]
    for values in (one, none):
        check(values, S.Model("m", (mc("x", 1.0),), S.KeyRule(top=1)))


# -- one classification, one query per data version -------------------------------------------------------
def test_a_scoring_page_run_classifies_once(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = T.account_tiers

    def counted(db: Database, *a: object, **k: object) -> pd.DataFrame:
        calls.append(a)
        return real(db, *a, **k)

    monkeypatch.setattr(T, "account_tiers", counted)
    S.clear_memo()
    derived.drop(demo_db)  # (computed, not read from the file)
    f = Filters()
    m = S.Model("other", S.DEFAULT_MODEL.criteria, S.KeyRule(top=7))
    s = S.score(demo_db, f, m)
    S.score_sensitivity(demo_db, f, m)
    S.matrix(demo_db, f)
    S.key_accounts(demo_db, f)
    S.score(demo_db, f, S.DEFAULT_MODEL)
    assert len(calls) == 1
    assert s.key_accounts() == S.score(demo_db, f, m).key_accounts()


def test_remembered_scores_are_each_callers_own(demo_db: Database) -> None:
    a = S.score(demo_db, None, S.DEFAULT_MODEL)
    a.table["score"] = 0.0
    a.values.pop("revenue")
    b = S.score(demo_db, None, S.DEFAULT_MODEL)
    assert b.table["score"].max() > 0 and "revenue" in b.values.columns
