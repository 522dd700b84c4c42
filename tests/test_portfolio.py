"""The plan portfolio: completeness of hand-made plans, the risk order, one row per plan with its figures."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from kam_core.analytics import portfolio as P
from kam_core.db import Database
from kam_core.plans import store
from kam_core.plans.completeness import completeness
from kam_core.plans.model import (
    Action,
    Competitor,
    Objective,
    OwnCompany,
    PlanDoc,
    Relationship,
    Stakeholder,
    Swot,
    SwotItem,
)
from tests.plans_helpers import tracking_dataset


def full(account: str = "Acme", year: int = 2026) -> PlanDoc:
    one = [SwotItem("x")]
    return PlanDoc(
        account, year, Relationship("basic", "cooperative", "monthly meetings"), "vision", "strategy",
        Swot(one, one, one, one), [Competitor("Rival")], OwnCompany(service_issues="late invoices"),
        [Stakeholder("Zhang", role="decision_maker", last_contact=date(2026, 7, 1))],
        [Objective("rev", "revenue", 1.0, date(2026, 6, 30))], [Action("Launch", id="A1")],
    )  # fmt: skip


def test_completeness_counts_filled_sections() -> None:
    assert completeness(full()).share == 1.0
    empty = completeness(PlanDoc("Acme", 2026))
    assert empty.filled == () and empty.share == 0.0
    # blank text, a SWOT with one empty quadrant and a stage without justification do not count
    doc = PlanDoc("Acme", 2026, Relationship("basic", "integrated", "  "), vision="  ", strategy="grow",
                  swot=Swot([SwotItem("a")], [SwotItem("b")], [SwotItem("c")], []), actions=[Action("x")])  # fmt: skip
    c = completeness(doc)
    assert c.filled == ("strategy", "actions") and c.share == 2 / 9
    assert "swot" in c.missing and "relationship" in c.missing


def test_risk_order() -> None:
    rows = pd.DataFrame({"account": list("abcde"), "warn_high": [0, 1, 0, 1, 0], "off_track": [0, 0, 2, 3, 2],
                         "actions_overdue": [5, 0, 1, 0, 4]})  # fmt: skip
    assert P.sort_by_risk(rows)["account"].tolist() == ["d", "b", "e", "c", "a"]


def test_portfolio_rows_missing_and_filters(empty_db: Database) -> None:
    tracking_dataset(empty_db)  # Acme and Other, both key accounts (top 20)
    doc = full()
    doc.objectives = [Objective("rev", "revenue", 2000.0, date(2026, 6, 30))]  # projected 900: off track
    doc.actions = [Action("Launch", id="A1", due=date(2026, 7, 1)), Action("Fees", id="A2", due=date(2026, 9, 1))]
    store.save(empty_db, "Acme", 2026, doc, 0, "", "Ann")
    p = P.portfolio(empty_db, 2026, date(2026, 8, 1))
    assert p.as_of == date(2026, 8, 1)
    r = p.rows.iloc[0]
    assert r["account"] == "Acme" and r["completeness"] == 1.0 and r["off_track"] == 1 and r["on_track"] == 0
    assert r["actions_overdue"] == 1 and r["saved_by"] == "Ann" and r["version"] == 1
    assert r["link"] == "/plans?account=Acme&year=2026" and bool(r["key"]) and r["kam"] is None
    ws = p.warnings
    assert r["warn_high"] == ((ws["account"] == "Acme") & (ws["severity"] == "high")).sum() >= 1
    assert "objective_off_track" in r["rules"] and "actions_overdue" in r["rules"]
    assert p.missing["account"].tolist() == ["Other"]
    assert p.missing["link"].tolist() == ["/plans?account=Other&year=2026"]
    assert P.filter_rows(p.rows, rules=("plan_stale",)).empty
    assert len(P.filter_rows(p.rows, rules=("actions_overdue", "plan_stale"))) == 1
    assert P.filter_rows(p.rows, kams=("Li",)).empty
    wf = P.warnings_frame(ws[ws["severity"] == "high"], 2026, "en")
    assert set(wf["severity"]) == {"High"} and (wf["plan"].str.startswith("/plans?account=")).all()


def test_as_of_for_past_and_future_years() -> None:
    today = date(2026, 12, 1)
    assert P.as_of_for(2026, today) == today
    assert P.as_of_for(2025, today) == date(2025, 12, 31)
    assert P.as_of_for(2027, today) == date(2027, 1, 1)


def test_versions_stamp_last_update(empty_db: Database) -> None:
    tracking_dataset(empty_db)
    v1 = store.save(empty_db, "Acme", 2026, PlanDoc("Acme", 2026), 0, "", "Ann")
    store.save(empty_db, "Acme", 2026, full(), v1.version, "", "Bo")
    p = P.portfolio(empty_db, 2026, date(2026, 8, 1))
    assert p.rows["saved_by"].tolist() == ["Bo"] and p.rows["version"].tolist() == [2]
    assert isinstance(p.rows["saved_at"].iloc[0], datetime | pd.Timestamp)


def _former_columns(db: Database, p: P.Portfolio) -> tuple[list, list]:
    """The rows' and the missing key accounts' tier, score, rank, key and KAM as the portfolio took them
    before: from the map of every account's tier, every account's KAM and the key accounts by account."""
    from kam_core.analytics.scoring import key_accounts
    from kam_core.analytics.tiers import account_tier_map

    tiers, kams = account_tier_map(db), P.account_kams(db)
    keys = key_accounts(db).set_index("account")
    rows = []
    for a in p.rows["account"]:
        k = keys.loc[a] if a in keys.index else None
        rows.append((a, tiers.get(a), None if k is None else float(k["score"]), None if k is None else int(k["rank"]),
                     bool(k is not None and k["key"]), kams.get(a)))  # fmt: skip
    key_rows = keys[keys["key"].astype(bool)].reset_index().sort_values("rank")
    missing = [(a, int(r), float(s), tiers.get(a), kams.get(a))
               for a, r, s in zip(key_rows["account"], key_rows["rank"], key_rows["score"], strict=True)
               if a not in set(p.rows["account"])]  # fmt: skip
    return rows, missing


def _columns(p: P.Portfolio) -> tuple[list, list]:
    def value(x: object) -> object:  # (a missing value in a frame reads NaN)
        return None if pd.isna(x) else x

    rows = p.rows[["account", "tier", "score", "rank", "key", "kam"]]
    missing = p.missing[["account", "rank", "score", "tier", "kam"]]
    return ([(a, value(t), value(s), value(r), bool(k), value(m)) for a, t, s, r, k, m in rows.itertuples(index=False)],
            [tuple(value(x) for x in r) for r in missing.itertuples(index=False)])  # fmt: skip


def test_portfolio_tiers_scores_and_kams_equal_the_former_lookups(demo_db: Database) -> None:
    p = P.portfolio(demo_db, 2026, date(2026, 10, 15))
    assert len(p.rows) and len(p.missing)  # the demo holds plans and key accounts without one
    assert _columns(p) == _former_columns(demo_db, p)


def test_portfolio_of_numeric_account_codes(empty_db: Database) -> None:
    from tests.helpers import add_sales

    add_sales(empty_db, [("2026-05", "18102", "East", "hypermarket", 500.0, 50.0, "Li"),
                         ("2026-05", "18102", "East", "hypermarket", 90.0, 9.0, "Wang"),
                         ("2026-06", "0042", "South", "traditional", 300.0, None, "Wang"),
                         ("2026-06", "42", "South", "traditional", 200.0, 20.0, None),
                         ("2026-06", "9", "North", None, 100.0, 10.0, "Li")])  # fmt: skip
    store.save(empty_db, "0042", 2026, full("0042"), 0, "", "Ann")
    store.save(empty_db, "18102", 2026, full("18102"), 0, "", "Ann")
    p = P.portfolio(empty_db, 2026, date(2026, 8, 1))
    assert sorted(p.rows["account"]) == ["0042", "18102"] and "42" in set(p.missing["account"])
    assert dict(zip(p.rows["account"], p.rows["kam"], strict=True)) == {"0042": "Wang", "18102": "Li"}
    assert _columns(p) == _former_columns(empty_db, p)


def test_portfolio_of_an_empty_database(empty_db: Database) -> None:
    p = P.portfolio(empty_db, 2026, date(2026, 8, 1))
    assert p.rows.empty and p.missing.empty and p.warnings.empty
    assert list(p.rows.columns) == list(P.COLUMNS) and list(p.missing.columns) == list(P.MISSING_COLUMNS)
    assert P.account_kams(empty_db, []) == {} and P.account_kams(empty_db) == {}
