"""Portfolio exports: a cover plus one slide per plan (PPTX), the same summaries as PDF / Markdown, the CLI;
and the page download buttons (built only when clicked)."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from kam_core.db import Database
from kam_core.export.content import portfolio_content
from kam_core.export.documents import portfolio_bytes
from kam_core.export.images import BROWSER_ENV
from tests.helpers import run_cli

TODAY = date(2026, 11, 15)


@pytest.fixture
def db(demo_db: Database) -> Database:
    return demo_db


@pytest.fixture(autouse=True)
def no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BROWSER_ENV, str(tmp_path / "none"))


def test_portfolio_summaries_count_objectives_and_overdue_actions(db: Database) -> None:
    pc = portfolio_content(db, 2026, "en", TODAY)
    by = {p.account: p for p in pc.plans}
    assert list(by) == ["Carrefour", "Ningbo Sanjiang", "RT-Mart"]
    c = by["Carrefour"]
    assert c.stage == "Cooperative → Interdependent" and c.tier == "GKA"
    assert sum(c.objectives.values()) == 3 and c.actions_overdue == 2  # A2 due 09-30, A3 06-30; A1 is done
    assert c.actions_line == "2 of 3 actions overdue"
    assert pc.table.rows[0][:3] == ["Carrefour (家乐福)", "GKA", "Cooperative → Interdependent"]


def test_portfolio_deck_has_a_cover_and_one_slide_per_plan(db: Database) -> None:
    prs = Presentation(io.BytesIO(portfolio_bytes(db, 2026, "pptx", "zh", TODAY)))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles == ["2026 年客户计划：组合总览", "家乐福 Carrefour", "宁波三江 Ningbo Sanjiang", "大润发 RT-Mart"]
    text = "\n".join(sh.text_frame.text for sh in prs.slides[2].shapes if sh.has_text_frame)
    assert "基础型 → 合作型" in text and "2 项行动中 2 项逾期" in text and "逾期" in text


def test_portfolio_pdf_and_markdown(db: Database) -> None:
    reader = PdfReader(io.BytesIO(portfolio_bytes(db, 2026, "pdf", "zh", TODAY)))
    text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in reader.pages))
    for s in ("家乐福Carrefour", "大润发RT-Mart", "宁波三江NingboSanjiang", "进货门店数"):
        assert s in text, s
    md = portfolio_bytes(db, 2026, "md", "en", TODAY).decode()
    assert md.count("\n## ") == 3 and "| Carrefour \\(家乐福\\) | GKA |" in md


def test_cli_portfolio(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.pptx"
    r = run_cli("export-portfolio", "--db", str(demo_path), "--format", "pptx", "--out", str(out), "--json")
    assert r.code == 0, r.stderr
    assert len(Presentation(str(out)).slides) == 4
    r = run_cli("export-portfolio", "--year", "2020", "--db", str(demo_path), "--format", "md", "--out",
                str(tmp_path / "none.md"))  # fmt: skip
    assert r.code == 1 and "No account plans for 2020" in r.stderr and not (tmp_path / "none.md").exists()


def test_download_buttons_are_built_only_when_clicked(demo_path: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from streamlit.testing.v1 import AppTest

    from kam_core.db import close_all

    close_all()
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_path, path)
    monkeypatch.setenv("KAM_DB", str(path))
    built: list[str] = []
    import kam_core.export.documents as documents

    real = documents.plan_content
    monkeypatch.setattr(documents, "plan_content", lambda *a, **k: built.append("plan") or real(*a, **k))

    def page() -> None:
        from ui.exports import plan_downloads, portfolio_downloads

        plan_downloads("Carrefour", 2026)
        portfolio_downloads(2026)

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    keys = [b.key for b in at.get("download_button")]
    assert keys == ["plan_export_pptx", "plan_export_pdf", "plan_export_md", "portfolio_export_pptx",
                    "portfolio_export_pdf", "portfolio_export_md"]  # fmt: skip
    assert built == []  # nothing was built to draw the buttons
    close_all()
