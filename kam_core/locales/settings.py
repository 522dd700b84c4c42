"""Strings of the settings registry and the settings command."""

STRINGS: dict[str, tuple[str, str]] = {
    "settings.err.unknown": (
        "There is no setting '{key}'. Known settings: {known}.",
        "没有名为“{key}”的设置。可用的设置：{known}。",
    ),
    "settings.err.type": (
        "{key}: '{value}' is not a valid {type}.",
        "{key}：“{value}”不是有效的 {type} 值。",
    ),
    "settings.err.min": ("{key}: {value} is below the minimum {min}.", "{key}：{value} 小于最小值 {min}。"),
    "settings.err.max": ("{key}: {value} is above the maximum {max}.", "{key}：{value} 大于最大值 {max}。"),
    "settings.err.empty_list": ("{key}: the list cannot be empty.", "{key}：列表不能为空。"),
    "settings.err.currency": (
        "{key}: '{value}' is not a currency code (three capital letters, e.g. CNY, USD, GBP).",
        "{key}：“{value}”不是货币代码（三个大写字母，如 CNY、USD、GBP）。",
    ),
    "settings.saved": ("{key} set to {value}.", "{key} 已设为 {value}。"),
}
