"""Number formatting for people: money in 万 / 亿 for Chinese, K / M / B for English."""

from __future__ import annotations

import math
import re

# What makes markup inline: emphasis, code, links / images, HTML, tables, strike, maths and
# Streamlit's ":color[…]" / ":emoji:" directives. ("-", "." and "#" only matter at a line start.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~$:])")


def md(text: object) -> str:
    """Text from data (account names, headers, user names) made literal for st.markdown-based elements.

    Streamlit renders captions, alerts and markdown as Markdown: an account named
    ``![x](http://host/p.png)`` would otherwise load an outside image or plant a link.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def money(v: float | None, lang: str = "en") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    v = float(v)
    a = abs(v)
    if lang == "zh":
        if a >= 1e8:
            return f"¥{v / 1e8:,.2f}亿"
        if a >= 1e6:
            return f"¥{v / 1e4:,.0f}万"
        if a >= 1e4:
            return f"¥{v / 1e4:,.1f}万"
        return f"¥{v:,.0f}"
    for div, suf in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if a >= div:
            return f"¥{v / div:,.1f} {suf}"
    return f"¥{v:,.0f}"


def pct(v: float | None, digits: int = 1, signed: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v * 100:+.{digits}f} %" if signed else f"{v * 100:.{digits}f} %"


def count(v: float | None) -> str:
    return "–" if v is None else f"{v:,.0f}"
