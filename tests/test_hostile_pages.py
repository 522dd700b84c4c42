"""Text from data is always text: hostile account, file and user names on every page (figures and Markdown)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.db import Database, close_all
from tests.apptest import charts, open_page

EVIL_ACCOUNTS = ['<a href="http://evil.example/x">Click</a>', '<span style="font-size:60px;color:red">Big</span>',
                 "\u202eREVO", "A&B <b>"]  # fmt: skip
EVIL_FILE = "![x](http://host/x.png).csv"
EVIL_USER = "[me](http://host) ![i](http://host/i.png)"
PAGES = ["overview", "pareto", "tiers", "channels", "regions", "scoring", "upload"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


@pytest.fixture
def hostile_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    close_all()
    path = tmp_path / "hostile.duckdb"
    db = Database(path)
    lines = ["period,account,province,channel,revenue,gross_profit,store"]
    for m in range(1, 13):
        for i, a in enumerate(EVIL_ACCOUNTS):
            name = '"' + a.replace('"', '""') + '"'
            lines.append(f"2025-{m:02d},{name},{['Henan', 'Shanghai', 'Guangdong', 'Sichuan'][i]},hypermarket,"
                         f"{1000 * (i + 1) + m},{100 * (i + 1)},S{i}")  # fmt: skip
    f = tmp_path / "upload.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with ingest.stage(f, file_name=EVIL_FILE, db=db) as st:
        ingest.commit(db, st, EVIL_USER)
    db.close()
    monkeypatch.setenv("KAM_DB", str(path))
    monkeypatch.setenv("KAM_USER", EVIL_USER)
    yield path
    close_all()


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() if k != "template" for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


@pytest.mark.parametrize("page", PAGES)
def test_no_markup_nor_bidi_from_data_on_any_page(hostile_env: Path, page: str) -> None:
    at = open_page(page)
    for fig in charts(at):
        for s in _strings(fig):
            low = s.lower()
            assert "<a" not in low and "<span" not in low, s
            assert not any(c in s for c in BIDI), repr(s)
    bodies = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
              for e in getattr(at, kind)]  # fmt: skip
    for body in bodies:
        assert "](http" not in body and "![" not in body, body  # no live link nor outside image
        assert not any(c in body for c in BIDI), repr(body)
        bare = re.sub(r"\\.", "", body)  # a Markdown escape (\<) writes the character itself, never a tag
        assert "<a " not in bare and "<span" not in bare, body
    assert not at.exception


def test_hostile_names_still_shown_readably(hostile_env: Path) -> None:
    at = open_page("pareto")
    text = json.dumps(charts(at), ensure_ascii=False)
    assert "&lt;a href" in text and "REVO" in text  # escaped, not dropped
