"""Names of the channel / format codes (kam_core.vocab), both languages."""

STRINGS: dict[str, tuple[str, str]] = {
    "channel.hypermarket": ("Hypermarket", "大卖场"),
    "channel.supermarket": ("Supermarket", "超市"),
    "channel.convenience": ("Convenience", "便利店"),
    "channel.cash_and_carry": ("Cash & carry", "仓储批发"),
    "channel.department": ("Department store", "百货"),
    "channel.warehouse_club": ("Warehouse club", "会员店"),
    "channel.traditional": ("Traditional trade", "传统渠道"),
    "channel.wholesale": ("Wholesale", "批发"),
    "channel.distributor": ("Distributor", "经销商"),
    "channel.online": ("Online", "电商"),
    "channel.": ("(none)", "（无）"),
}
