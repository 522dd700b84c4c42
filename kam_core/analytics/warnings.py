"""Early warnings per account (domain §8 step 5: guard against relationship change).

Each rule has its thresholds in settings (``warnings.*``), a sentence in both languages that
names the figures, a severity (high / medium / low) and the figures themselves. Data rules
compare the last complete months with the same months a year earlier and only when the
comparison is honest (kam_core.coverage: every month of both windows holds data and none is
partial) — no warning from a partial prior window. A partial latest month is left out of
"the last N months". Plan rules (objectives, actions, stakeholders, stage, staleness) read
the account plans; they join through :data:`PLAN_RULES` so the plan package owns them.

The rules give one frame (:func:`frame`, :data:`FRAME_COLUMNS`): a row per warning, computed on
whole columns — 100 000 accounts give ~100 000 warnings, and a page that shows their count or
the first thousand needs neither an object, a sentence nor a link for each. A row's figures,
sentence and link are made only for the rows a reader sees (:func:`figures`, :func:`messages`,
:func:`links`; :func:`to_warnings` for callers that want :class:`Warning_` objects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote_plus, urlencode

import numpy as np
import pandas as pd

from kam_core import coverage as cv
from kam_core import currency, settings
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import add_months, month_range
from kam_core.i18n import t
from kam_core.memo import Memo, data_key

SEVERITIES = ("high", "medium", "low")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Warning_:
    """One warning: which account, which rule, how severe, the figures, and the sentence's key."""

    account: str
    rule: str
    severity: str
    key: str  # catalog key of the sentence
    figures: dict[str, object] = field(default_factory=dict)
    # where a reader goes next: the account's plan (/plans?…) or the change breakdown (/explain?…)
    link: str | None = field(default=None, compare=False)
    # figures that are codes, shown as their catalog label: figure name → key prefix ("plans.stage.")
    coded: dict[str, str] = field(default_factory=dict, compare=False)

    def message(self, lang: str = "en", code: str | None = None) -> str:
        """The sentence in ``lang``; amounts in the currency ``code`` (default: the app's default currency)."""
        return _message(self.key, self.figures, self.coded, lang, code)

    def to_dict(self, lang: str = "en", code: str | None = None) -> dict:
        return {"account": self.account, "rule": self.rule, "severity": self.severity,
                "message": self.message(lang, code), "figures": dict(self.figures)}  # fmt: skip


# Figures that are amounts of money, written with the currency (¥18.6 K, ¥1.9万) — the JSON keeps the number.
# An objective's projection and target are amounts when its metric is one.
MONEY_FIGURES = frozenset({"amount"})
MONEY_METRICS = frozenset({"revenue", "gross_profit", "overdue_receivables"})
_OBJECTIVE_AMOUNTS = frozenset({"projected", "target"})


def _message(key: str, figures: Mapping[str, object], coded: Mapping[str, str], lang: str, code: str | None) -> str:
    money = MONEY_FIGURES | (_OBJECTIVE_AMOUNTS if figures.get("metric") in MONEY_METRICS else frozenset())
    values = {k: t(coded[k] + str(v), lang) if k in coded
              else currency.money(float(v), lang, code or currency.DEFAULT) if k in money and _is_amount(v)
              else _fmt(v) for k, v in figures.items()}  # fmt: skip
    return t(key, lang, **values)


def _is_amount(v: object) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)


# -- the frame -------------------------------------------------------------------------------------
# One row per warning. Besides these, a rule's rows hold the columns its figures are made of (FIGURES).
# link: the whole link where a rule built it with the row (plan rules: a few rows); else the link is
# link_head + quote_plus(account) + link_tail (quoted only for the rows shown). figures / coded: the
# figures and the coded figures of rules that are not in FIGURES (built with the row: a few per plan).
FRAME_COLUMNS = ("account", "rule", "severity", "key", "link", "link_head", "link_tail", "figures", "coded")

# How a rule's figures are made from its rows' columns: rule → ((figure, column, convert), …), in the
# sentence's order (the order of the CLI's JSON). Rules with many rows are here; the others carry their
# figures whole in the ``figures`` column. The plan package adds its own.
Figure = tuple[str, str, Callable[[Any], object]]
FIGURES: dict[str, tuple[Figure, ...]] = {}

# A plan rule: (db, as_of, tracked) → a frame of warnings (:func:`frame_of` makes one from Warning_
# objects). Registered by kam_core.plans (kept out of this module so warnings do not import the plan
# package and the plan package owns its rules). ``tracked``: plan trackings a caller already computed,
# {(account, version): PlanTracking}, or None (the rule tracks).
PLAN_RULES: list[Callable[[Database, date, Mapping | None], pd.DataFrame]] = []


def block(accounts: Iterable[str] | np.ndarray, rule: str, severity: str, key: str, *, link_head: str | None = None,
          link_tail: str = "", **columns: object) -> pd.DataFrame:  # fmt: skip
    """The rows of one rule: its flagged accounts, and the columns (arrays or constants) its figures are made of."""
    accounts = np.asarray(accounts, dtype=object)
    return pd.DataFrame({"account": accounts, "rule": rule, "severity": severity, "key": key, "link": None,
                         "link_head": link_head, "link_tail": link_tail, "figures": None, "coded": None, **columns},
                        index=pd.RangeIndex(len(accounts)))  # fmt: skip


def frame_of(warnings: Iterable[Warning_]) -> pd.DataFrame:
    """Warning objects as rows of the frame (figures, coded figures and link carried whole)."""
    ws = list(warnings)
    return pd.DataFrame(
        {"account": [w.account for w in ws], "rule": [w.rule for w in ws], "severity": [w.severity for w in ws],
         "key": [w.key for w in ws], "link": pd.Series([w.link for w in ws], dtype=object),
         "figures": pd.Series([dict(w.figures) for w in ws], dtype=object),
         "coded": pd.Series([dict(w.coded) for w in ws], dtype=object)},
        columns=list(FRAME_COLUMNS),
    )  # fmt: skip


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(FRAME_COLUMNS))
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    for c in FRAME_COLUMNS:
        if c not in out:
            out[c] = None
    return out


def _in_order(out: pd.DataFrame) -> pd.DataFrame:
    """The rows by their ``_order`` column (dropped)."""
    if "_order" not in out:
        return out
    return out.take(np.argsort(out["_order"].to_numpy(), kind="stable")).drop(columns="_order").reset_index(drop=True)


def figures(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Each row's figures (in the sentence's order), made from the row's columns (FIGURES) or carried whole."""
    out: list[dict[str, object]] = [{}] * len(frame)
    rules = frame["rule"].to_numpy(dtype=object)
    for rule in dict.fromkeys(rules.tolist()):
        pos = np.flatnonzero(rules == rule)
        spec = FIGURES.get(rule)
        if spec is None:
            made = [dict(f) for f in frame["figures"].take(pos).tolist()]
        else:
            names = [name for name, _, _ in spec]
            values = [[conv(v) for v in frame[col].take(pos).tolist()] for _, col, conv in spec]
            made = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
        for p, f in zip(pos.tolist(), made, strict=True):
            out[p] = f
    return out


def _coded(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [c if isinstance(c, dict) else {} for c in frame["coded"].tolist()]


def messages(
    frame: pd.DataFrame, lang: str = "en", figs: list[dict[str, object]] | None = None, code: str | None = None
) -> list[str]:
    """Each row's sentence in ``lang``, amounts in currency ``code`` (``figs``: :func:`figures` of the rows, if
    already made)."""
    figs = figures(frame) if figs is None else figs
    return [_message(k, f, c, lang, code)
            for k, f, c in zip(frame["key"].tolist(), figs, _coded(frame), strict=True)]  # fmt: skip


def links(frame: pd.DataFrame) -> list[str]:
    """Each row's link: the account's change breakdown or plan."""
    return [w if isinstance(w, str) else h + quote_plus(a) + tl
            for a, w, h, tl in zip(frame["account"].tolist(), frame["link"].tolist(), frame["link_head"].tolist(),
                                   frame["link_tail"].tolist(), strict=True)]  # fmt: skip


def to_warnings(frame: pd.DataFrame) -> list[Warning_]:
    """The rows as :class:`Warning_` objects, in the frame's order."""
    return [Warning_(str(a), r, s, k, f, lk, c)
            for a, r, s, k, f, lk, c in zip(frame["account"].tolist(), frame["rule"].tolist(),
                                            frame["severity"].tolist(), frame["key"].tolist(), figures(frame),
                                            links(frame), _coded(frame), strict=True)]  # fmt: skip


# -- links -------------------------------------------------------------------------------------
def explain_link(account: str, metric: str, months: list[date]) -> str:
    """The change breakdown of one account by SKU over ``months`` against the same months a year earlier."""
    q = {"metric": metric, "by": "sku", "from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}", "vs": "yoy",
         "account": account}  # fmt: skip
    return "/explain?" + urlencode(q)


def plan_link_parts(year: int) -> tuple[str, str]:
    """``plan_link(account, year)`` = head + quote_plus(account) + tail."""
    return "/plans?account=", f"&year={quote_plus(str(year))}"


def plan_link(account: str, year: int) -> str:
    """The plan editor opened on ``account``'s plan for ``year``: ``/plans?`` + urlencode of both, written
    out (urlencode costs seconds for the ~100 000 warnings of 100 000 accounts)."""
    head, tail = plan_link_parts(year)
    return head + quote_plus(str(account)) + tail


def _fmt(v: object) -> object:
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}".rstrip("0").rstrip(".")
    return v


# -- figure conversions (as the rules rounded them when each warning was an object) ------------------
def round1(v: object) -> float:
    return round(float(v), 1)


def round2(v: object) -> float:
    return round(float(v), 2)


def _pct1_np(v: object) -> object:
    return round(np.float64(v) * 100, 1)  # numpy's rounding, as the first vectorised rules rounded (np.float64)


def _iso(v: object) -> str:
    return pd.Timestamp(v).date().isoformat()


# -- windows -----------------------------------------------------------------------------------
def last_complete_months(db: Database, n: int, dm: cv.DataMonths | None = None) -> list[date]:
    """The last ``n`` months up to the latest month with complete data (a partial latest month left out)."""
    dm = dm or cv.data_months(db)
    if not dm.have:
        return []
    end = max(dm.have)
    if dm.partial(end) is not None:
        end = add_months(end, -1)
    return month_range(add_months(end, -(n - 1)), end)


# -- data rules --------------------------------------------------------------------------------
# From the summary cube (kam_core.summary): the same sums as over the lines, to the last digit.
_MONTHLY_SQL = """
SELECT account, period, sum(revenue)::DOUBLE AS revenue,
       -- a month whose lines do not all carry a gross profit has no known margin (NULL: not a 0%)
       CASE WHEN sum(gp_lines) = sum(lines) THEN sum(gross_profit)::DOUBLE END AS gross_profit
FROM sales_cube WHERE period IN (SELECT unnest(?::DATE[])) {acc}
GROUP BY account, period
"""


def _monthly(db: Database, months: list[date], account: str | None) -> pd.DataFrame:
    """account, period (datetime64), revenue, gross_profit: one row per account and month that holds lines."""
    acc, params = ("AND account = ?", [account]) if account else ("", [])
    df = db.df(_MONTHLY_SQL.format(acc=acc), [months, *params])
    df["period"] = pd.to_datetime(df["period"])
    return df


def _by_month(df: pd.DataFrame, months: list[date]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """accounts (sorted), revenue and gross profit as account × ``months`` arrays.

    Revenue 0 where an account has no line in a month (the rules read no revenue as 0). Gross profit 0
    where it has no line (nothing sold, nothing earned) and NaN where its lines do not all carry a gross
    profit: a window holding such a month has no known margin, and no margin warning is drawn from it."""
    codes, accounts = pd.factorize(df["account"], sort=True)
    mon = np.array(months, dtype="datetime64[D]")
    by = np.argsort(mon)
    col = by[np.searchsorted(mon[by], df["period"].to_numpy().astype("datetime64[D]"))]
    rev = np.zeros((len(accounts), len(months)))
    gp = np.zeros((len(accounts), len(months)))
    rev[codes, col] = np.nan_to_num(df["revenue"].to_numpy(dtype=float), nan=0.0)
    gp[codes, col] = df["gross_profit"].to_numpy(dtype=float)
    return np.asarray(accounts, dtype=object), rev, gp


def _sum(a: np.ndarray) -> np.ndarray:
    """Row sums left to right (as pandas summed the pivot's columns)."""
    out = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        out += a[:, j]
    return out


_REVENUE_MEMO = Memo(2, persist="warnings.revenue")  # every account's rows: kept in the file too (kam_core.derived)


def revenue_frame(db: Database, account: str | None = None, dm: cv.DataMonths | None = None) -> pd.DataFrame:
    """Revenue below last year in N of the last M months; the last 3 months X % below last year;
    gross margin of the last 3 months down by X points against the same months a year earlier.

    Every account's rows depend on the data and the settings alone: remembered per data version."""
    if account is None:
        return _REVENUE_MEMO.get((*data_key(db),), lambda: _revenue_frame(db, None, dm), db).copy(deep=False)
    return _revenue_frame(db, account, dm)


def _revenue_frame(db: Database, account: str | None, dm: cv.DataMonths | None) -> pd.DataFrame:
    dm = dm or cv.data_months(db)
    n_down, m = settings.get(db, "warnings.revenue_down_months"), settings.get(db, "warnings.revenue_window_months")
    drop_pct, margin_pts = settings.get(db, "warnings.revenue_drop_pct"), settings.get(db, "warnings.margin_drop_pts")
    window = last_complete_months(db, max(m, 3), dm)
    if not window:
        return _concat([])
    prior = [add_months(x, -12) for x in window]
    comp = cv.compare(db, window, prior, "prior_year", dm=dm)
    if not comp.ok:  # no warning from a partial or missing prior window
        return _concat([])
    months = window + prior
    df = _monthly(db, months, account)
    if df.empty:
        return _concat([])
    accounts, rev, gp = _by_month(df, months)
    col = {x: j for j, x in enumerate(months)}
    last_m, l3 = window[-m:], window[-3:]

    def at(ms: list[date], back: int = 0) -> list[int]:  # the columns of these months (``back`` months earlier)
        return [col[add_months(x, back)] for x in ms]

    cur_m, pri_m = rev[:, at(last_m)], rev[:, at(last_m, -12)]
    # an account that did not sell a year earlier has nothing to fall from
    down = ((cur_m < pri_m) & (pri_m > 0)).sum(axis=1)
    cur3, pri3 = _sum(rev[:, at(l3)]), _sum(rev[:, at(l3, -12)])
    sum_m, sum_mp = _sum(cur_m), _sum(pri_m)
    g3, g3p = _sum(gp[:, at(l3)]), _sum(gp[:, at(l3, -12)])  # NaN when a month's gross profit is not known
    # Every test on whole columns at once (100 000 accounts).
    with np.errstate(divide="ignore", invalid="ignore"):
        change_m = np.where(sum_mp > 0, (sum_m - sum_mp) / sum_mp, np.nan)
        change3 = np.where(pri3 > 0, (cur3 - pri3) / pri3, np.nan)
        margin_ok = ~np.isnan(g3) & ~np.isnan(g3p) & (cur3 > 0) & (pri3 > 0)
        pts = np.where(margin_ok, (g3 / cur3 - g3p / pri3) * 100, np.nan)
        margin, margin_ly = g3 / cur3 * 100, g3p / pri3 * 100
    flag_m = (down >= n_down) & (sum_mp > 0) & (change_m < 0)
    flag_3 = (pri3 > 0) & (change3 <= -drop_pct)
    flag_g = margin_ok & (pts <= -margin_pts)
    # explain_link(acc, …) = the same query string with the account last: written once per rule
    link_m, link_3, link_g = (explain_link("", x, ms) for x, ms in (("revenue", last_m), ("revenue", l3),
                                                                    ("gross_profit", l3)))  # fmt: skip
    i_m, i_3, i_g = np.flatnonzero(flag_m), np.flatnonzero(flag_3), np.flatnonzero(flag_g)
    parts = [
        block(accounts[i_m], "revenue_down_months", "medium", "warn.revenue_down_months", link_head=link_m,
              _order=i_m * 3, down=down[i_m], of=m, change=change_m[i_m], **{"from": f"{last_m[0]:%Y-%m}",
              "to": f"{last_m[-1]:%Y-%m}"}),
        block(accounts[i_3], "revenue_drop", "high", "warn.revenue_drop", link_head=link_3, _order=i_3 * 3 + 1,
              change=change3[i_3], threshold_pct=round(drop_pct * 100, 1), revenue=cur3[i_3],
              revenue_last_year=pri3[i_3]),
        block(accounts[i_g], "margin_down", "medium", "warn.margin_down", link_head=link_g, _order=i_g * 3 + 2,
              points=pts[i_g], margin_pct=margin[i_g], margin_last_year_pct=margin_ly[i_g],
              threshold_pts=margin_pts),
    ]  # fmt: skip
    # by account, then the rules in the order above (as they were listed one account at a time)
    return _in_order(_concat(parts))


FIGURES.update({
    "revenue_down_months": (("down", "down", int), ("of", "of", int), ("change_pct", "change", _pct1_np),
                            ("from", "from", str), ("to", "to", str)),
    "revenue_drop": (("change_pct", "change", _pct1_np), ("threshold_pct", "threshold_pct", float),
                     ("revenue", "revenue", round2), ("revenue_last_year", "revenue_last_year", round2)),
    "margin_down": (("points", "points", round1), ("margin_pct", "margin_pct", round1),
                    ("margin_last_year_pct", "margin_last_year_pct", round1),
                    ("threshold_pts", "threshold_pts", float)),
})  # fmt: skip


def revenue_rules(db: Database, account: str | None = None, dm: cv.DataMonths | None = None) -> list[Warning_]:
    """:func:`revenue_frame` as objects (by account, then rule)."""
    return to_warnings(revenue_frame(db, account, dm))


_RECEIVABLES_SQL = """
SELECT account, as_of,
       (coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0) + coalesce(overdue_61_90, 0)
        + coalesce(overdue_90_plus, 0))::DOUBLE AS overdue,
       coalesce(overdue_90_plus, 0)::DOUBLE AS over_90,
       (coalesce(current, 0) + coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0)
        + coalesce(overdue_61_90, 0) + coalesce(overdue_90_plus, 0))::DOUBLE AS total
FROM (SELECT account, as_of, sum(current) AS current, sum(overdue_1_30) AS overdue_1_30,
             sum(overdue_31_60) AS overdue_31_60, sum(overdue_61_90) AS overdue_61_90,
             sum(overdue_90_plus) AS overdue_90_plus,
             max(as_of) OVER (PARTITION BY account) AS latest
      FROM receivables WHERE TRUE {acc} GROUP BY account, as_of)
WHERE as_of = latest
"""


def receivable_frame(db: Database, account: str | None = None) -> pd.DataFrame:
    """Overdue receivables above X % of the account's receivables, or any amount over 90 days
    (latest ageing snapshot per account)."""
    limit, min_90 = settings.get(db, "warnings.overdue_pct"), settings.get(db, "warnings.overdue_90_min")
    acc, params = ("AND account = ?", [account]) if account else ("", [])
    df = db.df(_RECEIVABLES_SQL.format(acc=acc), params)
    accounts = np.array([str(a) for a in df["account"].tolist()], dtype=object)
    over_90, overdue, total = (df[c].to_numpy(dtype=float) for c in ("over_90", "overdue", "total"))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = overdue / total
    i_90 = np.flatnonzero(over_90 > min_90)
    i_sh = np.flatnonzero((total > 0) & (share > limit))
    as_of = df["as_of"]
    out = _concat([
        block(accounts[i_90], "overdue_90", "high", "warn.overdue_90", _order=i_90 * 2, amount=over_90[i_90],
              as_of=as_of.take(i_90).to_numpy()),
        block(accounts[i_sh], "overdue_share", "medium", "warn.overdue_share", _order=i_sh * 2 + 1,
              overdue_pct=share[i_sh] * 100, threshold_pct=round(limit * 100, 1), amount=overdue[i_sh],
              as_of=as_of.take(i_sh).to_numpy()),
    ])  # fmt: skip
    return _in_order(out)


FIGURES.update({
    "overdue_90": (("amount", "amount", round2), ("as_of", "as_of", _iso)),
    "overdue_share": (("overdue_pct", "overdue_pct", round1), ("threshold_pct", "threshold_pct", float),
                      ("amount", "amount", round2), ("as_of", "as_of", _iso)),
})  # fmt: skip


def receivable_rules(db: Database, account: str | None = None) -> list[Warning_]:
    """:func:`receivable_frame` as objects."""
    return to_warnings(receivable_frame(db, account))


# -- all rules ---------------------------------------------------------------------------------
def _found(db: Database, account: str | None, as_of: date, tracked: Mapping | None) -> pd.DataFrame:
    """Every rule's rows, in no particular order."""
    from kam_core.plans import warning_rules  # noqa: F401 - registers the plan rules (the plan package owns them)

    dm = cv.data_months(db)
    parts = [revenue_frame(db, account, dm), receivable_frame(db, account)]
    for rule in PLAN_RULES:
        found = rule(db, as_of, tracked)
        parts.append(found if account is None else found[found["account"] == account])
    return _concat(parts)


def frame(db: Database, account: str | None = None, severity: str | None = None,
          as_of: date | None = None, tracked: Mapping | None = None) -> pd.DataFrame:  # fmt: skip
    """Every warning as a row of one frame (FRAME_COLUMNS and the rules' figure columns), most severe first,
    then by account and rule.

    ``tracked``: {(account, plan version): PlanTracking} of the plans the caller has tracked already
    (the portfolio shows them too: tracked once, not twice)."""
    if severity is not None and severity not in SEVERITIES:
        raise UserError("warn.err.severity", severity=severity, known=", ".join(SEVERITIES))
    as_of = as_of or date.today()
    out = _found(db, account, as_of, tracked)
    if severity:
        out = out[out["severity"] == severity]
    # a warning with no better place to go opens the account's plan of the year
    bare = (out["link"].isna() & out["link_head"].isna()).to_numpy()
    if bare.any():
        head, tail = plan_link_parts(as_of.year)
        out = out.assign(link_head=np.where(bare, head, out["link_head"].to_numpy(dtype=object)),
                         link_tail=np.where(bare, tail, out["link_tail"].to_numpy(dtype=object)))  # fmt: skip
    # stable: warnings of one account and rule keep their rule's order
    rank = out["severity"].map(SEVERITY_RANK).to_numpy()
    by_account = pd.factorize(out["account"], sort=True)[0]
    by_rule = pd.factorize(out["rule"], sort=True)[0]
    out = out.take(np.lexsort((by_rule, by_account, rank))).reset_index(drop=True)
    # texts repeated on every row of a rule (rule, severity, key, link parts, …) as categories: half the size
    # in a page's cache
    texts = [c for c in out.columns if c in ("link_head", "link_tail")
             or (c != "account" and isinstance(out[c].dtype, pd.StringDtype))]  # fmt: skip
    return out.astype(dict.fromkeys(texts, "category")) if texts else out


def evaluate(db: Database, account: str | None = None, severity: str | None = None,
             as_of: date | None = None, tracked: Mapping | None = None) -> list[Warning_]:  # fmt: skip
    """Every warning as an object, most severe first, then by account and rule (:func:`frame`)."""
    return to_warnings(frame(db, account, severity, as_of, tracked))


def severity_counts(db: Database, as_of: date | None = None) -> dict[str, int]:
    """How many warnings of each severity (what a page shows when it shows no list: small to cache)."""
    return counts(_found(db, None, as_of or date.today(), None))


def counts(warnings: pd.DataFrame | Iterable[Warning_]) -> dict[str, int]:
    """Warnings per severity, of a frame or of objects."""
    if isinstance(warnings, pd.DataFrame):
        n = warnings["severity"].value_counts()
        return {s: int(n.get(s, 0)) for s in SEVERITIES}
    out = dict.fromkeys(SEVERITIES, 0)
    for w in warnings:
        out[w.severity] += 1
    return out
