"""PowerPoint (16:9, python-pptx) of a plan (workshop deck) and of the portfolio (cover + one slide per plan).

Every run gets an East-Asian typeface (``a:ea`` on its rPr) besides the Latin one, so Chinese text
renders in PowerPoint and LibreOffice alike. Text from data is plain text in a run (never markup);
very long texts are shortened on a slide (the PDF and Markdown carry them in full).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from kam_core.export.content import (
    SEVERITY_COLORS,
    STATUS_COLORS,
    SWOT_COLORS,
    ObjectiveRow,
    PlanContent,
    PlanSummary,
    PortfolioContent,
    Table,
)
from kam_core.export.images import Chart, trend_chart

LATIN_FONT = "Calibri"
EA_FONT = "Microsoft YaHei"  # PowerPoint falls back to PingFang SC / Noto Sans CJK SC where it is missing
NAVY, GREY, LIGHT = RGBColor(0x1F, 0x4E, 0x79), RGBColor(0x5F, 0x6B, 0x6D), RGBColor(0xEE, 0xF2, 0xF6)
W, H = Emu(12_192_000), Emu(6_858_000)  # 13.333 × 7.5 in: exactly 16:9
MARGIN = Inches(0.5)
MAX_SLIDE_TEXT = 700
ROWS_PER_SLIDE = 9
OBJECTIVES_PER_SLIDE = 7


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _short(text: str, n: int = MAX_SLIDE_TEXT) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def set_fonts(run, size: float | None = None, bold: bool = False, color: RGBColor | None = None) -> None:
    """Latin + East-Asian typeface on the run (``a:latin`` and ``a:ea`` in its rPr)."""
    f = run.font
    f.name = LATIN_FONT
    if size:
        f.size = Pt(size)
    f.bold = bold
    if color is not None:
        f.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            # schema order inside rPr: ln, fill, effect…, latin, ea, cs, sym, hlinkClick…
            latin = rpr.find(qn("a:latin"))
            if latin is not None:
                latin.addnext(el) if tag == "a:ea" else rpr.find(qn("a:ea")).addnext(el)
            else:
                rpr.append(el)
        el.set("typeface", EA_FONT)


def _para(tf, text: str, size: float = 14, bold: bool = False, color: RGBColor | None = None, first: bool = False,
          align=None, space_after: float = 4) -> None:  # fmt: skip
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    if align is not None:
        p.alignment = align
    p.space_after = Pt(space_after)
    r = p.add_run()
    r.text = text
    set_fonts(r, size, bold, color)


def _box(slide, x, y, w, h, lines: Sequence[tuple[str, float, bool]], color: RGBColor | None = None,
         anchor=MSO_ANCHOR.TOP, align=None):  # fmt: skip
    tb = slide.shapes.add_textbox(x, y, w, h)
    tf = tb.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    for i, (text, size, bold) in enumerate(lines):
        _para(tf, text, size, bold, color, first=i == 0, align=align)
    return tb


def _title(slide, text: str) -> None:
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, Inches(0.3), W - 2 * MARGIN, Inches(0.8)
    tf = t.text_frame
    tf.clear()
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    r = p.add_run()
    r.text = text
    set_fonts(r, 28, True, NAVY)


def _slide(prs, title: str):
    s = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    _title(s, title)
    return s


def _table(slide, x, y, w, table: Table, widths: Sequence[float] | None = None, size: float = 11,
           row_h: int | None = None):  # fmt: skip
    row_h = row_h or Inches(0.36)
    n_rows, n_cols = len(table.rows) + 1, len(table.header)
    shape = slide.shapes.add_table(n_rows, n_cols, x, y, w, row_h * n_rows)
    tbl = shape.table
    widths = widths or [1.0] * n_cols
    total = sum(widths)
    for j, wj in enumerate(widths):
        tbl.columns[j].width = Emu(int(w * wj / total))
    for i, row in enumerate([table.header, *table.rows]):
        for j, text in enumerate(row):
            cell = tbl.cell(i, j)
            tf = cell.text_frame
            tf.clear()
            tf.word_wrap = True
            r = tf.paragraphs[0].add_run()
            r.text = _short(str(text), 300)
            set_fonts(r, size, i == 0, RGBColor(0xFF, 0xFF, 0xFF) if i == 0 else None)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
    return shape


def _chunks(rows: list, n: int) -> list[list]:
    return [rows[i : i + n] for i in range(0, len(rows), n)] or [[]]


def _new() -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    return prs


def _cover(prs, title: str, subtitle: str, line: str) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[0])
    t = s.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, Inches(2.2), W - 2 * MARGIN, Inches(1.4)
    t.text_frame.clear()
    r = t.text_frame.paragraphs[0].add_run()
    r.text = title
    set_fonts(r, 40, True, NAVY)
    sub = s.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(3.7), W - 2 * MARGIN, Inches(1.6)
    sub.text_frame.clear()
    _para(sub.text_frame, subtitle, 24, False, GREY, first=True)
    _para(sub.text_frame, line, 14, False, GREY)


def _save(prs) -> bytes:
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# -- plan deck --------------------------------------------------------------------------------------
def _snapshot(prs, c: PlanContent, chart: Chart) -> None:
    s = _slide(prs, f"{c.sections['snapshot']} · {c.title}")
    # key figures: a column of label / value cards on the left
    y = Inches(1.25)
    for f in c.figures:
        box = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, y, Inches(4.1), Inches(0.74))
        box.fill.solid()
        box.fill.fore_color.rgb = LIGHT
        box.line.fill.background()
        tf = box.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        _para(tf, f.label, 10, False, GREY, first=True, space_after=0)
        _para(tf, f.value + (f"  ({_short(f.detail, 60)})" if f.detail else ""), 14, True, NAVY, space_after=0)
        y += Inches(0.82)
    x, w = Inches(4.9), W - Inches(4.9) - MARGIN
    if chart.png:
        s.shapes.add_picture(io.BytesIO(chart.png), x, Inches(1.3), width=w)
    elif c.trend.has_data:
        _box(s, x, Inches(1.2), w, Inches(0.5), [(c.trend.title, 14, True)], NAVY)
        _table(s, x, Inches(1.7), w, Table(list(c.trend.labels), c.trend.rows(c.lang, c.currency)), size=10,
               row_h=Inches(0.3))  # fmt: skip
        if chart.note:
            _box(s, x, Inches(6.8), w, Inches(0.4), [(chart.note, 10, False)], GREY)


def _vision(prs, c: PlanContent) -> None:
    s = _slide(prs, c.sections["vision_strategy"])
    _box(
        s,
        MARGIN,
        Inches(1.3),
        W - 2 * MARGIN,
        Inches(2.4),
        [(c.l("plans.section.vision"), 18, True), (_short(c.vision) or c.l("export.none"), 16, False)],
        NAVY,
    )
    _box(s, MARGIN, Inches(3.9), W - 2 * MARGIN, Inches(3.2),
         [(c.l("plans.section.strategy"), 18, True), (_short(c.strategy) or c.l("export.none"), 16, False)],
         NAVY)  # fmt: skip


def _swot(prs, c: PlanContent) -> None:
    s = _slide(prs, c.sections["swot"])
    colors = SWOT_COLORS
    cw, ch = (W - 2 * MARGIN - Inches(0.2)) / 2, Inches(2.85)
    for i, (q, title, items) in enumerate(c.swot):
        x = MARGIN + (cw + Inches(0.2)) * (i % 2)
        y = Inches(1.25) + (ch + Inches(0.15)) * (i // 2)
        box = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, cw, ch)
        box.fill.solid()
        box.fill.fore_color.rgb = LIGHT
        box.line.color.rgb = _rgb(colors[q])
        box.line.width = Pt(2)
        tf = box.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.TOP
        _para(tf, title, 18, True, _rgb(colors[q]), first=True, align=PP_ALIGN.LEFT)
        for item in items[:8] or [c.l("export.none")]:
            _para(tf, f"• {_short(item, 200)}", 13, False, RGBColor(0x22, 0x22, 0x22), align=PP_ALIGN.LEFT)


def _competition(prs, c: PlanContent) -> None:
    s = _slide(prs, c.sections["competition"])
    y = Inches(1.3)
    if c.competitors.rows:
        _table(s, MARGIN, y, W - 2 * MARGIN, Table(c.competitors.header, c.competitors.rows[:6]), [2, 1, 3, 3])
        y += Inches(0.4) * (min(len(c.competitors.rows), 6) + 1) + Inches(0.3)
    lines = []
    for label, text in c.own_company:
        lines += [(label, 14, True), (_short(text, 300) or c.l("export.none"), 13, False)]
    _box(s, MARGIN, y, W - 2 * MARGIN, H - y - Inches(0.3), lines, NAVY)


def _relationship(prs, c: PlanContent) -> None:
    s = _slide(prs, c.sections["relationship_map"])
    # stage now → target: two boxes and an arrow
    stages = ((c.l("export.stage_now"), c.stage, c.stage_desc), (c.l("export.stage_target"), c.target_stage,
                                                                  c.target_desc))  # fmt: skip
    for i, (label, stage, desc) in enumerate(stages):
        x = MARGIN + Inches(3.4) * i
        box = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, Inches(1.3), Inches(2.7), Inches(1.0))
        box.fill.solid()
        box.fill.fore_color.rgb = NAVY if i == 0 else _rgb("#2e86c1")
        box.line.fill.background()
        tf = box.text_frame
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        white = RGBColor(0xFF, 0xFF, 0xFF)
        _para(tf, label, 11, False, white, first=True, align=PP_ALIGN.CENTER, space_after=0)
        _para(tf, stage, 18, True, white, align=PP_ALIGN.CENTER, space_after=0)
        _box(s, x, Inches(2.35), Inches(2.9), Inches(1.0), [(_short(desc, 160), 10, False)], GREY)
    arrow = s.shapes.add_shape(MSO_SHAPE.RIGHT_ARROW, MARGIN + Inches(2.8), Inches(1.6), Inches(0.5), Inches(0.4))
    arrow.fill.solid()
    arrow.fill.fore_color.rgb = GREY
    arrow.line.fill.background()
    _box(s, MARGIN, Inches(3.35), Inches(6.1), Inches(1.0), [(_short(c.justification, 300), 12, False)])
    # influence × attitude grid
    gx, gw = Inches(7.0), W - Inches(7.0) - MARGIN
    _box(s, gx, Inches(1.2), gw, Inches(0.4), [(c.sections["stakeholders"], 14, True)], NAVY)
    _table(s, gx, Inches(1.6), gw, c.grid, [1.3, 1, 1, 1, 1], size=11, row_h=Inches(0.55))
    rows = c.stakeholders.rows[:7]
    if rows:
        _table(s, MARGIN, Inches(4.45), W - 2 * MARGIN, Table(c.stakeholders.header, rows),
               [2, 2.4, 1.4, 1.2, 1, 1.4, 1.2], size=10, row_h=Inches(0.3))  # fmt: skip


def _bar(slide, x, y, w, h, pct: float | None, color: str) -> None:
    bg = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
    bg.fill.solid()
    bg.fill.fore_color.rgb = RGBColor(0xE5, 0xE8, 0xEB)
    bg.line.fill.background()
    frac = 0.0 if pct is None else max(0.0, min(pct, 100.0)) / 100
    if frac > 0:
        fg = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, Emu(int(w * frac)), h)
        fg.fill.solid()
        fg.fill.fore_color.rgb = _rgb(color)
        fg.line.fill.background()


def _objectives(prs, c: PlanContent, rows: list[ObjectiveRow], title: str) -> None:
    s = _slide(prs, title)
    y = Inches(1.3)
    for o in rows:
        color = STATUS_COLORS[o.status]
        _box(s, MARGIN, y, Inches(3.6), Inches(0.7),
             [(_short(o.label, 80), 14, True), (f"{c.l('export.col.due')} {o.due}" + (f" · {_short(o.note, 60)}"
               if o.note else ""), 10, False)], NAVY)  # fmt: skip
        _bar(s, Inches(4.2), y + Inches(0.15), Inches(4.2), Inches(0.3), o.achieved_pct, color)
        _box(s, Inches(4.2), y + Inches(0.42), Inches(4.6), Inches(0.3),
             [(f"{o.actual} / {o.target} · {o.achieved} · {c.l('export.col.projected')} {o.projected}", 10, False)],
             GREY)  # fmt: skip
        pill = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(9.4), y + Inches(0.1), Inches(1.9), Inches(0.42))
        pill.fill.solid()
        pill.fill.fore_color.rgb = _rgb(color)
        pill.line.fill.background()
        pill.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _para(pill.text_frame, o.status_label, 12, True, RGBColor(0xFF, 0xFF, 0xFF), first=True,
              align=PP_ALIGN.CENTER, space_after=0)  # fmt: skip
        y += Inches(0.82)
    if not rows:
        _box(s, MARGIN, y, Inches(8), Inches(0.5), [(c.l("export.none"), 14, False)], GREY)


def _warnings(prs, title: str, warnings: list[tuple[str, str, str]], none: str) -> None:
    s = _slide(prs, title)
    tb = s.shapes.add_textbox(MARGIN, Inches(1.3), W - 2 * MARGIN, H - Inches(1.6))
    tf = tb.text_frame
    tf.word_wrap = True
    if not warnings:
        _para(tf, none, 16, False, GREY, first=True)
    for i, (sev, label, msg) in enumerate(warnings[:10]):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(8)
        r1 = p.add_run()
        r1.text = f"[{label}] "
        set_fonts(r1, 14, True, _rgb(SEVERITY_COLORS[sev]))
        r2 = p.add_run()
        r2.text = _short(msg, 300)
        set_fonts(r2, 14)


def plan_deck(c: PlanContent, chart: Chart | None = None) -> bytes:
    """The workshop deck of one plan: cover, snapshot (+ trend chart), vision, SWOT, competition,
    relationship and stakeholder map, objectives (progress bars), actions, warnings."""
    chart = chart if chart is not None else trend_chart(c.trend, c.lang)
    prs = _new()
    _cover(prs, c.title, c.subtitle, c.version_line)
    _snapshot(prs, c, chart)
    _vision(prs, c)
    _swot(prs, c)
    _competition(prs, c)
    _relationship(prs, c)
    heading = c.sections["objectives"]
    for i, chunk in enumerate(_chunks(c.objectives, OBJECTIVES_PER_SLIDE)):
        _objectives(prs, c, chunk, heading if i == 0 else c.l("export.continued", title=heading))
    heading = c.sections["actions"]
    for i, chunk in enumerate(_chunks(c.actions.rows, ROWS_PER_SLIDE)):
        s = _slide(prs, heading if i == 0 else c.l("export.continued", title=heading))
        if chunk:
            _table(s, MARGIN, Inches(1.3), W - 2 * MARGIN, Table(c.actions.header, chunk),
                   [0.6, 4, 1.6, 1.2, 1.1, 1.1, 1.1, 1.5], size=11, row_h=Inches(0.5))  # fmt: skip
        else:
            _box(s, MARGIN, Inches(1.3), Inches(8), Inches(0.5), [(c.l("export.none"), 14, False)], GREY)
    _warnings(prs, c.sections["warnings"], c.warnings, c.l("export.no_warnings"))
    return _save(prs)


# -- portfolio deck ---------------------------------------------------------------------------------
def _summary_slide(prs, pc: PortfolioContent, p: PlanSummary) -> None:
    s = _slide(prs, p.title)
    facts = [(pc.l("export.col.tier"), p.tier), (pc.l("export.col.stage"), p.stage),
             (pc.l("plans.section.objectives"), p.objectives_line),
             (pc.l("plans.section.actions"), p.actions_line),
             (pc.l("export.col.warnings"), pc.l("export.summary.warnings", n=len(p.warnings)))]  # fmt: skip
    y = Inches(1.3)
    for label, value in facts:
        _box(s, MARGIN, y, Inches(5.6), Inches(0.8), [(label, 11, False), (value, 16, True)], NAVY)
        y += Inches(0.9)
    # objectives as bars on the right, then the warnings
    y = Inches(1.3)
    for o in p.objective_rows[:6]:
        _box(s, Inches(6.5), y, Inches(3.2), Inches(0.5), [(_short(o.label, 50), 12, True)], NAVY)
        _bar(s, Inches(9.7), y + Inches(0.1), Inches(2.2), Inches(0.25), o.achieved_pct, STATUS_COLORS[o.status])
        _box(s, Inches(11.95), y, Inches(1.0), Inches(0.5), [(o.achieved, 11, False)], GREY)
        y += Inches(0.55)
    if p.warnings:
        lines = [(f"[{label}] {_short(msg, 160)}", 11, False) for _, label, msg in p.warnings[:4]]
        _box(s, Inches(6.5), max(y, Inches(4.6)) + Inches(0.1), W - Inches(7.0), Inches(2.2), lines, GREY)


def portfolio_deck(pc: PortfolioContent) -> bytes:
    """A cover plus one summary slide per account plan."""
    prs = _new()
    _cover(prs, pc.title, pc.subtitle, "")
    for p in pc.plans:
        _summary_slide(prs, pc, p)
    return _save(prs)
