"""Markdown of a plan and of the portfolio: every section; text from data escaped, so a name or a
note can never become a link, an image, a heading or a table cell break."""

from __future__ import annotations

import re

from kam_core.export.content import PlanContent, PortfolioContent, Table

# Backslash-escaping ASCII punctuation is always literal in CommonMark. These characters can start
# markup anywhere; "-", "+", "=", ">" and "1." only at the start of a line; "://", "www." and "@" are
# broken up so GFM does not autolink a bare URL or e-mail address.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|!~&$@])")


def escape(text: object) -> str:
    """Text from data as literal Markdown (one line: newlines become spaces, for table cells)."""
    s = " ".join(str(text if text is not None else "").split())
    s = _SPECIAL.sub(r"\\\1", s)
    s = s.replace("://", "\\://")
    s = re.sub(r"(?i)\bwww\.", lambda m: m.group(0)[:-1] + "\\.", s)
    s = re.sub(r"^(\d+)([.)])", r"\1\\\2", s)
    return re.sub(r"^([-+=])", r"\\\1", s)


def escape_block(text: object) -> str:
    """Literal Markdown keeping paragraph breaks."""
    return "\n\n".join(escape(p) for p in str(text or "").split("\n") if p.strip())


def table(t: Table) -> str:
    if not t.rows:
        return ""
    lines = ["| " + " | ".join(escape(h) for h in t.header) + " |", "|" + "---|" * len(t.header)]
    lines += ["| " + " | ".join(escape(x) or " " for x in r) + " |" for r in t.rows]
    return "\n".join(lines)


def _bar(pct: float | None, n: int = 10) -> str:
    full = 0 if pct is None else round(max(0.0, min(pct, 100.0)) / 100 * n)
    return "█" * full + "░" * (n - full)


def plan_markdown(c: PlanContent, chart_note: str | None = None) -> str:
    """The plan as Markdown; the trend is a table (Markdown carries no images)."""
    none = escape(c.l("export.none"))
    out = [f"# {escape(c.title)}: {escape(c.subtitle)}", "", f"*{escape(c.version_line)}*", ""]
    out += [f"## {escape(c.sections['snapshot'])}", ""]
    out += [f"- **{escape(f.label)}**: {escape(f.value)}" + (f" ({escape(f.detail)})" if f.detail else "")
            for f in c.figures]  # fmt: skip
    if c.trend.has_data:
        out += ["", f"### {escape(c.trend.title)}", "", table(Table(list(c.trend.labels),
                                                                    c.trend.rows(c.lang, c.currency)))]  # fmt: skip
    out += ["", f"## {escape(c.sections['vision_strategy'])}", "", f"### {escape(c.l('plans.section.vision'))}", "",
            escape_block(c.vision) or none, "", f"### {escape(c.l('plans.section.strategy'))}", "",
            escape_block(c.strategy) or none, ""]  # fmt: skip
    out += [f"## {escape(c.sections['swot'])}", ""]
    for _, title, items in c.swot:
        out += [f"### {escape(title)}", "", *([f"- {escape(x)}" for x in items] or [none]), ""]
    out += [f"## {escape(c.sections['competition'])}", "", table(c.competitors) or none, ""]
    for label, text in c.own_company:
        out += [f"### {escape(label)}", "", escape_block(text) or none, ""]
    out += [f"## {escape(c.sections['relationship_map'])}", "",
            f"**{escape(c.l('export.stage_now'))}**: {escape(c.stage)} → **{escape(c.l('export.stage_target'))}**: "
            f"{escape(c.target_stage)}", "", f"- {escape(c.stage)}: {escape(c.stage_desc)}",
            f"- {escape(c.target_stage)}: {escape(c.target_desc)}", "", escape_block(c.justification), "",
            f"### {escape(c.sections['stakeholders'])}", "", table(c.stakeholders) or none, "", table(c.grid),
            ""]  # fmt: skip
    out += [f"## {escape(c.sections['objectives'])}", ""]
    obj = Table([c.l(f"export.col.{k}") for k in ("objective", "due", "baseline", "actual", "projected", "target",
                                                   "achieved", "status", "note")],
                [[o.label, o.due, o.baseline, o.actual, o.projected, o.target, o.achieved, o.status_label, o.note]
                 for o in c.objectives])  # fmt: skip
    out += [table(obj) or none, ""]
    out += [f"- {escape(o.label)}: `{_bar(o.achieved_pct)}` {escape(o.achieved)} · {escape(o.status_label)}"
            for o in c.objectives]  # fmt: skip
    out += ["", f"## {escape(c.sections['actions'])}", "", table(c.actions) or none, ""]
    out += [f"## {escape(c.sections['warnings'])}", ""]
    warns = [f"- **{escape(label)}**: {escape(msg)}" for _, label, msg in c.warnings]
    out += warns or [escape(c.l("export.no_warnings"))]
    return "\n".join(out).rstrip() + "\n"


def portfolio_markdown(pc: PortfolioContent) -> str:
    out = [f"# {escape(pc.title)}", "", f"*{escape(pc.subtitle)}*", "", table(pc.table), ""]
    for p in pc.plans:
        out += [f"## {escape(p.title)}", "", f"- **{escape(pc.l('export.col.tier'))}**: {escape(p.tier)}",
                f"- **{escape(pc.l('export.col.stage'))}**: {escape(p.stage)}",
                f"- **{escape(pc.l('plans.section.objectives'))}**: {escape(p.objectives_line)}",
                f"- **{escape(pc.l('plans.section.actions'))}**: {escape(p.actions_line)}", ""]  # fmt: skip
        out += [f"  - {escape(o.label)}: `{_bar(o.achieved_pct)}` {escape(o.achieved)} · {escape(o.status_label)}"
                for o in p.objective_rows]  # fmt: skip
        if p.warnings:
            out += ["", f"**{escape(pc.l('export.col.warnings'))}**", ""]
            out += [f"- **{escape(label)}**: {escape(msg)}" for _, label, msg in p.warnings]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
