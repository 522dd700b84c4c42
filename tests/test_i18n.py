"""Every visible string comes from the catalog, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from kam_core.i18n import CATALOG, t

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*ROOT.glob("app.py"), *ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("kam_core/**/*.py")]


def test_every_entry_has_both_languages() -> None:
    for key, (en, zh) in CATALOG.items():
        assert en.strip() and zh.strip(), key
        # Chinese text must actually be Chinese (or a symbol-only label like "MoM"-free numbers)
        assert re.search(r"[\u4e00-\u9fff（]", zh), f"{key}: {zh!r} is not translated"


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for p in SOURCES:
        used |= set(re.findall(r"""\btr?\(\s*["']([a-z0-9_]+\.[A-Za-z0-9_.]+)["']""", p.read_text(encoding="utf-8")))
    assert used, "no catalog keys found in the sources"
    missing = sorted(k for k in used if k not in CATALOG)
    assert not missing, missing


def test_format_placeholders_match() -> None:
    for key, (en, zh) in CATALOG.items():
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", zh)), key
    assert t("overview.caption", "zh", month="2026-10").startswith("2026-10")


def test_english_chooses_the_word_that_goes_with_a_count() -> None:
    assert t("plp.overdue", "en", n=1, items="A1") == "1 action overdue: A1"
    assert t("plp.overdue", "en", n=2, items="A1, A2") == "2 actions overdue: A1, A2"
    assert t("plp.overdue", "en", n="1,001", items="…").startswith("1,001 actions")  # counts written for people
    assert t("plp.overdue", "zh", n=1, items="A1") == "1 项行动已逾期：A1"
    assert t("upload.err.rejected_rows", "en", n=1).startswith("1 row was rejected")
    assert t("pareto.non_positive_note", "en", n="1", dims="account", metric="revenue", value="-¥120").startswith(
        "1 account with zero or negative revenue (together -¥120) is left out"
    )
    for key, (en, _zh) in CATALOG.items():  # every choice names a placeholder the text is given
        for name in re.findall(r"{(\w+):[^{}|]*\|", en):
            assert "{" + name + "}" in en, key
