"""Example plans on the demo dataset: written through the store, valid, tracked from the demo data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kam_core.db import Database
from kam_core.plans import demo_plans, store
from kam_core.plans.model import validate
from kam_core.plans.tracking import track


def test_seed_writes_the_three_chains(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_path.read_bytes())
    db = Database(path)
    try:
        with db.transaction("t", "test") as cur:  # the demo build seeded them: start again without
            cur.execute("DELETE FROM account_plans")
        written = demo_plans.seed(db, "demo")
        assert [(v.account, v.version) for v in written] == [("Carrefour", 1), ("Carrefour", 2), ("RT-Mart", 1),
                                                              ("Ningbo Sanjiang", 1)]  # fmt: skip
        assert all(v.year == 2026 and validate(v.doc) == [] for v in written)
        assert {v.saved_by for v in written} == {demo_plans.DEMO_PLAN_USER}
        assert demo_plans.seed(db, "demo") == []  # plans already there: left alone
        assert [h["version"] for h in store.history(db, "Carrefour", 2026)] == [2, 1]
        for v in store.list_latest(db, 2026):
            tr = track(db, v.doc, date(2026, 10, 15))
            assert all(o.actual is not None and o.status != "no_data" for o in tr.objectives), v.account
        rev = track(db, store.latest(db, "Carrefour", 2026).doc, date(2026, 10, 15)).by_id()["rev"]
        assert rev.baseline is not None and rev.baseline > 1e8 and rev.projection == "seasonal"
    finally:
        db.close()


def test_the_demo_brings_its_plans_and_takes_them_away(demo_path: Path, tmp_path: Path) -> None:
    from kam_core import ingest
    from kam_core.plans.model import new_plan

    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_path.read_bytes())
    db = Database(path)
    try:
        assert {v.account for v in store.list_latest(db, 2026)} == {"Carrefour", "RT-Mart", "Ningbo Sanjiang"}
        store.save(db, "Walmart", 2026, new_plan("Walmart", 2026), 0, "mine", "ann")  # a user's own plan stays
        csv = tmp_path / "real.csv"
        csv.write_text("month,customer,revenue\n2026-10,Walmart,100\n", encoding="utf-8")
        with ingest.stage(csv, "sales") as st:
            ingest.commit(db, st, "ann")
        assert [v.account for v in store.list_latest(db, 2026)] == ["Walmart"]
    finally:
        db.close()
