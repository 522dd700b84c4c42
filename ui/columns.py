"""st.dataframe column configs for the app's usual columns, so pages do not repeat formats.

Each helper returns one column config; pages build
``column_config={"revenue": cols.money(tr("col.revenue")), ...}``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kam_core.i18n import t
from ui import fmt
from ui.state import lang


def money_format() -> str:
    """printf format of an amount in the configured currency, without decimals ("¥%,.0f", "£%,.0f")."""
    return fmt.symbol().replace("%", "%%") + "%,.0f"


def money(label: str, currency: bool = True, help: str | None = None) -> Any:
    """An amount in the configured currency without decimals (£1,234,567); ``currency=False`` for volumes."""
    return st.column_config.NumberColumn(label, format=money_format() if currency else "%,.0f", help=help)


def signed_money(label: str, currency: bool = True, help: str | None = None) -> Any:
    """A change in an amount, signed (+1,234 / -28,467,579), the currency in the header ("Change (¥)").

    A printf format puts the sign after a prefix (¥-28,467,579); a change is read by its sign, so the
    sign leads and the symbol moves to the header.
    """
    if currency:
        sym = fmt.symbol().strip()
        label = f"{label}（{sym}）" if lang() == "zh" else f"{label} ({sym})"
    return st.column_config.NumberColumn(label, format="%+,.0f", help=help)


def pct(label: str, help: str | None = None, digits: int = 1) -> Any:
    """A share or growth stored as a fraction (0.2629), shown as a percentage with ``digits`` decimals
    ("26.3%", as ui.fmt.pct writes it in text; the preset alone writes up to two: "26.29%", "5%")."""
    # (the browser's percent format takes its decimals from the column's step: 0.001 → one)
    return st.column_config.NumberColumn(label, format="percent", help=help, step=10.0 ** -(digits + 2))


def signed_pct(label: str, points: bool = False, help: str | None = None) -> Any:
    """A growth or a change of a share, signed ("+6.0%", "-1.1%"; ``points``: "+1.1" under a header
    "… (pts)"). The values must be in percent (``hundred``): the browser's percent preset writes no plus sign.
    """
    if points:
        unit = t("unit.pts", lang())
        label = f"{label}（{unit}）" if lang() == "zh" else f"{label} ({unit})"
    return st.column_config.NumberColumn(label, format="%+.1f" if points else "%+.1f%%", help=help)


def hundred(frame: Any, *columns: str) -> Any:
    """``frame`` with ``columns`` (fractions: 0.061) in percent (6.1), rounded to the one decimal shown, so
    that a change that rounds to zero reads "+0.0", never "-0.0"."""
    return frame.assign(**{c: (frame[c] * 100).round(1) + 0.0 for c in columns})


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
    """Growth figures as text ("+3.2%"), "–" where there is none.

    st.dataframe writes a missing number as an untranslated "None"; growth is often missing
    (no prior year), so these columns are shown as text (use with ``text``).
    """
    return [fmt.pct(None if v is None or v != v else float(v), signed=True) for v in values]
