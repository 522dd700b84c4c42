"""Strings of the channel and region pages (issue 6)."""

STRINGS: dict[str, tuple[str, str]] = {
    # channels page
    "channels.grain": ("Period", "周期"),
    "channels.grain_month": ("Month", "月"),
    "channels.grain_quarter": ("Quarter", "季度"),
    "channels.grain_year": ("Year", "年"),
    "channels.view": ("Split by", "拆分维度"),
    "channels.view_channel": ("Channel", "渠道"),
    "channels.view_segment": ("Trade segment", "渠道类型"),
    "channels.chart": ("Chart", "图表"),
    "channels.chart_area": ("Area", "面积图"),
    "channels.chart_bar": ("Bars", "柱状图"),
    "channels.share_over_time": ("Channel share over time (100%)", "渠道份额变化（100%堆积）"),
    "channels.segment_note": (
        "Modern trade split by the account's key-account tier (GKA / NKA / LKA; other modern trade = "
        "modern-trade channel, account not a key account), against traditional trade (traditional, wholesale, "
        "distributor) and other channels (online, other).",
        "现代渠道按客户的重点客户级别拆分（GKA / NKA / LKA；其他现代渠道 = 现代渠道但客户不是重点客户），"
        "对比传统渠道（传统、批发、经销商）和其他渠道（电商、其他）。",
    ),
    "channels.segment_GKA": ("GKA – global key accounts", "GKA 全国性国际连锁"),
    "channels.segment_NKA": ("NKA – national key accounts", "NKA 全国性连锁"),
    "channels.segment_LKA": ("LKA – local key accounts", "LKA 地方性连锁"),
    "channels.segment_modern_other": ("Other modern trade", "其他现代渠道"),
    "channels.segment_traditional": ("Traditional trade", "传统渠道"),
    "channels.segment_other": ("Other channels", "其他渠道"),
    "channels.code_other": ("Other (unmapped)", "其他（未映射）"),
    "channels.partial": (
        "Only part of these periods is in the selected range: {periods}.",
        "以下周期只有部分月份在所选期间内：{periods}。",
    ),
    "channels.table": ("Shares as a table", "份额明细表"),
    "channels.by_region": ("Channel share by region", "各大区渠道份额"),
    "channels.no_region": ("(no region)", "（无大区）"),
    "channels.growth": ("Growth per channel (YoY)", "各渠道增长（同比）"),
    "channels.growth_caption": (
        "{cur} compared with the same months a year earlier ({base}).",
        "{cur} 与去年同期（{base}）比较。",
    ),
    "channels.no_prior": ("No sales a year earlier to compare with.", "去年同期没有可比较的销售数据。"),
    "channels.share_change": ("Share change", "份额变化"),
    "channels.mix_shift": ("Mix shift: what changed total revenue", "结构变化：总销售额变动的来源"),
    "channels.compare_with": ("Compare with", "比较基准"),
    "channels.compare_year": ("Same months a year earlier", "去年同期"),
    "channels.compare_preceding": ("Preceding period of the same length", "上一个等长期间"),
    "channels.base_total": ("Base {period}", "基期 {period}"),
    "channels.current_total": ("Current {period}", "本期 {period}"),
    "channels.mix_caption": (
        "Total change {change} from {base} to {cur}. Each bar is one channel's change; the bars add up to the total "
        "change. Growth effect = what the channel would have added growing at the total rate; mix effect = the rest "
        "(share won or lost); mix effects add up to zero.",
        "从 {base} 到 {cur} 总变动 {change}。每根柱为一个渠道的变动，各柱之和等于总变动。"
        "增长效应 = 该渠道按总体增速增长应带来的变动；结构效应 = 其余部分（份额的得失），各渠道结构效应之和为零。",
    ),
    "channels.col_base": ("Base", "基期"),
    "channels.col_current": ("Current", "本期"),
    "channels.col_change": ("Change", "变动"),
    "channels.col_growth_effect": ("Growth effect", "增长效应"),
    "channels.col_mix_effect": ("Mix effect", "结构效应"),
    "channels.help_growth_effect": ("Base revenue × the total growth rate.", "基期销售额 × 总体增长率。"),
    "channels.help_mix_effect": (
        "Change minus growth effect: revenue from gaining or losing share.",
        "变动减去增长效应：份额得失带来的销售额。",
    ),
    "channels.unmapped": (
        "{n} channel {n:name|names} in the data {n:is|are} not mapped to a channel and count as Other: {names}. "
        "Map them under “Channel mapping” below.",
        "数据中有 {n} 个渠道名称未映射，计入“其他”：{names}。请在下方“渠道映射”中设置。",
    ),
    "channels.mapping_title": ("Channel mapping (settings)", "渠道映射（设置）"),
    "channels.mapping_help": (
        "Channel names as they appear in uploads, and the channel each one counts as. Common English and Chinese "
        "names are recognised automatically; change a row and save to override. Saved with your name.",
        "上传数据中的渠道名称及其归属渠道。常见的中英文名称会自动识别；修改后保存即可覆盖。保存时记录您的姓名。",
    ),
    "channels.col_raw": ("Name in the data", "数据中的名称"),
    "channels.col_code": ("Counts as", "归入渠道"),
    "channels.col_source": ("Source", "来源"),
    "channels.source_saved": ("saved mapping", "已保存的映射"),
    "channels.source_builtin": ("recognised", "自动识别"),
    "channels.source_unmapped": ("not mapped", "未映射"),
    "channels.mapping_save": ("Save channel mapping", "保存渠道映射"),
    "channels.mapping_saved": ("Channel mapping saved ({n} custom entries).", "渠道映射已保存（{n} 条自定义）。"),
    "channels.need_user": (
        "Enter your name in the sidebar first: every change is recorded with it.",
        "请先在侧边栏输入您的姓名：每次修改都会记录。",
    ),
    "channels.err.unknown_code": (
        "Unknown channel code: {items}. Each name must count as one of: {codes}.",
        "未知的渠道代码：{items}。每个名称必须归入以下渠道之一：{codes}。",
    ),
    # regions page
    "regions.metric": ("Show", "显示"),
    "regions.metric_revenue": ("Revenue", "销售额"),
    "regions.metric_share": ("Share of the account", "占该客户比例"),
    "regions.metric_yoy": ("YoY growth", "同比增长"),
    "regions.top": ("Largest accounts", "最大客户数"),
    "regions.ka_only": ("Key accounts only (GKA / NKA / LKA)", "仅重点客户（GKA / NKA / LKA）"),
    "regions.matrix": ("Key accounts × regions", "重点客户 × 大区"),
    "regions.matrix_caption_revenue": (
        "{n} {n:account|accounts}, largest first: our revenue with each account in each region over the selected "
        "period.",
        "{n} 个客户（按规模排序）：所选期间内每个客户在各大区的销售额。",
    ),
    "regions.matrix_caption_share": (
        "{n} {n:account|accounts}, largest first: each region's share of the account's revenue (rows add up to 100%).",
        "{n} 个客户（按规模排序）：各大区占该客户销售额的比例（每行合计 100%）。",
    ),
    "regions.matrix_caption_yoy": (
        "{n} {n:account|accounts}, largest first: growth in each region against the same months a year earlier.",
        "{n} 个客户（按规模排序）：各大区与去年同期相比的增长。",
    ),
    "regions.table": ("Matrix as a table", "矩阵明细表"),
    "regions.account_total": ("Account total", "客户合计"),
    "regions.account_view": ("One account across the regions", "单个客户的大区分布"),
    "regions.by_region": ("By region", "按大区"),
    "regions.by_province": ("By province", "按省份"),
    "regions.trend": ("Monthly trend by region", "各大区月度趋势"),
    "regions.stores": ("Stores", "门店数"),
    "regions.province": ("Province", "省份"),
    "regions.no_region": ("(no region)", "（无大区）"),
    "regions.no_province": ("(no province)", "（无省份）"),
    "regions.whitespace": ("Whitespace: stores where we sell little", "空白机会：有门店但销售偏低"),
    "regions.ws_threshold": (
        "Below this share of the account's median sales per store",
        "低于该客户单店销售中位数的比例",
    ),
    "regions.ws_caption": (
        "A province is whitespace when the account has stores there but our sales per store there are below "
        "{pct}% of the account's median (the median of our sales per store over all its provinces with stores). "
        "Gap = what the province would sell at the median per store, minus what it sold.",
        "若该客户在某省有门店，但我们的单店销售低于其所有有门店省份单店销售中位数的 {pct}%，即为空白机会。"
        "差距 = 按中位数单店水平计算的销售额减去实际销售额。",
    ),
    "regions.no_stores": (
        "No stores on record for {account}: upload a store list to see whitespace.",
        "没有 {account} 的门店记录：请上传门店清单以查看空白机会。",
    ),
    "regions.no_whitespace": (
        "No province below {pct}% of the median sales per store.",
        "没有省份低于单店销售中位数的 {pct}%。",
    ),
    "regions.per_store": ("Sales per store", "单店销售"),
    "regions.ws_index": ("Of median", "相对中位数"),
    "regions.ws_gap": ("Gap", "差距"),
    "regions.map_title": ("Province → region mapping (settings)", "省份 → 大区映射（设置）"),
    "regions.map_help": (
        "Which sales region each province belongs to. Region figures on the channel and region pages (and "
        "their region filter) follow this map; lines whose province is unknown keep the region they were "
        "uploaded with. Saved with your name.",
        "每个省份所属的销售大区。渠道页和大区页的大区数据（及大区筛选）按此映射计算；"
        "省份无法识别的数据沿用上传时的大区。保存时记录您的姓名。",
    ),
    "regions.default_region": ("Default", "默认"),
    "regions.map_save": ("Save region mapping", "保存大区映射"),
    "regions.map_reset": ("Restore the defaults", "恢复默认"),
    "regions.map_saved": ("Region mapping saved.", "大区映射已保存。"),
    "regions.err.unknown": (
        "Unknown province or region: {items}. Regions are: {regions}.",
        "未知的省份或大区：{items}。可用的大区：{regions}。",
    ),
}
