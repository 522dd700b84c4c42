"""Schema invariants that code relies on, checked on a freshly migrated database."""

from __future__ import annotations

import pytest

from kam_core.db import Database

REPLACED = ("sales", "accounts", "stores", "receivables")


def columns(db: Database, table: str) -> list[tuple[str, str]]:
    return db.rows(
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position""",
        [table],
    )


@pytest.mark.parametrize("table", REPLACED)
def test_replaced_table_is_replaced_by_plus_the_tables_columns_in_order(empty_db: Database, table: str) -> None:
    """Rollback copies rows back with ``SELECT * EXCLUDE (replaced_by)`` and commit sets them aside with
    ``SELECT ?, t.*``: both are positional, so the columns must match one for one (see kam_core/migrations.py)."""
    base, copy = columns(empty_db, table), columns(empty_db, f"{table}_replaced")
    assert base, f"table {table} missing"
    assert copy[:1] == [("replaced_by", "BIGINT")], f"{table}_replaced must start with replaced_by BIGINT"
    missing = [c for c, _ in base if c not in dict(copy[1:])]
    assert not missing, (
        f"{table}_replaced lacks {', '.join(missing)}: a migration that adds a column to {table} must add the "
        f"same column, at the same position, to {table}_replaced"
    )
    assert copy[1:] == base, f"{table}_replaced (after replaced_by) differs from {table}: {copy[1:]} vs {base}"
