"""Why a comparison is not shown as a number (kam_core.coverage)."""

STRINGS: dict[str, tuple[str, str]] = {
    "coverage.prior_year": ("prior year: data for {n} of {of} months", "去年同期：{of} 个月中仅 {n} 个月有数据"),
    "coverage.prior_month": ("previous month: data for {n} of {of} months", "上月：{of} 个月中仅 {n} 个月有数据"),
    "coverage.preceding": (
        "preceding period: data for {n} of {of} months",
        "上一期间：{of} 个月中仅 {n} 个月有数据",
    ),
    "coverage.prior_year_missing": ("no data for {month} a year earlier", "去年同月（{month}）无数据"),
    "coverage.prior_month_missing": ("no data for the month before ({month})", "上月（{month}）无数据"),
    "coverage.preceding_missing": ("no data for {month}", "{month} 无数据"),
    "coverage.current": ("this period: data for {n} of {of} months", "本期：{of} 个月中仅 {n} 个月有数据"),
    "coverage.partial": ("{month} is partial: data through {date}", "{month} 数据不完整：截至 {date}"),
    "coverage.no_window": ("no period to compare", "没有可比较的期间"),
    # shown by the pages in place of a growth figure
    "coverage.no_growth": ("{what} not shown: {reason}", "未显示{what}：{reason}"),
    "coverage.incomplete_periods": (
        "periods with a month without data or partial (not used for the change): {periods}",
        "含无数据月份或数据不完整的期间（不用于比较变化）：{periods}",
    ),
    "coverage.migration": (
        "new / lost may partly reflect missing data: {reason}",
        "“新增 / 流失”可能部分源于数据缺失：{reason}",
    ),
}
