"""Which dimensions the sales data has: per column, the share of sales lines and of revenue with a value.

A file without a channel (or store) column leaves that column empty on every line; pages use
this to say so in words ("this data has no channel") instead of drawing a 100% "(none)" pie
or showing store counts that were never in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from kam_core.filters import Filters
from kam_core.summary import COVERAGE_COLUMNS as COLUMNS  # the optional columns, named once (sales_coverage's)
from kam_core.summary import TEXT_COLUMNS  # noqa: F401 - part of this module's interface


@dataclass(frozen=True)
class Dimension:
    """One column: how many sales lines hold a value, and the share of lines / of revenue that do."""

    column: str
    lines: int  # lines with a value
    line_share: float  # 0–1 (0 when there are no lines at all)
    revenue_share: float  # 0–1, of the absolute revenue

    @property
    def present(self) -> bool:
        """At least one line has a value."""
        return self.lines > 0

    @property
    def complete(self) -> bool:
        return self.line_share >= 1.0


def coverage(db, f: Filters | None = None) -> dict[str, Dimension]:
    """Every optional column of the sales lines under ``f`` (default: all data), keyed by column name.

    Read from ``sales_coverage`` (kam_core.summary), which holds per month × region × channel × KAM —
    every dimension a filter selects on — the lines with a value in each column and their absolute
    revenue: the sums over it are the counts and sums over the lines, to the last digit."""
    where, params = (f or Filters()).where()
    parts = [f"sum({c}_lines), sum({c}_abs_revenue)" for c in COLUMNS]
    sql = f"SELECT sum(lines), sum(abs_revenue), {', '.join(parts)} FROM sales_coverage WHERE {where}"  # noqa: S608
    row = db.rows(sql, params)[0]
    n, total = int(row[0] or 0), float(row[1] or 0)
    out: dict[str, Dimension] = {}
    for i, c in enumerate(COLUMNS):
        lines, rev = int(row[2 + 2 * i] or 0), float(row[3 + 2 * i] or 0)
        out[c] = Dimension(c, lines, lines / n if n else 0.0, rev / total if total else (1.0 if lines else 0.0))
    return out


def has(db, column: str, f: Filters | None = None) -> bool:
    """Some sales line has a value in ``column``."""
    return coverage(db, f)[column].present
