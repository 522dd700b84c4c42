"""The scoring's composite, sensitivity and selection matrix as they were before they were vectorised
(commit 8f05647), kept verbatim as a reference.

tests/test_scoring_equivalence.py asserts that kam_core.analytics.scoring gives exactly what these give.
Only the names changed: helpers that were not rewritten (normalise_all, key_flags, parse_criteria,
quadrant, Scores) come from the module under test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kam_core.analytics.scoring import (
    DEFAULT_ATTRACTIVENESS,
    DEFAULT_STRENGTH,
    LOW_COVERAGE,
    KeyRule,
    Model,
    ModelCriterion,
    Scores,
    _is_number,
    key_flags,
    normalise_all,
    parse_criteria,
    quadrant,
)
from kam_core.coverage import Comparison
from kam_core.errors import UserError
from kam_core.filters import Filters


def composite(
    normalised: pd.DataFrame, weights: Mapping[str, float], revenue: pd.Series, key_rule: KeyRule | None = None
) -> pd.DataFrame:
    """score, coverage, low_coverage, rank, key and ``contribution.<criterion>`` per account, rank order.

    Ties in score rank by revenue descending, then account name; accounts without any
    criterion value (score NaN) rank last.
    """
    key_rule = key_rule or KeyRule()
    names = list(weights)
    w = pd.Series([float(weights[n]) for n in names], index=names, dtype=float)
    total = float(w.sum())
    nv = normalised[names]
    present = nv.notna()
    wsum = present.mul(w, axis=1).sum(axis=1)
    weighted = nv.fillna(0.0).mul(w, axis=1)
    denom = wsum.where(wsum > 0)
    score = weighted.sum(axis=1) / denom
    contrib = weighted.div(denom, axis=0).fillna(0.0)
    out = pd.DataFrame(
        {
            "account": normalised.index.astype(str),
            "score": score.to_numpy(),
            "coverage": (wsum / total).to_numpy() if total > 0 else np.zeros(len(wsum)),
            "revenue": revenue.reindex(normalised.index).astype(float).to_numpy(),
        }
    )
    out["low_coverage"] = out["coverage"] < LOW_COVERAGE
    for n in names:
        out[f"contribution.{n}"] = contrib[n].to_numpy()
    out = out.sort_values(
        ["score", "revenue", "account"], ascending=[False, False, True], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    out.insert(1, "rank", np.arange(1, len(out) + 1))
    out["key"] = key_flags(out, key_rule)
    return out


def score_frame(
    values: pd.DataFrame, model: Model, window: Filters | None = None, growth: Comparison | None = None
) -> Scores:
    """Score a per-account criteria frame (index account, a ``revenue`` column) — pure."""
    names = [c.name for c in model.criteria]
    vals = values.reindex(columns=names).astype(float)
    norm = normalise_all(vals, model.criteria)
    table = composite(norm, model.weights, values["revenue"], model.key_rule)
    order = pd.Index(table["account"], name="account")
    return Scores(model, window or Filters(), table, vals.reindex(order), norm.reindex(order), growth)


def sensitivity(scores: Scores, delta: float = 0.2) -> pd.DataFrame:
    """Per criterion: how many of today's key accounts stay key when its weight moves −delta and +delta.

    Columns: criterion, weight, n_key, stay_down, stay_up.
    """
    model = scores.model
    key_now = set(scores.key_accounts())
    norm = scores.normalised
    revenue = scores.table.set_index("account")["revenue"]
    rows = []
    for c in model.criteria:
        stays = []
        for factor in (1.0 - delta, 1.0 + delta):
            w = dict(model.weights)
            w[c.name] = c.weight * factor
            if sum(w.values()) <= 0:
                stays.append(0)
                continue
            tab = composite(norm, w, revenue, model.key_rule)
            stays.append(len(key_now & set(tab.loc[tab["key"], "account"])))
        rows.append(
            {"criterion": c.name, "weight": c.weight, "n_key": len(key_now), "stay_down": stays[0], "stay_up": stays[1]}
        )
    return pd.DataFrame(rows, columns=["criterion", "weight", "n_key", "stay_down", "stay_up"])


def _axis(values: pd.DataFrame, criteria: Sequence[ModelCriterion]) -> pd.DataFrame:
    norm = normalise_all(values.reindex(columns=[c.name for c in criteria]), criteria)
    tab = composite(norm, {c.name: c.weight for c in criteria}, values["revenue"])
    return tab.set_index("account")[["score", "coverage"]]


def matrix_frame(
    values: pd.DataFrame,
    attractiveness: Sequence[ModelCriterion] = DEFAULT_ATTRACTIVENESS,
    strength: Sequence[ModelCriterion] = DEFAULT_STRENGTH,
    a_threshold: float = 50.0,
    s_threshold: float = 50.0,
) -> pd.DataFrame:
    """Per account: revenue (bubble size), attractiveness, strength (0–100, scored like the composite),
    their coverages and the quadrant code. Sorted by revenue descending, then account."""
    for th in (a_threshold, s_threshold):
        if not _is_number(th) or not 0 <= th <= 100:
            raise UserError("scoring.err.threshold", value=th)
    a = _axis(values, parse_criteria(list(attractiveness), None))
    s = _axis(values, parse_criteria(list(strength), None))
    out = pd.DataFrame(
        {
            "account": values.index.astype(str),
            "revenue": values["revenue"].astype(float).to_numpy(),
            "attractiveness": a["score"].reindex(values.index).to_numpy(),
            "strength": s["score"].reindex(values.index).to_numpy(),
            "attractiveness_coverage": a["coverage"].reindex(values.index).to_numpy(),
            "strength_coverage": s["coverage"].reindex(values.index).to_numpy(),
        }
    )
    out["quadrant"] = [
        quadrant(x, y, a_threshold, s_threshold) for x, y in zip(out["attractiveness"], out["strength"], strict=True)
    ]
    return out.sort_values(["revenue", "account"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
