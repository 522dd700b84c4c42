"""What changed, and where (kam_core.analytics.explain)."""

STRINGS: dict[str, tuple[str, str]] = {
    "explain.err.vs": ("--vs must be one of {known} (got '{vs}').", "--vs 必须是 {known} 之一（收到“{vs}”）。"),
    "explain.err.by": ("Cannot break down by '{by}'; choose one of {known}.", "无法按“{by}”拆分；可选：{known}。"),
    "explain.err.metric": ("Unknown metric '{metric}'; choose one of {known}.", "未知指标“{metric}”；可选：{known}。"),
    "explain.err.period": (
        "A change needs a period: give --from and --to (YYYY-MM).",
        "需要指定期间：请给出 --from 和 --to（YYYY-MM）。",
    ),
    "explain.err.order": ("--from {start} is after --to {end}.", "--from {start} 晚于 --to {end}。"),
    "explain.status.continuing": ("continuing", "持续"),
    "explain.status.new": ("new", "新增"),
    "explain.status.lost": ("lost", "流失"),
    "explain.others": ("others", "其他"),
    "explain.none": ("(none)", "（无）"),
    "explain.before": ("Before", "之前"),
    "explain.after": ("After", "之后"),
    "explain.total": ("Total change", "总变化"),
}
