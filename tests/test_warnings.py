"""Early warnings: each data rule just below / at / above its threshold; none from partial windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kam_core import settings
from kam_core.analytics import warnings as wr
from kam_core.db import Database
from kam_core.plans.warning_rules import RULES as PLAN_RULES
from tests.helpers import add_sales, run_cli

MONTHS_2025 = [f"2025-{m:02d}" for m in range(1, 13)]
MONTHS_2026 = [f"2026-{m:02d}" for m in range(1, 13)]


def _series(account: str, last_year: list[float], this_year: list[float], margin=(0.2, 0.2)) -> list[tuple]:
    rows = [(p, account, "East", "hypermarket", v, round(v * margin[0], 4), "Li") for p, v in zip(MONTHS_2025,
            last_year, strict=True)]  # fmt: skip
    rows += [(p, account, "East", "hypermarket", v, round(v * margin[1], 4), "Li") for p, v in zip(MONTHS_2026,
             this_year, strict=True)]  # fmt: skip
    return rows


FLAT = [100.0] * 12


def _rules(ws: list[wr.Warning_], account: str) -> set[str]:
    """The data rules' warnings of ``account`` (plan rules: tests/test_warning_rules.py)."""
    return {w.rule for w in _data(ws) if w.account == account}


def _data(ws: list) -> list:
    return [w for w in ws if (w.rule if isinstance(w, wr.Warning_) else w["rule"]) not in PLAN_RULES]


@pytest.fixture
def data(empty_db: Database) -> Database:
    rows = []
    # revenue below last year in N of the last 4 months (Sep–Dec 2026)
    rows += _series("down3", FLAT, [100.0] * 8 + [99.0, 99.0, 99.0, 100.0])  # 3 of 4 down: warn
    rows += _series("down2", FLAT, [100.0] * 8 + [99.0, 99.0, 101.0, 101.0])  # 2 of 4: no warning
    # the last 3 months against last year: −15% exactly warns, −14.9% does not
    rows += _series("drop15", FLAT, [100.0] * 9 + [85.0, 85.0, 85.0])
    rows += _series("drop149", FLAT, [100.0] * 9 + [85.1, 85.1, 85.1])
    # gross margin down 2.0 pts warns, 1.9 pts does not
    rows += _series("margin20", FLAT, FLAT, margin=(0.20, 0.18))
    rows += _series("margin19", FLAT, FLAT, margin=(0.20, 0.181))
    # a new account has nothing to fall from
    rows += _series("newco", [0.0] * 12, [0.0] * 9 + [50.0, 50.0, 50.0])
    add_sales(empty_db, [r for r in rows if r[4] != 0])
    return empty_db


def test_revenue_and_margin_rules_at_their_boundaries(data: Database) -> None:
    ws = wr.evaluate(data)
    assert _rules(ws, "down3") == {"revenue_down_months"}
    assert _rules(ws, "down2") == set()
    assert _rules(ws, "drop15") == {"revenue_drop", "revenue_down_months"}
    assert _rules(ws, "drop149") == {"revenue_down_months"}  # 3 of 4 months down, but not 15%
    assert _rules(ws, "margin20") == {"margin_down"}
    assert _rules(ws, "margin19") == set()
    assert _rules(ws, "newco") == set()
    w = next(w for w in ws if w.account == "drop15" and w.rule == "revenue_drop")
    assert w.severity == "high" and w.figures["change_pct"] == -15.0
    assert w.message("en") == "last 3 months -15.0% against the same months last year (threshold -15.0%)"
    assert "同比 -15.0%" in w.message("zh")
    # one click to where the drop came from: the account's SKUs over the same months
    assert w.link == "/explain?metric=revenue&by=sku&from=2026-10&to=2026-12&vs=yoy&account=drop15"
    d = next(w for w in ws if w.account == "down3" and w.rule == "revenue_down_months")
    assert d.figures == {"down": 3, "of": 4, "change_pct": -0.8, "from": "2026-09", "to": "2026-12"}
    assert d.message("en") == "revenue below last year in 3 of the last 4 months (2026-09 … 2026-12): -0.8%"
    assert [w.severity for w in ws] == sorted((w.severity for w in ws), key=wr.SEVERITY_RANK.get)


def test_thresholds_are_settings(data: Database) -> None:
    settings.put(data, "warnings.revenue_drop_pct", 0.149, "ann")
    assert "revenue_drop" in _rules(wr.evaluate(data), "drop149")
    settings.put(data, "warnings.revenue_down_months", 4, "ann")
    assert _rules(wr.evaluate(data), "down3") == set()


def test_no_warning_from_a_partial_prior_window(empty_db: Database) -> None:
    # last year holds only December: the prior window of the last 4 months is incomplete
    add_sales(empty_db, [("2025-12", "A", "East", "hypermarket", 1000, 200, "Li")]
              + [(p, "A", "East", "hypermarket", 10, 1, "Li") for p in MONTHS_2026])  # fmt: skip
    assert _data(wr.evaluate(empty_db)) == []


def test_a_partial_latest_month_is_left_out(data: Database) -> None:
    uid = data.scalar("SELECT max(id) FROM uploads")
    with data.transaction("t", "test") as cur:
        cur.execute("INSERT INTO upload_periods VALUES (?, DATE '2026-12-01', DATE '2026-12-09')", [uid])
    months = wr.last_complete_months(data, 4)
    assert months == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    ws = wr.evaluate(data)
    # Aug–Nov: down3 is down in Sep, Oct, Nov → still 3 of 4; drop15's window Sep–Nov holds 2 low months
    assert "revenue_down_months" in _rules(ws, "down3")
    assert "revenue_drop" not in _rules(ws, "drop15")


def test_receivables_rules(empty_db: Database) -> None:
    add_sales(empty_db, [("2026-10", a, "East", "hypermarket", 100, 10, "Li") for a in ("r20", "r201", "r90")])
    with empty_db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO uploads (id, kind, file_name, sha256, user_name, created_at) "
                    "VALUES (99, 'receivables', 'r', 'x', 't', now())")  # fmt: skip
        for acc, current, o30, o90 in (("r20", 80, 20, 0), ("r201", 79.9, 20.1, 0), ("r90", 99, 0, 1)):
            cur.execute("INSERT INTO receivables VALUES (?, DATE '2026-09-30', 100, 0, 0, 0, 50, 99)", [acc])
            cur.execute("INSERT INTO receivables VALUES (?, DATE '2026-10-31', ?, ?, 0, 0, ?, 99)",
                        [acc, current, o30, o90])  # fmt: skip
    ws = wr.evaluate(empty_db)
    assert _rules(ws, "r20") == set()  # exactly 20%: not above the threshold; September's 90+ is not the latest
    assert _rules(ws, "r201") == {"overdue_share"}
    assert _rules(ws, "r90") == {"overdue_90"}
    w = next(w for w in ws if w.rule == "overdue_90")
    assert w.severity == "high" and w.figures == {"amount": 1.0, "as_of": "2026-10-31"}


def test_cli(tmp_path: Path, data: Database) -> None:
    path = tmp_path / "w.duckdb"
    db = Database(path)
    add_sales(db, _series("drop15", FLAT, [100.0] * 9 + [85.0, 85.0, 85.0]))
    db.close()
    r = run_cli("warnings", "--db", str(path), "--json")
    assert r.code == 0, r.stderr
    rows = r.json
    assert {x["rule"] for x in _data(rows)} == {"revenue_drop", "revenue_down_months"}
    assert all(set(x) == {"account", "rule", "severity", "message", "figures"} for x in rows)
    r = run_cli("warnings", "--db", str(path), "--severity", "high", "--json", "--lang", "zh")
    assert [x["rule"] for x in _data(r.json)] == ["revenue_drop"] and "同比" in r.json[0]["message"]
    assert run_cli("warnings", "--db", str(path), "--account", "nobody", "--json").json == []
    assert run_cli("warnings", "--db", str(path), "--severity", "urgent").code == 2


def test_no_margin_warning_where_gross_profit_is_not_known(empty_db: Database) -> None:
    """A month whose lines carry no gross profit — or only some of them do — has no known margin: no
    "margin 0.0%" warning from missing figures; a real drop with the figures there still warns."""
    rows = _series("no_gp_now", FLAT, FLAT)
    rows = [r if r[0] < "2026-10" else (*r[:5], None, r[6]) for r in rows]  # Oct–Dec 2026 without gross profit
    partial = _series("half_gp_now", FLAT, FLAT)
    # December 2026 in two lines, only one with a gross profit (the margin would read 10%)
    partial = [r for r in partial if r[0] != "2026-12"] + [("2026-12", "half_gp_now", "East", "hypermarket", 50.0,
                                                             10.0, "Li"),
                                                            ("2026-12", "half_gp_now", "East", "hypermarket", 50.0,
                                                             None, "Li")]  # fmt: skip
    dropped = _series("real_drop", FLAT, FLAT, margin=(0.20, 0.10))
    add_sales(empty_db, rows + partial + dropped)
    ws = wr.evaluate(empty_db)
    assert _rules(ws, "no_gp_now") == set()
    assert _rules(ws, "half_gp_now") == set()
    assert _rules(ws, "real_drop") == {"margin_down"}
    assert wr.severity_counts(empty_db) == wr.counts(ws)  # the counts without objects agree
