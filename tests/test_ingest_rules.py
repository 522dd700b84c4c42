"""The upload rules kam_core owns for the page and the CLI: what blocks a commit, which template is preselected."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.ingest.mapping import Mapping

F = Path(__file__).parent / "fixtures" / "ingest"


def keys(p: ingest.Preview, user: str | None = "tester", skip: bool = False) -> list[str]:
    return [b.key for b in ingest.commit_blockers(p, user=user, skip_invalid=skip)]


def test_a_clean_file_has_no_blocker_and_commits(empty_db: Database) -> None:
    with ingest.stage(F / "correction_v1.csv") as st:
        p = ingest.preview(empty_db, st)
        assert keys(p) == []
        out = ingest.commit(empty_db, st, "tester")
    assert out.upload_id == 1 and out.rows_loaded == 4 and out.demo_removed is False


def test_rejected_rows_block_unless_skip_invalid(empty_db: Database) -> None:
    with ingest.stage(F / "negative_absurd.csv") as st:
        p = ingest.preview(empty_db, st)
        assert keys(p) == ["upload.err.rejected_rows"]
        assert ingest.commit_blockers(p, user="tester")[0].values == {"n": 2}
        assert keys(p, skip=True) == []


def test_same_file_and_missing_user_block_and_commit_refuses_with_the_first(empty_db: Database) -> None:
    with ingest.stage(F / "kam_a.csv") as st:
        ingest.commit(empty_db, st, "ann")
    with ingest.stage(F / "kam_a.csv") as st:
        p = ingest.preview(empty_db, st)
        assert keys(p, user="  ") == ["upload.err.duplicate", "upload.err.no_user"]
        dup = ingest.commit_blockers(p, user="bob")[0]
        assert isinstance(dup, UserError) and dup.values["id"] == 1 and dup.values["user"] == "ann"
        with pytest.raises(ingest.IngestError, match="already imported"):
            ingest.commit(empty_db, st, "")
    assert empty_db.scalar("SELECT count(*) FROM uploads") == 1


def test_nothing_valid_blocks(empty_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("account,as_of,current\nCarrefour,not a date,1\n", encoding="utf-8")
    with ingest.stage(f, "receivables") as st:
        p = ingest.preview(empty_db, st)
        assert keys(p, skip=True) == ["upload.err.nothing_valid"]
        with pytest.raises(ingest.IngestError, match="no valid row"):
            ingest.commit(empty_db, st, "tester", skip_invalid=True)
    assert empty_db.scalar("SELECT count(*) FROM uploads") == 0


def test_no_user_message_in_both_languages() -> None:
    e = ingest.IngestError("upload.err.no_user")
    assert "who" in e.message("en") and e.message("zh") != e.message("en")


def test_preselected_template_is_the_users_last_that_fits(empty_db: Database) -> None:
    headers = ingest.sniff(F / "us_dates.csv").headers
    assert ingest.template_choice(empty_db, "sales", headers, "ann") == ([], None)
    assert ingest.starting_mapping("sales", headers, [], None) == ingest.propose("sales", headers)
    ingest.save_template(empty_db, "erp", "sales", Mapping({"period": "Order Date", "account": "Customer ID",
                                                            "revenue": "Sales"}), "ann")  # fmt: skip
    ingest.save_template(empty_db, "portal", "sales", Mapping({"period": "Ship Date", "account": "Customer Name",
                                                               "revenue": "Sales"}), "bob", shared=True)  # fmt: skip
    ingest.save_template(empty_db, "other", "sales", Mapping({"period": "Monat", "account": "Kunde"}), "ann")
    fitting, pre = ingest.template_choice(empty_db, "sales", headers, "ann")
    assert [tp["name"] for tp in fitting] == ["erp", "portal"] and pre == "erp"  # "other" does not fit the file
    assert ingest.template_choice(empty_db, "sales", headers, "bob")[1] == "portal"
    assert ingest.starting_mapping("sales", headers, fitting, "portal").fields["period"] == "Ship Date"
    assert ingest.template_named(empty_db, "sales", "other") is not None
    assert ingest.template_named(empty_db, "accounts", "erp") is None


def test_preview_json_keeps_the_cli_fields(empty_db: Database) -> None:
    with ingest.stage(F / "correction_v1.csv") as st:
        ingest.commit(empty_db, st, "tester")
    with ingest.stage(F / "correction_v2.csv") as st:
        p = ingest.preview(empty_db, st)
    j = p.to_json()
    assert list(j)[:16] == ["file", "kind", "format", "sheet", "sha256", "rows_read", "rows_valid", "rows_loaded",
                            "rows_rejected", "rows_summary", "rejected", "warnings", "warning_count", "notes",
                            "mapping", "duplicate_of"]  # fmt: skip
    assert j["replaced"] == [{"period": "2026-03-01", "account": "Carrefour", "old_revenue": 1500.33,
                              "new_revenue": 1234.56, "old_rows": 2, "new_rows": 1}]  # fmt: skip
    assert j["months"][0]["period"] == "2026-03-01" and j["upload_id"] is None and "demo_removed" not in j
    with ingest.stage(F / "accounts.csv", "accounts") as st:
        j = ingest.preview(empty_db, st).to_json()
    assert (j["keys_new"], j["keys_known"]) == (1, 1) and "months" not in j
