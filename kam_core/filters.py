"""Global filters shared by every page and CLI command, turned into parameterised SQL."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Filters:
    """Period range (first days of months, inclusive) and dimension selections (empty = all)."""

    start: date | None = None
    end: date | None = None
    regions: tuple[str, ...] = field(default_factory=tuple)
    channels: tuple[str, ...] = field(default_factory=tuple)
    kams: tuple[str, ...] = field(default_factory=tuple)

    def where(self, alias: str = "", period: bool = True) -> tuple[str, list]:
        """SQL condition (never empty: 'TRUE' at least) and its parameters."""
        p = f"{alias}." if alias else ""
        conds: list[str] = []
        params: list = []
        if period and self.start:
            conds.append(f"{p}period >= ?")
            params.append(self.start)
        if period and self.end:
            conds.append(f"{p}period <= ?")
            params.append(self.end)
        for col, values in (("region", self.regions), ("channel", self.channels), ("kam", self.kams)):
            if values:
                conds.append(f"{p}{col} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        return (" AND ".join(conds) or "TRUE"), params

    def without_period(self) -> Filters:
        return replace(self, start=None, end=None)


def add_months(d: date, n: int) -> date:
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def parse_month(s: str) -> date:
    """'2026-03' → date(2026, 3, 1); ValueError with a plain message otherwise."""
    try:
        y, m = s.strip().split("-")[:2]
        return date(int(y), int(m), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"'{s}' is not a month in the form YYYY-MM (e.g. 2026-03).") from None
