"""AppTest: sign-in mode (an [auth] section in the secrets, st.user set) — each role's pages and controls, and
the writes kam_core refuses shown with their reason; local mode's label."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kam_core import auth
from kam_core.db import get_db
from kam_core.i18n import t
from kam_core.plans import store
from tests.apptest import APP, open_app, texts
from ui.fmt import md

F = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
YEAR = 2026  # the test demo ends in 2026-10
SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-of-some-length",
        "client_id": "kam-dashboard",
        "client_secret": "not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
PEOPLE = {  # email: (role, kam_name, name)
    "boss@x.com": ("admin", None, "Bo Admin"),
    "li@x.com": ("kam", "Li Wei", "Li Wei"),  # the demo's Carrefour and Walmart are Li Wei's
    "exec@x.com": ("executive", None, "Eva Exec"),
    "view@x.com": ("viewer", None, "Vic Viewer"),
}
DASHBOARDS = {"overview", "pareto", "tiers", "channels", "regions", "scoring", "explain"}


@pytest.fixture
def roles_env(app_env: Path) -> Iterator[Path]:
    db = get_db(str(app_env))
    setup = auth.local_actor("setup")
    for email, (role, kam, name) in PEOPLE.items():
        auth.set_user(db, email, role, setup, kam_name=kam, name=name)
    yield app_env
    auth.require_sign_in(False)  # the process-wide flag the app set: later tests run in local mode


def signed_in(email: str | None, page: str | None = None, lang: str = "en", **params: str) -> AppTest:
    """The app in sign-in mode as ``email`` (None: not signed in), then (optionally) switched to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = SECRETS["auth"]
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email,
                                                            "name": PEOPLE.get(email, (0, 0, email))[2]}  # fmt: skip
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def nav_pages(at: AppTest) -> set[str]:
    """The page keys st.navigation registered (AppTest has no public view of it)."""
    return {Path(p["script_path"]).stem for p in at._registered_pages.values()}


def buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def messages(at: AppTest) -> str:
    return "\n".join(x.value for x in [*at.error, *at.warning, *at.success, *at.info])


def sidebar_texts(at: AppTest) -> list[str]:
    """The sidebar's plain texts (st.text: who acts, never read as Markdown)."""
    return [c.value for c in at.sidebar.text]


# -- sign-in and local mode -----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_not_signed_in_sees_the_sign_in_page_only(roles_env: Path, lang: str) -> None:
    at = signed_in(None, lang=lang)
    assert [x.value for x in at.main.title] == [t("auth.ui.sign_in_title", lang)]
    assert "auth_sign_in" in buttons(at)
    assert t("page.overview", lang) not in texts(at)
    assert not at._registered_pages or nav_pages(at) <= {"app"}  # no navigation drawn


def test_local_mode_labels_the_single_user_with_full_rights(app_env: Path) -> None:
    at = open_app("en")
    assert t("auth.ui.local", "en", name="tester") in sidebar_texts(at)
    assert at.sidebar.text_input(key="user_name").value == "tester"
    assert {"upload", "plans", "users", "audit"} <= nav_pages(at)
    assert "auth_sign_out" not in buttons(at)


def test_first_sign_in_on_a_database_without_users_becomes_admin(app_env: Path) -> None:
    try:
        at = signed_in("first@x.com")
        assert {"users", "audit", "upload"} <= nav_pages(at)
        assert get_db(str(app_env)).rows("SELECT role FROM users WHERE email = 'first@x.com'") == [("admin",)]
    finally:
        auth.require_sign_in(False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_signed_in_identity_replaces_the_name_field(roles_env: Path, lang: str) -> None:
    at = signed_in("li@x.com", lang=lang)
    line = t(
        "auth.ui.signed_in_kam", lang, name="Li Wei", email="li@x.com", role=t("auth.role.kam", lang), kam="Li Wei"
    )  # fmt: skip  (names from the provider are escaped: Markdown stays text)
    assert line in sidebar_texts(at)
    assert not [w for w in at.sidebar.text_input if w.key == "user_name"]
    assert "auth_sign_out" in buttons(at)


# -- pages by role --------------------------------------------------------------------------------
def test_each_role_sees_its_pages(roles_env: Path) -> None:
    assert nav_pages(signed_in("view@x.com")) == DASHBOARDS
    assert nav_pages(signed_in("exec@x.com")) == DASHBOARDS | {"plans", "portfolio", "users", "audit"}
    assert nav_pages(signed_in("li@x.com")) == DASHBOARDS | {"plans", "portfolio", "upload"}
    assert nav_pages(signed_in("boss@x.com")) == DASHBOARDS | {"plans", "portfolio", "upload", "users", "audit"}


def test_an_unknown_person_is_a_viewer(roles_env: Path) -> None:
    assert nav_pages(signed_in("stranger@y.com")) == DASHBOARDS


def test_settings_box_and_edit_sections_only_for_admin(roles_env: Path) -> None:
    for email in ("li@x.com", "exec@x.com", "view@x.com"):
        at = signed_in(email)
        assert t("ui.settings", "en") not in [e.label for e in at.sidebar.expander], email
        tiers = signed_in(email, "tiers")
        assert not [b for b in tiers.get("form_submit_button")], email  # no override, no rules
        channels = signed_in(email, "channels")
        assert "ch_map_save" not in buttons(channels), email
    boss = signed_in("boss@x.com")
    assert t("ui.settings", "en") in [e.label for e in boss.sidebar.expander]
    assert "ch_map_save" in buttons(signed_in("boss@x.com", "channels"))


def test_a_role_change_applies_on_the_next_run(roles_env: Path) -> None:
    at = signed_in("view@x.com")
    assert "plans" not in nav_pages(at)
    auth.set_user(get_db(str(roles_env)), "view@x.com", "executive", auth.local_actor("setup"))
    at.run()
    assert "plans" in nav_pages(at)


# -- plans: own read-write, others' read-only -----------------------------------------------------
def editor_key(at: AppTest, name: str) -> str:
    return next(e.key for e in at.data_editor if e.key.startswith(f"plan_{name}_"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kam_edits_and_saves_their_own_plan(roles_env: Path, lang: str) -> None:
    at = signed_in("li@x.com", "plans", lang, account="Carrefour", year=str(YEAR))
    assert "plan_save" in buttons(at)
    assert not next(e for e in at.data_editor if e.key.startswith("plan_swot_threats_")).proto.disabled
    at.session_state[editor_key(at, "swot_threats")] = {"edited_rows": {0: {"text": "Li's threat"}},
                                                        "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    at.text_input(key="plan_comment").set_value("by Li")
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception
    assert t("plp.saved", lang, v=3, user="li@x.com") in messages(at)
    latest = store.latest(get_db(str(roles_env)), "Carrefour", YEAR)
    assert (latest.version, latest.saved_by) == (3, "li@x.com")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kam_opens_another_kams_plan_read_only_naming_the_owner(roles_env: Path, lang: str) -> None:
    at = signed_in("li@x.com", "plans", lang, account="Metro", year=str(YEAR))
    assert at.selectbox(key="plan_account").value == "Metro"
    assert not {"plan_save", "plan_restore", "plan_new_add", "plan_from_last_year"} & buttons(at)
    assert not [w for w in at.text_input if w.key == "plan_comment"]
    assert t("auth.ui.plan_read_only_owner", lang, account="Metro", owner="Wang Fang") in messages(at)
    assert all(e.proto.disabled for e in at.data_editor if e.key.startswith("plan_"))
    assert all(a.disabled for a in at.text_area)


def test_executive_reads_plans_without_edit_controls(roles_env: Path) -> None:
    at = signed_in("exec@x.com", "plans", account="Carrefour", year=str(YEAR))
    assert "plan_save" not in buttons(at)
    assert t("auth.ui.plan_read_only_role", "en", role=t("auth.role.executive", "en")) in messages(at)
    assert all(a.disabled for a in at.text_area)
    assert not [b for b in at.button if b.key and b.key.startswith("plan_accept_")]


def test_admin_edits_any_plan(roles_env: Path) -> None:
    at = signed_in("boss@x.com", "plans", account="Metro", year=str(YEAR))
    assert "plan_save" in buttons(at)


# -- upload ---------------------------------------------------------------------------------------
def test_kam_upload_of_a_foreign_account_is_refused_naming_it(roles_env: Path) -> None:
    at = signed_in("li@x.com", "upload")
    key = next(w.key for w in at.file_uploader)
    at.file_uploader(key=key).set_value(("kam_b.csv", (F / "kam_b.csv").read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    before = get_db(str(roles_env)).scalar("SELECT count(*) FROM uploads")
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    refusal = t("auth.err.foreign_accounts", "en", who="li@x.com", action=t("auth.action.upload", "en"),
                accounts="Metro", n=1)  # fmt: skip
    assert md(refusal) in [e.value for e in at.error]  # the page escapes markdown
    assert get_db(str(roles_env)).scalar("SELECT count(*) FROM uploads") == before


def test_upload_page_absent_for_executive_and_viewer(roles_env: Path) -> None:
    for email in ("exec@x.com", "view@x.com"):
        assert "upload" not in nav_pages(signed_in(email))


# -- users and audit ------------------------------------------------------------------------------
def test_admin_sets_a_role_and_kam_name_on_the_users_page(roles_env: Path) -> None:
    at = signed_in("boss@x.com", "users")
    assert any("view@x.com" in list(d.value["email"]) for d in at.dataframe)
    at.selectbox(key="users_pick").set_value("view@x.com").run()
    at.selectbox(key="users_role_view@x.com").set_value("kam")
    at.text_input(key="users_kam_view@x.com").set_value("Wang Fang")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert t("auth.users.saved", "en", email="view@x.com", role=t("auth.role.kam", "en")) in messages(at)
    row = get_db(str(roles_env)).rows("SELECT role, kam_name FROM users WHERE email = 'view@x.com'")
    assert row == [("kam", "Wang Fang")]


def test_executive_sees_users_read_only(roles_env: Path) -> None:
    at = signed_in("exec@x.com", "users")
    assert any("li@x.com" in list(d.value["email"]) for d in at.dataframe)
    assert not at.get("form_submit_button")


def test_audit_page_filters_and_exports_formula_safe(roles_env: Path) -> None:
    at = signed_in("exec@x.com", "audit")
    assert t("page.audit", "en") in texts(at)
    table = next(d.value for d in at.dataframe if "action" in d.value.columns)
    label = t("auth.action.user.set", "en")  # actions as people read them, details as "key: value" text
    assert label in set(table["action"]) and t("auth.action.demo.build", "en") in set(table["action"])
    assert not any(d.startswith("{") for d in table["detail"])
    at.multiselect(key="audit_actions").set_value(["user.set"]).run()
    table = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert set(table["action"]) == {label} and len(table) == len(PEOPLE)
    assert [b for b in at.get("download_button") if b.proto.label == t("auth.audit.download", "en")]


def test_audit_csv_filters_and_keeps_formulas_as_text(roles_env: Path) -> None:
    db = get_db(str(roles_env))
    auth.set_user(db, "eq@x.com", "viewer", auth.local_actor("=cmd|' /C calc'!A0"))
    text = auth.audit_csv(db, users=["=cmd|' /C calc'!A0"]).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and "'=cmd" in lines[1]
    assert auth.audit_csv(db, actions=["nothing.like.this"]).decode("utf-8-sig").strip().count("\n") == 0
