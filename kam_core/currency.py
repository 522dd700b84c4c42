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


def money(v: float | None, lang: str = "en", code: str = DEFAULT, digits: int | None = None) -> str:
    """A figure for people: ¥1.2 M / ¥120万 / £3.4 K; '–' for a missing value.

    ``digits``: decimals of the figure in its unit instead of the usual ones (see :func:`pair_digits`).
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    s = symbol(code)
    v = float(v)
    a = abs(v)
    sign = "-" if v < 0 else ""
    div, suffix, usual = _unit(a, lang)
    d = usual if digits is None or div == 1 else digits
    return f"{sign}{s}{a / div:,.{d}f}{suffix}"


def _unit(a: float, lang: str) -> tuple[float, str, int]:
    """(divisor, suffix, usual decimals) :func:`money` writes the amount ``a`` (≥ 0) in."""
    if lang == "zh":
        for floor, div, suf, d in ((1e8, 1e8, "亿", 2), (1e6, 1e4, "万", 0), (1e4, 1e4, "万", 1)):
            if a >= floor:
                return div, suf, d
        return 1.0, "", 0
    for div, suf in ((1e9, " B"), (1e6, " M"), (1e3, " K")):
        if a >= div:
            return div, suf, 1
    return 1.0, "", 0


def pair_digits(a: float, b: float, lang: str = "en") -> int | None:
    """Decimals that make two amounts shown side by side ("before → after") differ as much as they do:
    ¥3.03 B → ¥3.10 B for a change of ¥73.7 M, not ¥3.0 B → ¥3.1 B. None: the usual decimals suffice."""
    big = max(abs(float(a)), abs(float(b)))
    div, _, usual = _unit(big, lang)
    diff = abs(float(a) - float(b))
    if div == 1 or diff == 0:
        return None
    need = math.ceil(-math.log10(diff / div)) if diff < div else 0
    return min(max(need, usual), 3) if need > usual else None


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
