"""Account plans: the document model, the versioned store, tracking from data, diff, suggestions, profile.

What the plan editor page calls (all pure functions of the database and a document):

- model: ``PlanDoc`` and its parts, ``new_plan``, ``validate`` → [Problem], ``to_dict`` / ``from_dict``,
  ``to_json`` / ``from_json``, the code lists (STAGES, BUYING_ROLES, ATTITUDES, METRICS, ACTION_TYPES, …)
- store: ``latest``, ``get``, ``history``, ``list_latest``, ``save`` (PlanConflict / PlanInvalid), ``restore``
- tracking: ``track(db, doc)`` → PlanTracking, ``data_baseline`` (prefill a baseline)
- diff: ``diff(a, b)`` → [SectionDiff], ``lines(changes, lang)``
- suggest: ``suggest(db, account, year)`` → [Suggestion]
- profile: ``profile(db, account, year)`` → Profile
"""

from kam_core.plans.diff import diff
from kam_core.plans.model import (
    PlanDoc,
    PlanInvalid,
    Problem,
    from_dict,
    from_json,
    new_plan,
    to_dict,
    to_json,
    validate,
)
from kam_core.plans.store import PlanConflict, PlanVersion, get, history, latest, list_latest, restore, save
from kam_core.plans.tracking import track

__all__ = [
    "PlanConflict", "PlanDoc", "PlanInvalid", "PlanVersion", "Problem", "diff", "from_dict", "from_json", "get",
    "history", "latest", "list_latest", "new_plan", "restore", "save", "to_dict", "to_json", "track", "validate",
]  # fmt: skip
