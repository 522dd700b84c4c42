"""The searchable account picker (ui.widgets.account_picker): a plain select box for a short list; for a long one a
text field narrows it and the select box holds at most PICK_LIMIT matches, the choice kept across narrowing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kam_core.analytics import explain as ex
from kam_core.analytics import tiers as T
from kam_core.db import Database, close_all
from kam_core.i18n import t
from tests.apptest import open_page
from tests.helpers import insert_sales
from ui.fmt import md
from ui.widgets import PICK_LIMIT, pick_matches

CODES = [str(18000 + i) for i in range(300)]  # account codes as names: 18000 … 18299
CHINESE = ["上海联华超市", "北京华联综超", "Hualian 华联 Online"]


def add_accounts(path: Path, accounts: list[str]) -> None:
    """One small sales line per account in the last demo month (inside the default period)."""
    rows = pd.DataFrame({"period": "2026-09", "account": accounts, "province": "Shanghai", "region": "East",
                         "channel": "hypermarket", "revenue": 10.0, "gross_profit": 2.0, "kam": "kam1"})  # fmt: skip
    db = Database(path)
    try:
        insert_sales(db, rows)
    finally:
        db.close()


@pytest.fixture
def many(app_env: Path) -> Path:
    """The demo data plus 303 accounts: far more than the picker shows at once."""
    add_accounts(app_env, CODES + CHINESE)
    close_all()
    return app_env


def tier_accounts(at: AppTest, path: Path) -> list[str]:
    """The tier page's override choices: every account of its list for the current filters, alphabetical."""
    db = Database(path)
    try:
        return sorted(T.account_list(db, at.session_state["filters"], lang="en")["account"])
    finally:
        db.close()


def find(at: AppTest, key: str, text: str) -> AppTest:
    at.text_input(key=f"{key}_find").set_value(text).run()
    assert not at.exception, at.exception
    return at


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


# -- matching -------------------------------------------------------------------------------------
def test_matches_code_and_label_case_insensitive_in_order() -> None:
    options = ["", "Walmart", "18102", "181020", "上海联华超市", "wal-mart east"]
    label = {"": "All accounts", "18102": "18102 ★ plan v2"}
    shown, n = pick_matches(options, "  WAL ", lambda o: label.get(o, o))
    assert shown == ["Walmart", "wal-mart east"] and n == 2
    assert pick_matches(options, "18102", str) == (["18102", "181020"], 2)
    assert pick_matches(options, "联华", str) == (["上海联华超市"], 1)
    assert pick_matches(options, "１８１０２", str)[1] == 2  # full-width digits typed by a Chinese input method
    assert pick_matches(options, "plan v2", lambda o: label.get(o, o)) == (["18102"], 1)  # the label counts too
    assert pick_matches(options, "all acc", lambda o: label.get(o, o)) == ([""], 1)
    assert pick_matches(options, "nothing like it", str) == ([], 0)


def test_limit_keeps_the_first_matches_and_counts_them_all() -> None:
    shown, n = pick_matches(CODES, "18", str, limit=5)
    assert shown == CODES[:5] and n == 300
    assert pick_matches(CODES, "", str, limit=7) == (CODES[:7], 300)


# -- the pages, with more accounts than the limit --------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_long_list_is_capped_and_typing_narrows(many: Path, lang: str) -> None:
    at = open_page("tiers", lang)
    box = at.selectbox(key="tiers_ov_account")
    assert len(box.options) == PICK_LIMIT and box.value is None
    assert at.text_input(key="tiers_ov_account_find").value == ""
    names = tier_accounts(at, many)
    total = f"{len(names):,}"
    assert box.options == names[:PICK_LIMIT]  # the first ones (this list is alphabetical)
    assert t("ui.pick_capped", lang, shown=f"{PICK_LIMIT:,}", n=total) in captions(at)
    find(at, "tiers_ov_account", "1810")
    assert at.selectbox(key="tiers_ov_account").options == [str(c) for c in range(18100, 18110)]
    assert t("ui.pick_found", lang, m="10", q="1810", n=total) in captions(at)
    find(at, "tiers_ov_account", "18102")
    assert at.selectbox(key="tiers_ov_account").options == ["18102"]
    find(at, "tiers_ov_account", "华联")
    assert at.selectbox(key="tiers_ov_account").options == ["Hualian 华联 Online", "北京华联综超"]
    find(at, "tiers_ov_account", "联")
    assert at.selectbox(key="tiers_ov_account").options == sorted(CHINESE)
    find(at, "tiers_ov_account", "hualian 华联")
    assert at.selectbox(key="tiers_ov_account").options == ["Hualian 华联 Online"]
    find(at, "tiers_ov_account", "18")  # the 300 codes and a few demo names: capped again, the count told
    m = sum("18" in a for a in names)
    assert m >= 300 and at.selectbox(key="tiers_ov_account").options == [a for a in names if "18" in a][:PICK_LIMIT]
    assert t("ui.pick_many", lang, shown=f"{PICK_LIMIT:,}", m=f"{m:,}", q="18", n=total) in captions(at)


def test_choice_stays_when_narrowed_again_and_an_override_saves(many: Path) -> None:
    at = open_page("tiers", "en")
    find(at, "tiers_ov_account", "18102")
    at.selectbox(key="tiers_ov_account").set_value("18102").run()
    assert not at.exception, at.exception
    find(at, "tiers_ov_account", "联华")  # the chosen account no longer matches: still chosen, listed first
    box = at.selectbox(key="tiers_ov_account")
    assert box.value == "18102" and box.options == ["18102", "上海联华超市"]
    find(at, "tiers_ov_account", "")  # back to the first 200 (alphabetical): still chosen
    assert at.selectbox(key="tiers_ov_account").value == "18102"
    find(at, "tiers_ov_account", "zzz no such account")
    box = at.selectbox(key="tiers_ov_account")
    assert box.value == "18102" and box.options == ["18102"]
    at.selectbox(key="tiers_ov_tier").set_value("NKA")
    at.text_input(key="tiers_ov_why").set_value("new national listing")
    at.button[[b.label for b in at.button].index(t("tiers.override_save", "en"))].click().run()
    assert not at.exception, at.exception
    assert any("18102" in s.value for s in at.success)
    close_all()
    db = Database(many)
    try:
        assert db.scalar("SELECT tier_override FROM accounts WHERE account = '18102'") == "NKA"
    finally:
        db.close()


def test_typed_text_is_not_markup_in_the_caption(many: Path) -> None:
    at = open_page("tiers", "en")
    typed = "![x](http://example.com/p.png) **bold**"
    find(at, "tiers_ov_account", typed)
    total = len(at.selectbox(key="tiers_ov_account").options)
    assert total == 0
    shown = [c for c in captions(at) if "example" in c]
    assert len(shown) == 1 and md(typed) in shown[0] and typed not in shown[0]


def test_url_preset_account_outside_the_first_matches(many: Path) -> None:
    # explain: ?account= picks an option by index; 18299 sorts far past the first 200 shown
    at = open_page("explain", "en", account="18299")
    box = at.selectbox(key="ex_account")
    assert box.value == "18299" and len(box.options) <= PICK_LIMIT and "18299" in box.options
    find(at, "ex_account", "联华")
    assert at.selectbox(key="ex_account").value == "18299"
    find(at, "ex_account", "")
    box = at.selectbox(key="ex_account")
    assert box.value == "18299" and box.options[1] == t("explain.all_accounts", "en")  # "all" stays reachable
    db = Database(many)
    try:
        n = len(ex.accounts(db))  # the accounts; the "all accounts" option is not counted
    finally:
        db.close()
    assert t("ui.pick_capped", "en", shown=f"{PICK_LIMIT:,}", n=f"{n:,}") in captions(at)
    # plans: ?account= written into session state before the picker
    at = open_page("plans", "en", account="18299")
    box = at.selectbox(key="plan_account")
    assert len(box.options) <= PICK_LIMIT and box.value == "18299"


# -- a short list: the plain select box -----------------------------------------------------------
def test_few_accounts_give_the_plain_select_box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    close_all()
    path = tmp_path / "few.duckdb"
    few = ["18102", "上海联华超市", "Walmart"]
    add_accounts(path, few)
    monkeypatch.setenv("KAM_DB", str(path))
    try:
        at = open_page("tiers", "en")
        box = at.selectbox(key="tiers_ov_account")
        assert box.options == sorted(few) and box.value is None
        assert "tiers_ov_account_find" not in [w.key for w in at.text_input]
        assert not any(c.startswith("Showing") and "type to narrow" in c for c in captions(at))
        box.set_value("上海联华超市").run()
        assert not at.exception, at.exception
        assert at.selectbox(key="tiers_ov_account").value == "上海联华超市"
    finally:
        close_all()
