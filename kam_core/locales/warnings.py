"""Early-warning sentences (kam_core.analytics.warnings): each names its figures."""

STRINGS: dict[str, tuple[str, str]] = {
    "warn.revenue_down_months": (
        "revenue below last year in {down} of the last {of} months ({from} … {to}): {change_pct}%",
        "最近 {of} 个月（{from} … {to}）中有 {down} 个月销售额低于去年同期：{change_pct}%",
    ),
    "warn.revenue_drop": (
        "last 3 months {change_pct}% against the same months last year (threshold -{threshold_pct}%)",
        "最近 3 个月销售额同比 {change_pct}%（阈值 -{threshold_pct}%）",
    ),
    "warn.margin_down": (
        "gross margin {margin_pct}% in the last 3 months, {points} pts against {margin_last_year_pct}% a year earlier",
        "最近 3 个月毛利率 {margin_pct}%，较去年同期的 {margin_last_year_pct}% 变化 {points} 个百分点",
    ),
    "warn.overdue_share": (
        "overdue receivables {overdue_pct}% of receivables on {as_of} (threshold {threshold_pct}%)",
        "{as_of} 逾期应收账款占应收账款 {overdue_pct}%（阈值 {threshold_pct}%）",
    ),
    "warn.overdue_90": ("{amount} overdue for more than 90 days on {as_of}", "{as_of} 逾期 90 天以上金额 {amount}"),
    "warn.err.severity": (
        "Unknown severity '{severity}'; choose one of {known}.",
        "未知的级别“{severity}”；可选：{known}。",
    ),
    "warn.severity.high": ("High", "高"),
    "warn.severity.medium": ("Medium", "中"),
    "warn.severity.low": ("Low", "低"),
    # plan rules (kam_core.plans.warning_rules)
    "warn.objective_off_track": (
        "objective “{objective}” ({metric}) is off track: projected {projected} against a target of {target} by {due}",
        "目标“{objective}”（{metric}）偏离轨道：预计 {projected}，目标 {target}（截止 {due}）",
    ),
    "warn.actions_overdue": ("{n} {n:action|actions} overdue: {actions}", "{n} 项行动已逾期：{actions}"),
    "warn.no_contact": (
        "no stakeholder contact for {days} days (last on {last_contact}; threshold {threshold} days)",
        "已 {days} 天未联系任何关键人（最近一次 {last_contact}；阈值 {threshold} 天）",
    ),
    "warn.no_contact_never": (
        "no contact recorded with any of the {stakeholders} stakeholders (threshold {threshold} days)",
        "{stakeholders} 位关键人均无联系记录（阈值 {threshold} 天）",
    ),
    "warn.detractor_decision_maker": (
        "decision maker {name} ({title}, influence {influence}/5) is a detractor",
        "决策者 {name}（{title}，影响力 {influence}/5）持反对态度",
    ),
    "warn.no_decision_maker": (
        "no decision maker among the {stakeholders} stakeholders",
        "{stakeholders} 位关键人中没有决策者",
    ),
    "warn.decision_maker_not_contacted": (
        "no contact recorded with any of the {decision_makers} decision {decision_makers:maker|makers}",
        "{decision_makers} 位决策者均无联系记录",
    ),
    "warn.stage_disintegrating": (
        "relationship stage {stage} → target {target_stage}: the relationship is disintegrating",
        "关系阶段 {stage} → 目标 {target_stage}：关系正在瓦解",
    ),
    "warn.stage_weakening": (
        "target stage {target_stage} is below the current stage {stage}: the relationship is planned to weaken",
        "目标阶段 {target_stage} 低于当前阶段 {stage}：计划中的关系在减弱",
    ),
    "warn.plan_stale": (
        "plan not updated for {days} days (last saved {saved_at} by {saved_by}; threshold {threshold} days)",
        "计划已 {days} 天未更新（最近由 {saved_by} 于 {saved_at} 保存；阈值 {threshold} 天）",
    ),
    "warn.no_plan": (
        "key account (rank {rank}, score {score}) without a plan for {year}",
        "重点客户（排名 {rank}，得分 {score}）没有 {year} 年的计划",
    ),
    "warn.rule.revenue_down_months": ("Revenue below last year", "销售额低于去年"),
    "warn.rule.revenue_drop": ("Revenue drop", "销售额下滑"),
    "warn.rule.margin_down": ("Gross margin down", "毛利率下降"),
    "warn.rule.overdue_share": ("Overdue receivables", "逾期应收"),
    "warn.rule.overdue_90": ("Overdue > 90 days", "逾期超 90 天"),
    "warn.rule.objective_off_track": ("Objective off track", "目标偏离"),
    "warn.rule.actions_overdue": ("Actions overdue", "行动逾期"),
    "warn.rule.no_contact": ("No stakeholder contact", "未联系关键人"),
    "warn.rule.detractor_decision_maker": ("Detractor decision maker", "决策者反对"),
    "warn.rule.no_decision_maker_contact": ("No decision-maker contact", "未接触决策者"),
    "warn.rule.stage_disintegrating": ("Relationship disintegrating", "关系瓦解"),
    "warn.rule.stage_weakening": ("Relationship to weaken", "关系减弱"),
    "warn.rule.plan_stale": ("Plan not updated", "计划未更新"),
    "warn.rule.no_plan": ("Key account without plan", "重点客户无计划"),
}
