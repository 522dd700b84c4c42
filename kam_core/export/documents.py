"""One entry point per export: the bytes of a plan or of the portfolio in a format (pptx | pdf | md)."""

from __future__ import annotations

from datetime import date

from kam_core.db import Database
from kam_core.export.content import plan_content, portfolio_content

FORMATS = ("pptx", "pdf", "md")
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "md": "text/markdown",
}


def plan_bytes(db: Database, account: str, year: int, fmt: str, lang: str = "en", today: date | None = None) -> bytes:
    """The latest plan of ``account`` for ``year``; UserError for an unknown account or a year without a plan."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    c = plan_content(db, account, year, lang, today)
    if fmt == "md":
        from kam_core.export.markdown import plan_markdown

        return plan_markdown(c).encode("utf-8")
    if fmt == "pptx":
        from kam_core.export.deck import plan_deck

        return plan_deck(c)
    from kam_core.export.pdf import plan_pdf

    return plan_pdf(c)


def portfolio_bytes(db: Database, year: int, fmt: str, lang: str = "en", today: date | None = None) -> bytes:
    """Every account plan of ``year`` (cover + one summary each); UserError when the year has none."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    pc = portfolio_content(db, year, lang, today)
    if fmt == "md":
        from kam_core.export.markdown import portfolio_markdown

        return portfolio_markdown(pc).encode("utf-8")
    if fmt == "pptx":
        from kam_core.export.deck import portfolio_deck

        return portfolio_deck(pc)
    from kam_core.export.pdf import portfolio_pdf

    return portfolio_pdf(pc)


def file_name(stem: str, year: int, fmt: str) -> str:
    """A download name without characters file systems refuse: ``Carrefour_plan_2026.pptx``."""
    import re

    safe = re.sub(r"[^\w.-]+", "_", stem, flags=re.UNICODE).strip("._") or "plan"
    return f"{safe}_{year}.{fmt}"
