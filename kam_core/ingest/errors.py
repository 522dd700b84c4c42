"""The exception the ingest pipeline raises for refused input: the app's one :class:`UserError`.

Kept under its own name so ``except IngestError`` and ``ingest.IngestError`` keep working;
the CLI and the pages may catch ``kam_core.errors.UserError`` for every refused input.
"""

from __future__ import annotations

from kam_core.errors import UserError


class IngestError(UserError):
    """Input refused before anything was written; ``message(lang)`` says why in plain words."""
