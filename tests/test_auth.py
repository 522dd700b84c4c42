"""Roles and the permission registry: every role × every action, ownership, sign-in, local mode, audit details."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kam_core import auth, ingest, settings, vocab
from kam_core.analytics import regions, scoring, tiers
from kam_core.auth import Actor, Denied
from kam_core.db import Database
from kam_core.i18n import CATALOG, t
from kam_core.plans import store
from kam_core.plans.model import new_plan
from tests.helpers import add_sales

ROOT = Path(__file__).resolve().parent.parent
ALL = {"admin", "kam", "executive", "viewer"}
ADMIN, ADMIN_KAM, READERS = {"admin"}, {"admin", "kam"}, {"admin", "kam", "executive"}

# the permission table, written out by hand: a change to the registry must change this too
EXPECTED = {
    "upload": ADMIN_KAM, "rollback": ADMIN_KAM, "plan.save": ADMIN_KAM, "plan.restore": ADMIN_KAM,
    "mapping_template.save": ADMIN_KAM, "tier.override": ADMIN, "setting.set": ADMIN, "region_map.set": ADMIN,
    "channel_map.set": ADMIN, "user.set": ADMIN, "score_model.save": ADMIN, "score_model.activate": ADMIN,
    "strategic_fit.set": ADMIN, "criterion.set": ADMIN, "demo.build": ADMIN, "user.first_admin": ALL,
    "dashboard.view": ALL, "plan.view": READERS, "plan.notes.view": READERS,
    "audit.view": {"admin", "executive"}, "user.view": {"admin", "executive"},
    "backup.restore": ADMIN, "backup.create": ADMIN,
}  # fmt: skip
EMAILS = {"admin": "boss@x.com", "kam": "ann@x.com", "executive": "exec@x.com", "viewer": "view@x.com"}


def actor(role: str, kam_name: str | None = None) -> Actor:
    return Actor(EMAILS[role], email=EMAILS[role], role=role, kam_name=kam_name)


@pytest.fixture
def db(empty_db: Database) -> Database:
    """Acme (Ann's, from the sales lines), Beta (Bob's), Delta (sales say Ann, the account master says Bob)."""
    add_sales(empty_db, [("2026-03", "Acme", "East", "hypermarket", 100.0, 30.0, "Ann"),
                         ("2026-03", "Beta", "East", "hypermarket", 200.0, 60.0, "Bob"),
                         ("2026-03", "Delta", "East", "hypermarket", 50.0, 10.0, "Ann")])  # fmt: skip
    with empty_db.transaction("tester", "test") as cur:
        cur.execute("INSERT INTO accounts (account, kam) VALUES ('Delta', 'Bob')")
    for role, email in EMAILS.items():
        auth.set_user(empty_db, email, role, "tester", kam_name="Ann" if role == "kam" else None)
    auth.set_user(empty_db, "bob@x.com", "kam", "tester", kam_name="Bob")
    return empty_db


def n_audit(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM audit_log")


# -- the registry --------------------------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_role_and_action(role: str, action: str) -> None:
    a = actor(role, "Ann")
    assert auth.can(a, action) == (role in EXPECTED[action])
    if role not in EXPECTED[action]:
        with pytest.raises(Denied) as e:
            auth.check(a, action)
        assert t(f"auth.role.{role}", "en") in e.value.message("en")
        assert t(f"auth.role.{role}", "zh") in e.value.message("zh")
        assert t(f"auth.action.{action}", "zh") in e.value.message("zh")


def test_the_registry_is_the_table() -> None:
    assert {n: set(a.roles) for n, a in auth.ACTIONS.items()} == EXPECTED
    for name in auth.ACTIONS:
        en, zh = CATALOG[f"auth.action.{name}"]
        assert en and zh
    with pytest.raises(Denied, match="not a registered action"):
        auth.check(actor("admin"), "nope")


def _strings(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> set[str]:
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.add(n.value)
        elif isinstance(n, ast.Name) and n.id in assigned:
            for v in assigned[n.id]:
                out |= _strings(v, {})
    return out


def test_every_transaction_action_string_in_kam_core_is_registered() -> None:
    found: dict[str, set[str]] = {}
    for path in (ROOT / "kam_core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[ast.AST]] = {}
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign):
                for tgt in n.targets:
                    if isinstance(tgt, ast.Name):
                        assigned.setdefault(tgt.id, []).append(n.value)
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "transaction" and len(n.args) >= 2:
                strings = _strings(n.args[1], assigned)
                assert strings, f"{path}:{n.lineno}: transaction action is not a string literal"
                found.setdefault(f"{path.relative_to(ROOT)}:{n.lineno}", set()).update(strings)
    assert len(found) >= 15, found
    missing = {where: s for where, s in found.items() if any(auth.canonical(x) is None for x in s)}
    assert not missing, f"unregistered action strings (register them in kam_core/auth.py): {missing}"
    assert auth.canonical("setting", {"key": "channels.map"}) == "channel_map.set"
    assert auth.canonical("setting", {"key": "regions.province_map"}) == "region_map.set"
    assert auth.canonical("tier_override_cleared") == "tier.override"


# -- every real write by every role ------------------------------------------------------------------
WRITES: dict[str, Callable[[Database, Actor], object]] = {
    "setting.set": lambda db, a: settings.put(db, "tiers.min_provinces", 3, a),
    "channel_map.set": lambda db, a: vocab.save_map(db, {"KA卖场": "hypermarket"}, a),
    "region_map.set": lambda db, a: regions.save_region_map(db, {"Guangdong": "East"}, a),
    "tier.override": lambda db, a: tiers.set_override(db, "Acme", "NKA", "national contract", a),
    "strategic_fit.set": lambda db, a: scoring.set_strategic_fit(db, "Acme", 4, a),
    "criterion.set": lambda db, a: scoring.define_criterion(db, "nps", a),
    "score_model.activate": lambda db, a: scoring.activate_model(db, "builtin", a),
    "user.set": lambda db, a: auth.set_user(db, "new@x.com", "viewer", a),
    "plan.save": lambda db, a: store.save(db, "Acme", 2026, new_plan("Acme", 2026), 0, "", a),
}


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("action", sorted(WRITES))
def test_every_write_by_every_role(db: Database, role: str, action: str) -> None:
    a = auth.lookup(db, EMAILS[role])
    before = n_audit(db)
    if role in EXPECTED[action]:
        WRITES[action](db, a)
        last = db.rows("SELECT user_name, action FROM audit_log ORDER BY logged_at DESC, rowid DESC LIMIT 1")[0]
        assert n_audit(db) == before + 1 and last[0] == EMAILS[role]
        assert auth.canonical(last[1], {"key": "regions.province_map"} if action == "region_map.set" else None) in (
            action,
            "setting.set",
        )
    else:
        with pytest.raises(Denied, match="may not"):
            WRITES[action](db, a)
        assert n_audit(db) == before  # nothing written


# -- ownership --------------------------------------------------------------------------------------
def _csv(tmp_path: Path, rows: list[str], name: str = "f.csv") -> Path:
    p = tmp_path / name
    p.write_text("period,account,revenue,kam\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def _upload(db: Database, path: Path, user: str | Actor, kind: str = "sales") -> ingest.Preview:
    with ingest.stage(path, kind, db=db) as st:
        return ingest.commit(db, st, user)


def _sales(db: Database) -> list[tuple]:
    return db.rows("SELECT account, sum(revenue)::DOUBLE FROM sales GROUP BY 1 ORDER BY 1")


def test_owners_master_first_then_sales_then_the_file(db: Database) -> None:
    r = auth.owners(db, ["Acme", "Beta", "Delta", "New"], {"New": frozenset({"ann"})})
    assert dict(r.owners) == {"Acme": {"ann"}, "Beta": {"bob"}, "Delta": {"bob"}, "New": {"ann"}}
    ann = auth.lookup(db, "ann@x.com")
    assert r.foreign_to(ann) == ["Beta", "Delta"]
    assert auth.can(ann, "plan.save", auth.owners(db, ["Acme"]))
    assert not auth.can(ann, "plan.save", auth.owners(db, ["Delta"]))  # the master's kam wins over the lines'


def test_a_kams_mixed_upload_is_refused_naming_the_foreign_accounts(db: Database, tmp_path: Path) -> None:
    ann = auth.lookup(db, "ann@x.com")
    f = _csv(tmp_path, ["2026-04,Acme,10,Ann", "2026-04,Beta,20,", "2026-04,Delta,5,Ann", "2026-04,Zeta,1,"])
    before, sales = n_audit(db), _sales(db)
    with pytest.raises(Denied) as e:
        _upload(db, f, ann)
    assert "Beta, Delta, Zeta" in e.value.message("en") and "(3)" in e.value.message("en")
    assert "Beta, Delta, Zeta" in e.value.message("zh") and "未写入任何内容" in e.value.message("zh")
    assert n_audit(db) == before and _sales(db) == sales
    assert db.scalar("SELECT count(*) FROM uploads WHERE file_name = 'f.csv'") == 0


def test_own_only_loads_only_the_kams_rows(db: Database, tmp_path: Path) -> None:
    settings.put(db, "auth.kam_foreign_rows", "own_only", "tester")
    ann = auth.lookup(db, "ann@x.com")
    f = _csv(tmp_path, ["2026-04,Acme,10,Ann", "2026-04,Beta,20,", "2026-04,Acme,1.5,Ann", "2026-04,New,7,Ann"])
    p = _upload(db, f, ann)
    assert p.rows_loaded == 3
    got = db.rows("SELECT account, sum(revenue)::DOUBLE FROM sales WHERE period = DATE '2026-04-01' GROUP BY 1 "
                  "ORDER BY 1")  # fmt: skip
    assert got == [("Acme", 11.5), ("New", 7.0)]  # Beta left out; New is Ann's by the file's kam
    d = json.loads(db.scalar("SELECT detail FROM audit_log WHERE action = 'upload'"))
    assert d["foreign_skipped"] == ["Beta"] and d["upload_id"] == p.upload_id and d["rows"] == 3
    # a file of only others' accounts is refused rather than loading nothing
    with pytest.raises(Denied, match="Beta"):
        _upload(db, _csv(tmp_path, ["2026-05,Beta,20,"], "g.csv"), ann)


def test_a_kam_may_not_hand_an_account_to_themselves_through_the_master(db: Database, tmp_path: Path) -> None:
    ann = auth.lookup(db, "ann@x.com")
    p = tmp_path / "accounts.csv"
    p.write_text("account,kam\nBeta,Ann\nAcme,Ann\n", encoding="utf-8")
    with pytest.raises(Denied, match="Beta"):
        _upload(db, p, ann, kind="accounts")
    p.write_text("account,kam\nAcme,Bob\n", encoding="utf-8")  # nor give their own away
    with pytest.raises(Denied, match="Acme"):
        _upload(db, p, ann, kind="accounts")


def test_executive_and_viewer_uploads_are_refused(db: Database, tmp_path: Path) -> None:
    f = _csv(tmp_path, ["2026-04,Acme,10,Ann"])
    for role in ("executive", "viewer"):
        with pytest.raises(Denied, match="may not upload data"):
            _upload(db, f, auth.lookup(db, EMAILS[role]))
    assert _upload(db, f, auth.lookup(db, "boss@x.com")).rows_loaded == 1


def test_a_kam_rolls_back_only_uploads_of_their_accounts(db: Database, tmp_path: Path) -> None:
    ann, bob = auth.lookup(db, "ann@x.com"), auth.lookup(db, "bob@x.com")
    mine = _upload(db, _csv(tmp_path, ["2026-04,Acme,10,Ann"], "a.csv"), ann)
    bobs = _upload(db, _csv(tmp_path, ["2026-04,Beta,10,Bob"], "b.csv"), bob)
    with pytest.raises(Denied, match="Beta"):
        ingest.rollback(db, bobs.upload_id, ann)
    out = ingest.rollback(db, mine.upload_id, ann)
    assert out["rolled_back"] == [mine.upload_id]
    d = json.loads(db.scalar("SELECT detail FROM audit_log WHERE action = 'rollback'"))
    assert d["upload_id"] == mine.upload_id and d["rolled_back"] == [mine.upload_id] and d["file"] == "a.csv"


def test_a_kam_saving_another_kams_plan_is_refused(db: Database) -> None:
    ann, bob = auth.lookup(db, "ann@x.com"), auth.lookup(db, "bob@x.com")
    v = store.save(db, "Beta", 2026, new_plan("Beta", 2026), 0, "", bob)
    before = n_audit(db)
    with pytest.raises(Denied) as e:
        store.save(db, "Beta", 2026, new_plan("Beta", 2026), v.version, "", ann)
    assert "Beta" in e.value.message("en") and "Beta" in e.value.message("zh")
    with pytest.raises(Denied):
        store.restore(db, "Beta", 2026, 1, ann)
    assert n_audit(db) == before and store.latest(db, "Beta", 2026).version == 1
    # read-only for the page: may read, may not save
    assert auth.can(ann, "plan.view") and not auth.can(ann, "plan.save", auth.owners(db, ["Beta"]))
    exe = auth.lookup(db, "exec@x.com")
    assert auth.can(exe, "plan.view") and not auth.can(exe, "plan.save")
    assert not auth.can(auth.lookup(db, "view@x.com"), "plan.notes.view")


def test_a_kams_write_that_skips_the_ownership_check_is_refused(db: Database) -> None:
    ann = auth.lookup(db, "ann@x.com")
    with pytest.raises(Denied, match="must name the accounts"):
        with db.transaction(ann, "plan.save", {}):
            pass
    auth.require(db, ann, "plan.save", ["Acme"])
    with db.transaction(ann, "plan.save", {}):  # checked once → one transaction
        pass
    with pytest.raises(Denied, match="must name the accounts"):
        with db.transaction(ann, "plan.save", {}):
            pass


def test_viewer_setting_change_is_refused_in_both_languages(db: Database) -> None:
    v = auth.lookup(db, "view@x.com")
    with pytest.raises(Denied) as e:
        settings.put(db, "display.currency", "USD", v)
    assert e.value.message("en") == "view@x.com (Viewer) may not change a setting. Nothing was written."
    assert e.value.message("zh") == "view@x.com（只读用户）无权修改设置。未写入任何内容。"
    assert settings.get(db, "display.currency") == "CNY"


# -- identity --------------------------------------------------------------------------------------
def test_first_sign_in_becomes_admin_then_unknown_users_per_setting(empty_db: Database) -> None:
    first = auth.sign_in(empty_db, " First@X.com ", "First")
    assert (str(first), first.role, first.local) == ("first@x.com", "admin", False)
    assert auth.list_users(empty_db)[0]["role"] == "admin"
    again = auth.sign_in(empty_db, "first@x.com")
    assert again.role == "admin" and len(auth.list_users(empty_db)) == 1
    other = auth.sign_in(empty_db, "other@x.com")
    assert other.role == "viewer" and len(auth.list_users(empty_db)) == 1  # a transient viewer, not stored
    assert not auth.can(other, "upload") and auth.visible_pages(other) == [
        "overview", "pareto", "tiers", "channels", "regions", "scoring", "explain"]  # fmt: skip
    settings.put(empty_db, "auth.unknown_users", "refuse", first)
    with pytest.raises(Denied, match="not a user of this dashboard"):
        auth.sign_in(empty_db, "other@x.com")
    with pytest.raises(settings.UserError, match="not one of the allowed"):
        settings.put(empty_db, "auth.unknown_users", "admin", first)
    with pytest.raises(settings.UserError, match="e-mail"):
        auth.sign_in(empty_db, "not an email")


def test_local_mode_is_a_full_rights_operator(db: Database) -> None:
    me = auth.resolve(db, "Li Wei")  # the sidebar's name with no identity provider
    assert me.local and me.role == "admin" and str(me) == "Li Wei"
    assert auth.visible_pages(me) == list(auth.PAGE_ACTIONS) and auth.visible_pages(me, ["new_page"]) == ["new_page"]
    settings.put(db, "tiers.min_provinces", 4, "Li Wei")
    assert db.rows("SELECT user_name FROM audit_log ORDER BY logged_at DESC, rowid DESC LIMIT 1") == [("Li Wei",)]
    assert str(auth.local_actor()).startswith("local:")
    with db.transaction("tester", "some.script"):  # local: unregistered strings pass (tests above keep kam_core's)
        pass
    with pytest.raises(Denied, match="not a registered action"):
        with db.transaction(auth.lookup(db, "boss@x.com"), "some.script"):
            pass
    auth.require_sign_in()
    try:
        with pytest.raises(Denied, match="Sign in"):
            settings.put(db, "tiers.min_provinces", 5, "Li Wei")
        settings.put(db, "tiers.min_provinces", 5, auth.lookup(db, "boss@x.com"))
        settings.put(db, "tiers.min_provinces", 6, auth.local_actor("ops"))  # an explicit local Actor still acts
    finally:
        auth.require_sign_in(False)


def test_a_role_change_applies_at_once_and_the_last_admin_stays(db: Database) -> None:
    exe = auth.lookup(db, "exec@x.com")
    auth.set_user(db, "exec@x.com", "admin", "tester")
    settings.put(db, "tiers.min_provinces", 3, exe)  # the Actor object is re-read: now an admin
    auth.set_user(db, "exec@x.com", "viewer", "tester")
    with pytest.raises(Denied):
        settings.put(db, "tiers.min_provinces", 4, exe)
    with pytest.raises(settings.UserError, match="last admin"):
        auth.set_user(db, "boss@x.com", "kam", "tester")
    with pytest.raises(settings.UserError, match="not a role"):
        auth.set_user(db, "boss@x.com", "owner", "tester")
    d = json.loads(db.scalar("SELECT detail FROM audit_log WHERE action = 'user.set' ORDER BY logged_at DESC, "
                             "rowid DESC LIMIT 1"))  # fmt: skip
    assert d == {"email": "exec@x.com", "new": False, "role": ["admin", "viewer"]}


def test_an_actor_is_its_recorded_name_and_survives_a_copy() -> None:
    import copy
    import pickle

    a = Actor("ann@x.com", email="ann@x.com", role="kam", kam_name="Ann")
    assert a == "ann@x.com" and json.dumps({"u": a}) == '{"u": "ann@x.com"}'
    for b in (copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert isinstance(b, Actor) and (b.role, b.kam_name, b.identities) == ("kam", "Ann", {"ann", "ann@x.com"})
    with pytest.raises(AttributeError):
        a.role = "admin"  # type: ignore[misc]


# -- the audit log ------------------------------------------------------------------------------------
def test_audit_details_say_what_changed(db: Database) -> None:
    boss = auth.lookup(db, "boss@x.com")
    settings.put(db, "tiers.min_provinces", 3, boss)
    tiers.set_override(db, "Acme", "NKA", "contract", boss)
    store.save(db, "Acme", 2026, new_plan("Acme", 2026), 0, "first", boss)
    log = auth.audit(db)
    assert [r["action"] for r in log[:3]] == ["plan.save", "tier_override", "setting"]
    assert set(log[0]) == {"at", "user", "action", "detail"} and log[0]["user"] == "boss@x.com"
    assert log[0]["detail"] == {"account": "Acme", "year": 2026, "base_version": 0, "comment": "first",
                                     "version": 1}  # fmt: skip
    assert log[1]["detail"] == {"account": "Acme", "tier": "NKA", "reason": "contract"}
    assert log[2]["detail"] == {"key": "tiers.min_provinces", "old": 2, "value": 3}
    assert auth.audit(db, "2999-01-01") == [] and len(auth.audit(db, limit=2)) == 2
    with pytest.raises(settings.UserError, match="not a date"):
        auth.audit(db, "last tuesday")


def test_audit_export_is_formula_safe(db: Database) -> None:
    settings.put(db, "tiers.min_provinces", 3, "=HYPERLINK(1)")
    text = auth.audit_csv(db).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_audit_actions_and_details_read_as_text() -> None:
    assert auth.action_label("plan.save", "zh") == "保存客户计划"
    assert auth.action_label("demo", "en") == "load the demo dataset"
    assert auth.action_label("no.such", "en") == "no.such"
    detail = {"account": "Carrefour", "year": 2026, "comment": "", "cols": ["a", "b"], "x": None}
    assert auth.detail_text(detail) == 'account: Carrefour · year: 2026 · cols: ["a", "b"]'
    assert auth.detail_text({}) == ""
    # the page: keys in the reader's language, an unknown key readable as it is
    assert auth.detail_text({"account": "Carrefour", "base_version": 0, "odd_key": 1}, "en") == (
        "account: Carrefour · base version: 0 · odd key: 1"
    )
    assert auth.detail_text({"account": "Carrefour", "year": 2026}, "zh") == "客户：Carrefour · 年度：2026"
