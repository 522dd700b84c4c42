"""Sign-in through a real OpenID Connect provider (started by the test) in a real browser: a KAM edits their own
plan, reads another KAM's plan read-only and has an upload of a foreign account refused, naming it; an executive
has no upload page and no edit controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kam_core import auth
from kam_core.db import Database
from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import ROOT, Server
from tests.e2e.oidc_server import PROVIDER_ASSETS, run_provider, run_signin_app

pytestmark = pytest.mark.e2e
FOREIGN = ROOT / "tests" / "fixtures" / "ingest" / "kam_b.csv"  # one line of Metro (Wang Fang's)
PEOPLE = {"li@x.com": ("kam", "Li Wei", "Li Wei"), "exec@x.com": ("executive", None, "Eva Exec"),
          "boss@x.com": ("admin", None, "Bo Admin")}  # fmt: skip
VISION = "Become Carrefour's first-choice supplier in East China"


@pytest.fixture
def signin_server(demo_path: Path, tmp_path: Path) -> Iterator[Server]:
    """The app in sign-in mode on a private copy of the demo database with three users, and its provider."""
    db_path = tmp_path / "signin.duckdb"
    db_path.write_bytes(demo_path.read_bytes())
    db = Database(db_path)
    for email, (role, kam, name) in PEOPLE.items():
        auth.set_user(db, email, role, auth.local_actor("e2e setup"), kam_name=kam, name=name)
    db.close()
    with run_provider({e: p[2] for e, p in PEOPLE.items()}) as provider:
        with run_signin_app(db_path, provider, tmp_path) as s:
            yield s


def sign_in(page: Page, server: Server, email: str) -> None:
    page.goto(server.url)
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("auth.ui.sign_in_title", "en")).first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name=t("auth.ui.sign_in", "en")).click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)  # the provider's own sign-in form
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(server.url + "/**", timeout=30_000)
    wait_idle(page)
    name, role = PEOPLE[email][2], t(f"auth.role.{PEOPLE[email][0]}", "en")
    expect(page.get_by_text(f"Signed in as {name} ({email}) · {role}").first).to_be_visible(timeout=30_000)


def app_external(browser: Browser) -> list[str]:
    """Requests to outside hosts, less the provider's own stylesheet (its page, not the app's)."""
    return [u for u in browser.external if not u.startswith(PROVIDER_ASSETS)]


def open_tab(page: Page, key: str) -> None:
    page.get_by_role("tab", name=t(f"plp.tab.{key}", "en")).click()
    page.wait_for_timeout(500)
    wait_idle(page)


def nav_links(page: Page) -> list[str]:
    return page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()


def test_kam_own_plan_saved_other_read_only_foreign_upload_refused(signin_server: Server, browser: Browser) -> None:
    page = browser.page
    sign_in(page, signin_server, "li@x.com")
    links = " ".join(nav_links(page))
    assert t("page.upload", "en") in links and t("page.users", "en") not in links

    # own plan: edit the vision, save
    page.goto(signin_server.url + "/plans?account=Carrefour&year=2026")
    wait_idle(page)
    open_tab(page, "vision")
    box = page.get_by_label(t("plans.section.vision", "en"), exact=True)
    box.fill(VISION)
    box.press("ControlOrMeta+Enter")
    wait_idle(page)
    page.get_by_label(t("plp.comment", "en")).fill("vision by Li")
    page.get_by_label(t("plp.comment", "en")).press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=t("plp.save", "en"), exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Saved as version 3 by").first).to_be_visible(timeout=30_000)
    page.reload()
    wait_idle(page)
    open_tab(page, "vision")
    expect(page.get_by_label(t("plans.section.vision", "en"), exact=True)).to_have_value(VISION, timeout=30_000)

    # another KAM's plan: read-only, the owner named, no save button
    page.goto(signin_server.url + "/plans?account=Metro&year=2026")
    wait_idle(page)
    note = t("auth.ui.plan_read_only_owner", "en", account="Metro", owner="Wang Fang")
    expect(page.get_by_text(note).first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name=t("plp.save", "en"), exact=True)).to_have_count(0)
    open_tab(page, "vision")
    expect(page.get_by_label(t("plans.section.vision", "en"), exact=True)).to_be_disabled()

    # an upload of a foreign account: refused, naming it; nothing written
    page.goto(signin_server.url + "/upload")
    wait_idle(page)
    page.locator("input[type='file']").first.set_input_files(str(FOREIGN))
    wait_idle(page)
    page.get_by_role("button", name=t("upload.commit", "en")).click()
    wait_idle(page)
    error = page.locator("[data-testid='stAlertContentError']").filter(has_text="Metro")
    expect(error.first).to_be_visible(timeout=30_000)
    expect(error.first).to_contain_text("li@x.com may upload data only for the accounts they own")
    assert app_external(browser) == [], browser.external


def test_executive_has_no_upload_page_and_no_edit_controls(signin_server: Server, browser: Browser) -> None:
    page = browser.page
    sign_in(page, signin_server, "exec@x.com")
    links = " ".join(nav_links(page))
    assert t("page.upload", "en") not in links
    assert t("page.plans", "en") in links and t("page.audit", "en") in links
    expect(page.get_by_text(t("ui.settings", "en"))).to_have_count(0)  # the sidebar's settings box
    page.goto(signin_server.url + "/plans?account=Carrefour&year=2026")
    wait_idle(page)
    note = t("auth.ui.plan_read_only_role", "en", role=t("auth.role.executive", "en"))
    expect(page.get_by_text(note).first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name=t("plp.save", "en"), exact=True)).to_have_count(0)
    page.goto(signin_server.url + "/channels")
    wait_idle(page)
    expect(page.get_by_role("button", name=t("channels.mapping_save", "en"))).to_have_count(0)
    page.get_by_role("button", name=t("auth.ui.sign_out", "en")).click()
    page.wait_for_url("**/oauth2/end_session**", timeout=30_000)  # the provider ends its session too (OIDC logout)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(signin_server.url + "/**", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("button", name=t("auth.ui.sign_in", "en"))).to_be_visible(timeout=30_000)
    assert app_external(browser) == [], browser.external
