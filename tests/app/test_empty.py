"""Every page on an empty database (no demo): the same clear message in both languages, no exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core.db import close_all
from kam_core.i18n import t
from tests.apptest import infos, open_page
from ui.nav import PageSpec, available

# The upload page is the one a user needs on an empty database: it shows its own form, not the message.
PAGES = [p for p in available() if p.key != "upload"]


@pytest.fixture
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    close_all()
    monkeypatch.setenv("KAM_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("KAM_DEMO", "0")
    yield
    close_all()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.key)
def test_every_page_says_there_is_no_data(empty_app, page: PageSpec, lang: str) -> None:
    at = open_page(page.key, lang)
    assert any(t("empty.no_data", lang) in i for i in infos(at)), (page.key, infos(at))
    # and the way out, on every page alike (local mode: the user may upload)
    links = [e.proto for e in at.get("page_link")]
    assert any(p.label == t("empty.go_upload", lang) and "upload" in p.page for p in links), (page.key, links)
    assert not at.metric or all(m.value in ("–", "") for m in at.metric)


def test_the_upload_page_works_on_an_empty_database(empty_app) -> None:
    at = open_page("upload", "zh")
    assert t("page.upload", "zh") in [e.value for e in at.title]
