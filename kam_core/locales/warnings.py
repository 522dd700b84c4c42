"""Early-warning sentences (kam_core.analytics.warnings): each names its figures."""

STRINGS: dict[str, tuple[str, str]] = {
    "warn.revenue_down_months": (
        "revenue below last year in {down} of the last {of} months ({from} … {to}): {change_pct} %",
        "最近 {of} 个月（{from} … {to}）中有 {down} 个月销售额低于去年同期：{change_pct}%",
    ),
    "warn.revenue_drop": (
        "last 3 months {change_pct} % against the same months last year (threshold −{threshold_pct} %)",
        "最近 3 个月销售额同比 {change_pct}%（阈值 −{threshold_pct}%）",
    ),
    "warn.margin_down": (
        "gross margin {margin_pct} % in the last 3 months, {points} pts against {margin_last_year_pct} % "
        "a year earlier",
        "最近 3 个月毛利率 {margin_pct}%，较去年同期的 {margin_last_year_pct}% 变化 {points} 个百分点",
    ),
    "warn.overdue_share": (
        "overdue receivables {overdue_pct} % of receivables on {as_of} (threshold {threshold_pct} %)",
        "{as_of} 逾期应收账款占应收账款 {overdue_pct}%（阈值 {threshold_pct}%）",
    ),
    "warn.overdue_90": ("{amount} overdue for more than 90 days on {as_of}", "{as_of} 逾期 90 天以上金额 {amount}"),
    "warn.err.severity": (
        "Unknown severity '{severity}'; choose one of {known}.",
        "未知的级别“{severity}”；可选：{known}。",
    ),
    "warn.severity.high": ("high", "高"),
    "warn.severity.medium": ("medium", "中"),
    "warn.severity.low": ("low", "低"),
}
