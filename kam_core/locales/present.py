"""Presentation mode (ui/present.py): the toggle, next / previous, the way out."""

STRINGS: dict[str, tuple[str, str]] = {
    "present.toggle": ("Presentation mode", "汇报模式"),  # (演示 is the demo data's word)
    "present.toggle_help": (
        "For a projector: hides the sidebar and the editing controls, enlarges text and charts, and steps through "
        "a page's sections with next / previous (or the → / ← keys). The filters and language stay as set.",
        "用于投影：隐藏侧边栏和编辑控件，放大文字和图表，并通过“下一步 / 上一步”（或 → / ← 键）逐节展示页面。"
        "筛选条件和语言保持不变。",
    ),
    "present.exit": ("Exit presentation", "退出汇报模式"),
    "present.previous": ("Previous", "上一步"),
    "present.next": ("Next", "下一步"),
    "present.step": ("Section {i} of {n}", "第 {i} 节，共 {n} 节"),
    "present.summary": ("Key figures", "关键指标"),
    "present.no_filters": ("No data yet.", "暂无数据。"),
    "present.editing_hidden": (
        "This page is for editing, which is hidden while presenting. Exit presentation to use it.",
        "此页面用于编辑，汇报时隐藏。请退出汇报模式后使用。",
    ),
}
