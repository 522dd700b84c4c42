"""PDF (fpdf2, A4 landscape) of a plan and of the portfolio, with Noto Sans SC embedded from the
``pylopdf-fonts-zh-cn`` package (SIL Open Font License 1.1), so no system font is needed.

Chinese text wraps by character (``wrapmode="CHAR"``: it has no spaces to break at), other text by word.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from kam_core.export.content import (
    SEVERITY_COLORS,
    STATUS_COLORS,
    SWOT_COLORS,
    PlanContent,
    PortfolioContent,
    Table,
    has_cjk,
)
from kam_core.export.images import Chart, trend_chart

FONT = "NotoSansSC"
NAVY, GREY, LIGHT = (31, 78, 121), (95, 107, 109), (238, 242, 246)


def font_path() -> str:
    import pylopdf_fonts_zh_cn

    return str(pylopdf_fonts_zh_cn.sans_path())


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _wrap(*texts: str) -> WrapMode:
    return WrapMode.CHAR if any(has_cjk(x) for x in texts) else WrapMode.WORD


class _Doc(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="L", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", font_path())
        self.add_font(FONT, "B", font_path())  # one weight only: headings are set apart by size and colour
        self.set_font(FONT, size=10)
        self.set_auto_page_break(True, margin=14)
        self.set_margins(14, 12, 14)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="R")

    # -- blocks -------------------------------------------------------------------------------------
    def h1(self, text: str) -> None:
        self.set_font(FONT, size=18)
        self.set_text_color(*NAVY)
        self.multi_cell(0, 9, text, wrapmode=_wrap(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def h2(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, size=14)
        self.set_text_color(*NAVY)
        self.multi_cell(0, 7, text, wrapmode=_wrap(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*NAVY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def h3(self, text: str, color: tuple[int, int, int] = NAVY) -> None:
        self.set_font(FONT, size=11)
        self.set_text_color(*color)
        self.multi_cell(0, 6, text, wrapmode=_wrap(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def text(self, text: str, size: float = 10, color: tuple[int, int, int] = (34, 34, 34)) -> None:  # type: ignore[override]
        self.set_font(FONT, size=size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, wrapmode=_wrap(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def grid(self, table: Table, widths: Sequence[float] | None = None, size: float = 9) -> None:
        if not table.rows:
            return
        self.set_font(FONT, size=size)
        self.set_text_color(34, 34, 34)
        self.set_draw_color(200, 200, 200)
        self.set_fill_color(255, 255, 255)  # the progress bars leave their colour behind
        cells = [table.header, *table.rows]
        mode = _wrap(*(x for r in cells for x in r))
        head = FontFace(color=(255, 255, 255), fill_color=NAVY)
        with self.table(col_widths=tuple(widths) if widths else None, wrapmode=mode, headings_style=head,
                        line_height=size * 0.55, text_align="LEFT", padding=1.2) as tbl:  # fmt: skip
            for r in cells:
                row = tbl.row()
                for x in r:
                    row.cell(str(x))
        self.ln(2)

    def bar(self, label: str, detail: str, pct: float | None, color: str, status: str) -> None:
        if self.get_y() > self.h - 30:
            self.add_page()
        y = self.get_y()
        self.set_font(FONT, size=10)
        self.set_text_color(*NAVY)
        self.set_xy(self.l_margin, y)
        self.multi_cell(85, 5, label, wrapmode=_wrap(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
        x0, w = self.l_margin + 90, 90
        self.set_fill_color(229, 232, 235)
        self.rect(x0, y + 1, w, 4, style="F")
        frac = 0.0 if pct is None else max(0.0, min(pct, 100.0)) / 100
        if frac:
            self.set_fill_color(*_rgb(color))
            self.rect(x0, y + 1, w * frac, 4, style="F")
        self.set_xy(x0 + w + 4, y)
        self.set_text_color(*_rgb(color))
        self.cell(30, 5, status)
        self.set_xy(x0, y + 5.5)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.multi_cell(150, 4, detail, wrapmode=_wrap(detail), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(self.get_y(), y + 11))

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def plan_pdf(c: PlanContent, chart: Chart | None = None) -> bytes:
    """The plan as a report: every section, the trend chart as an image (or a table and a note)."""
    chart = chart if chart is not None else trend_chart(c.trend, c.lang)
    d = _Doc(f"{c.title} · {c.subtitle}")
    d.add_page()
    d.h1(f"{c.title}: {c.subtitle}")
    d.text(c.version_line, 9, GREY)

    d.h2(c.sections["snapshot"])
    d.grid(Table([f.label for f in c.figures], [[f.value for f in c.figures]]))
    details = [f"{f.label}: {f.detail}" for f in c.figures if f.detail]
    if details:
        d.text(" · ".join(details), 8, GREY)
    if chart.png:
        if d.get_y() > d.h - 110:
            d.add_page()
        d.image(io.BytesIO(chart.png), w=d.epw * 0.85)
    elif c.trend.has_data:
        d.h3(c.trend.title)
        d.grid(Table(list(c.trend.labels), c.trend.rows(c.lang, c.currency)), [1, 2, 2])
        if chart.note:
            d.text(chart.note, 8, GREY)

    d.h2(c.sections["vision_strategy"])
    d.h3(c.l("plans.section.vision"))
    d.text(c.vision or c.l("export.none"))
    d.h3(c.l("plans.section.strategy"))
    d.text(c.strategy or c.l("export.none"))

    d.h2(c.sections["swot"])
    for q, title, items in c.swot:
        d.h3(title, _rgb(SWOT_COLORS[q]))
        d.text("\n".join(f"• {x}" for x in items) or c.l("export.none"))

    d.h2(c.sections["competition"])
    d.grid(c.competitors, [2, 1, 3, 3])
    for label, text in c.own_company:
        d.h3(label)
        d.text(text or c.l("export.none"))

    d.h2(c.sections["relationship_map"])
    d.text(f"{c.l('export.stage_now')}: {c.stage} → {c.l('export.stage_target')}: {c.target_stage}", 12, NAVY)
    d.text(f"{c.stage}: {c.stage_desc}\n{c.target_stage}: {c.target_desc}", 9, GREY)
    if c.justification:
        d.text(c.justification)
    d.h3(c.sections["stakeholders"])
    d.grid(c.stakeholders, [2, 2.4, 1.4, 1.2, 1, 1.4, 1.2])
    d.grid(c.grid, [1.3, 1, 1, 1, 1])

    d.h2(c.sections["objectives"])
    for o in c.objectives:
        detail = (f"{c.l('export.col.actual')} {o.actual} / {c.l('export.col.target')} {o.target} · {o.achieved} · "
                  f"{c.l('export.col.projected')} {o.projected} · {c.l('export.col.baseline')} {o.baseline} · "
                  f"{c.l('export.col.due')} {o.due}" + (f" · {o.note}" if o.note else ""))  # fmt: skip
        d.bar(o.label, detail, o.achieved_pct, STATUS_COLORS[o.status], o.status_label)
    if not c.objectives:
        d.text(c.l("export.none"))

    d.h2(c.sections["actions"])
    if c.actions.rows:
        d.grid(c.actions, [0.6, 4, 1.6, 1.2, 1.1, 1.1, 1.1, 1.5])
    else:
        d.text(c.l("export.none"))

    d.h2(c.sections["warnings"])
    _warnings(d, c.warnings, c.l("export.no_warnings"))
    return d.output_bytes()


def _warnings(d: _Doc, warnings: list[tuple[str, str, str]], none: str) -> None:
    if not warnings:
        d.text(none, 10, GREY)
    for sev, label, msg in warnings:
        d.set_font(FONT, size=10)
        d.set_text_color(*_rgb(SEVERITY_COLORS[sev]))
        d.cell(18, 5, f"[{label}]")
        d.set_text_color(34, 34, 34)
        d.multi_cell(0, 5, msg, wrapmode=_wrap(msg), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def portfolio_pdf(pc: PortfolioContent) -> bytes:
    """The summary table, then one block per plan (objectives as bars, warnings)."""
    d = _Doc(pc.title)
    d.add_page()
    d.h1(pc.title)
    d.text(pc.subtitle, 9, GREY)
    d.grid(pc.table, [3, 1.2, 3, 2.4, 1.2, 1])
    for p in pc.plans:
        d.h2(p.title)
        d.text(f"{pc.l('export.col.tier')}: {p.tier} · {pc.l('export.col.stage')}: {p.stage}", 10, NAVY)
        d.text(f"{p.objectives_line} · {p.actions_line}", 9, GREY)
        for o in p.objective_rows:
            d.bar(o.label, f"{o.actual} / {o.target} · {o.achieved}", o.achieved_pct, STATUS_COLORS[o.status],
                  o.status_label)  # fmt: skip
        _warnings(d, p.warnings, pc.l("export.no_warnings"))
    return d.output_bytes()
