"""Monthly data upload: read → map → parse → validate → preview → commit; history and rollback.

Typical use::

    with stage(path, "sales") as st:        # reads and checks; nothing written
        p = preview(db, st)                 # dry run against the database
        commit(db, st, user)                # one transaction

Refused input raises IngestError (``.message(lang)``) and leaves the database unchanged.
"""

from __future__ import annotations

from kam_core.ingest.errors import IngestError
from kam_core.ingest.load import commit, duplicate_of, history, preview, rollback, upload_errors
from kam_core.ingest.mapping import KINDS, Mapping, best_template, candidates, list_templates, propose, save_template
from kam_core.ingest.read import Source, sniff
from kam_core.ingest.stage import Staged, stage

DEFAULT_MAX_UPLOAD_MB = 200  # the page; matches .streamlit/config.toml server.maxUploadSize
DEFAULT_MAX_IMPORT_MB = 10_240  # the command line streams, so it accepts far larger files


def max_bytes(db, where: str = "page") -> int:
    """Size limit from settings ``ingest.max_upload_mb`` (page) / ``ingest.max_import_mb`` (CLI)."""
    if where == "page":
        mb = db.get_setting("ingest.max_upload_mb", DEFAULT_MAX_UPLOAD_MB)
    else:
        mb = db.get_setting("ingest.max_import_mb", DEFAULT_MAX_IMPORT_MB)
    return int(float(mb) * 1024 * 1024)


def absurd_limit(db) -> float:
    """|amount| on one line from which it is rejected as implausible (setting ``ingest.absurd_amount``)."""
    return float(db.get_setting("ingest.absurd_amount", 1e11))


__all__ = [
    "KINDS", "IngestError", "Mapping", "Source", "Staged", "absurd_limit", "best_template", "candidates", "commit",
    "duplicate_of", "history", "list_templates", "max_bytes", "preview", "propose", "rollback", "save_template",
    "sniff", "stage", "upload_errors",
]  # fmt: skip
