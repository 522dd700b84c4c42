"""An account plan in presentation mode: the saved version, read-only, one section per step.

Built from the same content as the workshop exports (kam_core.export.content.plan_content), so the
projector, the deck and the PDF show the same figures and words. Nothing here edits.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core.charts import plans as ch
from kam_core.export.content import PlanContent, Table, plan_content
from ui import data, present
from ui.fmt import md
from ui.state import lang, tr
from ui.widgets import chart, show_table


def _table(t: Table) -> None:
    if not t.rows:
        st.caption(tr("export.none"))
        return
    show_table(pd.DataFrame(t.rows, columns=t.header), hide_index=True, width="stretch")


def _text(s: str) -> None:
    st.markdown(md(s) if s.strip() else f"*{md(tr('export.none'))}*")


def _snapshot(c: PlanContent) -> None:
    cols = st.columns(min(4, max(1, len(c.figures))))
    for i, f in enumerate(c.figures):
        cols[i % len(cols)].metric(f.label, f.value, help=f.detail or None)
    if c.trend.has_data:
        monthly = [{"month": m, "revenue": a, "revenue_year_before": b}
                   for m, a, b in zip(c.trend.months, c.trend.revenue, c.trend.year_before, strict=True)]  # fmt: skip
        labels = {"revenue": c.trend.labels[1], "revenue_year_before": c.trend.labels[2]}
        chart(ch.revenue_trend(monthly, labels, c.trend.symbol, lang()), key="plan_present_trend")


def _vision(c: PlanContent) -> None:
    st.subheader(tr("plans.section.vision"))
    _text(c.vision)
    st.subheader(tr("plans.section.strategy"))
    _text(c.strategy)


def _swot(c: PlanContent) -> None:
    rows = [c.swot[:2], c.swot[2:]]
    for pair in rows:
        for col, (_, title, items) in zip(st.columns(2), pair, strict=False):
            with col.container(border=True):
                st.markdown(f"**{md(title)}**")
                st.markdown("\n".join(f"- {md(x)}" for x in items) if items else f"*{md(tr('export.none'))}*")


def _relationship(c: PlanContent) -> None:
    st.markdown(f"**{md(c.stage)}** → **{md(c.target_stage)}**")
    st.caption(f"{md(c.stage)}: {md(c.stage_desc)}")
    st.caption(f"{md(c.target_stage)}: {md(c.target_desc)}")
    _text(c.justification)
    _table(c.stakeholders)
    _table(c.grid)


def _objectives(c: PlanContent) -> None:
    if not c.objectives:
        st.caption(tr("export.none"))
    for o in c.objectives:
        with st.container(border=True):
            st.markdown(f"**{md(o.label)}** · {md(o.status_label)} · {md(o.due)}")
            st.progress(min(1.0, max(0.0, (o.achieved_pct or 0) / 100)), text=f"{o.baseline} → {o.actual} → "
                        f"{o.target} ({o.achieved})")  # fmt: skip


def _actions(c: PlanContent) -> None:
    _table(c.actions)


def _warnings(c: PlanContent) -> None:
    if not c.warnings:
        st.caption(tr("export.no_warnings"))
    for _, label, msg in c.warnings:
        st.markdown(f"- **{md(label)}**: {md(msg)}")


def show(account: str, year: int) -> None:
    """The plan's saved version as steps: snapshot, vision, SWOT, relationship, objectives, actions, warnings."""
    c = data.query(plan_content, account, year, lang())
    st.subheader(f"{c.title}: {c.subtitle}")
    st.caption(c.version_line)
    s = c.sections
    present.sections("plans", [
        (s["snapshot"], lambda: _snapshot(c)),
        (s["vision_strategy"], lambda: _vision(c)),
        (s["swot"], lambda: _swot(c)),
        (s["relationship_map"], lambda: _relationship(c)),
        (s["objectives"], lambda: _objectives(c)),
        (s["actions"], lambda: _actions(c)),
        (s["warnings"], lambda: _warnings(c)),
    ])  # fmt: skip
