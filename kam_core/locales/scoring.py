"""Strings of key-account selection: criteria and their definitions, the matrix, refusals."""

STRINGS: dict[str, tuple[str, str]] = {
    # criteria: names
    "scoring.criterion.revenue": ("Revenue", "销售额"),
    "scoring.criterion.revenue_share": ("Share of our revenue", "占我方销售额比例"),
    "scoring.criterion.growth": ("Growth vs a year earlier", "同比增长"),
    "scoring.criterion.gross_margin": ("Gross margin", "毛利率"),
    "scoring.criterion.trade_spend_pct": ("Trade spend % of revenue", "渠道费用占销售额比例"),
    "scoring.criterion.overdue_pct": ("Overdue receivables %", "逾期应收占比"),
    "scoring.criterion.stores": ("Stores", "门店数"),
    "scoring.criterion.provinces": ("Provinces", "覆盖省份数"),
    "scoring.criterion.tier": ("K/A tier", "重点客户级别"),
    "scoring.criterion.strategic_fit": ("Strategic fit (1–5)", "战略匹配度（1–5）"),
    # criteria: definitions
    "scoring.definition.revenue": (
        "Sum of the account's revenue in the period.",
        "该客户在所选期间的销售额合计。",
    ),
    "scoring.definition.revenue_share": (
        "The account's revenue ÷ the revenue of all accounts in the period (same filters).",
        "该客户销售额 ÷ 所选期间（相同筛选条件）全部客户销售额。",
    ),
    "scoring.definition.growth": (
        "Revenue ÷ revenue in the same months a year earlier − 1. Missing when the account had no "
        "revenue (or ≤ 0) a year earlier, and for every account when the prior-year months are not all in the data.",
        "销售额 ÷ 去年同期同月份销售额 − 1。若该客户去年同期无销售额（或 ≤ 0）则缺失；"
        "若去年同期并非每个月都有数据，则所有客户均缺失。",
    ),
    "scoring.definition.gross_margin": (
        "Gross profit ÷ revenue in the period. Missing when no gross profit is recorded or revenue ≤ 0.",
        "所选期间毛利 ÷ 销售额。若无毛利记录或销售额 ≤ 0 则缺失。",
    ),
    "scoring.definition.trade_spend_pct": (
        "Trade spend ÷ revenue in the period (cost to serve; lower is better). Missing when no trade spend "
        "is recorded or revenue ≤ 0.",
        "所选期间渠道费用 ÷ 销售额（服务成本，越低越好）。若无费用记录或销售额 ≤ 0 则缺失。",
    ),
    "scoring.definition.overdue_pct": (
        "Overdue buckets ÷ all receivables in the account's latest ageing snapshot on or before the last day "
        "of the period (payment behaviour; lower is better). Missing without a snapshot.",
        "截至所选期间最后一天（含）该客户最新一期账龄快照中，逾期金额 ÷ 全部应收（付款表现，越低越好）。无快照则缺失。",
    ),
    "scoring.definition.stores": (
        "Stores on record (store master, else stores seen in sales) — the footprint of the tier page.",
        "门店数（门店主数据，无则取销售数据中出现的门店）——与分级页面的门店分布一致。",
    ),
    "scoring.definition.provinces": (
        "Provinces with the account's stores (same footprint as the tier page).",
        "该客户门店覆盖的省份数（与分级页面的门店分布一致）。",
    ),
    "scoring.definition.tier": (
        "K/A tier as a number: GKA 3, NKA 2, LKA 1, not K/A 0 (manual overrides included).",
        "重点客户级别的数值：GKA 3、NKA 2、LKA 1、非重点客户 0（含手动调整）。",
    ),
    "scoring.definition.strategic_fit": (
        "Judgement entered by people, 1 (poor) to 5 (excellent): how well the account fits our strategy.",
        "由人工填写的判断，1（差）至 5（很好）：该客户与我方战略的契合程度。",
    ),
    "scoring.definition.custom": ("Custom criterion entered by people.", "人工填写的自定义指标。"),
    # directions and normalisations
    "scoring.direction.higher": ("higher is better", "越高越好"),
    "scoring.direction.lower": ("lower is better", "越低越好"),
    "scoring.normalise.percentile": ("percentile rank", "百分位排名"),
    "scoring.normalise.minmax": ("min–max (5th–95th percentile)", "最小–最大（第 5–95 百分位）"),
    "scoring.normalise.scale": ("the criterion's own scale", "指标自身刻度"),
    "scoring.normalise_definition.scale": (
        "For a criterion on a fixed scale (K/A tier: none 0 … GKA 3; strategic fit 1–5): 100 × (value − lowest) ÷ "
        "(highest − lowest) of the scale itself, whoever else is scored (GKA 100, NKA 67, LKA 33, no K/A 0).",
        "用于固定刻度的指标（K/A 级别：非 K/A 为 0 … GKA 为 3；战略匹配度 1–5）：按刻度本身计算 100 × (数值 − 最低) ÷ "
        "(最高 − 最低)，与其他客户无关（GKA 100，NKA 67，LKA 33，非 K/A 0）。",
    ),
    "scoring.normalise_definition.percentile": (
        "100 × (rank − 1) ÷ (N − 1) among the N accounts with a value, best = 100; ties share their mean rank.",
        "在有数值的 N 个客户中取 100 × (名次 − 1) ÷ (N − 1)，最好为 100；并列者取平均名次。",
    ),
    "scoring.normalise_definition.minmax": (
        "Values clipped to the 5th and 95th percentiles, then scaled to 0–100 (50 when all are equal).",
        "数值截断至第 5 和第 95 百分位后缩放到 0–100（全部相同时为 50）。",
    ),
    # the composite
    "scoring.col.rank": ("Rank", "排名"),
    "scoring.col.score": ("Score", "综合得分"),
    "scoring.col.key": ("Key account", "重点客户"),
    "scoring.col.coverage": ("Data coverage", "数据覆盖率"),
    "scoring.col.low_coverage": ("Low coverage", "覆盖率低"),
    "scoring.col.criterion": ("Criterion", "指标"),
    "scoring.col.value": ("Value", "数值"),
    "scoring.col.normalised": ("Normalised (0–100)", "标准化得分（0–100）"),
    "scoring.col.weight": ("Weight", "权重"),
    "scoring.col.contribution": ("Contribution", "贡献"),
    "scoring.col.direction": ("Direction", "方向"),
    "scoring.col.normalise": ("Normalisation", "标准化方法"),
    "scoring.col.attractiveness": ("Attractiveness", "客户吸引力"),
    "scoring.col.strength": ("Our strength", "我方优势"),
    "scoring.col.quadrant": ("Quadrant", "象限"),
    "scoring.col.stay_down": ("Still key at -{pct}%", "权重 -{pct}% 时仍为重点"),
    "scoring.col.stay_up": ("Still key at +{pct}%", "权重 +{pct}% 时仍为重点"),
    "scoring.low_coverage_note": (
        "Scored on less than half of the model's weight: missing data, treat the score with care.",
        "得分所依据的指标权重不足模型的一半：数据缺失，请谨慎看待。",
    ),
    "scoring.key_rule.top": ("Key accounts: the top {n} by score", "重点客户：得分前 {n} 名"),
    "scoring.key_rule.min_score": ("Key accounts: score of at least {x}", "重点客户：得分不低于 {x}"),
    "scoring.model.builtin": ("Built-in default model", "内置默认模型"),
    "scoring.growth_missing": ("Growth not scored: {why}", "未计入增长：{why}"),
    # the selection matrix
    "scoring.quadrant.invest": ("Invest", "重点投入"),
    "scoring.quadrant.maintain": ("Maintain", "维持"),
    "scoring.quadrant.cash": ("Manage for cash", "控制成本"),
    "scoring.quadrant.reconsider": ("Reconsider", "重新评估"),
    "scoring.quadrant_meaning.invest": (
        "Attractive account, strong position: where key accounts belong (which ones are key is the ranking's "
        "rule). Invest people, money and a full account plan; aim for an interdependent or integrated relationship.",
        "客户吸引力高、我方优势强：重点客户应在此象限（哪些是重点客户由排名规则决定）。投入人员、费用并制定完整的客户计划，"
        "目标是相互依存或一体化的合作关系。",
    ),
    "scoring.quadrant_meaning.maintain": (
        "Less attractive account where we are strong: keep service levels and share, at a controlled cost to serve; "
        "do not over-invest.",
        "客户吸引力较低但我方优势强：保持服务水平与份额，控制服务成本，不过度投入。",
    ),
    "scoring.quadrant_meaning.cash": (
        "Less attractive account, weak position: standard terms, minimal cost to serve (e.g. through distributors); "
        "invest only what pays back quickly.",
        "客户吸引力较低、我方优势弱：采用标准条款，尽量降低服务成本（如通过经销商覆盖），只做能快速回本的投入。",
    ),
    "scoring.quadrant_meaning.reconsider": (
        "Attractive account where we are weak: decide deliberately — invest selectively to build the position, "
        "or stop spending on it.",
        "客户吸引力高但我方优势弱：需要慎重决策——有选择地投入以建立优势，或停止投入。",
    ),
    # refusals
    "scoring.err.json": ("The model file cannot be read as JSON: {why}", "模型文件无法按 JSON 读取：{why}"),
    "scoring.err.model_file": ("The model file {path} cannot be read: {why}", "无法读取模型文件 {path}：{why}"),
    "scoring.err.model_shape": (
        'A model is a JSON object with "name" and a list "criteria".',
        '模型须为包含 "name" 和 "criteria" 列表的 JSON 对象。',
    ),
    "scoring.err.model_name": ("The model needs a name (text).", "模型需要名称（文本）。"),
    "scoring.err.reserved_name": (
        "The name {name} is reserved for the built-in model; choose another name.",
        "名称 {name} 为内置模型保留，请另选名称。",
    ),
    "scoring.err.no_criteria": ("The model has no criteria.", "模型中没有任何指标。"),
    "scoring.err.criterion_shape": (
        'Criterion {n} must be an object with "name" and "weight".',
        '第 {n} 个指标必须是包含 "name" 和 "weight" 的对象。',
    ),
    "scoring.err.unknown_criterion": (
        "Unknown criterion {name}. Known criteria: {known}.",
        "未知指标 {name}。可用指标：{known}。",
    ),
    "scoring.err.duplicate_criterion": ("Criterion {name} appears twice.", "指标 {name} 出现了两次。"),
    "scoring.err.weight": (
        "The weight of {name} must be a number ≥ 0 (got {value}).",
        "{name} 的权重必须是 ≥ 0 的数字（收到 {value}）。",
    ),
    "scoring.err.all_zero": (
        "All weights are 0: give at least one criterion a weight above 0.",
        "所有权重均为 0：请至少为一个指标设置大于 0 的权重。",
    ),
    "scoring.err.direction": (
        'The direction of {name} must be "higher" or "lower" (got {value}).',
        '{name} 的方向必须是 "higher" 或 "lower"（收到 {value}）。',
    ),
    "scoring.err.normalise": (
        'The normalisation of {name} must be "percentile", "minmax" or "scale" (got {value}).',
        '{name} 的标准化方法必须是 "percentile"、"minmax" 或 "scale"（收到 {value}）。',
    ),
    "scoring.err.no_scale": (
        '{name} has no fixed scale, so it cannot use the "scale" normalisation (only {scales} have one): '
        'choose "percentile" or "minmax".',
        '{name} 没有固定刻度，不能使用 "scale" 标准化（只有 {scales} 有）：请选择 "percentile" 或 "minmax"。',
    ),
    "scoring.err.key_rule": (
        'key_rule must be {{"top": N}} with N a whole number ≥ 1, or {{"min_score": X}} with 0 ≤ X ≤ 100 '
        "(got {value}).",
        'key_rule 必须是 {{"top": N}}（N 为 ≥ 1 的整数）或 {{"min_score": X}}（0 ≤ X ≤ 100）（收到 {value}）。',
    ),
    "scoring.err.threshold": (
        "The matrix threshold must be between 0 and 100 (got {value}).",
        "矩阵分界值必须在 0 到 100 之间（收到 {value}）。",
    ),
    "scoring.err.unknown_model": (
        "No scoring model named {name}. Saved models: {known}.",
        "没有名为 {name} 的评分模型。已保存的模型：{known}。",
    ),
    "scoring.err.unknown_version": ("Model {name} has no version {version}.", "模型 {name} 没有版本 {version}。"),
    "scoring.err.top": ("--top must be at least 1.", "--top 至少为 1。"),
    "scoring.err.fit": (
        "Strategic fit of {account} must be a whole number from 1 to 5 (got {value}).",
        "{account} 的战略匹配度必须是 1 到 5 的整数（收到 {value}）。",
    ),
    "scoring.err.unknown_account": (
        "Unknown account {account} (not in the account master nor in the sales).",
        "未知客户 {account}（既不在客户主数据中，也不在销售数据中）。",
    ),
    "scoring.err.csv": ("The file cannot be read as CSV: {why}", "无法按 CSV 读取该文件：{why}"),
    "scoring.err.csv_columns": (
        "The file needs the columns {columns} (found: {found}).",
        "文件需要包含列 {columns}（实际为：{found}）。",
    ),
    "scoring.err.csv_row": ("Row {row}: {why}", "第 {row} 行：{why}"),
    "scoring.err.duplicate_account": ("Account {account} appears twice.", "客户 {account} 出现了两次。"),
    "scoring.err.custom_name": (
        "A custom criterion needs a name of 1 to 60 characters, other than a built-in criterion ({builtin}); "
        "got {name}.",
        "自定义指标名称须为 1 到 60 个字符，且不能与内置指标（{builtin}）重名；收到 {name}。",
    ),
    "scoring.err.unknown_custom": ("No custom criterion named {name}.", "没有名为 {name} 的自定义指标。"),
    "scoring.err.value": (
        "The value of {criterion} for {account} must be a number (got {value}).",
        "{account} 的 {criterion} 数值必须是数字（收到 {value}）。",
    ),
}
