"""Column mapping: one set of header synonyms per field, shared by every upload kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.db import Database
from kam_core.ingest.mapping import FIELDS, KIND_FIELDS, SYNONYMS, propose


def test_every_field_of_every_kind_has_one_synonym_list() -> None:
    for kind, fields in KIND_FIELDS.items():
        for name, _typ, _req in fields:
            assert name in SYNONYMS, f"{kind}.{name} has no synonyms"
    # the same field reads the same headers in every kind that uses it
    by_name: dict[str, set[tuple[str, ...]]] = {}
    for fields in FIELDS.values():
        for f in fields:
            by_name.setdefault(f.name, set()).add(f.synonyms)
    assert all(len(v) == 1 for v in by_name.values())
    assert set(SYNONYMS) == set(by_name)  # no orphan synonyms


@pytest.mark.parametrize(
    ("kind", "text", "want"),
    [
        (
            "accounts",
            "购货单位,业态,客户经理\n家乐福,hypermarket,Li Wei\n",
            "SELECT account, format, kam FROM accounts",
        ),
        ("stores", "门店编码,购货单位,省份\n00017,家乐福,上海\n", "SELECT store, account, province FROM stores"),
        (
            "receivables",
            "购货单位,截止日期,未到期\n家乐福,2026-03-31,100\n",
            "SELECT account, as_of, current FROM receivables",
        ),
    ],
)
def test_purchaser_header_maps_to_account_in_master_files(
    empty_db: Database, tmp_path: Path, kind: str, text: str, want: str
) -> None:
    """`购货单位` (the purchasing unit on a Chinese invoice) is the account in every kind, as in a sales file."""
    f = tmp_path / f"{kind}.csv"
    f.write_text(text, encoding="utf-8")
    assert propose(kind, ingest.sniff(f).headers).fields["account"] == "购货单位"
    with ingest.stage(f, kind) as st:
        ingest.commit(empty_db, st, "tester")
    row = empty_db.rows(want)[0]
    assert row[0 if kind != "stores" else 1] == "家乐福"
    assert len(row) == 3 and None not in row
