"""st.dataframe column configs for the app's usual columns, so pages do not repeat formats.

Each helper returns one column config; pages build
``column_config={"revenue": cols.money(tr("col.revenue")), ...}``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from kam_core.i18n import t
from ui import fmt
from ui.state import lang


def _prefix() -> str:
    """The currency symbol as a printf literal ("¥", "CHF "; a "%" doubled)."""
    return fmt.symbol().replace("%", "%%")


def money_format(decimals: int = 0) -> str:
    """printf format of an amount in the configured currency ("¥%,.0f", "£%,.2f")."""
    return f"{_prefix()}%,.{decimals}f"


def with_unit(label: str, unit: str) -> str:
    """A column header carrying its unit: "Change (¥)", "变化（¥）"."""
    return f"{label}（{unit}）" if lang() == "zh" else f"{label} ({unit})"


def sign_first(frame: Any, config: dict[str, Any]) -> dict[str, Any]:
    """``config`` with every money column of ``frame`` that holds a negative amount written "-1,234" under
    a header naming the currency ("Revenue (¥)"): a printf format puts the sign after the symbol
    ("¥-1,234"). Columns without a negative amount keep the symbol in their cells. (ui.widgets.show_table.)"""
    out = dict(config)
    prefix = _prefix()
    if not isinstance(frame, pd.DataFrame) or not prefix:
        return out
    for name, c in config.items():
        fmt_ = (c.get("type_config") or {}).get("format") if isinstance(c, dict) else None
        if not (isinstance(fmt_, str) and fmt_.startswith(prefix) and name in frame.columns):
            continue
        values = frame[name]
        if isinstance(values, pd.DataFrame) or not (pd.to_numeric(values, errors="coerce") < 0).any():
            continue
        tail = fmt_[len(prefix) :]  # "%,.0f", "%,.2f"
        out[name] = {**c, "label": with_unit(c.get("label") or str(name), fmt.symbol().strip()),
                     "type_config": {**c["type_config"], "format": tail}}  # fmt: skip
    return out


def rounded(frame: Any, config: dict[str, Any]) -> Any:
    """``frame`` with every percentage column of ``config`` rounded to the decimals it is shown with: the
    browser cuts a value to the column's step (0.6667 → 0.666 → "66.6%") where people expect "66.7%".
    (ui.widgets.show_table; the caller's frame is not changed.)"""
    if not isinstance(frame, pd.DataFrame):
        return frame
    out = {}
    for name, c in config.items():
        tc = (c.get("type_config") or {}) if isinstance(c, dict) else {}
        step = tc.get("step")
        if tc.get("format") == "percent" and step and name in frame.columns:
            values = frame[name]
            if not isinstance(values, pd.DataFrame) and pd.api.types.is_numeric_dtype(values):
                out[name] = values.round(round(-math.log10(step)))
    return frame.assign(**out) if out else frame


def money(label: str, currency: bool = True, help: str | None = None, decimals: int = 0) -> Any:
    """An amount in the configured currency (£1,234,567; ``decimals=2``: to the cent, as a file holds it);
    ``currency=False`` for volumes."""
    return st.column_config.NumberColumn(label, format=money_format(decimals) if currency else f"%,.{decimals}f",
                                         help=help)  # fmt: skip


def signed_money(label: str, currency: bool = True, help: str | None = None, decimals: int = 0) -> Any:
    """A change in an amount, signed (+1,234 / -28,467,579), the currency in the header ("Change (¥)").

    A printf format puts the sign after a prefix (¥-28,467,579); a change is read by its sign, so the
    sign leads and the symbol moves to the header.
    """
    if currency:
        label = with_unit(label, fmt.symbol().strip())
    return st.column_config.NumberColumn(label, format=f"%+,.{decimals}f", help=help)


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
        label = with_unit(label, t("unit.pts", lang()))
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
