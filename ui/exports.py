"""Download buttons for the plan and portfolio exports (PowerPoint, PDF, Markdown).

Each file is built only when its button is clicked (``st.download_button(data=callable)``): a deck
with its chart takes a second or two, and most visits download nothing. The pages call
``plan_downloads(account, year)`` and ``portfolio_downloads(year)``.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from kam_core.export.documents import FORMATS, MIME, file_name, plan_bytes, portfolio_bytes
from ui.data import db
from ui.state import lang, tr

_ICONS = {"pptx": ":material/slideshow:", "pdf": ":material/picture_as_pdf:", "md": ":material/description:"}


def _buttons(key: str, stem: str, year: int, build: Callable[[str, str], bytes]) -> None:
    current = lang()
    for col, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        col.download_button(
            tr(f"export.btn.{fmt}"), data=lambda fmt=fmt: build(fmt, current), file_name=file_name(stem, year, fmt),
            mime=MIME[fmt], key=f"{key}_{fmt}", icon=_ICONS[fmt], help=tr("export.btn.help"),
            width="stretch",
        )  # fmt: skip


def plan_downloads(account: str, year: int, key: str = "plan_export") -> None:
    """Three buttons: the latest plan of ``account`` for ``year`` as PowerPoint, PDF and Markdown."""
    _buttons(key, f"{account}_plan", year, lambda fmt, lg: plan_bytes(db(), account, year, fmt, lg))


def portfolio_downloads(year: int, key: str = "portfolio_export") -> None:
    """Three buttons: every account plan of ``year`` (a cover + one summary each)."""
    _buttons(key, "account_plans", year, lambda fmt, lg: portfolio_bytes(db(), year, fmt, lg))
