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

    # -- comparison windows (one home: overview, tiers, channels, regions, pareto, scoring …) --
    def has_period(self) -> bool:
        return self.start is not None and self.end is not None

    def months(self) -> list[date]:
        """Every month of the period, first to last ([] without a complete period)."""
        if not self.has_period():
            return []
        return month_range(self.start, self.end)  # type: ignore[arg-type]

    def n_months(self) -> int:
        return len(self.months())

    def shifted(self, months: int) -> Filters:
        """The same selection with the period moved by ``months`` (negative = earlier)."""
        return replace(
            self,
            start=add_months(self.start, months) if self.start else None,
            end=add_months(self.end, months) if self.end else None,
        )

    def year_before(self) -> Filters:
        """The same months a year earlier."""
        return self.shifted(-12)

    def preceding(self) -> Filters:
        """The window of equal length just before this one (Jan–Mar → Oct–Dec)."""
        if not self.has_period():
            return replace(self, start=None, end=None)
        return self.shifted(-self.n_months())

    def with_period(self, start: date | None, end: date | None) -> Filters:
        return replace(self, start=start, end=end)

    def window(self) -> tuple[date, date] | None:
        return (self.start, self.end) if self.has_period() else None  # type: ignore[return-value]


def default_period(first: date, last: date, months: int = 12) -> tuple[date, date]:
    """The period a session starts with: the last ``months`` months of the data (every month, if fewer)."""
    return max(first, add_months(last, -(months - 1))), last


def add_months(d: date, n: int) -> date:
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def month_range(start: date, end: date) -> list[date]:
    """First days of every month from ``start`` to ``end`` inclusive."""
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        out.append(d)
        d = add_months(d, 1)
    return out


def months_between(start: date, end: date) -> int:
    """Number of months from ``start`` to ``end`` inclusive (Jan → Mar = 3)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def parse_month(s: str) -> date:
    """'2026-03' → date(2026, 3, 1); ValueError with a plain message otherwise."""
    try:
        y, m = s.strip().split("-")[:2]
        if not 1 <= int(m) <= 12:
            raise ValueError
        return date(int(y), int(m), 1)
    except (ValueError, AttributeError):
        from kam_core.errors import UserError

        raise UserError("filters.err.month", value=s) from None
