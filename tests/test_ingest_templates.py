"""Mapping templates have owners: private unless shared, a name is its owner's, the preselection is the user's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.ingest.mapping import Mapping

HEADERS = ["period", "account", "revenue", "gross_profit"]
GOOD = Mapping({"period": "period", "account": "account", "revenue": "revenue"})
WRONG = Mapping({"period": "period", "account": "account", "revenue": "gross_profit"})  # ¥700 instead of ¥7 000


def _file(tmp_path: Path) -> Path:
    f = tmp_path / "m.csv"
    f.write_text("period,account,revenue,gross_profit\n2026-03,A,7000,700\n")
    return f


def test_another_users_template_is_never_preselected(empty_db: Database, tmp_path: Path) -> None:
    ingest.save_template(empty_db, "bob's", "sales", WRONG, "bob", shared=True)
    offered, pre = ingest.template_choice(empty_db, "sales", HEADERS, "ann")
    assert [t["name"] for t in offered] == ["bob's"] and pre is None  # offered (shared), not preselected
    with ingest.stage(_file(tmp_path), mapping=ingest.starting_mapping("sales", HEADERS, offered, pre)) as st:
        assert float(st.con.execute("SELECT revenue FROM parsed").fetchone()[0]) == 7000
    ingest.save_template(empty_db, "mine", "sales", GOOD, "ann")
    assert ingest.template_choice(empty_db, "sales", HEADERS, "ann")[1] == "mine"
    assert ingest.template_choice(empty_db, "sales", HEADERS, "bob")[1] == "bob's"


def test_private_templates_stay_private(empty_db: Database) -> None:
    ingest.save_template(empty_db, "secret", "sales", GOOD, "ann")
    assert ingest.template_choice(empty_db, "sales", HEADERS, "bob") == ([], None)
    assert ingest.template_choice(empty_db, "sales", HEADERS, None)[0] == []


def test_a_name_of_another_user_is_refused(empty_db: Database) -> None:
    ingest.save_template(empty_db, "erp", "sales", GOOD, "ann", shared=True)
    with pytest.raises(UserError) as e:
        ingest.save_template(empty_db, "erp", "sales", WRONG, "bob")
    assert e.value.key == "upload.err.template_owner"
    assert "ann" in e.value.message("en") and "ann" in e.value.message("zh")
    tp = ingest.template_named(empty_db, "sales", "erp")
    assert tp["user"] == "ann" and tp["mapping"].fields == GOOD.fields  # unchanged


def test_commit_with_a_shared_template_does_not_take_it_over(empty_db: Database, tmp_path: Path) -> None:
    ingest.save_template(empty_db, "erp", "sales", GOOD, "ann", shared=True)
    with ingest.stage(_file(tmp_path), mapping=WRONG) as st:
        ingest.commit(empty_db, st, "bob", template="erp")
    tp = ingest.template_named(empty_db, "sales", "erp")
    assert tp["user"] == "ann" and tp["mapping"].fields == GOOD.fields and tp["shared"]
