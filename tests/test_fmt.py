"""Display formatting: money in the user's units, data text kept literal in Markdown elements."""

from __future__ import annotations

import re

from ui.fmt import md, money, pct


def test_money_units_per_language() -> None:
    assert money(255_196_487.22, "en") == "¥255.2 M"
    assert money(255_196_487.22, "zh") == "¥2.55亿"
    assert money(81_769_735, "zh") == "¥8,177万"
    assert money(None) == "–"
    assert pct(0.8195, signed=True) == "+82.0%"


def test_data_text_cannot_become_markup() -> None:
    for evil in ("![x](http://host/p.png)", "[click](http://x)", ":red[alarm]", "**bold** `code` <b>x</b>"):
        safe = md(evil)
        # every markup character is preceded by a backslash
        assert not re.search(r"(?<!\\)[\[\]*`<>:!]", safe), safe
    assert md("家乐福 C-001 (Shanghai)") == "家乐福 C-001 (Shanghai)"  # ordinary names unchanged
