"""What a benchmark is, and the selections they use. Queries live in bench/queries_*.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kam_core.db import Database
from kam_core.filters import Filters

LAST12 = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1))
EAST = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1), regions=("East",))


@dataclass(frozen=True)
class Bench:
    """``ours(db)`` (our function) against ``raw_sql`` (hand-written DuckDB SQL, same result)."""

    name: str
    ours: Callable[[Database], Any]
    raw_sql: str
    raw_params: list = field(default_factory=list)
