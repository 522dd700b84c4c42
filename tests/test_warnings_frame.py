"""The warnings frame gives exactly the warnings the per-account objects gave (tests/warnings_reference.py):
the same accounts, rules, severities, figures (values and types), sentences in both languages, links and
order — on the demo and on hand-made data that triggers every rule; the CLI prints the same bytes; the
severity counts and the portfolio's table of warnings are made from the same rows."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from kam_core import cli, settings
from kam_core.analytics import portfolio as P
from kam_core.analytics import warnings as wr
from kam_core.commands import warnings as warnings_cmd
from kam_core.db import Database
from kam_core.plans import store
from kam_core.plans.model import Action, Objective, PlanDoc, Relationship, Stakeholder
from kam_core.plans.warning_rules import RULES as PLAN_RULES
from tests import warnings_reference as ref
from tests.helpers import add_sales, run_cli
from tests.plans_helpers import add_receivables

DATA_RULES = ("revenue_down_months", "revenue_drop", "margin_down", "overdue_share", "overdue_90")
AS_OF = date(2026, 12, 31)  # the hand-made plans are for 2026, saved on SAVED
SAVED = date(2026, 6, 1)
ODD = "华润 万家/Vanguard & Co"  # a name that is quoted in a link


def _types(figures: dict) -> list[tuple[str, str]]:
    return [(k, type(v).__name__) for k, v in figures.items()]


def assert_same(got: list[wr.Warning_], want: list[wr.Warning_]) -> None:
    """Every field of every warning, in order: values, the figures' names, order and types, the sentences
    in both languages, the link and the coded figures."""
    assert got == want  # account, rule, severity, key, figures (values), in order
    assert [_types(w.figures) for w in got] == [_types(w.figures) for w in want]
    assert [w.link for w in got] == [w.link for w in want]
    assert [w.coded for w in got] == [w.coded for w in want]
    for lang in ("en", "zh"):
        assert [w.message(lang) for w in got] == [ref.message(w, lang) for w in want]
        assert [w.to_dict(lang) for w in got] == [ref.to_dict(w, lang) for w in want]


def assert_frame_gives(db: Database, as_of: date) -> list[wr.Warning_]:
    """The frame, its objects, its sentences and links, its counts and filters against the reference."""
    want = ref.evaluate(db, as_of=as_of)
    f = wr.frame(db, as_of=as_of)
    got = wr.to_warnings(f)
    assert_same(got, want)
    assert_same(wr.evaluate(db, as_of=as_of), want)
    figs = wr.figures(f)
    assert figs == [w.figures for w in want]
    assert wr.links(f) == [w.link for w in want]
    for lang in ("en", "zh"):
        assert wr.messages(f, lang, figs) == wr.messages(f, lang) == [ref.message(w, lang) for w in want]
    # a slice of the frame (the rows a page shows) renders as those rows of the whole
    part = f.iloc[1::3]
    assert wr.to_warnings(part) == want[1::3] and wr.links(part) == [w.link for w in want[1::3]]
    expected = {s: sum(w.severity == s for w in want) for s in wr.SEVERITIES}
    assert wr.counts(f) == wr.severity_counts(db, as_of) == wr.counts(want) == expected
    for severity in wr.SEVERITIES:
        assert_same(wr.evaluate(db, severity=severity, as_of=as_of), ref.evaluate(db, severity=severity, as_of=as_of))
    for account in sorted({w.account for w in want})[:5]:
        assert_same(wr.evaluate(db, account, as_of=as_of), ref.evaluate(db, account, as_of=as_of))
    return want


# -- the demo ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("as_of", [date(2026, 10, 15), date(2027, 3, 1)])
def test_demo_warnings_are_the_reference(demo_db: Database, as_of: date) -> None:
    want = assert_frame_gives(demo_db, as_of)
    assert len(want) > 30 and {"revenue_drop", "no_plan"} <= {w.rule for w in want}


def test_demo_portfolio_table_is_the_reference(demo_db: Database) -> None:
    today = date(2026, 10, 15)
    p = P.portfolio(demo_db, 2026, today)
    ws = ref.evaluate(demo_db, as_of=p.as_of)
    assert len(p.warnings) == len(ws) > 0
    for lang in ("en", "zh"):
        for severity in ((), ("high",), ("medium", "low")):
            picked = p.warnings[p.warnings["severity"].isin(severity)] if severity else p.warnings
            pd.testing.assert_frame_equal(P.warnings_frame(picked, 2026, lang).reset_index(drop=True),
                                          ref.warnings_frame(ws, 2026, lang, severity))  # fmt: skip
    # the plans' counts per severity and their rules: those of the rows of the account
    for r in p.rows.itertuples(index=False):
        mine = [w for w in ws if w.account == r.account]
        assert (r.warn_high, r.warn_medium, r.warn_low) == tuple(wr.counts(mine).values())
        assert r.rules == tuple(sorted({w.rule for w in mine}))


# -- hand-made data that triggers every rule ------------------------------------------------------------
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]


def _series(account: str, last_year: float, this_year: list[float], gp: tuple[float | None, float | None] = (0.2, 0.2),
            kam: str = "Li") -> list[tuple]:  # fmt: skip
    values = [last_year] * 12 + this_year
    return [(p, account, "East", "hypermarket", v, None if (g := gp[i >= 12]) is None else round(v * g, 4), kam)
            for i, (p, v) in enumerate(zip(MONTHS, values, strict=True))]  # fmt: skip


@pytest.fixture
def every_rule(empty_db: Database) -> Database:
    db = empty_db
    rows = []
    rows += _series("down3", 100.0, [100.0] * 8 + [99.0, 99.0, 99.0, 100.0])
    rows += _series("drop15", 100.0, [100.0] * 9 + [85.0, 85.0, 85.0])
    rows += _series(ODD, 300.0, [300.0] * 9 + [10.0, 20.0, 30.0], kam="Wang")
    rows += _series("margin20", 100.0, [100.0] * 12, gp=(0.20, 0.18))
    rows += _series("gp gone", 100.0, [100.0] * 12, gp=(0.20, None))  # gross profit no longer in the lines
    rows += _series("steady", 1000.0, [1000.0] * 12)
    rows += _series("big", 5000.0, [5000.0] * 12)
    rows += _series("bigger", 9000.0, [9300.0] * 12)
    rows += _series("r90", 100.0, [100.0] * 12)
    rows += _series("r201", 100.0, [100.0] * 12)
    add_sales(db, rows)
    add_receivables(db, [("r90", "2026-11-30", 99, 0, 0, 0, 1), ("r201", "2026-11-30", 79.9, 20.1, 0, 0, 0),
                         ("r201", "2026-10-31", 10, 0, 0, 0, 90),
                         (ODD, "2026-11-30", 10, 10, 10, 10, 10.126)])  # fmt: skip
    settings.put(db, "warnings.plan_stale_days", 150, "ann")
    late = [Action(f"Step {i}", id=f"A{i}", due=date(2026, 9, i)) for i in range(1, 5)]
    plans = {
        "down3": PlanDoc("down3", 2026, Relationship("cooperative", "basic"),
                         objectives=[Objective("rev", "revenue", 5000.0, date(2026, 6, 30)),
                                     Objective("gm", "gross_margin_pct", 40.0, date(2026, 6, 30))],
                         actions=late,
                         stakeholders=[Stakeholder("Zhang", "Director", "decision_maker", "detractor", 5,
                                                   last_contact=date(2026, 6, 1)),
                                       Stakeholder("Wu", role="decision_maker", attitude="detractor",
                                                   last_contact=date(2026, 5, 1))]),
        "drop15": PlanDoc("drop15", 2026, Relationship("disintegrating", "basic"),
                          stakeholders=[Stakeholder("Chen"), Stakeholder("Li")]),
        "margin20": PlanDoc("margin20", 2026, Relationship("basic", "disintegrating"),
                            stakeholders=[Stakeholder("Sun", role="decision_maker"),
                                          Stakeholder("Ma", last_contact=date(2026, 12, 20))]),
        "steady": PlanDoc("steady", 2026),
    }  # fmt: skip
    for account, doc in plans.items():
        store.save(db, account, 2026, doc, 0, "", "Ann")
    with db.transaction("ann", "test") as cur:  # a fixed day, so the plans' age does not depend on today
        cur.execute("UPDATE account_plans SET saved_at = ?", [pd.Timestamp(SAVED) + timedelta(hours=9)])
    return db


def test_hand_made_data_triggers_every_rule(every_rule: Database) -> None:
    want = assert_frame_gives(every_rule, AS_OF)
    assert {w.rule for w in want} == set(DATA_RULES) | set(PLAN_RULES)
    assert {w.key for w in want} >= {"warn.no_contact", "warn.no_contact_never", "warn.no_decision_maker",
                                     "warn.decision_maker_not_contacted"}  # fmt: skip
    odd = next(w for w in want if w.account == ODD and w.rule == "revenue_drop")
    assert odd.link.endswith("&account=%E5%8D%8E%E6%B6%A6+%E4%B8%87%E5%AE%B6%2FVanguard+%26+Co")
    # the hand-made figures, as a reader sees them
    byrule = {(w.account, w.rule): w for w in want}
    assert byrule[("r90", "overdue_90")].figures == {"amount": 1.0, "as_of": "2026-11-30"}
    assert byrule[("drop15", "revenue_drop")].message("en") == (
        "last 3 months -15.0% against the same months last year (threshold -15.0%)")  # fmt: skip
    assert byrule[("down3", "plan_stale")].figures["days"] == (AS_OF - SAVED).days
    assert "…" in byrule[("down3", "actions_overdue")].figures["actions"]
    # a year later the plans are not that year's: no plan rule but "no plan" for the key accounts
    later = assert_frame_gives(every_rule, date(2027, 2, 1))
    assert {w.rule for w in later} - set(DATA_RULES) == {"no_plan"}


def test_thresholds_change_the_frame_as_the_reference(every_rule: Database) -> None:
    settings.put_many(every_rule, {"warnings.revenue_drop_pct": 0.01, "warnings.margin_drop_pts": 0.5,
                                   "warnings.revenue_down_months": 1, "warnings.overdue_pct": 0.05,
                                   "warnings.overdue_90_min": 5.0}, "ann")  # fmt: skip
    assert_frame_gives(every_rule, AS_OF)


def test_no_warning_gives_an_empty_frame(empty_db: Database) -> None:
    f = wr.frame(empty_db, as_of=AS_OF)
    assert f.empty and set(wr.FRAME_COLUMNS) <= set(f.columns)
    assert wr.to_warnings(f) == [] and wr.severity_counts(empty_db, AS_OF) == {"high": 0, "medium": 0, "low": 0}
    assert P.warnings_frame(f, 2026, "en").empty


def test_cli_prints_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    db = Database(path)
    add_sales(db, _series("drop15", 100.0, [100.0] * 9 + [85.0, 85.0, 85.0])
              + _series(ODD, 100.0, [100.0] * 9 + [50.0, 60.0, 70.0], gp=(0.3, 0.1))
              + _series("big", 900.0, [900.0] * 12))  # fmt: skip
    add_receivables(db, [("big", "2026-11-30", 10, 0, 0, 0, 3)])
    store.save(db, "big", date.today().year, PlanDoc("big", date.today().year, Relationship("basic", "disintegrating"),
                                                     stakeholders=[Stakeholder("Zhang")]), 0, "", "Ann")  # fmt: skip
    want = ref.evaluate(db)
    db.close()
    assert {w.rule for w in want} >= {"revenue_drop", "margin_down", "overdue_90", "stage_disintegrating"}
    for args, picked in (((), want), (("--severity", "high"), [w for w in want if w.severity == "high"]),
                         (("--account", ODD), [w for w in want if w.account == ODD])):  # fmt: skip
        for lang in ("en", "zh"):
            rows = [ref.to_dict(w, lang) for w in picked]
            r = run_cli("warnings", "--db", str(path), "--lang", lang, "--json", *args)
            assert r.code == 0, r.stderr
            assert r.stdout == cli.dumps(rows) + "\n"
            assert json.loads(r.stdout) == rows
            r = run_cli("warnings", "--db", str(path), "--lang", lang, *args)
            assert r.stdout == warnings_cmd.human(rows) + "\n"
