"""Strings of the app shell and shared page helpers: settings box, empty charts, missing dimensions, placeholders."""

STRINGS: dict[str, tuple[str, str]] = {
    # settings box (sidebar)
    "ui.settings": ("Settings", "设置"),
    "ui.rows_capped": (
        "Showing the first {shown} of {n} rows; the download holds them all.",
        "显示前 {shown} 行（共 {n} 行）；下载文件包含全部行。",
    ),
    "ui.currency": ("Currency of the figures", "金额币种"),
    "ui.currency_placeholder": ("Choose or type a code (e.g. CHF)", "选择或输入代码（如 CHF）"),
    "ui.currency_save": ("Save", "保存"),
    "ui.currency_saved": ("Figures are now shown in {name} ({code}).", "金额现以{name}（{code}）显示。"),
    "ui.need_user": (
        "Enter your name in the sidebar first: every change is recorded with it.",
        "请先在侧边栏填写您的姓名：每次修改都会记录。",
    ),
    # empty charts
    "ui.chart_fullscreen": ("View fullscreen", "全屏查看"),
    "ui.chart_empty": (
        "Nothing to draw: there are no figures for this selection. Widen the period or clear some filters.",
        "没有可绘制的内容：当前筛选条件下没有数据。请扩大期间或清除部分筛选。",
    ),
    # missing dimensions (kam_core.analytics.dimensions)
    "ui.no_channel": (
        "This data has no channel: map a column to “channel” when uploading, or upload a channel list "
        "(account formats), to see the channel split.",
        "当前数据没有渠道信息：请在上传时将某一列映射为“渠道”，或上传渠道清单（客户业态），即可查看渠道结构。",
    ),
    "ui.channel_partial": (
        "{share} of the revenue comes from sales lines without a channel; they are shown as “(none)”.",
        "{share} 的销售额来自没有渠道的销售记录，显示为“（无）”。",
    ),
    "ui.no_store": (
        "This data has no store column: store counts are not known, so none are shown. The tiers use the "
        "provinces seen in the sales lines (one store assumed per province). Map a store column when uploading, "
        "or upload a store list, to see store counts.",
        "当前数据没有门店列：门店数未知，因此不显示。分级依据销售记录中出现的省份（每个省份按一家门店计）。"
        "上传时映射门店列或上传门店清单，即可查看门店数。",
    ),
    # the store counts' sources: the parts with at least one account, joined (", " / "，")
    "ui.stores_source": ("Store counts: {parts}.", "门店数来源：{parts}。"),
    "ui.stores_source.master": ("from the store list for {n} {n:account|accounts}", "{n} 个客户来自门店清单"),
    "ui.stores_source.sales": (
        "counted from the store codes in the sales lines for {n} {n:account|accounts}",
        "{n} 个客户按销售记录中的门店代码统计",
    ),
    "ui.stores_source.none": ("unknown for {n} {n:account|accounts}", "{n} 个客户未知"),
    # widget placeholders
    "ui.choose": ("Choose…", "请选择…"),
    "ui.choose_account": ("Choose an account", "请选择客户"),
    "ui.choose_many": ("Choose one or more", "选择一项或多项"),
    "ui.no_options": ("Nothing to choose from", "没有可选项"),
    # account picker (ui.widgets.account_picker): a text field narrows a long list of accounts
    "ui.pick_find": ("Find an account", "查找客户"),
    "ui.pick_hint": ("Type part of an account code or name", "输入客户代码或名称的一部分"),
    "ui.pick_capped": (
        "Showing {shown} of {n} accounts — type to narrow.",
        "显示 {shown} 个客户（共 {n} 个）— 输入文字以缩小范围。",
    ),
    "ui.pick_many": (
        "Showing {shown} of the {m} accounts matching “{q}” (of {n}) — type more to narrow.",
        "显示与“{q}”匹配的 {m} 个客户中的 {shown} 个（共 {n} 个）— 继续输入以缩小范围。",
    ),
    "ui.pick_found": ("{m} of {n} accounts match “{q}”.", "{n} 个客户中有 {m} 个与“{q}”匹配。"),
    "ui.pick_none": (
        "No account matches “{q}” (of {n}). Try part of the code or the name.",
        "没有与“{q}”匹配的客户（共 {n} 个）。请尝试输入代码或名称的一部分。",
    ),
}
