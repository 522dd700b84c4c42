"""Strings of account plans: code lists with descriptions, validation reasons, tracking, suggestions, CLI."""

STRINGS: dict[str, tuple[str, str]] = {
    # sections
    "plans.section.document": ("Document", "文档"),
    "plans.section.relationship": ("Relationship", "客户关系"),
    "plans.section.vision": ("Vision", "愿景"),
    "plans.section.strategy": ("Strategy", "策略"),
    "plans.section.swot": ("SWOT", "SWOT 分析"),
    "plans.section.competitors": ("Competitors", "竞争对手"),
    "plans.section.own_company": ("Own company", "本公司分析"),
    "plans.section.stakeholders": ("Stakeholders", "关键人物"),
    "plans.section.objectives": ("Objectives", "目标"),
    "plans.section.actions": ("Actions", "行动计划"),
    "plans.quadrant.strengths": ("Strengths", "优势"),
    "plans.quadrant.weaknesses": ("Weaknesses", "劣势"),
    "plans.quadrant.opportunities": ("Opportunities", "机会"),
    "plans.quadrant.threats": ("Threats", "威胁"),
    # relationship stages: name, description, signs (bow-tie → diamond)
    "plans.stage.exploratory": ("Exploratory", "探索期"),
    "plans.stage.basic": ("Basic", "基础型"),
    "plans.stage.cooperative": ("Cooperative", "合作型"),
    "plans.stage.interdependent": ("Interdependent", "相互依存型"),
    "plans.stage.integrated": ("Integrated", "一体化"),
    "plans.stage.disintegrating": ("Disintegrating", "关系瓦解"),
    "plans.stage_desc.exploratory": (
        "Both sides are sizing each other up before real business; trust is still to be earned.",
        "双方在正式合作前相互考察，信任尚待建立。",
    ),
    "plans.stage_desc.basic": (
        "A transactional relationship: one salesperson sells to one buyer, mainly on price and terms (the bow-tie).",
        "交易型关系：一名销售对一名采购，主要围绕价格和条款（“领结型”）。",
    ),
    "plans.stage_desc.cooperative": (
        "More people meet on both sides; the customer shares some information and we are a preferred supplier.",
        "双方更多人员参与接触；客户分享部分信息，我们是优先供应商。",
    ),
    "plans.stage_desc.interdependent": (
        "Both sides depend on each other: functions talk to their counterparts, plans are made together.",
        "双方相互依赖：各职能部门对口沟通，共同制定计划。",
    ),
    "plans.stage_desc.integrated": (
        "Joint teams act as one organisation toward shared goals; costs and data are open (the diamond).",
        "联合团队如同一个组织，追求共同目标；成本与数据相互开放（“钻石型”）。",
    ),
    "plans.stage_desc.disintegrating": (
        "The relationship is weakening: contacts shrink, information stops, business moves to competitors.",
        "关系正在减弱：接触减少，信息中断，业务流向竞争对手。",
    ),
    "plans.stage_signs.exploratory": (
        "Who talks: our salesperson and a buyer. Information: public only. Joint planning: none.",
        "沟通者：我方销售与采购。信息：仅公开信息。联合计划：无。",
    ),
    "plans.stage_signs.basic": (
        "Who talks: KAM ↔ buyer only. Information: orders, prices, terms. Joint planning: none.",
        "沟通者：仅客户经理 ↔ 采购。信息：订单、价格、条款。联合计划：无。",
    ),
    "plans.stage_signs.cooperative": (
        "Who talks: KAM ↔ buyer plus some logistics and marketing contacts. Information: sell-out data on "
        "request, promotion calendars. Joint planning: single promotions.",
        "沟通者：客户经理 ↔ 采购，另有部分物流、市场人员接触。信息：应要求提供销售数据、促销日历。联合计划：单次促销。",
    ),
    "plans.stage_signs.interdependent": (
        "Who talks: senior managers and several functions on both sides. Information: regular sell-out and "
        "stock data. Joint planning: an annual joint business plan.",
        "沟通者：双方高层及多个职能部门。信息：定期共享销售与库存数据。联合计划：年度联合生意计划。",
    ),
    "plans.stage_signs.integrated": (
        "Who talks: cross-functional joint teams at every level (the diamond). Information: open books, shared "
        "systems. Joint planning: shared strategy and targets over several years.",
        "沟通者：各层级跨职能联合团队（钻石型）。信息：账目开放、系统共享。联合计划：多年共同战略与目标。",
    ),
    "plans.stage_signs.disintegrating": (
        "Who talks: fewer and fewer contacts, meetings cancelled. Information: withheld. Joint planning: "
        "stopped; listings and shelf space lost.",
        "沟通者：接触越来越少，会议取消。信息：不再共享。联合计划：停止；商品下架、陈列减少。",
    ),
    # stakeholders
    "plans.role.decision_maker": ("Decision maker", "决策者"),
    "plans.role.influencer": ("Influencer", "影响者"),
    "plans.role.user": ("User", "使用者"),
    "plans.role.gatekeeper": ("Gatekeeper", "把关者"),
    "plans.attitude.champion": ("Champion", "拥护者"),
    "plans.attitude.supporter": ("Supporter", "支持者"),
    "plans.attitude.neutral": ("Neutral", "中立"),
    "plans.attitude.detractor": ("Detractor", "反对者"),
    # metrics
    "plans.metric.revenue": ("Revenue", "销售额"),
    "plans.metric.gross_profit": ("Gross profit", "毛利"),
    "plans.metric.volume": ("Volume", "销量"),
    "plans.metric.gross_margin_pct": ("Gross margin %", "毛利率 %"),
    "plans.metric.skus_sold": ("SKUs sold", "在售单品数"),
    "plans.metric.stores_buying": ("Stores buying", "进货门店数"),
    "plans.metric.trade_spend_pct": ("Trade spend % of revenue", "费用率 %"),
    "plans.metric.overdue_receivables": ("Overdue receivables", "逾期应收账款"),
    # actions
    "plans.action.new_product_launch": ("New-product launch", "新品上市"),
    "plans.action.promotion": ("Promotion", "促销"),
    "plans.action.category_management": ("Category management", "品类管理"),
    "plans.action.expense": ("Expense (trade spend)", "费用管理"),
    "plans.action.collection": ("Collection", "回款"),
    "plans.action.relationship": ("Relationship", "客户关系"),
    "plans.action.other": ("Other", "其他"),
    "plans.action_status.planned": ("Planned", "计划中"),
    "plans.action_status.in_progress": ("In progress", "进行中"),
    "plans.action_status.done": ("Done", "已完成"),
    "plans.action_status.dropped": ("Dropped", "已取消"),
    "plans.baseline_source.data": ("from data", "取自数据"),
    "plans.baseline_source.manual": ("entered by hand", "手工输入"),
    # tracking
    "plans.track.on_track": ("On track", "进展正常"),
    "plans.track.at_risk": ("At risk", "存在风险"),
    "plans.track.off_track": ("Off track", "偏离目标"),
    "plans.track.no_data": ("No data yet", "暂无数据"),
    "plans.track.rule": (
        "Projection to the due date: the actual so far plus the remaining months at last year's values, scaled "
        "by this year's growth over the same months (a run rate when last year is incomplete); ratios, counts "
        "and balances project as their current value. On track when the projection meets the target, at risk "
        "when it misses by at most 10% of the target, otherwise off track.",
        "到期预测：截至目前的实际值，加上剩余月份按去年同期数值并乘以今年同月增长率（去年数据不完整时按当前月均推算）；"
        "比率、数量和余额类指标按当前值预测。预测达到目标为“进展正常”，"
        "差距不超过目标的 10% 为“存在风险”，否则为“偏离目标”。",
    ),
    "plans.track.achieved_rule": (
        "Achieved: actual ÷ target; for lower-is-better metrics (trade spend %, overdue receivables) "
        "target ÷ actual (100% when the actual is 0).",
        "达成率：实际值 ÷ 目标值；对于越低越好的指标（费用率、逾期应收）为目标值 ÷ 实际值（实际值为 0 时为 100%）。",
    ),
    "plans.track.lower_is_better": ("lower is better", "越低越好"),
    # validation
    "plans.v.row": ("row {row}", "第 {row} 行"),
    "plans.v.required": ("required", "必填"),
    "plans.v.not_text": ("must be text", "必须为文本"),
    "plans.v.not_list": ("must be a list", "必须为列表"),
    "plans.v.not_object": ("must be an object (a set of named fields)", "必须为对象（一组命名字段）"),
    "plans.v.unknown_field": ("unknown field", "未知字段"),
    "plans.v.too_long": ("longer than {max} characters", "超过 {max} 个字符"),
    "plans.v.code": ("'{value}' is not one of: {allowed}", "“{value}”不在可选值中：{allowed}"),
    "plans.v.number": ("'{value}' is not a number", "“{value}”不是数字"),
    "plans.v.integer": ("'{value}' is not a whole number", "“{value}”不是整数"),
    "plans.v.range": ("{value} is outside {min} … {max}", "{value} 超出范围 {min} … {max}"),
    "plans.v.date": ("'{value}' is not a date YYYY-MM-DD", "“{value}”不是 YYYY-MM-DD 格式的日期"),
    "plans.v.month": ("'{value}' is not a month YYYY-MM", "“{value}”不是 YYYY-MM 格式的月份"),
    "plans.v.due_before_start": ("due {due} is before the start {start}", "截止日期 {due} 早于开始 {start}"),
    "plans.v.window_long": ("the window spans {n} months (at most {max})", "时间窗口为 {n} 个月（最多 {max} 个月）"),
    "plans.v.duplicate": ("'{value}' appears twice", "“{value}”重复出现"),
    "plans.v.unknown_objective": ("no objective with id '{value}'", "不存在编号为“{value}”的目标"),
    "plans.v.manual_baseline": ("a manual baseline needs a number", "手工基准值需要填写数字"),
    "plans.v.no_restriction": (
        "{metric} cannot be narrowed to a category, SKU or province",
        "{metric} 不能按品类、单品或省份细分",
    ),
    "plans.v.share_total": (
        "competitors' shares add up to {total} (more than 1)",
        "竞争对手份额合计 {total}（超过 1）",
    ),
    "plans.v.schema_version": (
        "schema version {value} is not supported (expected {expected})",
        "不支持结构版本 {value}（应为 {expected}）",
    ),
    # store / CLI refusals
    "plans.err.invalid": ("The plan has {n} {n:problem|problems}; nothing was saved:", "计划有 {n} 处问题，未保存："),
    "plans.err.not_json": (
        "The file is not valid JSON (line {line}, column {column}: {reason}).",
        "文件不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）。",
    ),
    "plans.err.conflict": (
        "Version {version} was saved by {user} at {at} after the version you edited ({base}); nothing was saved. "
        "Your draft is kept: compare it with version {version} and save again from it.",
        "在您编辑的版本（{base}）之后，{user} 于 {at} 保存了版本 {version}；未保存。"
        "您的草稿已保留：请与版本 {version} 比较后基于它再次保存。",
    ),
    "plans.err.bad_base": (
        "Base version {base} does not exist (latest: {latest}; use 0 for a first save).",
        "基准版本 {base} 不存在（最新：{latest}；首次保存请用 0）。",
    ),
    "plans.err.account": (
        "Unknown account '{account}': it is neither in the sales nor in the account master.",
        "未知客户“{account}”：销售数据和客户主数据中都没有。",
    ),
    "plans.err.year": ("Year {year} is not between {min} and {max}.", "年份 {year} 不在 {min} 至 {max} 之间。"),
    "plans.err.mismatch": (
        "The document is for {doc_account} {doc_year}, not {account} {year}.",
        "该文档属于 {doc_account} {doc_year}，而非 {account} {year}。",
    ),
    "plans.err.comment": ("The comment is longer than {max} characters.", "备注超过 {max} 个字符。"),
    "plans.err.no_plan": ("No plan for {account} in {year} yet.", "{account} {year} 年尚无计划。"),
    "plans.err.no_version": ("{account} {year} has no version {version}.", "{account} {year} 年没有版本 {version}。"),
    "plans.err.file": ("Cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "plans.err.no_data_year": ("No sales data yet: give --year.", "尚无销售数据：请指定 --year。"),
    # diff
    "plans.diff.added": ("{section}: added {item}", "{section}：新增 {item}"),
    "plans.diff.removed": ("{section}: removed {item}", "{section}：删除 {item}"),
    "plans.diff.changed": ("{section}: changed {item} — {what}", "{section}：修改 {item} — {what}"),
    "plans.diff.none": ("No differences.", "没有差异。"),
    # suggestions (each sentence carries its figure)
    "plans.suggest.growth_faster": (
        "Revenue {growth} YoY ({window}), faster than our total ({total}).",
        "销售额同比 {growth}（{window}），高于公司整体（{total}）。",
    ),
    "plans.suggest.growth_slower": (
        "Revenue {growth} YoY ({window}), slower than our total ({total}).",
        "销售额同比 {growth}（{window}），低于公司整体（{total}）。",
    ),
    "plans.suggest.decline": (
        "Revenue {growth} YoY ({window}) while our total moved {total}.",
        "销售额同比 {growth}（{window}），而公司整体为 {total}。",
    ),
    "plans.suggest.margin_above": (
        "Gross margin {margin}, {diff} pts above our K/A average ({avg}).",
        "毛利率 {margin}，比重点客户平均（{avg}）高 {diff} 个百分点。",
    ),
    "plans.suggest.margin_below": (
        "Gross margin {margin}, {diff} pts below our K/A average ({avg}).",
        "毛利率 {margin}，比重点客户平均（{avg}）低 {diff} 个百分点。",
    ),
    "plans.suggest.spend_above": (
        "Trade spend {spend} of revenue, {diff} pts above our K/A average ({avg}).",
        "费用率 {spend}，比重点客户平均（{avg}）高 {diff} 个百分点。",
    ),
    "plans.suggest.skus_lost": (
        "{n} SKUs listed last year no longer sold ({skus}).",
        "去年在售的 {n} 个单品今年已不再销售（{skus}）。",
    ),
    "plans.suggest.skus_new": ("{n} SKUs newly sold this year ({skus}).", "今年新增销售 {n} 个单品（{skus}）。"),
    "plans.suggest.stores_lost": (
        "{n} fewer stores buying than a year earlier ({now} vs {before}).",
        "进货门店比去年同期少 {n} 家（{now} 对 {before}）。",
    ),
    "plans.suggest.share_up": (
        "Share of our sales up from {before} to {now}.",
        "占公司销售比重从 {before} 升至 {now}。",
    ),
    "plans.suggest.overdue": (
        "Overdue receivables {share} of the balance on {date}.",
        "截至 {date}，逾期应收占应收余额的 {share}。",
    ),
    # CLI
    "plans.cli.saved": ("Saved {account} {year} as version {version}.", "已保存 {account} {year} 年，版本 {version}。"),
    "plans.cli.none": ("No plans yet.", "尚无计划。"),
}
