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
