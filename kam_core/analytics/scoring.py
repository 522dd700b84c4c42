"""Choosing key accounts (spec §7, domain §5): evaluation criteria, composite score, selection matrix.

Pipeline, each step usable on its own (a page is a thin layer on top):

1. :func:`criteria_values` — one row per account with at least one sales line in the window
   (default: the last 12 months of data), one float column per criterion, NaN = missing
   (never 0). Data criteria come from one aggregate query over sales joined with the
   receivables and the account master; stores / provinces / tier from the tier classifier.
2. :func:`normalise` — each criterion to 0–100 (``percentile`` or ``minmax``), better = higher.
3. :func:`composite` — score = Σ wᵢnᵢ ÷ Σ wᵢ over the criteria the account has a value for;
   coverage, contributions (summing to the score), rank, key flag.
4. :func:`score` ties them together for a :class:`Model`; :func:`sensitivity` and
   :func:`matrix_frame` work on the same per-account frame.

At 100 000 accounts nothing here loops over accounts in Python: the composite is array arithmetic
(summed criterion by criterion, as pandas did), the sensitivity scores all its changed weightings in
one pass, and the criteria and scores are remembered per data version (one tier classification and
one aggregate query per version and window). tests/test_scoring_equivalence.py holds them equal to
the previous pandas code (tests/scoring_reference.py).

Models are saved by name as append-only versions (``score_models``, migration V5); one is
active (``score_model_activations``, the latest row wins). Without a saved model the
built-in :data:`DEFAULT_MODEL` applies.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kam_core.coverage import Comparison, compare_year_before, month_end
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters, add_months
from kam_core.i18n import CATALOG, t
from kam_core.memo import Memo, data_key

# -- criteria -----------------------------------------------------------------------------------
DATA_CRITERIA = (
    "revenue",
    "revenue_share",
    "growth",
    "gross_margin",
    "trade_spend_pct",
    "overdue_pct",
    "stores",
    "provinces",
    "tier",
)
JUDGEMENT_CRITERIA = ("strategic_fit",)
BUILTIN_CRITERIA = DATA_CRITERIA + JUDGEMENT_CRITERIA
TIER_VALUE = {"GKA": 3.0, "NKA": 2.0, "LKA": 1.0}  # anything else (not K/A) → 0
FOOTPRINT_CRITERIA = ("stores", "provinces", "tier")  # from kam_core.analytics.tiers

DIRECTIONS = ("higher", "lower")
NORMALISATIONS = ("percentile", "minmax", "scale")
# The criteria measured on a fixed scale, with its ends: "scale" scores them against the scale itself
# (GKA 100, NKA 67, LKA 33, no K/A 0), whoever else is in the data. (minmax clipped to the 5th–95th
# percentiles gave GKA, NKA and LKA alike 100 when nine accounts in ten are no K/A.)
SCALES: dict[str, tuple[float, float]] = {"tier": (0.0, 3.0), "strategic_fit": (1.0, 5.0)}
# (direction, normalisation) by default: percentile for heavy-tailed sizes, minmax for ratios, scale for scales.
_DEFAULTS: dict[str, tuple[str, str]] = {
    "revenue": ("higher", "percentile"),
    "revenue_share": ("higher", "percentile"),
    "growth": ("higher", "minmax"),
    "gross_margin": ("higher", "minmax"),
    "trade_spend_pct": ("lower", "minmax"),
    "overdue_pct": ("lower", "minmax"),
    "stores": ("higher", "percentile"),
    "provinces": ("higher", "minmax"),
    "tier": ("higher", "scale"),
    "strategic_fit": ("higher", "scale"),
}
CUSTOM_NORMALISE = "minmax"
LOW_COVERAGE = 0.5  # coverage below this → flagged
CLIP = (5.0, 95.0)  # minmax clips to these percentiles
BUILTIN_MODEL = "builtin"
MAX_NAME = 60


@dataclass(frozen=True)
class CriterionInfo:
    """A criterion that can be used in a model: built-in (data / judgement) or custom."""

    name: str
    kind: str  # data | judgement | custom
    direction: str
    normalise: str
    description: str | None = None

    def label(self, lang: str = "en") -> str:
        key = f"scoring.criterion.{self.name}"
        return t(key, lang) if key in CATALOG else self.name

    def definition(self, lang: str = "en") -> str:
        if self.kind == "custom":
            return self.description or t("scoring.definition.custom", lang)
        return t(f"scoring.definition.{self.name}", lang)


def builtin_criteria() -> dict[str, CriterionInfo]:
    return {n: CriterionInfo(n, "data" if n in DATA_CRITERIA else "judgement", *_DEFAULTS[n]) for n in BUILTIN_CRITERIA}


def custom_criteria(db: Database) -> dict[str, CriterionInfo]:
    rows = db.rows("SELECT name, direction, description FROM score_criteria ORDER BY name")
    return {n: CriterionInfo(n, "custom", d, CUSTOM_NORMALISE, desc) for n, d, desc in rows}


def all_criteria(db: Database | None = None) -> dict[str, CriterionInfo]:
    """Every criterion a model may name: the built-in ones, then the custom ones of ``db``."""
    out = builtin_criteria()
    if db is not None:
        out.update(custom_criteria(db))
    return out


# -- models -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelCriterion:
    """One criterion of a model: its weight (≥ 0; 0 removes it), direction and normalisation."""

    name: str
    weight: float
    direction: str = "higher"
    normalise: str = "percentile"

    def to_dict(self) -> dict:
        return {"name": self.name, "weight": self.weight, "direction": self.direction, "normalise": self.normalise}


@dataclass(frozen=True)
class KeyRule:
    """Key-account cut-off: the ``top`` N by rank, or every account with score ≥ ``min_score``."""

    top: int | None = 20
    min_score: float | None = None

    def to_dict(self) -> dict:
        return {"top": self.top} if self.top is not None else {"min_score": self.min_score}

    def describe(self, lang: str = "en") -> str:
        if self.top is not None:
            return t("scoring.key_rule.top", lang, n=self.top)
        return t("scoring.key_rule.min_score", lang, x=self.min_score)


@dataclass(frozen=True)
class Model:
    """A scoring model; ``version`` / ``saved_by`` / ``saved_at`` are set once it is saved."""

    name: str
    criteria: tuple[ModelCriterion, ...]
    key_rule: KeyRule = field(default_factory=KeyRule)
    version: int | None = None
    saved_by: str | None = None
    saved_at: datetime | None = None

    @property
    def weights(self) -> dict[str, float]:
        return {c.name: c.weight for c in self.criteria}

    @property
    def total_weight(self) -> float:
        return float(sum(c.weight for c in self.criteria))

    def criterion(self, name: str) -> ModelCriterion:
        return next(c for c in self.criteria if c.name == name)

    def to_dict(self) -> dict:
        """The model file / stored document (without version metadata)."""
        return {
            "name": self.name,
            "criteria": [c.to_dict() for c in self.criteria],
            "key_rule": self.key_rule.to_dict(),
        }


# The built-in model (spec §7, domain §5: a key account is large now and has a large
# footprint / potential): size 4, footprint (stores, tier) 2 each; growth, margin, cost to
# serve, payment behaviour and strategic fit 1 each. Σ weights = 13. Key accounts: top 20.
DEFAULT_MODEL = Model(
    BUILTIN_MODEL,
    (
        ModelCriterion("revenue", 4.0, "higher", "percentile"),
        ModelCriterion("growth", 1.0, "higher", "minmax"),
        ModelCriterion("gross_margin", 1.0, "higher", "minmax"),
        ModelCriterion("trade_spend_pct", 1.0, "lower", "minmax"),
        ModelCriterion("overdue_pct", 1.0, "lower", "minmax"),
        ModelCriterion("stores", 2.0, "higher", "percentile"),
        ModelCriterion("tier", 2.0, "higher", "scale"),
        ModelCriterion("strategic_fit", 1.0, "higher", "scale"),
    ),
    KeyRule(top=20),
)

# Matrix axes by default: how attractive the account is, and how strong we are with it.
DEFAULT_ATTRACTIVENESS = (
    ModelCriterion("stores", 1.0, "higher", "percentile"),
    ModelCriterion("provinces", 1.0, "higher", "minmax"),
    ModelCriterion("tier", 1.0, "higher", "scale"),
    ModelCriterion("gross_margin", 1.0, "higher", "minmax"),
    ModelCriterion("overdue_pct", 1.0, "lower", "minmax"),
    ModelCriterion("strategic_fit", 1.0, "higher", "scale"),
)
DEFAULT_STRENGTH = (
    ModelCriterion("revenue_share", 2.0, "higher", "percentile"),
    ModelCriterion("growth", 1.0, "higher", "minmax"),
)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def parse_criteria(items: object, known: Mapping[str, CriterionInfo] | None) -> tuple[ModelCriterion, ...]:
    """Validate a list of criteria (dicts or ModelCriterion); ``known=None`` skips the name check."""
    if isinstance(items, ModelCriterion):
        items = [items]
    if not isinstance(items, list | tuple) or not items:
        raise UserError("scoring.err.no_criteria")
    out: list[ModelCriterion] = []
    seen: set[str] = set()
    for i, c in enumerate(items, start=1):
        d = c.to_dict() if isinstance(c, ModelCriterion) else c
        if not isinstance(d, Mapping) or not isinstance(d.get("name"), str) or "weight" not in d:
            raise UserError("scoring.err.criterion_shape", n=i)
        name = d["name"].strip()
        info = (known or {}).get(name)
        if known is not None and info is None:
            raise UserError("scoring.err.unknown_criterion", name=name, known=", ".join(known))
        if name in seen:
            raise UserError("scoring.err.duplicate_criterion", name=name)
        seen.add(name)
        w = d["weight"]
        if not _is_number(w) or w < 0:
            raise UserError("scoring.err.weight", name=name, value=json.dumps(w, default=str))
        dflt_dir, dflt_norm = (info.direction, info.normalise) if info else _DEFAULTS.get(name, ("higher", "minmax"))
        direction = d.get("direction") or dflt_dir
        if direction not in DIRECTIONS:
            raise UserError("scoring.err.direction", name=name, value=json.dumps(direction, default=str))
        norm = d.get("normalise") or dflt_norm
        if norm not in NORMALISATIONS:
            raise UserError("scoring.err.normalise", name=name, value=json.dumps(norm, default=str))
        if norm == "scale" and name not in SCALES:
            raise UserError("scoring.err.no_scale", name=name, scales=", ".join(SCALES))
        out.append(ModelCriterion(name, float(w), direction, norm))
    if not any(c.weight > 0 for c in out):
        raise UserError("scoring.err.all_zero")
    return tuple(out)


def parse_key_rule(v: object) -> KeyRule:
    if v is None:
        return KeyRule()
    if isinstance(v, KeyRule):
        v = v.to_dict()
    bad = UserError("scoring.err.key_rule", value=json.dumps(v, default=str, ensure_ascii=False))
    if not isinstance(v, Mapping) or len(v) != 1:
        raise bad
    if "top" in v:
        n = v["top"]
        if not _is_number(n) or n != int(n) or n < 1:
            raise bad
        return KeyRule(top=int(n))
    if "min_score" in v:
        x = v["min_score"]
        if not _is_number(x) or not 0 <= x <= 100:
            raise bad
        return KeyRule(top=None, min_score=float(x))
    raise bad


def parse_model(doc: object, known: Mapping[str, CriterionInfo] | None = None) -> Model:
    """A model from its JSON document; UserError (catalog key) for anything wrong."""
    if isinstance(doc, Model):
        doc = doc.to_dict()
    if not isinstance(doc, Mapping) or not isinstance(doc.get("criteria"), list):
        raise UserError("scoring.err.model_shape")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise UserError("scoring.err.model_name")
    return Model(name.strip(), parse_criteria(doc["criteria"], known), parse_key_rule(doc.get("key_rule")))


def read_model_file(path: str | Path) -> dict:
    """The JSON document of a model file (UserError when it cannot be read or parsed)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError("scoring.err.model_file", path=str(path), why=str(e)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError("scoring.err.json", why=str(e)) from None


# -- the window ---------------------------------------------------------------------------------
def scoring_window(db: Database, f: Filters | None = None, months: int = 12) -> Filters:
    """``f`` with a complete period: missing ends default to the last ``months`` months of data."""
    f = f or Filters()
    if f.has_period():
        return f
    end = f.end or db.scalar(f"SELECT max(period) FROM {FACTS}")  # noqa: S608 - a fixed table name
    if end is None:
        return f
    end = date(end.year, end.month, 1)
    start = f.start or add_months(end, -(months - 1))
    return f.with_period(start, end)


# -- step 1: criteria values --------------------------------------------------------------------
@dataclass(frozen=True)
class CriteriaFrame:
    """Per-account criteria over ``window``; ``growth`` says whether growth could be computed."""

    window: Filters
    values: pd.DataFrame  # index: account (sorted); float columns, NaN = missing; always has "revenue"
    growth: Comparison | None


# The sums per account read sales_cube (every filter dimension is one of its columns; its DECIMAL
# sums sum to the very numbers the lines give; a line count is the sum of its ``lines``).
# tests/test_tiers_facts.py computes the criteria and scores again with FACTS = "sales" and compares.
FACTS = "sales_cube"
_LINES = {"sales_cube": "sum(lines)", "sales": "count(*)"}

_SALES_SQL = """
WITH s AS (  -- the window's sums: accounts with a line in it
    SELECT account, sum(revenue) AS revenue, sum(gross_profit) AS gross_profit, sum(trade_spend) AS trade_spend,
           {lines} AS n_lines
    FROM {facts} WHERE {where} AND period BETWEEN ? AND ? GROUP BY account),
p AS (  -- the year before (empty when growth cannot be compared)
    SELECT account, sum(revenue) AS revenue_prior
    FROM {facts} WHERE {where} AND period BETWEEN ? AND ? GROUP BY account),
rec AS (  -- each account's latest ageing snapshot on or before the window's last day
    SELECT account, sum(overdue) AS overdue, sum(total) AS total FROM (
        SELECT account, as_of,
               coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0) + coalesce(overdue_61_90, 0)
                   + coalesce(overdue_90_plus, 0) AS overdue,
               coalesce(current, 0) + coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0)
                   + coalesce(overdue_61_90, 0) + coalesce(overdue_90_plus, 0) AS total,
               max(as_of) OVER (PARTITION BY account) AS latest
        FROM receivables WHERE as_of <= ?)
    WHERE as_of = latest GROUP BY account)
SELECT s.account, s.revenue::DOUBLE AS revenue, s.gross_profit::DOUBLE AS gross_profit,
       s.trade_spend::DOUBLE AS trade_spend, p.revenue_prior::DOUBLE AS revenue_prior,
       rec.overdue::DOUBLE AS overdue, rec.total::DOUBLE AS receivables, a.strategic_fit::DOUBLE AS strategic_fit
FROM s LEFT JOIN p USING (account) LEFT JOIN rec USING (account) LEFT JOIN accounts a USING (account)
WHERE s.n_lines > 0
ORDER BY s.account
"""


# Memos per database and data version (every write bumps the version): a scoring page asks for the same
# window's criteria and the same model's scores several times in one run (ranking, sensitivity, matrix,
# the warnings' key accounts), and the tier classification behind the footprint once per version.
# Criteria, scores and key accounts are also kept in the database file (kam_core.derived: a fresh process reads
# them; the writers compute them right after a change).
_MEMOS = {
    "criteria": Memo(8, persist="scoring.criteria"), "footprint": Memo(2), "scores": Memo(4, persist="scoring.scores"),
}  # fmt: skip  # (scores of 100 000 accounts: ~30 MB)


def _remember(kind: str, key: tuple, build: Callable[[], Any], db: Database | None = None) -> Any:
    """``build()`` once per ``key`` (the last few keys of each kind are kept; with ``db``, in the file too)."""
    return _MEMOS[kind].get(key, build, db)


def _footprint(db: Database) -> pd.DataFrame:
    """stores, provinces, tier (as criterion values) per account of the tier classification (index account)."""
    from kam_core.analytics.tiers import account_tiers

    def build() -> pd.DataFrame:
        tiers = account_tiers(db)
        tier = tiers["tier"]
        out = pd.DataFrame(
            {
                "stores": tiers["stores"].astype(float).to_numpy(),
                "provinces": tiers["n_provinces"].astype(float).to_numpy(),
                "tier": tier.map(TIER_VALUE).astype(float).fillna(0.0).where(tier.notna()).to_numpy(),
            },
            index=pd.Index(tiers["account"].to_numpy(dtype=object), name="account"),
        )
        return out

    return _remember("footprint", data_key(db), build)


def _criteria(db: Database, w: Filters, footprint: bool, custom: tuple[str, ...]) -> tuple[pd.DataFrame, Comparison]:
    """Every built-in data criterion (the footprint ones when ``footprint``) and the ``custom`` ones over the
    window ``w`` (complete), with the year-before comparison behind growth; remembered per data version."""

    def build() -> tuple[pd.DataFrame, Comparison]:
        cs, ce = w.start, w.end
        growth = compare_year_before(db, w)
        ps = pe = date(1, 1, 1)  # an empty prior window unless growth is comparable
        if growth.ok:
            prior = w.year_before()
            ps, pe = prior.start, prior.end
        where, params = w.where(period=False)
        sql = _SALES_SQL.format(where=where, facts=FACTS, lines=_LINES[FACTS])
        args = [*params, cs, ce, *params, ps, pe, month_end(ce)]
        raw = db.df(sql, args)
        index = pd.Index(raw["account"].to_numpy(dtype=object), name="account")  # object keys: faster joins
        raw = raw.drop(columns="account").set_axis(index)
        rev = raw["revenue"]
        pos = rev > 0
        total = rev.sum()
        prior_rev = raw["revenue_prior"]
        cols = {
            "revenue": rev,
            "revenue_share": rev / total if total > 0 else np.nan,
            "growth": (rev / prior_rev - 1.0).where(prior_rev > 0) if growth.ok else np.nan,
            "gross_margin": (raw["gross_profit"] / rev).where(pos & raw["gross_profit"].notna()),
            "trade_spend_pct": (raw["trade_spend"] / rev).where(pos & raw["trade_spend"].notna()),
            "overdue_pct": (raw["overdue"] / raw["receivables"]).where(raw["receivables"] > 0),
            "strategic_fit": raw["strategic_fit"],
        }
        out = pd.DataFrame(cols, index=index, dtype=float)
        if footprint and len(out):
            fp = _footprint(db).reindex(index)
            for n in FOOTPRINT_CRITERIA:
                out[n] = fp[n].to_numpy()
        if custom and len(out):
            cv = db.df(
                f"SELECT criterion, account, value FROM score_criterion_values "  # noqa: S608 - placeholders only
                f"WHERE criterion IN ({', '.join('?' * len(custom))})",
                list(custom),
            )
            piv = cv.pivot(index="account", columns="criterion", values="value") if len(cv) else pd.DataFrame()
            for n in custom:
                out[n] = piv[n].reindex(index).astype(float).to_numpy() if n in piv else np.nan
        return out, growth

    return _remember("criteria", (*data_key(db), FACTS, w, footprint, custom), build, db)


def criteria_values(db: Database, f: Filters | None = None, names: Iterable[str] | None = None) -> CriteriaFrame:
    """Every criterion in ``names`` (default: all known) for each account with a sales line in the window.

    Unknown names (e.g. a custom criterion deleted since a model was saved) give a column of NaN.
    """
    w = scoring_window(db, f)
    wanted = list(dict.fromkeys(["revenue", *(names if names is not None else all_criteria(db))]))
    if not w.has_period():
        return CriteriaFrame(w, pd.DataFrame(columns=wanted, dtype=float, index=pd.Index([], name="account")), None)
    footprint = any(n in FOOTPRINT_CRITERIA for n in wanted)
    custom = tuple(sorted({n for n in wanted if n not in BUILTIN_CRITERIA}))
    values, growth = _criteria(db, w, footprint, custom)
    out = values.reindex(columns=wanted).astype(float)  # (no account in the window: no footprint columns yet)
    return CriteriaFrame(w, out, growth if "growth" in wanted else None)


# -- step 2: normalisation (pure) ---------------------------------------------------------------
def normalise(
    values: pd.Series, method: str = "percentile", direction: str = "higher", scale: tuple[float, float] | None = None
) -> pd.Series:
    """0–100, better = higher, over the accounts that have a value (NaN stays NaN).

    percentile: 100 × (r − 1) ÷ (N − 1), r = average rank (ties share their mean rank), N = 1 → 100.
    minmax: clip to the 5th / 95th percentiles (linear interpolation), then 100 × (x − lo) ÷ (hi − lo);
    50 when hi = lo. scale: the same against the ends of the criterion's own ``scale`` (no clipping to
    the data). ``lower`` reverses ranks / values.
    """
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    mask = ~np.isnan(arr)
    x = arr[mask]
    res = np.full(len(arr), np.nan)
    n = len(x)
    if n == 0:
        pass
    elif method == "percentile":
        if n == 1:
            res[mask] = 100.0
        else:
            r = pd.Series(x).rank(method="average", ascending=direction == "higher").to_numpy()
            res[mask] = 100.0 * (r - 1.0) / (n - 1)
    elif method in ("minmax", "scale"):
        if method == "scale":
            if scale is None:
                raise ValueError("the scale normalisation needs the scale's ends")
            lo, hi = scale
        else:
            lo, hi = (float(q) for q in np.percentile(x, CLIP))
        if hi == lo:
            res[mask] = 50.0
        else:
            c = np.clip(x, lo, hi)
            res[mask] = 100.0 * (((c - lo) if direction == "higher" else (hi - c)) / (hi - lo))  # ends exact
    else:
        raise ValueError(f"unknown normalisation {method!r}")
    return pd.Series(res, index=values.index, dtype=float)


def normalise_all(values: pd.DataFrame, criteria: Sequence[ModelCriterion]) -> pd.DataFrame:
    return pd.DataFrame(
        {c.name: normalise(values[c.name], c.normalise, c.direction, SCALES.get(c.name)) for c in criteria},
        index=values.index,
    )


# -- step 3: composite (pure) -------------------------------------------------------------------
def _weighted(nv: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ wᵢnᵢ and Σ wᵢ over the criteria each row has a value for (``nv``: rows × criteria, NaN = missing).

    ``w`` is one weight per criterion, or criteria × variants (then rows × variants: several weightings in
    one pass, as the sensitivity needs). Summed criterion by criterion in their order, as pandas sums a
    frame's row: the same numbers for one weighting or many.
    """
    present = np.asfortranarray(~np.isnan(nv))  # (a criterion's column contiguous)
    filled = np.where(present, nv, 0.0)
    shape = (nv.shape[0], *w.shape[1:])
    num, wsum, part = np.zeros(shape), np.zeros(shape), np.empty(shape)
    for j in range(nv.shape[1]):
        x = filled[:, j] if w.ndim == 1 else filled[:, j, None]
        p = present[:, j] if w.ndim == 1 else present[:, j, None]
        if j == 0:
            np.multiply(x, w[j], out=num)
            np.multiply(p, w[j], out=wsum)
            continue
        np.add(num, np.multiply(x, w[j], out=part), out=num)
        np.add(wsum, np.multiply(p, w[j], out=part), out=wsum)
    return num, wsum


def _per_weight(num: np.ndarray, wsum: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The score (NaN without any weighted value) and the denominator it divides by."""
    denom = np.where(wsum > 0, wsum, np.nan)
    return num / denom, denom


def _account_rank(accounts: pd.Index) -> np.ndarray:
    """Each row's place among the account names, ascending (equal names keep their order)."""
    n = len(accounts)
    if accounts.is_monotonic_increasing:  # as criteria_values gives them
        return np.arange(n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.asarray(accounts.argsort())] = np.arange(n)
    return rank


def _tiebreak(revenue: np.ndarray, accounts: pd.Index) -> np.ndarray:
    """Each row's place in the order revenue descending (missing last), then account name."""
    order = np.lexsort((_account_rank(accounts), -revenue))
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    return place


def _aligned(series: pd.Series, index: pd.Index) -> np.ndarray:
    same = series.index is index or series.index.equals(index)
    return (series if same else series.reindex(index)).to_numpy(dtype=float, na_value=np.nan)


def _ranked(
    normalised: pd.DataFrame, weights: Mapping[str, float], revenue: pd.Series, key_rule: KeyRule
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`composite`'s table and, per table row, the row of ``normalised`` it comes from."""
    names = list(weights)
    w = np.array([float(weights[n]) for n in names], dtype=float)
    total = float(w.sum())
    nv = normalised[names].to_numpy(dtype=float, na_value=np.nan)
    num, wsum = _weighted(nv, w)
    score, denom = _per_weight(num, wsum)
    accounts = normalised.index.astype(str)
    rev = _aligned(revenue, normalised.index)
    order = np.lexsort((_tiebreak(rev, accounts), -score))  # score descending, NaN last
    coverage = wsum / total if total > 0 else np.zeros(len(wsum))
    out = pd.DataFrame(
        {
            "account": accounts[order],
            "rank": np.arange(1, len(order) + 1),
            "score": score[order],
            "coverage": coverage[order],
            "revenue": rev[order],
        }
    )
    out["low_coverage"] = out["coverage"] < LOW_COVERAGE
    filled = np.where(np.isnan(nv), 0.0, nv)
    for j, n in enumerate(names):
        c = (filled[order, j] * w[j]) / denom[order]
        out[f"contribution.{n}"] = np.where(np.isnan(c), 0.0, c)
    out["key"] = key_flags(out, key_rule)
    return out, order


def composite(
    normalised: pd.DataFrame, weights: Mapping[str, float], revenue: pd.Series, key_rule: KeyRule | None = None
) -> pd.DataFrame:
    """score, coverage, low_coverage, rank, key and ``contribution.<criterion>`` per account, rank order.

    Ties in score rank by revenue descending, then account name; accounts without any
    criterion value (score NaN) rank last.
    """
    return _ranked(normalised, weights, revenue, key_rule or KeyRule())[0]


def key_flags(table: pd.DataFrame, rule: KeyRule) -> pd.Series:
    """Key account: rank ≤ top, or score ≥ min_score (NaN scores are never key)."""
    if rule.top is not None:
        return (table["rank"] <= rule.top) & table["score"].notna()
    return table["score"] >= float(rule.min_score)  # type: ignore[arg-type]


# -- step 4: score a model ----------------------------------------------------------------------
@dataclass(frozen=True)
class Scores:
    """The scored accounts under one model, in rank order (every frame indexed the same way)."""

    model: Model
    window: Filters
    table: pd.DataFrame  # account, rank, score, coverage, revenue, low_coverage, key (+ contribution.<c>)
    values: pd.DataFrame  # index account: raw value per model criterion
    normalised: pd.DataFrame  # index account: 0–100 per model criterion
    growth: Comparison | None = None

    @property
    def contributions(self) -> pd.DataFrame:
        cols = [f"contribution.{c.name}" for c in self.model.criteria]
        out = self.table.set_index("account")[cols]
        out.columns = [c.name for c in self.model.criteria]
        return out

    def key_accounts(self) -> list[str]:
        return self.table.loc[self.table["key"], "account"].tolist()

    def breakdown(self, account: str) -> pd.DataFrame:
        """criterion, value, normalised, weight, contribution for one account (the page's detail)."""
        hits = np.flatnonzero(self.table["account"].eq(account).to_numpy(dtype=bool, na_value=False))
        if not len(hits):
            raise KeyError(account)
        i = int(hits[0])
        row = self.table.iloc[i]

        def at(frame: pd.DataFrame) -> pd.Series:  # (score_frame keeps them in the table's order)
            return frame.iloc[i] if frame.index[i] == account else frame.loc[account]

        values, normalised = at(self.values), at(self.normalised)
        return pd.DataFrame(
            [
                {
                    "criterion": c.name,
                    "value": _f(values[c.name]),
                    "normalised": _f(normalised[c.name]),
                    "weight": c.weight,
                    "contribution": float(row[f"contribution.{c.name}"]),
                    "direction": c.direction,
                    "normalise": c.normalise,
                }
                for c in self.model.criteria
            ]
        )

    def records(self, limit: int | None = None) -> list[dict]:
        """The CLI's JSON: rank order, criteria with value / normalised (None when missing) / weight / contribution."""
        tab = self.table if limit is None else self.table.head(limit)
        names = [c.name for c in self.model.criteria]
        vals = self.values.reindex(tab["account"])[names].to_numpy()
        norms = self.normalised.reindex(tab["account"])[names].to_numpy()
        contrib = tab[[f"contribution.{n}" for n in names]].to_numpy()
        weights = [c.weight for c in self.model.criteria]
        out = []
        for i, r in enumerate(tab[["account", "score", "rank", "key", "coverage"]].itertuples(index=False)):
            out.append(
                {
                    "account": r.account,
                    "score": _f(r.score),
                    "rank": int(r.rank),
                    "key": bool(r.key),
                    "coverage": float(r.coverage),
                    "criteria": {
                        n: {
                            "value": _f(vals[i, j]),
                            "normalised": _f(norms[i, j]),
                            "weight": weights[j],
                            "contribution": float(contrib[i, j]),
                        }
                        for j, n in enumerate(names)
                    },
                }
            )
        return out


def _f(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else float(v)  # type: ignore[arg-type]


def _in_order(frame: pd.DataFrame, rows: np.ndarray, index: pd.Index) -> pd.DataFrame:
    out = frame.iloc[rows]
    out.index = index
    return out


def score_frame(
    values: pd.DataFrame, model: Model, window: Filters | None = None, growth: Comparison | None = None
) -> Scores:
    """Score a per-account criteria frame (index account, a ``revenue`` column) — pure."""
    names = [c.name for c in model.criteria]
    vals = values.reindex(columns=names).astype(float)
    norm = normalise_all(vals, model.criteria)
    table, rows = _ranked(norm, model.weights, values["revenue"], model.key_rule)
    order = pd.Index(table["account"], name="account")
    return Scores(model, window or Filters(), table, _in_order(vals, rows, order), _in_order(norm, rows, order), growth)


def score(db: Database, f: Filters | None = None, model: Model | None = None) -> Scores:
    """Score every account with a sales line in the window (default: last 12 months of data).

    Remembered per database, data version, filters and model (the page, its sensitivity, the warnings and
    the tier list ask for the same scores); each caller gets its own frames.
    """
    model = model or active_model(db)

    def build() -> Scores:
        cf = criteria_values(db, f, [c.name for c in model.criteria])
        return score_frame(cf.values, model, cf.window, cf.growth)

    # (keyed by the window ``f`` resolves to: the sidebar's "all months", None and the last 12 months explicitly
    # are the same scores)
    s = _remember("scores", (*data_key(db), FACTS, scoring_window(db, f), model), build, db)
    return replace(s, table=s.table.copy(deep=False), values=s.values.copy(deep=False),
                   normalised=s.normalised.copy(deep=False))  # fmt: skip


# -- sensitivity (pure) -------------------------------------------------------------------------
def _key_mask(score: np.ndarray, tiebreak: np.ndarray, rule: KeyRule) -> np.ndarray:
    """:func:`key_flags` per row without ranking every row: for ``top`` only the rows that can be among
    the first ``top`` (score at least the top-th best) are put in order (score, then ``tiebreak``)."""
    if rule.top is None:
        return score >= float(rule.min_score)  # type: ignore[arg-type]
    valid = ~np.isnan(score)
    n_valid = int(valid.sum())
    if rule.top >= n_valid:
        return valid
    s = score[valid]
    cut = np.partition(s, n_valid - rule.top)[n_valid - rule.top]  # the top-th best score
    rows = np.flatnonzero(valid & (score >= cut))
    if len(rows) > rule.top:  # ties at the cut: the order decides
        rows = rows[np.lexsort((tiebreak[rows], -score[rows]))[: rule.top]]
    out = np.zeros(len(score), dtype=bool)
    out[rows] = True
    return out


def sensitivity(scores: Scores, delta: float = 0.2) -> pd.DataFrame:
    """Per criterion: how many of today's key accounts stay key when its weight moves −delta and +delta.

    Columns: criterion, weight, n_key, stay_down, stay_up. Every changed weighting is scored in one pass
    over the criteria (:func:`_weighted`), each ranked as :func:`composite` ranks.
    """
    model = scores.model
    norm = scores.normalised
    accounts = norm.index.astype(str)
    tab = scores.table
    if len(tab) == len(norm) and np.array_equal(tab["account"].to_numpy(dtype=object), accounts.to_numpy(dtype=object)):
        key_now, revenue = tab["key"].to_numpy(dtype=bool), tab["revenue"].to_numpy(dtype=float)
    else:  # (frames not in the table's order)
        by = tab.set_index("account")
        key_now = by["key"].reindex(accounts).fillna(False).to_numpy(dtype=bool)
        revenue = by["revenue"].reindex(accounts).to_numpy(dtype=float, na_value=np.nan)
    n_key = len(set(tab.loc[tab["key"], "account"]))
    names = [c.name for c in model.criteria]
    variants = []  # criterion i's weight × (1 − delta), then × (1 + delta)
    for i, c in enumerate(model.criteria):
        for factor in (1.0 - delta, 1.0 + delta):
            w = [x.weight for x in model.criteria]
            w[i] = c.weight * factor
            variants.append(w)
    rows = []
    if variants:
        num, wsum = _weighted(norm[names].to_numpy(dtype=float, na_value=np.nan), np.array(variants, dtype=float).T)
        score, _ = _per_weight(num, wsum)
        tiebreak = _tiebreak(revenue, accounts)
        stays = [
            0 if sum(w) <= 0 else int((_key_mask(score[:, v], tiebreak, model.key_rule) & key_now).sum())
            for v, w in enumerate(variants)
        ]
        for i, c in enumerate(model.criteria):
            rows.append({"criterion": c.name, "weight": c.weight, "n_key": n_key, "stay_down": stays[2 * i],
                         "stay_up": stays[2 * i + 1]})  # fmt: skip
    return pd.DataFrame(rows, columns=["criterion", "weight", "n_key", "stay_down", "stay_up"])


# -- selection matrix ---------------------------------------------------------------------------
QUADRANTS = ("invest", "maintain", "cash", "reconsider")


def quadrant_name(code: str, lang: str = "en") -> str:
    return t(f"scoring.quadrant.{code}", lang)


def quadrant_meaning(code: str, lang: str = "en") -> str:
    return t(f"scoring.quadrant_meaning.{code}", lang)


def quadrant(
    attractiveness: float, strength: float, a_threshold: float = 50.0, s_threshold: float = 50.0
) -> str | None:
    """invest (attractive, strong) · maintain (less attractive, strong) · cash (neither) · reconsider
    (attractive, weak); None when either axis is missing."""
    if attractiveness is None or strength is None or math.isnan(attractiveness) or math.isnan(strength):
        return None
    hi_a, hi_s = attractiveness >= a_threshold, strength >= s_threshold
    return "invest" if hi_a and hi_s else "maintain" if hi_s else "reconsider" if hi_a else "cash"


def _axis(values: pd.DataFrame, criteria: Sequence[ModelCriterion]) -> tuple[np.ndarray, np.ndarray]:
    """score and coverage per row of ``values`` (as :func:`composite` scores them)."""
    norm = normalise_all(values.reindex(columns=[c.name for c in criteria]), criteria)
    w = np.array([c.weight for c in criteria], dtype=float)
    num, wsum = _weighted(norm.to_numpy(dtype=float, na_value=np.nan), w)
    total = float(w.sum())
    return _per_weight(num, wsum)[0], wsum / total if total > 0 else np.zeros(len(wsum))


def _quadrant_column(
    attractiveness: np.ndarray, strength: np.ndarray, a_threshold: float, s_threshold: float
) -> pd.api.extensions.ExtensionArray | list:
    """:func:`quadrant` of each pair as a column of text (missing where either axis is), built from codes."""
    a, s = np.asarray(attractiveness, dtype=float), np.asarray(strength, dtype=float)
    missing = np.isnan(a) | np.isnan(s)
    if missing.all():
        return [None] * len(a)  # (no text at all: the column a list of None gives, as before)
    hi_a, hi_s = a >= a_threshold, s >= s_threshold
    codes = np.where(hi_s, np.where(hi_a, 0, 1), np.where(hi_a, 3, 2)).astype(np.int8)  # QUADRANTS order
    names = pa.DictionaryArray.from_arrays(pa.array(codes, mask=missing), pa.array(list(QUADRANTS)))
    return pd.array(names.cast(pa.large_string()), dtype="str")


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
    a, a_cov = _axis(values, parse_criteria(list(attractiveness), None))
    s, s_cov = _axis(values, parse_criteria(list(strength), None))
    accounts = values.index.astype(str)
    revenue = values["revenue"].to_numpy(dtype=float, na_value=np.nan)
    order = np.lexsort((_account_rank(accounts), -revenue))  # revenue descending (missing last), then account
    out = pd.DataFrame(
        {
            "account": accounts[order],
            "revenue": revenue[order],
            "attractiveness": a[order],
            "strength": s[order],
            "attractiveness_coverage": a_cov[order],
            "strength_coverage": s_cov[order],
        }
    )
    out["quadrant"] = _quadrant_column(a[order], s[order], a_threshold, s_threshold)
    return out


def matrix(
    db: Database,
    f: Filters | None = None,
    attractiveness: Sequence[ModelCriterion] | None = None,
    strength: Sequence[ModelCriterion] | None = None,
    a_threshold: float = 50.0,
    s_threshold: float = 50.0,
) -> pd.DataFrame:
    """The selection matrix for the window (see :func:`matrix_frame`); criteria lists default to the built-ins."""
    attractiveness = parse_criteria(list(attractiveness or DEFAULT_ATTRACTIVENESS), all_criteria(db))
    strength = parse_criteria(list(strength or DEFAULT_STRENGTH), all_criteria(db))
    names = [c.name for c in (*attractiveness, *strength)]
    cf = criteria_values(db, f, names)
    return matrix_frame(cf.values, attractiveness, strength, a_threshold, s_threshold)


# -- models: versions and the active one --------------------------------------------------------
def _stored(name: str, version: int, doc: str, user: str, when: datetime) -> Model:
    m = parse_model(json.loads(doc), None)
    return replace(m, version=int(version), saved_by=user, saved_at=when)


def save_model(db: Database, model: Model | Mapping, user: str, activate: bool = False) -> Model:
    """Save a new version of the model named in ``model`` (validated); optionally make it active."""
    m = parse_model(model, all_criteria(db))
    if m.name == BUILTIN_MODEL:
        raise UserError("scoring.err.reserved_name", name=BUILTIN_MODEL)
    doc = json.dumps(m.to_dict(), ensure_ascii=False)
    with db.transaction(user, "score_model.save", detail := {"name": m.name, "activate": activate}) as cur:
        version = cur.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM score_models WHERE name = ?", [m.name]
        ).fetchone()[0]
        detail["version"] = int(version)  # [auth] the audit log names the version
        row = cur.execute(
            "INSERT INTO score_models VALUES (?, ?, ?, ?, now()) RETURNING saved_at", [m.name, version, doc, user]
        ).fetchone()
        if activate:
            cur.execute("INSERT INTO score_model_activations VALUES (?, ?, now())", [m.name, user])
    return replace(m, version=int(version), saved_by=user, saved_at=row[0])


def model_versions(db: Database, name: str) -> list[Model]:
    """Every saved version of ``name``, oldest first."""
    rows = db.rows(
        "SELECT name, version, doc, user_name, saved_at FROM score_models WHERE name = ? ORDER BY version", [name]
    )
    return [_stored(*r) for r in rows]


def active_name(db: Database) -> str:
    r = db.rows("SELECT name FROM score_model_activations ORDER BY activated_at DESC, rowid DESC LIMIT 1")
    return r[0][0] if r else BUILTIN_MODEL


def get_model(db: Database, name: str | None = None, version: int | None = None) -> Model:
    """A saved model (latest version unless ``version``); ``None`` → the active one; "builtin" → the default."""
    name = active_name(db) if name is None else name.strip()
    if name == BUILTIN_MODEL and version is None:
        return DEFAULT_MODEL
    if version is None:
        rows = db.rows(
            "SELECT name, version, doc, user_name, saved_at FROM score_models WHERE name = ? "
            "ORDER BY version DESC LIMIT 1",
            [name],
        )
    else:
        rows = db.rows(
            "SELECT name, version, doc, user_name, saved_at FROM score_models WHERE name = ? AND version = ?",
            [name, version],
        )
    if not rows:
        known = [r[0] for r in db.rows("SELECT DISTINCT name FROM score_models ORDER BY 1")]
        if version is not None and name in known:
            raise UserError("scoring.err.unknown_version", name=name, version=version)
        raise UserError("scoring.err.unknown_model", name=name, known=", ".join([BUILTIN_MODEL, *known]))
    return _stored(*rows[0])


def active_model(db: Database) -> Model:
    """The active model's latest version, or the built-in default when none was activated."""
    return get_model(db, None)


def activate_model(db: Database, name: str, user: str) -> Model:
    """Make ``name`` (its latest version; "builtin" = the default) the active model, recorded."""
    m = get_model(db, name)
    with db.transaction(user, "score_model.activate", {"name": m.name, "version": m.version}) as cur:
        cur.execute("INSERT INTO score_model_activations VALUES (?, ?, now())", [m.name, user])
    return m


def list_models(db: Database) -> list[dict]:
    """One entry per model (built-in first): name, version (latest), versions, saved_by, saved_at, active."""
    active = active_name(db)
    out = [
        {
            "name": BUILTIN_MODEL,
            "version": None,
            "versions": 0,
            "saved_by": None,
            "saved_at": None,
            "active": active == BUILTIN_MODEL,
        }
    ]
    rows = db.rows(
        """SELECT name, max(version), count(*), arg_max(user_name, version), max(saved_at)
           FROM score_models GROUP BY name ORDER BY name"""
    )
    for name, v, n, user, when in rows:
        out.append(
            {
                "name": name,
                "version": int(v),
                "versions": int(n),
                "saved_by": user,
                "saved_at": when,
                "active": name == active,
            }
        )
    return out


# -- key accounts for other features ------------------------------------------------------------
_MEMO = Memo(8, persist="scoring.key_accounts")


def with_scores(db: Database, frame: pd.DataFrame, f: Filters | None = None) -> pd.DataFrame:
    """``frame`` (with an ``account`` column) plus the active model's ``score`` and ``key`` flag per account
    (NaN / False for accounts not scored in the window) — for the tier list, the overview and later features."""
    ks = key_accounts(db, f)[["account", "score", "key"]]
    out = frame.merge(ks, on="account", how="left")
    out["key"] = out["key"].astype("boolean").fillna(False).astype(bool)
    return out


def key_accounts(db: Database, f: Filters | None = None) -> pd.DataFrame:
    """account, score, rank, key, coverage, low_coverage under the active model (memoised per data version).

    For the tier list, the overview and early warnings: ``df[df.key]`` are today's key accounts.
    """
    cols = ["account", "score", "rank", "key", "coverage", "low_coverage"]
    key = (*data_key(db), scoring_window(db, f))  # (as score's)
    return _MEMO.get(key, lambda: score(db, f).table[cols].copy(), db).copy()


def clear_memo() -> None:
    for m in (_MEMO, _SENSITIVITY_MEMO, *_MEMOS.values()):
        m.clear()


# -- judgement criteria: strategic fit ----------------------------------------------------------
def _unknown_accounts(cur: Any, accounts: list[str]) -> list[str]:
    frame = pd.DataFrame({"account": accounts}, dtype=object)
    cur.register("acc_in", frame)
    try:
        return [
            r[0]
            for r in cur.execute(
                """SELECT account FROM acc_in WHERE account NOT IN (SELECT account FROM accounts)
               AND account NOT IN (SELECT DISTINCT account FROM sales) ORDER BY account"""
            ).fetchall()
        ]
    finally:
        cur.unregister("acc_in")


def _fit(account: str, v: object) -> int | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip()):
        return None
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UserError("scoring.err.fit", account=account, value=v) from None
    if isinstance(v, bool) or not x.is_integer() or not 1 <= x <= 5:
        raise UserError("scoring.err.fit", account=account, value=v)
    return int(x)


def set_strategic_fits(db: Database, fits: Mapping[str, object], user: str) -> int:
    """Set strategic fit (1–5; None / empty clears it) for several accounts in one transaction."""
    clean = {str(a).strip(): _fit(str(a).strip(), v) for a, v in fits.items()}
    with db.transaction(user, "scoring.strategic_fit", {"accounts": len(clean)}) as cur:
        bad = _unknown_accounts(cur, list(clean))
        if bad:
            raise UserError("scoring.err.unknown_account", account=", ".join(bad))
        frame = pd.DataFrame({"account": list(clean), "fit": pd.array(list(clean.values()), dtype="Int64")})
        cur.register("fit_in", frame)
        try:
            cur.execute(
                """INSERT INTO accounts (account, strategic_fit, reviewed, updated_by, updated_at)
                   SELECT account, fit, FALSE, ?, now() FROM fit_in
                   WHERE account NOT IN (SELECT account FROM accounts)""",
                [user],
            )
            cur.execute(
                """UPDATE accounts SET strategic_fit = fit_in.fit, updated_by = ?, updated_at = now()
                   FROM fit_in WHERE accounts.account = fit_in.account""",
                [user],
            )
        finally:
            cur.unregister("fit_in")
    return len(clean)


def set_strategic_fit(db: Database, account: str, fit: int | None, user: str) -> None:
    """Set (1–5) or clear (None) one account's strategic fit, recorded with the user."""
    set_strategic_fits(db, {account: fit}, user)


def _read_csv(source: str | Path | bytes | pd.DataFrame, columns: tuple[str, str]) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    else:
        try:
            buf = io.BytesIO(source) if isinstance(source, bytes) else source
            df = pd.read_csv(buf, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, ValueError, UnicodeDecodeError) as e:
            raise UserError("scoring.err.csv", why=str(e)) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    if not set(columns) <= set(df.columns):
        raise UserError("scoring.err.csv_columns", columns=", ".join(columns), found=", ".join(df.columns))
    df = df[list(columns)].copy()
    df["account"] = df["account"].astype(str).str.strip()
    dup = df["account"][df["account"].duplicated()]
    if len(dup):
        raise UserError("scoring.err.duplicate_account", account=dup.iloc[0])
    return df


class RowError(UserError):
    """A refusal about one row of an uploaded file: "Row n: <the reason>", in either language."""

    def __init__(self, inner: UserError, row: int) -> None:
        self.inner, self.row = inner, row
        super().__init__("scoring.err.csv_row", row=row, why=inner.message("en"))

    def message(self, lang: str = "en") -> str:
        return t("scoring.err.csv_row", lang, row=self.row, why=self.inner.message(lang))


def _row_error(e: UserError, row: int) -> UserError:
    return RowError(e, row)


def import_strategic_fit(db: Database, source: str | Path | bytes | pd.DataFrame, user: str) -> int:
    """CSV (or frame) with columns account, strategic_fit → one transaction; any bad row refuses all."""
    df = _read_csv(source, ("account", "strategic_fit"))
    fits: dict[str, object] = {}
    for i, (a, v) in enumerate(zip(df["account"], df["strategic_fit"], strict=True), start=2):  # row 1 = header
        try:
            fits[a] = _fit(a, v)
        except UserError as e:
            raise _row_error(e, i) from None
    return set_strategic_fits(db, fits, user)


# -- custom criteria ----------------------------------------------------------------------------
def define_criterion(
    db: Database, name: str, user: str, direction: str = "higher", description: str | None = None
) -> CriterionInfo:
    """Create or update a custom criterion (its name can then be used in models)."""
    n = (name or "").strip() if isinstance(name, str) else ""
    if not n or len(n) > MAX_NAME or n in BUILTIN_CRITERIA:
        raise UserError(
            "scoring.err.custom_name", name=json.dumps(name, ensure_ascii=False), builtin=", ".join(BUILTIN_CRITERIA)
        )
    if direction not in DIRECTIONS:
        raise UserError("scoring.err.direction", name=n, value=json.dumps(direction, default=str))
    with db.transaction(user, "scoring.criterion.define", {"name": n, "direction": direction}) as cur:
        cur.execute(
            """INSERT INTO score_criteria VALUES (?, ?, ?, ?, now(), ?, now())
               ON CONFLICT (name) DO UPDATE SET direction = excluded.direction,
                   description = excluded.description, updated_by = excluded.updated_by,
                   updated_at = excluded.updated_at""",
            [n, direction, description, user, user],
        )
    return CriterionInfo(n, "custom", direction, CUSTOM_NORMALISE, description)


def _custom_or_fail(db: Database, name: str) -> str:
    n = (name or "").strip()
    if n not in custom_criteria(db):
        raise UserError("scoring.err.unknown_custom", name=n)
    return n


def delete_criterion(db: Database, name: str, user: str) -> None:
    """Remove a custom criterion and its values (saved models naming it then score it as missing)."""
    n = _custom_or_fail(db, name)
    with db.transaction(user, "scoring.criterion.delete", {"name": n}) as cur:
        cur.execute("DELETE FROM score_criterion_values WHERE criterion = ?", [n])
        cur.execute("DELETE FROM score_criteria WHERE name = ?", [n])


def _value(criterion: str, account: str, v: object) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v)):
        return None
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UserError("scoring.err.value", criterion=criterion, account=account, value=v) from None
    if isinstance(v, bool) or not math.isfinite(x):
        raise UserError("scoring.err.value", criterion=criterion, account=account, value=v)
    return x


def set_criterion_values(
    db: Database, name: str, values: Mapping[str, object], user: str, replace_all: bool = True
) -> int:
    """Store a custom criterion's value per account (None / empty = missing); ``replace_all`` drops the others."""
    n = _custom_or_fail(db, name)
    clean = {str(a).strip(): _value(n, str(a).strip(), v) for a, v in values.items()}
    keep = {a: v for a, v in clean.items() if v is not None}
    with db.transaction(
        user, "scoring.criterion.values", {"name": n, "accounts": len(keep), "replace": replace_all}
    ) as cur:
        bad = _unknown_accounts(cur, list(clean)) if clean else []
        if bad:
            raise UserError("scoring.err.unknown_account", account=", ".join(bad))
        if replace_all:
            cur.execute("DELETE FROM score_criterion_values WHERE criterion = ?", [n])
        else:
            gone = list(clean)
            if gone:
                cur.execute(
                    f"DELETE FROM score_criterion_values WHERE criterion = ? "  # noqa: S608 - placeholders only
                    f"AND account IN ({', '.join('?' * len(gone))})",
                    [n, *gone],
                )
        if keep:
            frame = pd.DataFrame({"account": list(keep), "value": list(keep.values())})
            cur.register("val_in", frame)
            try:
                cur.execute(
                    "INSERT INTO score_criterion_values SELECT ?, account, value, ?, now() FROM val_in", [n, user]
                )
            finally:
                cur.unregister("val_in")
    return len(keep)


def import_criterion_values(
    db: Database, name: str, source: str | Path | bytes | pd.DataFrame, user: str, replace_all: bool = True
) -> int:
    """CSV (or frame) with columns account, value for one custom criterion; any bad row refuses all."""
    df = _read_csv(source, ("account", "value"))
    n = _custom_or_fail(db, name)
    vals: dict[str, object] = {}
    for i, (a, v) in enumerate(zip(df["account"], df["value"], strict=True), start=2):
        try:
            vals[a] = _value(n, a, v)
        except UserError as e:
            raise _row_error(e, i) from None
    return set_criterion_values(db, n, vals, user, replace_all)


def criterion_values(db: Database, name: str) -> pd.DataFrame:
    """account, value of one custom criterion (the table a page edits)."""
    return db.df("SELECT account, value FROM score_criterion_values WHERE criterion = ? ORDER BY account", [name])


# -- for the page: cacheable entry points taking the database first -----------------------------
_SENSITIVITY_MEMO = Memo(4, persist="scoring.sensitivity")


def score_sensitivity(db: Database, f: Filters | None, model: Model, delta: float = 0.2) -> pd.DataFrame:
    """:func:`sensitivity` of ``model`` over the window (a database-first form, for a cached query); remembered
    per data version, in the file too (the writers warm the active model's)."""
    key = (*data_key(db), scoring_window(db, f), model, delta)
    return _SENSITIVITY_MEMO.get(key, lambda: sensitivity(score(db, f, model), delta), db).copy()


@dataclass(frozen=True)
class ModelChoice:
    """What a page choosing a model offers: every criterion, the models (:func:`list_models`), each one's
    latest version by name, and the active model."""

    criteria: dict[str, CriterionInfo]
    models: list[dict]
    latest: dict[str, Model]
    active: Model


def model_choice(db: Database) -> ModelChoice:
    """:class:`ModelChoice` in one go (one cached query for the page instead of four)."""
    models = list_models(db)
    latest = {m["name"]: get_model(db, m["name"]) for m in models}
    active = next((latest[m["name"]] for m in models if m["active"]), None) or active_model(db)
    return ModelChoice(all_criteria(db), models, latest, active)


@dataclass(frozen=True)
class Ranking:
    """What the scoring page shows of a model's scores: :func:`compare_ranks` against a baseline model (the
    table, in rank order, with ``contribution.<criterion>``), the window and the growth comparison."""

    model: Model
    window: Filters
    table: pd.DataFrame
    growth: Comparison | None = None


def ranking(db: Database, f: Filters | None, model: Model, baseline: Model) -> Ranking:
    """``model``'s scores over the window compared with ``baseline``'s (a database-first form, for a cached
    query: the page then holds no per-account frame but this one)."""
    s = score(db, f, model)
    return Ranking(model, s.window, compare_ranks(s, s if baseline == model else score(db, f, baseline)), s.growth)


def score_breakdown(db: Database, f: Filters | None, model: Model, account: str) -> pd.DataFrame:
    """:meth:`Scores.breakdown` of one account under ``model`` (database first, for a cached query)."""
    return score(db, f, model).breakdown(account)


@dataclass(frozen=True)
class MatrixView:
    """The selection matrix as a page draws it: the ``top`` placed accounts by revenue (both axes scored),
    how many were placed, and accounts / revenue per quadrant (every quadrant, in QUADRANTS order)."""

    top: pd.DataFrame
    placed: int
    quadrants: pd.DataFrame  # quadrant, accounts, revenue


def matrix_view(
    db: Database,
    f: Filters | None,
    attractiveness: Sequence[ModelCriterion],
    strength: Sequence[ModelCriterion],
    a_threshold: float,
    s_threshold: float,
    top: int,
) -> MatrixView:
    """:func:`matrix` reduced to what is drawn (a database-first form, for a cached query)."""
    mx = matrix(db, f, attractiveness, strength, a_threshold, s_threshold)
    placed = mx.dropna(subset=["attractiveness", "strength"])
    counts = placed.groupby("quadrant").agg(accounts=("account", "size"), revenue=("revenue", "sum"))
    quads = pd.DataFrame(
        {
            "quadrant": list(QUADRANTS),
            "accounts": [int(counts["accounts"].get(q, 0)) for q in QUADRANTS],
            "revenue": [float(counts["revenue"].get(q, 0.0)) for q in QUADRANTS],
        }
    )
    return MatrixView(placed.head(top).reset_index(drop=True), len(placed), quads)


RANK_STATUSES = ("new_key", "dropped_key")


def compare_ranks(scores: Scores, baseline: Scores) -> pd.DataFrame:
    """``scores.table`` plus rank_baseline, rank_change (+ = moved up; NaN when not ranked there),
    key_baseline and status: "new_key" (key now, not in the baseline), "dropped_key" (the reverse), else None."""
    base = baseline.table.set_index("account")
    out = scores.table.copy()
    out["rank_baseline"] = base["rank"].reindex(out["account"]).to_numpy(dtype=float)
    out["rank_change"] = out["rank_baseline"] - out["rank"]
    was = base["key"].reindex(out["account"]).fillna(False).to_numpy(dtype=bool)
    now = out["key"].to_numpy(dtype=bool)
    out["key_baseline"] = was
    out["status"] = np.where(now & ~was, "new_key", np.where(was & ~now, "dropped_key", None))
    return out


def axis_criteria(
    names: Sequence[str], known: Mapping[str, CriterionInfo], defaults: Sequence[ModelCriterion]
) -> tuple[ModelCriterion, ...]:
    """Matrix-axis criteria for ``names``: the default weighting where one exists, else weight 1 with the
    criterion's own direction and normalisation."""
    by_name = {c.name: c for c in defaults}
    out = []
    for n in names:
        info = known.get(n)
        if n in by_name:
            out.append(by_name[n])
        elif info is not None:
            out.append(ModelCriterion(n, 1.0, info.direction, info.normalise))
    return parse_criteria(out, None)


def strategic_fit_table(db: Database, accounts: Sequence[str]) -> pd.DataFrame:
    """account, strategic_fit (Int64, <NA> when not set) for ``accounts``, in the given order."""
    frame = pd.DataFrame({"account": pd.Series(list(accounts), dtype=object)})
    if not len(frame):
        return frame.assign(strategic_fit=pd.array([], dtype="Int64"))
    got = db.df(
        "SELECT account, strategic_fit FROM accounts WHERE strategic_fit IS NOT NULL AND list_contains(?, account)",
        [list(frame["account"])],
    )
    fits = dict(zip(got["account"].astype(str), got["strategic_fit"], strict=True))
    frame["strategic_fit"] = pd.array([fits.get(a) for a in frame["account"]], dtype="Int64")
    return frame
