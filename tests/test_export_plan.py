"""Plan exports read back: PowerPoint (python-pptx), PDF (pypdf), Markdown; without Chromium; the CLI."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

from kam_core.db import Database
from kam_core.export.content import has_cjk, plan_content
from kam_core.export.documents import plan_bytes
from kam_core.export.images import BROWSER_ENV, DEFAULT_BROWSER
from kam_core.export.markdown import escape, plan_markdown
from kam_core.plans import store
from kam_core.plans.demo_plans import carrefour
from tests.helpers import run_cli

TODAY = date(2026, 11, 15)
HOSTILE = "![x](http://h/x.png)"
HAS_CHROMIUM = Path(DEFAULT_BROWSER).is_file()
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="no Chromium on this machine")


@pytest.fixture(scope="module")
def db_path(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo (its example plans) plus a plan for an account with a hostile name."""
    path = tmp_path_factory.mktemp("export") / "demo.duckdb"
    shutil.copy(demo_path, path)
    db = Database(path)
    with db.transaction("tester", "test") as cur:
        cur.execute("INSERT INTO accounts (account, name_zh) VALUES (?, ?)", [HOSTILE, "<b>坏</b>"])
    doc = carrefour(2026)
    doc.account = HOSTILE
    doc.swot.strengths[0].text = "**bold** [link](http://evil/) | cell"
    store.save(db, HOSTILE, 2026, doc, 0, "hostile", "tester")
    db.close()
    return path


@pytest.fixture
def db(db_path: Path):
    d = Database(db_path)
    yield d
    d.close()


@pytest.fixture
def no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    missing = str(tmp_path / "no-such-chromium")
    monkeypatch.setenv(BROWSER_ENV, missing)
    return missing


def _runs(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for tf in frames:
                for p in tf.paragraphs:
                    yield from p.runs


def _slide_text(slide) -> str:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(out)


def _titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text for s in prs.slides]


def test_pptx_zh_titles_swot_chinese_name_and_east_asian_font(db: Database, no_chromium: str) -> None:
    prs = Presentation(io.BytesIO(plan_bytes(db, "Carrefour", 2026, "pptx", "zh", TODAY)))
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    assert _titles(prs) == ["家乐福 Carrefour", "客户概况 · 家乐福 Carrefour", "愿景与策略", "SWOT 分析",
                            "竞争对手与本公司", "客户关系与关键人物图", "目标", "行动计划", "预警"]  # fmt: skip
    swot = _slide_text(prs.slides[3])
    for item in ("Strong CNY gift-box sell-through — top 3 in category last CNY", "Store closures in lower-tier cities",
                 "Private-label snacks at -20% price", "优势", "劣势", "机会", "威胁"):  # fmt: skip
        assert item in swot
    assert "合作型" in _slide_text(prs.slides[5]) and "相互依存型" in _slide_text(prs.slides[5])
    chinese = [r for r in _runs(prs) if has_cjk(r.text)]
    assert len(chinese) > 30
    for r in chinese:
        ea = r._r.rPr.find(qn("a:ea"))
        assert ea is not None and ea.get("typeface"), r.text
    # objectives: one status pill per objective, in the plan's order (3 at risk on TODAY)
    objectives = _slide_text(prs.slides[6])
    assert objectives.count("存在风险") == 3 and "销售额 · Snacks" in objectives


def test_pptx_en_objective_bars_match_achievement(db: Database, no_chromium: str) -> None:
    c = plan_content(db, "RT-Mart", 2026, "en", TODAY)
    prs = Presentation(io.BytesIO(plan_bytes(db, "RT-Mart", 2026, "pptx", "en", TODAY)))
    slide = prs.slides[_titles(prs).index("Objectives")]
    bars = [s for s in slide.shapes if s.shape_type == 1 and not s.text_frame.text]  # drawn rectangles
    full = max(b.width for b in bars)
    # a grey background per objective, and a coloured fill as wide as the share achieved (capped at 100%)
    expected = [1.0] * len(c.objectives) + [min(o.achieved_pct, 100) / 100 for o in c.objectives if o.achieved_pct]
    assert sorted(b.width / full for b in bars) == pytest.approx(sorted(expected), abs=0.005)
    assert [o.achieved_pct for o in c.objectives] == pytest.approx([85.9, 100.0, 97.0], abs=0.1)


def test_pptx_without_chromium_shows_a_table_and_a_note(db: Database, no_chromium: str) -> None:
    prs = Presentation(io.BytesIO(plan_bytes(db, "Carrefour", 2026, "pptx", "en", TODAY)))
    snap = prs.slides[1]
    assert not [s for s in snap.shapes if s.shape_type == 13]  # no picture
    tables = [s.table for s in snap.shapes if s.has_table]
    assert len(tables) == 1 and len(tables[0].rows) == 13  # header + 12 months
    assert tables[0].cell(1, 0).text == "2026-01"
    text = _slide_text(snap)
    assert "Chart not drawn" in text and no_chromium in text
    assert "Revenue 2026-01–2026-10" in text and "#3" in text and "GKA" in text


@needs_chromium
def test_pptx_and_pdf_carry_the_trend_chart_as_an_image(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BROWSER_ENV, DEFAULT_BROWSER)
    prs = Presentation(io.BytesIO(plan_bytes(db, "Carrefour", 2026, "pptx", "en", TODAY)))
    pics = [s for s in prs.slides[1].shapes if s.shape_type == 13]
    assert len(pics) == 1 and pics[0].image.content_type == "image/png" and len(pics[0].image.blob) > 10_000
    reader = PdfReader(io.BytesIO(plan_bytes(db, "Carrefour", 2026, "pdf", "en", TODAY)))
    assert sum(len(p.images) for p in reader.pages) == 1


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    # pypdf reads the fpdf2 CID font with a NUL before each character (poppler does not): drop both
    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in reader.pages))


def test_pdf_zh_has_chinese_name_objectives_and_embeds_the_font(db: Database, no_chromium: str) -> None:
    data = plan_bytes(db, "Carrefour", 2026, "pdf", "zh", TODAY)
    text = _pdf_text(data)
    for s in ("家乐福Carrefour", "2026年客户计划", "销售额·Snacks", "费用率%", "存在风险", "优势", "相互依存型",
              "ZhangLin", "未能绘制图表"):  # fmt: skip
        assert s in text, s
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descs = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts.values()]
    assert any("NotoSansSC" in str(d["/FontName"]) and ("/FontFile2" in d or "/FontFile3" in d) for d in descs)


def test_pdf_en_has_every_objective_and_action(db: Database, no_chromium: str) -> None:
    text = _pdf_text(plan_bytes(db, "Ningbo Sanjiang", 2026, "pdf", "en", TODAY))
    for s in ("NingboSanjiang", "Overduereceivables", "SKUssold", "Monthlystatementreviewwithfinance",
              "Zhejiangsummerpromotion", "XuMing", "Earlywarnings"):  # fmt: skip
        assert s in text, s


def test_markdown_has_every_section_and_escapes_text_from_data(db: Database, no_chromium: str) -> None:
    md = plan_bytes(db, HOSTILE, 2026, "md", "en", TODAY).decode()
    for heading in ("## Account snapshot", "## Vision and strategy", "## SWOT", "### Strengths", "### Threats",
                    "## Competitors and own company", "## Relationship and stakeholder map", "### Stakeholders",
                    "## Objectives", "## Actions", "## Early warnings"):  # fmt: skip
        assert f"\n{heading}\n" in md, heading
    assert HOSTILE not in md and "](" not in md and "http://" not in md and "<b>" not in md
    assert md.startswith("# " + escape(HOSTILE))
    assert escape(HOSTILE) == r"\!\[x\]\(http\://h/x.png\)"
    assert r"\*\*bold\*\* \[link\]\(http\://evil/\) \| cell" in md
    # a table row keeps its column count although a cell held "|"
    row = next(line for line in md.splitlines() if line.startswith("| Zhang Lin"))
    assert row.count(" | ") == 6


def test_markdown_zh_is_the_same_content(db: Database, no_chromium: str) -> None:
    c = plan_content(db, "Carrefour", 2026, "zh", TODAY)
    md = plan_markdown(c)
    assert md.startswith("# 家乐福 Carrefour：") or md.startswith("# 家乐福 Carrefour: ")
    for o in c.objectives:
        assert escape(o.label) in md and escape(o.target) in md
    assert md.count("\n## ") == 8


def test_cli_writes_each_format_and_refuses_bad_input(db_path: Path, tmp_path: Path, no_chromium: str) -> None:
    for fmt, magic in (("pptx", b"PK"), ("pdf", b"%PDF"), ("md", b"# ")):
        out = tmp_path / f"c.{fmt}"
        r = run_cli("export-plan", "Carrefour", "--db", str(db_path), "--format", fmt, "--out", str(out), "--json")
        assert r.code == 0, r.stderr
        assert out.read_bytes().startswith(magic)
    out = tmp_path / "x.pdf"
    r = run_cli("export-plan", "Nobody", "--db", str(db_path), "--format", "pdf", "--out", str(out))
    assert r.code == 1 and "Nobody" in r.stderr and not out.exists()
    r = run_cli("export-plan", "Walmart", "--db", str(db_path), "--format", "pdf", "--out", str(out))
    assert r.code == 1 and "No plan for Walmart in 2026" in r.stderr and not out.exists()
    r = run_cli("export-plan", "Carrefour", "--year", "2019", "--db", str(db_path), "--format", "md", "--out", str(out))
    assert r.code == 1 and not out.exists()
    r = run_cli("export-plan", "Carrefour", "--db", str(db_path), "--format", "docx", "--out", str(out))
    assert r.code == 2 and not out.exists()
    r = run_cli("export-plan", "Carrefour", "--db", str(db_path), "--format", "md", "--out",
                str(tmp_path / "no-dir" / "x.md"))  # fmt: skip
    assert r.code == 1 and "Cannot write" in r.stderr
