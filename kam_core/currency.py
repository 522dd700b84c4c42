"""The currency figures are shown in (setting ``display.currency``, an ISO 4217 code).

Amounts are stored as uploaded; the currency only changes how they are written: the symbol
and, with the language, the grouping (万 / 亿 for Chinese, K / M / B for English).
"""

from __future__ import annotations

import math

# ISO code → (symbol, English name, Chinese name). Symbols as people expect them in front of
# a figure; a code not listed is written as the code itself ("CHF 1.2 M").
CURRENCIES: dict[str, tuple[str, str, str]] = {
    "CNY": ("¥", "Chinese yuan", "人民币"),
    "HKD": ("HK$", "Hong Kong dollar", "港币"),
    "TWD": ("NT$", "New Taiwan dollar", "新台币"),
    "USD": ("$", "US dollar", "美元"),
    "EUR": ("€", "Euro", "欧元"),
    "GBP": ("£", "Pound sterling", "英镑"),
    "JPY": ("JP¥", "Japanese yen", "日元"),
    "KRW": ("₩", "South Korean won", "韩元"),
    "SGD": ("S$", "Singapore dollar", "新加坡元"),
    "AUD": ("A$", "Australian dollar", "澳元"),
    "CAD": ("C$", "Canadian dollar", "加元"),
    "INR": ("₹", "Indian rupee", "印度卢比"),
    "THB": ("฿", "Thai baht", "泰铢"),
    "MYR": ("RM", "Malaysian ringgit", "马来西亚林吉特"),
    "VND": ("₫", "Vietnamese dong", "越南盾"),
}
DEFAULT = "CNY"


def symbol(code: str) -> str:
    c = CURRENCIES.get(code.upper())
    return c[0] if c else f"{code.upper()} "


def name(code: str, lang: str = "en") -> str:
    c = CURRENCIES.get(code.upper())
    if not c:
        return code.upper()
    return c[2] if lang == "zh" else c[1]


def valid_code(code: object) -> bool:
    return isinstance(code, str) and len(code.strip()) == 3 and code.strip().isalpha()


def money(v: float | None, lang: str = "en", code: str = DEFAULT) -> str:
    """A figure for people: ¥1.2 M / ¥120万 / £3.4 K; '–' for a missing value."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    s = symbol(code)
    v = float(v)
    a = abs(v)
    sign = "-" if v < 0 else ""
    if lang == "zh":
        if a >= 1e8:
            return f"{sign}{s}{a / 1e8:,.2f}亿"
        if a >= 1e6:
            return f"{sign}{s}{a / 1e4:,.0f}万"
        if a >= 1e4:
            return f"{sign}{s}{a / 1e4:,.1f}万"
        return f"{sign}{s}{a:,.0f}"
    for div, suf in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if a >= div:
            return f"{sign}{s}{a / div:,.1f} {suf}"
    return f"{sign}{s}{a:,.0f}"


def exact(v: float | None, code: str = DEFAULT) -> str:
    """The full amount with cents, for tables and the CLI's text output: ¥1,234,567.89."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    sign = "-" if v < 0 else ""
    return f"{sign}{symbol(code)}{abs(v):,.2f}"


def current(db) -> str:
    """The configured currency code (setting display.currency)."""
    from kam_core import settings

    return settings.get(db, "display.currency")
