"""What changed, and where (kam_core.analytics.explain)."""

STRINGS: dict[str, tuple[str, str]] = {
    "explain.err.vs": ("--vs must be one of {known} (got '{vs}').", "--vs 必须是 {known} 之一（收到“{vs}”）。"),
    "explain.err.by": ("Cannot break down by '{by}'; choose one of {known}.", "无法按“{by}”拆分；可选：{known}。"),
    "explain.err.metric": ("Unknown metric '{metric}'; choose one of {known}.", "未知指标“{metric}”；可选：{known}。"),
    "explain.err.period": (
        "A change needs a period: give --from and --to (YYYY-MM).",
        "需要指定期间：请给出 --from 和 --to（YYYY-MM）。",
    ),
    "explain.status.continuing": ("Continuing", "持续"),
    "explain.status.new": ("New", "新增"),
    "explain.status.lost": ("Lost", "流失"),
    "explain.others": ("others", "其他"),
    "explain.none": ("(none)", "（无）"),
    "explain.before": ("Before", "之前"),
    "explain.after": ("After", "之后"),
    "explain.total": ("Total change", "总变化"),
    "explain.status.others": ("Others", "其他"),
    # the page (app_pages/explain.py)
    "page.explain": ("What changed, and where", "变化从何而来"),
    "explain.caption": (
        "A figure's change between two windows, split member by member; the members' changes add up exactly to "
        "the total change. The window is the period in the sidebar.",
        "某一指标在两个期间之间的变化，按成员拆分；各成员的变化之和恰好等于总变化。期间即侧边栏中的期间。",
    ),
    "explain.metric": ("Metric", "指标"),
    "explain.by": ("Split by", "拆分维度"),
    "explain.vs": ("Compared with", "比较基准"),
    "explain.vs.yoy": ("Same months last year", "去年同期"),
    "explain.vs.mom": ("Preceding period", "上一期间"),
    "explain.account": ("Account", "客户"),
    "explain.all_accounts": ("All accounts", "全部客户"),
    "explain.windows": (
        "{base_from} … {base_to} (base) → {start} … {end} (current)",
        "{base_from} … {base_to}（基准）→ {start} … {end}（本期）",
    ),
    "explain.growth": ("Growth", "增长率"),
    "explain.waterfall": ("From before to after", "从之前到之后"),
    "explain.waterfall_note": (
        'The {n} largest changes; the other {rest} members are one step, "others".',
        "变化最大的 {n} 个成员；其余 {rest} 个成员合并为“其他”。",
    ),
    "explain.table": ("Member by member", "逐个成员"),
    "explain.subtotals": (
        "continuing {continuing} · new {new} · lost {lost} = total change {total}",
        "持续 {continuing} · 新增 {new} · 流失 {lost} = 总变化 {total}",
    ),
    "explain.col.member": ("Member", "成员"),
    "explain.col.before": ("Before", "之前"),
    "explain.col.after": ("After", "之后"),
    "explain.col.change": ("Change", "变化"),
    "explain.col.share": ("Share of change", "占总变化"),
    "explain.col.status": ("Status", "状态"),
    "explain.dl_csv": ("Download CSV", "下载 CSV"),
    "explain.dl_xlsx": ("Download Excel", "下载 Excel"),
    "explain.no_change": ("Nothing sold in either window for this selection.", "当前筛选下两个期间均无销售。"),
    # links into the page from a figure
    "explain.link": ("Explain this change:", "解析此变化："),
}
