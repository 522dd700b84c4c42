"""The plan portfolio page (kam_core.analytics.portfolio, app_pages/portfolio.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "page.portfolio": ("Plan portfolio", "计划总览"),
    "portfolio.caption": (
        "Every account plan of the year, riskiest first: most high-severity warnings, then most objectives off "
        "track, then most overdue actions. Figures as of {as_of}.",
        "本年度全部客户计划，风险最高者在前：高级别预警最多者优先，其次为偏离轨道的目标最多者，再次为逾期行动最多者。"
        "数据截至 {as_of}。",
    ),
    "portfolio.completeness_help": (
        "Share of the plan's 9 sections that are filled: relationship (justification written), vision, strategy "
        "(text not blank), SWOT (all four quadrants hold a line), competitors, stakeholders, objectives, actions "
        "(at least one row), own company (one of its texts written).",
        "计划 9 个部分中已填写的比例：关系（已写明理由）、愿景、策略（非空）、SWOT（四个象限各至少一条）、竞争对手、"
        "关键人、目标、行动（至少一行）、本公司情况（至少一项已填写）。",
    ),
    "portfolio.year": ("Plan year", "计划年度"),
    "portfolio.f_kam": ("KAM", "客户经理"),
    "portfolio.f_tier": ("Tier", "级别"),
    "portfolio.f_rule": ("Warning", "预警"),
    "portfolio.all": ("All", "全部"),
    "portfolio.plans": ("Plans", "计划"),
    "portfolio.summary": (
        "{plans} plans · {missing} key accounts without a plan · {high} high-severity warnings on planned accounts",
        "{plans} 份计划 · {missing} 个重点客户无计划 · 已有计划客户的高级别预警 {high} 条",
    ),
    "portfolio.none": ("No plans for {year} yet.", "{year} 年尚无计划。"),
    "portfolio.none_filtered": ("No plan matches these filters.", "没有符合筛选条件的计划。"),
    "portfolio.col.account": ("Account", "客户"),
    "portfolio.col.tier": ("Tier", "级别"),
    "portfolio.col.score": ("Score", "得分"),
    "portfolio.col.key": ("Key", "重点"),
    "portfolio.col.kam": ("KAM", "客户经理"),
    "portfolio.col.stage": ("Stage now → target", "当前阶段 → 目标"),
    "portfolio.col.completeness": ("Complete", "完整度"),
    "portfolio.col.on_track": ("On track", "正常"),
    "portfolio.col.at_risk": ("At risk", "有风险"),
    "portfolio.col.off_track": ("Off track", "偏离"),
    "portfolio.col.actions_overdue": ("Actions overdue", "逾期行动"),
    "portfolio.col.warn_high": ("High", "高"),
    "portfolio.col.warn_medium": ("Medium", "中"),
    "portfolio.col.warn_low": ("Low", "低"),
    "portfolio.col.updated": ("Last update", "最近更新"),
    "portfolio.col.plan": ("Plan", "计划"),
    "portfolio.col.rank": ("Rank", "排名"),
    "portfolio.col.severity": ("Severity", "级别"),
    "portfolio.col.rule": ("Warning", "预警"),
    "portfolio.col.message": ("What", "内容"),
    "portfolio.col.explain": ("Change", "变化"),
    "portfolio.objectives_help": (
        "Objectives by status (kam_core tracking: projection against target)",
        "按状态统计的目标（按预测与目标比较）",
    ),
    "portfolio.warnings_help": (
        "Warnings of the account by severity (data and plan rules)",
        "该客户按级别统计的预警（数据规则与计划规则）",
    ),
    "portfolio.updated": ("{when} by {who}", "{who} 于 {when}"),
    "portfolio.open_plan": ("open plan", "打开计划"),
    "portfolio.create_plan": ("create plan", "创建计划"),
    "portfolio.open_explain": ("explain", "解析变化"),
    "portfolio.missing": ("Key accounts without a plan for {year}", "{year} 年无计划的重点客户"),
    "portfolio.missing_none": ("Every key account has a plan for {year}.", "所有重点客户均已有 {year} 年计划。"),
    "portfolio.warnings": ("All warnings", "全部预警"),
    "portfolio.severity": ("Severity", "级别"),
    "portfolio.warnings_none": ("No warnings for this selection.", "当前筛选下没有预警。"),
    "portfolio.warnings_count": ("{n} {n:warning|warnings}", "共 {n} 条预警"),
    # the overview's line (app_pages/overview.py)
    "overview.high_warnings": (
        "{n} high-severity warnings — see the plan portfolio",
        "{n} 条高级别预警 — 查看计划总览",
    ),
    "portfolio.dl_csv": ("Download the full list (CSV)", "下载完整列表（CSV）"),
    "portfolio.dl_xlsx": ("Download the full list (Excel)", "下载完整列表（Excel）"),
}
