"""st.dataframe column configs for the app's usual columns, so pages do not repeat formats.

Each helper returns one column config; pages build
``column_config={"revenue": cols.money(tr("col.revenue")), ...}``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import fmt


def money_format() -> str:
    """printf format of an amount in the configured currency, without decimals ("¥%,.0f", "£%,.0f")."""
    return fmt.symbol().replace("%", "%%") + "%,.0f"


def money(label: str, currency: bool = True, help: str | None = None) -> Any:
    """An amount in the configured currency without decimals (£1,234,567); ``currency=False`` for volumes."""
    return st.column_config.NumberColumn(label, format=money_format() if currency else "%,.0f", help=help)


def pct(label: str, help: str | None = None) -> Any:
    """A share or growth stored as a fraction (0.25), shown as a percentage."""
    return st.column_config.NumberColumn(label, format="percent", help=help)


def count(label: str, thousands: bool = False) -> Any:
    """A whole number (stores, accounts, ranks); ``thousands=True`` adds separators (12,345)."""
    return st.column_config.NumberColumn(label, format="%,d" if thousands else "%d")


def number(label: str, fmt: str) -> Any:
    """Any other number, with a printf-style format ("%.3f")."""
    return st.column_config.NumberColumn(label, format=fmt)


def text(label: str, width: str | None = None) -> Any:
    return st.column_config.TextColumn(label, width=width)  # type: ignore[arg-type]


def figure_text(label: str) -> Any:
    """Numbers already written as text (with "–" where missing), right-aligned as figures are."""
    return st.column_config.TextColumn(label, alignment="right")


def growth_text(values: Any) -> list[str]:
    """Growth figures as text ("+3.2 %"), "–" where there is none.

    st.dataframe writes a missing number as an untranslated "None"; growth is often missing
    (no prior year), so these columns are shown as text (use with ``text``).
    """
    return [fmt.pct(None if v is None or v != v else float(v), signed=True) for v in values]
