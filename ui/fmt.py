"""Number formatting for people: money in 万 / 亿 for Chinese, K / M / B for English, in the configured currency."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kam_core import currency

# What makes markup inline: emphasis, code, links / images, HTML, tables, strike, maths and
# Streamlit's ":color[…]" / ":emoji:" directives. ("-", "." and "#" only matter at a line start.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~$:/@])")
_WWW = re.compile(r"(?i)\b(www)\.")  # "www.host.com" is linked by GFM without any markup character
# Bidirectional controls (U+202E shows a name reversed) and line breaks (a "# " or "- " at a line start).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
_CURRENCY_KEY = "_currency"  # set once per run by app.py (ui.data.currency_code)


def md(text: object) -> str:
    """Text from data (account names, headers, user names) made literal for st.markdown-based elements.

    Streamlit renders captions, alerts and markdown as Markdown: an account named
    ``![x](http://host/p.png)`` would otherwise load an outside image or plant a link. Bare addresses
    (``http://…``, ``www.…``, ``a@b.c``) are broken up so they are not linked either; bidirectional controls
    are dropped and line breaks become spaces.
    """
    s = _BREAKS.sub(" ", _BIDI.sub("", str(text)))
    return _WWW.sub(r"\1\\.", _MD_SPECIAL.sub(r"\\\1", s))


def set_currency(code: str) -> None:
    """The currency of this run's figures (app.py, from the display.currency setting)."""
    st.session_state[_CURRENCY_KEY] = code


def currency_code() -> str:
    """The currency of the running page; the default (CNY) outside a Streamlit run (tests, scripts)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return currency.DEFAULT
    return str(st.session_state.get(_CURRENCY_KEY, currency.DEFAULT))


def symbol() -> str:
    """The currency symbol in front of figures ("¥", "£", "HK$"; "CHF " for a code with no symbol)."""
    return currency.symbol(currency_code())


def money(v: float | None, lang: str = "en", code: str | None = None, digits: int | None = None) -> str:
    """A figure for people in the configured currency (``code`` overrides it): ¥1.2 M, £120万.

    ``digits``: decimals in the unit, for two amounts shown side by side (``currency.pair_digits``)."""
    return currency.money(v, lang, code or currency_code(), digits)


def pct(v: float | None, digits: int = 1, signed: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v * 100:+.{digits}f}%" if signed else f"{v * 100:.{digits}f}%"


def count(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.0f}"


def province(name: str, lang: str = "en") -> str:
    """A province in the reader's language: 广东 in Chinese, Guangdong in English (a name the map does not know
    stays as written)."""
    from kam_core.geo import province_zh

    return province_zh(name) if lang == "zh" else name


def join(items: Iterable[str], lang: str = "en") -> str:
    """Items of a sentence's list: "a, b" in English, "a，b" in Chinese."""
    return ("，" if lang == "zh" else ", ").join(items)
