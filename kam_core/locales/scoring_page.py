"""Strings of the scoring page (choosing key accounts); the core's strings are in locales/scoring.py."""

STRINGS: dict[str, tuple[str, str]] = {
    "page.scoring": ("Choosing key accounts", "重点客户评选"),
    "sp.caption": (
        "Score every account on weighted criteria, pick the key accounts, and see how robust the choice is. "
        "The period and filters in the sidebar are the scoring window.",
        "按加权指标为每个客户打分，评选重点客户，并检验评选结果是否稳健。侧边栏中的期间和筛选条件即评分范围。",
    ),
    "sp.window": ("Scoring window: {start} to {end}.", "评分期间：{start} 至 {end}。"),
    "sp.need_user": (
        "Enter your name in the sidebar first: every change is recorded with who made it.",
        "请先在侧边栏填写您的姓名：每次修改都会记录修改人。",
    ),
    # criteria
    "sp.criteria": ("Evaluation criteria and weights", "评价指标与权重"),
    "sp.base": ("Start from model", "基于模型"),
    "sp.base_help": (
        "Weights, directions and the key cut-off below start from this model; changes rank the accounts at once "
        "and are saved only with “Save” further down. Weight 0 leaves a criterion out.",
        "下方的权重、方向和重点客户界限以该模型为起点；修改后排名立即更新，"
        "仅在下方点击“保存”后才会保存。权重为 0 表示不使用该指标。",
    ),
    "sp.weight_help": (
        "0 – 100, relative: weights 2 and 1 count the first twice the second; 0 leaves the criterion out.",
        "0 – 100，相对值：权重 2 与 1 表示前者计入的分量是后者的两倍；0 表示不使用该指标。",
    ),
    "sp.model_active": ("{name} (active)", "{name}（当前启用）"),
    "sp.kind.judgement": ("judgement", "人工判断"),
    "sp.kind.custom": ("custom", "自定义"),
    "sp.definitions": ("How each criterion is measured", "各指标的计算方法"),
    "sp.key_rule": ("Key accounts", "重点客户界限"),
    "sp.key_rule.top": ("Top N by score", "得分前 N 名"),
    "sp.key_rule.min_score": ("Score at least X", "得分不低于 X"),
    "sp.key_top": ("N (accounts)", "N（客户数）"),
    "sp.key_min": ("X (0–100)", "X（0–100）"),
    # ranking
    "sp.ranking": ("Ranking", "排名"),
    "sp.ranking_caption": (
        "{n} accounts scored; {key} key accounts ({rule}). Rank and change are against the active model "
        "({active}); {moved} accounts become or stop being key.",
        "共 {n} 个客户参与评分；重点客户 {key} 个（{rule}）。排名变化以当前启用模型（{active}）为基准；"
        "{moved} 个客户新进或退出重点客户。",
    ),
    "sp.search": ("Search accounts", "搜索客户"),
    "sp.search_hint": ("part of a name", "名称中的部分文字"),
    "sp.search_none": ("No account matches the search.", "没有符合搜索条件的客户。"),
    "sp.page_size": ("Rows per page", "每页行数"),
    "sp.page": ("Page (of {n})", "页码（共 {n} 页）"),
    "sp.col.rank_active": ("Rank in active model", "启用模型中的排名"),
    "sp.col.change": ("Change", "变化"),
    "sp.col.status": ("Key status vs active model", "与启用模型相比的重点客户状态"),
    "sp.status.new_key": ("★ new key", "★ 新进重点"),
    "sp.status.dropped_key": ("✖ dropped key", "✖ 退出重点"),
    "sp.download_csv": ("Download scores (CSV)", "下载评分（CSV）"),
    "sp.download_xlsx": ("Download scores (Excel)", "下载评分（Excel）"),
    # contributions
    "sp.contributions": ("What makes up each score", "得分构成"),
    "sp.contributions_caption": (
        "The top {n} {n:account|accounts}: each bar is the score, split into the contribution of each criterion.",
        "前 {n} 名客户：每根条形为综合得分，按各指标的贡献拆分。",
    ),
    "sp.breakdown_account": ("Breakdown for account", "查看客户得分明细"),
    "sp.breakdown_head": (
        "**{account}** — rank {rank}, score {score}, data coverage {coverage}",
        "**{account}** —— 排名 {rank}，得分 {score}，数据覆盖率 {coverage}",
    ),
    # sensitivity
    "sp.sensitivity": ("How robust is the choice?", "评选结果是否稳健？"),
    "sp.sensitivity_caption": (
        "For each criterion: how many of today's {n} key accounts stay key when only its weight moves -{pct}% "
        "or +{pct}%.",
        "对每个指标：仅将其权重调整 -{pct}% 或 +{pct}% 时，当前 {n} 个重点客户中仍为重点客户的数量。",
    ),
    "sp.sensitivity_none": ("No key accounts under this model.", "该模型下没有重点客户。"),
    "sp.sensitivity_fragile": (
        "Most sensitive: {criterion} — moving its weight changes up to {n} of the key accounts.",
        "最敏感的指标：{criterion} —— 调整其权重时最多有 {n} 个重点客户发生变化。",
    ),
    "sp.col.n_key": ("Key accounts today", "当前重点客户数"),
    # models
    "sp.models": ("Scoring models", "评分模型"),
    "sp.model_name": ("Save the weights above as model", "将上述权重保存为模型"),
    "sp.model_name_help": (
        "Saving an existing name adds a new version; earlier versions are kept.",
        "使用已有名称保存会新增一个版本，旧版本会保留。",
    ),
    "sp.save_activate": ("and make it active", "并设为启用"),
    "sp.save": ("Save model", "保存模型"),
    "sp.saved": ("Saved model {name}, version {version}, by {user}.", "已保存模型 {name} 第 {version} 版（{user}）。"),
    "sp.saved_active": (
        "Saved model {name}, version {version}, by {user}; it is now the active model.",
        "已保存模型 {name} 第 {version} 版（{user}），并已设为启用模型。",
    ),
    "sp.active": ("active", "启用中"),
    "sp.activate_pick": ("Model to make active", "要启用的模型"),
    "sp.activate": ("Make active", "设为启用"),
    "sp.activated": (
        "{name} is now the active model (by {user}); tiers, overview and warnings use it.",
        "{name} 已设为启用模型（{user}）；分级、总览和预警均使用该模型。",
    ),
    "sp.versions": ("Versions of {name} ({n})", "{name} 的版本（{n}）"),
    "sp.col.model": ("Model", "模型"),
    "sp.col.active": ("Active", "启用"),
    "sp.col.version": ("Version", "版本"),
    "sp.col.versions": ("Versions", "版本数"),
    "sp.col.saved_by": ("Saved by", "保存人"),
    "sp.col.saved_at": ("Saved at", "保存时间"),
    "sp.col.weights": ("Weights", "权重"),
    # strategic fit
    "sp.fit": ("Strategic fit (judgement, 1–5)", "战略匹配度（人工判断，1–5）"),
    "sp.fit_help": (
        "Type a fit from 1 (poor) to 5 (excellent) for the top {n} accounts, or upload a CSV for any account. "
        "An empty cell clears it.",
        "为前 {n} 名客户填写 1（差）至 5（很好）的匹配度，或上传 CSV 为任意客户设置。单元格留空即清除。",
    ),
    "sp.fit_save": ("Save strategic fit", "保存战略匹配度"),
    "sp.fit_saved": (
        "Strategic fit saved for {n} {n:account|accounts} by {user}.",
        "已保存 {n} 个客户的战略匹配度（{user}）。",
    ),
    "sp.fit_upload": (
        "Or upload a CSV with columns account, strategic_fit",
        "或上传包含 account、strategic_fit 列的 CSV",
    ),
    "sp.fit_upload_help": (
        "One row per account; any bad row refuses the whole file.",
        "每个客户一行；任何一行有误则整个文件不予导入。",
    ),
    "sp.fit_import": ("Import strategic fit", "导入战略匹配度"),
    # custom criteria
    "sp.custom": ("Custom criteria", "自定义指标"),
    "sp.custom_help": (
        "A criterion of your own (e.g. a survey score): define it, then type or upload its value per account. "
        "It appears in the criteria table above with weight 0 until you give it a weight.",
        "您自己的指标（如调研得分）：先定义，再逐个客户填写或上传数值。"
        "定义后会出现在上方指标表中，权重为 0，设置权重后才参与评分。",
    ),
    "sp.custom_name": ("Name", "名称"),
    "sp.custom_desc": ("What it measures (shown as its definition)", "指标含义（作为其定义显示）"),
    "sp.custom_define": ("Define criterion", "定义指标"),
    "sp.custom_defined": ("Criterion {n} defined by {user}.", "已定义指标 {n}（{user}）。"),
    "sp.custom_none": ("No custom criteria yet.", "尚无自定义指标。"),
    "sp.custom_pick": ("Values of", "填写数值的指标"),
    "sp.custom_save": ("Save values", "保存数值"),
    "sp.custom_saved": ("{n} {n:value|values} saved by {user}.", "已保存 {n} 个数值（{user}）。"),
    "sp.custom_delete": ("Delete {name}", "删除 {name}"),
    "sp.custom_deleted": ("Criterion {n} deleted by {user}.", "已删除指标 {n}（{user}）。"),
    "sp.custom_upload": ("Or upload a CSV with columns account, value", "或上传包含 account、value 列的 CSV"),
    "sp.custom_upload_help": (
        "Replaces all values of this criterion; any bad row refuses the whole file.",
        "将替换该指标的全部数值；任何一行有误则整个文件不予导入。",
    ),
    "sp.custom_import": ("Import values", "导入数值"),
    # matrix
    "sp.matrix": ("Selection matrix", "客户选择矩阵"),
    "sp.matrix_caption": (
        "How attractive each account is (x) against how strong our position with it is (y), both 0–100 and "
        "scored like the composite; bubble size = revenue.",
        "横轴为客户吸引力，纵轴为我方优势，均为 0–100，计算方法与综合得分相同；气泡大小表示销售额。",
    ),
    "sp.matrix_a_th": ("Attractiveness threshold", "吸引力分界值"),
    "sp.matrix_s_th": ("Strength threshold", "优势分界值"),
    "sp.matrix_labels": ("Number the largest N accounts", "为销售额最大的 N 个客户编号"),
    "sp.matrix_numbered": ("Numbered bubbles, largest revenue first:", "编号气泡（按销售额从大到小）："),
    "sp.matrix_need": (
        "Choose at least one criterion for each axis.",
        "请为两个坐标轴各选择至少一个指标。",
    ),
    "sp.matrix_capped": (
        "Showing the {n} largest accounts by revenue of {total}; the quadrant table counts all of them.",
        "共 {total} 个客户，图中显示销售额最大的 {n} 个；象限表统计全部客户。",
    ),
    "sp.quadrant_count": ("{n} {n:account|accounts}, {revenue}", "{n} 个客户，{revenue}"),
    "sp.dir_short.higher": ("↑ higher", "↑ 越高"),
    "sp.dir_short.lower": ("↓ lower", "↓ 越低"),
    "sp.norm_short.percentile": ("percentile", "百分位"),
    "sp.norm_short.minmax": ("min–max", "极差法"),
    "sp.norm_short.scale": ("own scale", "自身刻度"),
    "sp.col.accounts": ("Accounts", "客户数"),
}
