"""SWOT suggestions from the data, each a sentence in both languages with its figure.

Only honest comparisons: a year-on-year figure (growth, SKUs no longer sold, stores lost, share)
needs the prior window to hold data for every month (kam_core.coverage via
:func:`kam_core.plans.profile.plan_window`); figures of the current window alone (margin and trade
spend against our K/A average) need the current window complete; the overdue share is read from
the latest receivables snapshot. "Our K/A average" pools every other GKA / NKA / LKA account.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kam_core.db import Database
from kam_core.i18n import t
from kam_core.plans.profile import _in, plan_window, products_before_vs_now, receivables_ageing

MIN_PTS = 1.0  # margin / trade-spend gaps below one point are not worth a SWOT line
OVERDUE_SHARE = 0.10  # overdue receivables at or above 10% of the balance → threat
MIN_GROWTH_GAP = 0.01  # "faster / slower than our total" only when growth differs by at least a point
MAX_LISTED = 5  # SKUs named in a sentence


@dataclass(frozen=True)
class Suggestion:
    id: str  # stable name, stored as the SWOT item's ``source`` when accepted
    quadrant: str  # strengths | weaknesses | opportunities | threats
    key: str  # catalog key of the sentence
    values: dict[str, str]  # the sentence's formatted figures
    figures: dict[str, float | int | str | None] = field(default_factory=dict)  # raw numbers

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)

    def to_dict(self) -> dict:
        return {"id": self.id, "quadrant": self.quadrant, "text_en": self.text("en"), "text_zh": self.text("zh"),
                "figures": dict(self.figures)}  # fmt: skip


def _pct(x: float) -> str:
    return f"{x:+.1%}"


def _share(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}%"


def _pts(x: float) -> str:
    return f"{x:.1f}"


def _window_label(months: list) -> str:
    return f"{months[0]:%Y-%m}" if len(months) == 1 else f"{months[0]:%Y-%m} – {months[-1]:%Y-%m}"


def suggest(db: Database, account: str, year: int) -> list[Suggestion]:
    """Suggested SWOT lines for ``account`` in the plan year's analysis window (profile.plan_window)."""
    from kam_core.analytics.tiers import KA_TIERS, account_tiers

    w = plan_window(db, year)
    if w is None:
        return []
    out: list[Suggestion] = []
    cur, prior = w.current, w.prior
    label = _window_label(cur)
    if w.comparable:
        (a_cur, a_pri, t_cur, t_pri, s_cur, s_pri) = db.rows(
            f"""SELECT sum(revenue) FILTER (WHERE account = ? AND {_in(cur)}),
                       sum(revenue) FILTER (WHERE account = ? AND {_in(prior)}),
                       sum(revenue) FILTER (WHERE {_in(cur)}), sum(revenue) FILTER (WHERE {_in(prior)}),
                       count(DISTINCT store) FILTER (WHERE account = ? AND revenue > 0 AND {_in(cur)}),
                       count(DISTINCT store) FILTER (WHERE account = ? AND revenue > 0 AND {_in(prior)})
                FROM sales""",  # noqa: S608
            [account, *cur, account, *prior, *cur, *prior, account, *cur, account, *prior],
        )[0]
        a_cur, a_pri, t_cur, t_pri = (float(v or 0) for v in (a_cur, a_pri, t_cur, t_pri))
        if a_pri > 0 and t_pri > 0:
            g, gt = a_cur / a_pri - 1, t_cur / t_pri - 1
            figs = {"growth": g, "total_growth": gt, "revenue": a_cur, "revenue_prior": a_pri}
            vals = {"growth": _pct(g), "total": _pct(gt), "window": label}
            if g < 0:
                out.append(Suggestion("revenue_decline", "weaknesses", "plans.suggest.decline", vals, figs))
            elif g - gt >= MIN_GROWTH_GAP:
                out.append(Suggestion("revenue_growth", "strengths", "plans.suggest.growth_faster", vals, figs))
            elif gt - g >= MIN_GROWTH_GAP:
                out.append(Suggestion("revenue_growth", "weaknesses", "plans.suggest.growth_slower", vals, figs))
        if t_cur > 0 and t_pri > 0 and a_pri > 0:
            sh, shp = a_cur / t_cur, a_pri / t_pri
            if sh - shp >= 0.001:
                vals = {"before": _share(shp), "now": _share(sh)}
                out.append(Suggestion("share_up", "opportunities", "plans.suggest.share_up", vals,
                                      {"share": sh, "share_prior": shp}))  # fmt: skip
        if s_pri and s_cur < s_pri:
            out.append(Suggestion("stores_lost", "threats", "plans.suggest.stores_lost",
                                  {"n": str(s_pri - s_cur), "now": str(s_cur), "before": str(s_pri)},
                                  {"stores": s_cur, "stores_prior": s_pri}))  # fmt: skip
        lost, new = products_before_vs_now(db, account, w)
        if lost:
            out.append(Suggestion("skus_lost", "threats", "plans.suggest.skus_lost", {"n": str(len(lost)),
                                  "skus": ", ".join(lost[:MAX_LISTED]) + (" …" if len(lost) > MAX_LISTED else "")},
                                  {"n": len(lost), "skus": ", ".join(lost)}))  # fmt: skip
        if new:
            out.append(Suggestion("skus_new", "strengths", "plans.suggest.skus_new", {"n": str(len(new)),
                                  "skus": ", ".join(new[:MAX_LISTED]) + (" …" if len(new) > MAX_LISTED else "")},
                                  {"n": len(new), "skus": ", ".join(new)}))  # fmt: skip
    if w.complete:
        tiers = account_tiers(db)
        ka = [a for a in tiers.loc[tiers["tier"].isin(KA_TIERS), "account"] if a != account]
        if ka:
            mine_gm, mine_ts, ka_gm, ka_ts = db.rows(
                f"""SELECT 100 * sum(gross_profit) FILTER (WHERE account = ?) / nullif(sum(revenue) FILTER (
                               WHERE account = ? AND gross_profit IS NOT NULL), 0),
                           100 * sum(trade_spend) FILTER (WHERE account = ?) / nullif(sum(revenue) FILTER (
                               WHERE account = ? AND trade_spend IS NOT NULL), 0),
                           100 * sum(gross_profit) FILTER (WHERE list_contains(?, account)) / nullif(sum(revenue)
                               FILTER (WHERE list_contains(?, account) AND gross_profit IS NOT NULL), 0),
                           100 * sum(trade_spend) FILTER (WHERE list_contains(?, account)) / nullif(sum(revenue)
                               FILTER (WHERE list_contains(?, account) AND trade_spend IS NOT NULL), 0)
                    FROM sales WHERE {_in(cur)}""",  # noqa: S608
                [account, account, account, account, ka, ka, ka, ka, *cur],
            )[0]
            if mine_gm is not None and ka_gm is not None and abs(d := float(mine_gm) - float(ka_gm)) >= MIN_PTS:
                vals = {"margin": f"{float(mine_gm):.1f}%", "avg": f"{float(ka_gm):.1f}%", "diff": _pts(abs(d))}
                figs = {"gross_margin_pct": float(mine_gm), "ka_average_pct": float(ka_gm), "difference_pts": d}
                if d > 0:
                    out.append(Suggestion("margin_vs_ka", "strengths", "plans.suggest.margin_above", vals, figs))
                else:
                    out.append(Suggestion("margin_vs_ka", "weaknesses", "plans.suggest.margin_below", vals, figs))
            if mine_ts is not None and ka_ts is not None and float(mine_ts) - float(ka_ts) >= MIN_PTS:
                d = float(mine_ts) - float(ka_ts)
                out.append(Suggestion("spend_vs_ka", "weaknesses", "plans.suggest.spend_above",
                                      {"spend": f"{float(mine_ts):.1f}%", "avg": f"{float(ka_ts):.1f}%",
                                       "diff": _pts(d)},
                                      {"trade_spend_pct": float(mine_ts), "ka_average_pct": float(ka_ts),
                                       "difference_pts": d}))  # fmt: skip
    rec = receivables_ageing(db, account)
    if rec and rec["overdue_share"] is not None and rec["overdue_share"] >= OVERDUE_SHARE:
        figs = {"overdue_share": rec["overdue_share"], "overdue": rec["overdue"], "as_of": rec["as_of"]}
        vals = {"share": _share(rec["overdue_share"], 0), "date": rec["as_of"]}
        out.append(Suggestion("overdue", "threats", "plans.suggest.overdue", vals, figs))
    return out
