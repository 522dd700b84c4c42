"""Versioned schema migrations. Append new versions; never edit a released one.

MIGRATIONS[i] brings a database from version i to i + 1 (schema_version records it).
Amounts are DECIMAL(18,4) — kept exactly as uploaded; periods are the first day of a month.

Invariant of the ``*_replaced`` tables (sales_replaced, accounts_replaced, stores_replaced,
receivables_replaced): each is ``replaced_by BIGINT`` followed by exactly the columns of its
table, same names, types and order. Uploads set rows aside with ``SELECT ?, t.*`` and rollback
puts them back with ``SELECT * EXCLUDE (replaced_by)`` — both positional. So a migration that
adds a column to ``sales`` / ``accounts`` / ``stores`` / ``receivables`` adds the same column to
its ``*_replaced`` table in the same migration (``ALTER TABLE … ADD COLUMN`` appends to both).
tests/test_migrations.py checks it on a freshly migrated database.
"""

from __future__ import annotations

from kam_core import summary as _summary

AMOUNT = "DECIMAL(18,4)"

V1 = [
    """CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, applied_by VARCHAR NOT NULL)""",
    """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value BIGINT NOT NULL)""",
    "INSERT INTO meta VALUES ('data_version', 0)",
    "CREATE SEQUENCE uploads_id_seq START 1",
    f"""CREATE TABLE uploads (
        id BIGINT PRIMARY KEY DEFAULT nextval('uploads_id_seq'),
        kind VARCHAR NOT NULL,                 -- sales | accounts | stores | receivables | demo
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        rows_read BIGINT NOT NULL DEFAULT 0,
        rows_loaded BIGINT NOT NULL DEFAULT 0,
        rows_rejected BIGINT NOT NULL DEFAULT 0,
        periods DATE[],
        accounts VARCHAR[],
        revenue {AMOUNT},
        user_name VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL DEFAULT 'active',   -- active | superseded | rolled_back
        mapping JSON,
        errors JSON,
        rolled_back_by VARCHAR,
        rolled_back_at TIMESTAMP)""",
    f"""CREATE TABLE sales (
        period DATE NOT NULL,
        account VARCHAR NOT NULL,
        store VARCHAR, province VARCHAR, city VARCHAR, region VARCHAR, channel VARCHAR,
        sku VARCHAR, category VARCHAR,
        revenue {AMOUNT} NOT NULL,
        volume {AMOUNT}, gross_profit {AMOUNT}, trade_spend {AMOUNT},
        kam VARCHAR,
        upload_id BIGINT NOT NULL)""",
    # Rows an upload replaced, kept so a rollback restores them exactly.
    f"""CREATE TABLE sales_replaced (
        replaced_by BIGINT NOT NULL,
        period DATE NOT NULL,
        account VARCHAR NOT NULL,
        store VARCHAR, province VARCHAR, city VARCHAR, region VARCHAR, channel VARCHAR,
        sku VARCHAR, category VARCHAR,
        revenue {AMOUNT} NOT NULL,
        volume {AMOUNT}, gross_profit {AMOUNT}, trade_spend {AMOUNT},
        kam VARCHAR,
        upload_id BIGINT NOT NULL)""",
    """CREATE TABLE accounts (
        account VARCHAR PRIMARY KEY,
        name_zh VARCHAR,
        international BOOLEAN NOT NULL DEFAULT FALSE,
        origin_country VARCHAR,
        format VARCHAR,
        kam VARCHAR,
        tier_override VARCHAR,
        tier_override_reason VARCHAR,
        tier_override_by VARCHAR,
        tier_override_at TIMESTAMP,
        strategic_fit INTEGER CHECK (strategic_fit BETWEEN 1 AND 5),
        parent_group VARCHAR,
        reviewed BOOLEAN NOT NULL DEFAULT TRUE,
        upload_id BIGINT,
        updated_by VARCHAR,
        updated_at TIMESTAMP)""",
    """CREATE TABLE stores (
        store VARCHAR PRIMARY KEY,
        account VARCHAR NOT NULL,
        province VARCHAR, city VARCHAR, region VARCHAR, format VARCHAR, opened DATE,
        reviewed BOOLEAN NOT NULL DEFAULT TRUE,
        upload_id BIGINT, updated_by VARCHAR, updated_at TIMESTAMP)""",
    """CREATE TABLE skus (
        sku VARCHAR PRIMARY KEY, name VARCHAR, category VARCHAR,
        reviewed BOOLEAN NOT NULL DEFAULT TRUE,
        upload_id BIGINT, updated_by VARCHAR, updated_at TIMESTAMP)""",
    f"""CREATE TABLE receivables (
        account VARCHAR NOT NULL, as_of DATE NOT NULL,
        current {AMOUNT}, overdue_1_30 {AMOUNT}, overdue_31_60 {AMOUNT},
        overdue_61_90 {AMOUNT}, overdue_90_plus {AMOUNT},
        upload_id BIGINT NOT NULL)""",
    """CREATE TABLE settings (
        key VARCHAR PRIMARY KEY, value JSON NOT NULL,
        updated_by VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE mapping_templates (
        name VARCHAR NOT NULL, kind VARCHAR NOT NULL, mapping JSON NOT NULL,
        user_name VARCHAR NOT NULL, used_at TIMESTAMP NOT NULL,
        PRIMARY KEY (name, kind))""",
    """CREATE TABLE account_plans (
        account VARCHAR NOT NULL, year INTEGER NOT NULL, version INTEGER NOT NULL,
        doc JSON NOT NULL, user_name VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL,
        PRIMARY KEY (account, year, version))""",
    """CREATE TABLE audit_log (
        logged_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL,
        action VARCHAR NOT NULL, detail JSON)""",
]

MIGRATIONS: list[list[str]] = [V1]

# V2 (uploads): what an upload skipped and warned about, the sheet it came from, what it
# replaced; and the master-data rows an upload replaced, so a rollback restores them.
V2 = [
    "ALTER TABLE uploads ADD COLUMN rows_skipped BIGINT DEFAULT 0",  # summary / total lines
    "ALTER TABLE uploads ADD COLUMN warnings JSON",
    "ALTER TABLE uploads ADD COLUMN sheet VARCHAR",
    "ALTER TABLE uploads ADD COLUMN replaced_rows BIGINT DEFAULT 0",
    f"ALTER TABLE uploads ADD COLUMN replaced_revenue {AMOUNT}",
    "CREATE TABLE accounts_replaced AS SELECT CAST(NULL AS BIGINT) AS replaced_by, * FROM accounts LIMIT 0",
    "CREATE TABLE stores_replaced AS SELECT CAST(NULL AS BIGINT) AS replaced_by, * FROM stores LIMIT 0",
    "CREATE TABLE receivables_replaced AS SELECT CAST(NULL AS BIGINT) AS replaced_by, * FROM receivables LIMIT 0",
]

MIGRATIONS.append(V2)

# V3 (settings registry): one naming style, dotted keys (kam_core.settings declares them);
# users' values are kept under the new names, the grouped tier rules become one key per rule.
V3 = [
    *(
        f"UPDATE settings SET key = '{new}' WHERE key = '{old}' "  # noqa: S608 - fixed names
        f"AND NOT EXISTS (SELECT 1 FROM settings s2 WHERE s2.key = '{new}')"
        for old, new in (
            ("channel_map", "channels.map"),
            ("traditional_trade_channels", "channels.traditional"),
            ("province_region_map", "regions.province_map"),
            ("whitespace_threshold", "regions.whitespace_threshold"),
        )
    ),
    *(
        f"""INSERT INTO settings (key, value, updated_by, updated_at)
            SELECT 'tiers.{name}', json_extract(value, '$.{name}'), updated_by, updated_at
            FROM settings WHERE key = 'tiers.rules' AND json_extract(value, '$.{name}') IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM settings s2 WHERE s2.key = 'tiers.{name}')"""  # noqa: S608
        for name in ("modern_trade_formats", "min_provinces", "min_stores_lka", "single_store_share", "share_months")
    ),
    "DELETE FROM settings WHERE key = 'tiers.rules'",
]

MIGRATIONS.append(V3)

# V4 (coverage): the last date seen per (upload, month) when a file carries full dates, so a
# month whose data ends before its last week is marked partial (kam_core.coverage).
V4 = [
    """CREATE TABLE upload_periods (
        upload_id BIGINT NOT NULL, period DATE NOT NULL, data_through DATE,
        PRIMARY KEY (upload_id, period))""",
]

MIGRATIONS.append(V4)

# V5 (scoring): scoring models as append-only versions, which model is active (every
# activation kept), and custom judgement criteria with one value per account.
V5 = [
    """CREATE TABLE score_models (
        name VARCHAR NOT NULL, version INTEGER NOT NULL, doc JSON NOT NULL,
        user_name VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL,
        PRIMARY KEY (name, version))""",
    """CREATE TABLE score_model_activations (
        name VARCHAR NOT NULL, user_name VARCHAR NOT NULL, activated_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE score_criteria (
        name VARCHAR PRIMARY KEY, direction VARCHAR NOT NULL CHECK (direction IN ('higher', 'lower')),
        description VARCHAR, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        updated_by VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE score_criterion_values (
        criterion VARCHAR NOT NULL, account VARCHAR NOT NULL, value DOUBLE NOT NULL,
        updated_by VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (criterion, account))""",
]

MIGRATIONS.append(V5)

# V6 (ingest): the replace scope an upload used, the revenue its rejected rows carried, and
# every rejected row of an upload's error report (a table, not a JSON column: 100 000 rows fit).
V6 = [
    "ALTER TABLE uploads ADD COLUMN replace_scope VARCHAR DEFAULT 'pairs'",  # pairs | months
    f"ALTER TABLE uploads ADD COLUMN rejected_revenue {AMOUNT}",
    """CREATE TABLE upload_rejected (
        upload_id BIGINT NOT NULL, row BIGINT NOT NULL, column_name VARCHAR, reason VARCHAR NOT NULL,
        seq INTEGER NOT NULL)""",
]

MIGRATIONS.append(V6)

# V7 (plans): each saved plan version carries the saver's comment and, for a restore, the
# version it restores (kam_core.plans.store). Versions stay append-only.
V7 = [
    "ALTER TABLE account_plans ADD COLUMN comment VARCHAR",
    "ALTER TABLE account_plans ADD COLUMN restored_from INTEGER",
]

MIGRATIONS.append(V7)

# V8 (ingest): mapping templates are private unless shared (the ones saved before stay visible to
# everyone, as they were); sales and stores mark a region the app derived from the province map
# (never one a file gave), so editing the map moves only those. Before V8 the derivation was not
# recorded: rows of uploads that mapped no region column (and the demo's) count as derived.
V8 = [
    "ALTER TABLE mapping_templates ADD COLUMN shared BOOLEAN DEFAULT FALSE",
    "UPDATE mapping_templates SET shared = TRUE",
    *(
        f"ALTER TABLE {t} ADD COLUMN region_derived BOOLEAN DEFAULT FALSE"
        for t in ("sales", "sales_replaced", "stores", "stores_replaced")
    ),
    *(
        f"""UPDATE {t} SET region_derived = TRUE WHERE region IS NOT NULL AND upload_id IN (
                SELECT id FROM uploads WHERE kind = 'demo' OR mapping IS NULL
                OR json_extract_string(mapping, '$.fields.region') IS NULL)"""  # noqa: S608 - fixed names
        for t in ("sales", "sales_replaced", "stores", "stores_replaced")
    ),
]

MIGRATIONS.append(V8)

# V9 (auth): who may sign in and with which role (kam_core.auth). E-mails are stored lower-case.
V9 = [
    """CREATE TABLE users (
        email VARCHAR PRIMARY KEY, name VARCHAR,
        role VARCHAR NOT NULL CHECK (role IN ('admin', 'kam', 'executive', 'viewer')),
        kam_name VARCHAR,
        created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL,
        updated_at TIMESTAMP, updated_by VARCHAR)""",
]

MIGRATIONS.append(V9)

# V10 (scale): summary tables of the sales lines, kept by every write that changes sales
# (kam_core.summary), built here from the lines already loaded.
V10 = [*_summary.CREATE, *_summary.BUILD]

MIGRATIONS.append(V10)

# V11: the tier classification is kept with the other derived results (kam_core.derived, schema derived_cache);
# the copy an older app kept in a schema of its own goes.
V11 = ["DROP SCHEMA IF EXISTS tier_cache CASCADE"]

MIGRATIONS.append(V11)
