"""Monthly data upload: read → map → parse → validate → preview → commit; history and rollback.

Typical use::

    with stage(path, "sales") as st:        # reads and checks; nothing written
        p = preview(db, st)                 # dry run against the database: a Preview
        if not commit_blockers(p, user=user):
            commit(db, st, user)            # one transaction; returns the Preview with upload_id set

Refused input raises IngestError (a UserError: ``.message(lang)``) and leaves the database unchanged.
"""

from __future__ import annotations

from kam_core import settings
from kam_core.db import Database
from kam_core.ingest.errors import IngestError
from kam_core.ingest.load import (
    commit,
    commit_blockers,
    history,
    rollback,
    rollback_plan,
    upload_errors,
    upload_errors_frame,
)
from kam_core.ingest.mapping import (
    FIELDS,
    KINDS,
    Mapping,
    best_template,
    candidates,
    fitting_templates,
    list_templates,
    propose,
    save_template,
    starting_mapping,
    template_choice,
    template_named,
)  # fmt: skip
from kam_core.ingest.preview import (
    SCOPES,
    SUGGEST_MONTHS_SHARE,
    Duplicate,
    MasterChange,
    MonthThrough,
    MonthTotal,
    PairValue,
    Preview,
    ReplacedPair,
    SalesChange,
    ValueCount,
    duplicate_of,
    preview,
)
from kam_core.ingest.read import Source, sniff
from kam_core.ingest.scratch import private_dir, write_private
from kam_core.ingest.stage import Staged, live, reap, stage
from kam_core.ingest.validate import Identity


def max_bytes(db: Database, where: str = "page") -> int:
    """Size limit from settings ``ingest.max_upload_mb`` (page) / ``ingest.max_import_mb`` (CLI)."""
    mb = settings.get(db, "ingest.max_upload_mb" if where == "page" else "ingest.max_import_mb")
    return int(float(mb) * 1024 * 1024)


def absurd_limit(db: Database) -> float:
    """|amount| on one line from which it is rejected as implausible (setting ``ingest.absurd_amount``)."""
    return float(settings.get(db, "ingest.absurd_amount"))


__all__ = [
    "FIELDS", "KINDS", "SCOPES", "SUGGEST_MONTHS_SHARE",
    "Duplicate", "Identity", "IngestError", "Mapping", "MasterChange", "MonthThrough",
    "MonthTotal", "PairValue", "Preview", "ReplacedPair", "SalesChange", "Source", "Staged", "ValueCount",
    "absurd_limit", "best_template", "candidates", "commit", "commit_blockers", "duplicate_of", "fitting_templates",
    "history", "list_templates", "live", "max_bytes", "preview", "private_dir", "propose", "reap", "rollback",
    "rollback_plan", "save_template", "sniff", "stage", "starting_mapping", "template_choice", "template_named",
    "upload_errors", "upload_errors_frame", "write_private",
]  # fmt: skip
