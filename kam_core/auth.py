"""Identity, roles and the permission registry: every write passes ONE check (:func:`check`).

**Who acts** is an :class:`Actor`. It *is* a ``str`` — the name recorded in ``audit_log`` and
in every ``*_by`` column — that carries the identity (e-mail, name, role, kam_name, local). So
the many kam_core functions that take ``user: str`` and store it work unchanged, while
``Database.transaction`` recognises who it is.

**Roles** live in the ``users`` table: ``admin`` (settings, users, any upload or rollback, every
plan), ``kam`` (uploads for and plans of the accounts they own), ``executive`` (reads
everything, changes nothing), ``viewer`` (dashboards only). The first person to sign in on a
database without users becomes admin; unknown people get ``viewer`` or are refused (setting
``auth.unknown_users``).

**Local mode**: a plain string (the name typed in the app's sidebar, scripts, tests) and the
command line's operator are a *local* actor with full rights — with no identity provider the
quick start needs no sign-in. An app with sign-in configured calls :func:`require_sign_in`, so
a plain string is refused, and passes the Actor returned by :func:`sign_in`.

**Actions** are registered once in :data:`ACTIONS` (as datasette's ``default_actions``): name,
the roles that may do it, and a resource rule (``own_accounts``: a KAM only for accounts they
own — the account master's ``kam``, else the sales lines' ``kam``, matched to the user's
``kam_name`` or e-mail). ``Database.transaction`` calls :func:`authorize` (resolve the actor,
check the role); the checks that need data (an upload's accounts, a plan's account, a
rollback's uploads) call :func:`require` / :func:`check_upload` from ingest and the plan store —
the same :func:`check`. Refusals are :class:`Denied` (a UserError, both languages).
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from kam_core import settings
from kam_core.errors import UserError
from kam_core.i18n import t

ROLES = ("admin", "kam", "executive", "viewer")
OWN_ACCOUNTS = "own_accounts"
MAX_LISTED = 20  # accounts named in a refusal before "… (N in all)"


# -- the actor -------------------------------------------------------------------------------------
class Actor(str):
    """Who acts: the recorded name (a ``str``: e-mail, or the local operator's name) plus the identity."""

    email: str | None
    name: str
    role: str
    kam_name: str | None
    local: bool

    def __new__(
        cls, recorded: str, *, email: str | None = None, name: str | None = None, role: str = "viewer",
        kam_name: str | None = None, local: bool = False,
    ) -> Actor:  # fmt: skip
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        self = super().__new__(cls, recorded)
        self.__dict__.update(email=email, name=name or recorded, role=role, kam_name=kam_name, local=local)
        return self

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("Actor is immutable")

    def __getnewargs_ex__(self) -> tuple[tuple, dict]:  # copy / pickle keep the identity
        d = self.__dict__
        return (str(self),), {k: d[k] for k in ("email", "name", "role", "kam_name", "local")}

    def __repr__(self) -> str:
        return f"Actor({str(self)!r}, role={self.role!r}, kam_name={self.kam_name!r}, local={self.local})"

    @property
    def identities(self) -> frozenset[str]:
        """The names an account's ``kam`` may carry for this person (lower-case): kam_name and e-mail."""
        return frozenset(_low(x) for x in (self.kam_name, self.email) if x and x.strip())


def local_actor(name: str | None = None) -> Actor:
    """The local operator (CLI, app without sign-in): full rights, recorded as ``name`` or ``local:<os user>``."""
    if not name or not name.strip():
        from kam_core.db import os_user

        name = f"local:{os_user()}"
    return Actor(name.strip(), name=name.strip(), role="admin", local=True)


def _low(s: str) -> str:
    return s.strip().lower()


def normal_email(email: object) -> str:
    e = _low(str(email or ""))
    if "@" not in e or e.startswith("@") or e.endswith("@") or any(c.isspace() for c in e):
        raise UserError("auth.err.email", email=str(email or ""))
    return e


# -- refusals ----------------------------------------------------------------------------------------
class Denied(UserError):
    """Refused by the permission check; ``action`` / ``role`` are named in the reader's language."""

    def message(self, lang: str = "en") -> str:
        v = dict(self.values)
        if "action" in v:
            v["action"] = t(f"auth.action.{v['action']}", lang)
        if "role" in v:
            v["role"] = t(f"auth.role.{v['role']}", lang)
        return t(self.key, lang, **v)


# -- the registry ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """A named action: who may do it and the resource rule. ``aliases``: action strings of ``transaction()``."""

    name: str
    roles: frozenset[str]
    rule: str | None = None
    system: bool = False  # done by the system for the person (first sign-in): no role needed
    aliases: tuple[str, ...] = ()
    write: bool = True


ACTIONS: dict[str, Action] = {}
ALIASES: dict[str, str] = {}


def register(action: Action) -> Action:
    names = (action.name, *action.aliases)
    if any(n in ACTIONS or n in ALIASES for n in names):
        raise RuntimeError(f"action {action.name} registered twice")
    ACTIONS[action.name] = action
    ALIASES.update(dict.fromkeys(action.aliases, action.name))
    return action


_ADMIN = frozenset({"admin"})
_ADMIN_KAM = frozenset({"admin", "kam"})
_READERS = frozenset({"admin", "kam", "executive"})
_ALL = frozenset(ROLES)

for _a in (
    # writes
    Action("upload", _ADMIN_KAM, OWN_ACCOUNTS),
    Action("rollback", _ADMIN_KAM, OWN_ACCOUNTS),
    Action("plan.save", _ADMIN_KAM, OWN_ACCOUNTS),
    Action("plan.restore", _ADMIN_KAM, OWN_ACCOUNTS),
    Action("mapping_template.save", _ADMIN_KAM, aliases=("mapping_template",)),
    Action("tier.override", _ADMIN, aliases=("tier_override", "tier_override_cleared")),
    Action("setting.set", _ADMIN, aliases=("setting",)),
    Action("region_map.set", _ADMIN),
    Action("channel_map.set", _ADMIN),
    Action("user.set", _ADMIN),
    Action("score_model.save", _ADMIN),
    Action("score_model.activate", _ADMIN),
    Action("strategic_fit.set", _ADMIN, aliases=("scoring.strategic_fit",)),
    Action("criterion.set", _ADMIN,
           aliases=("scoring.criterion.define", "scoring.criterion.delete", "scoring.criterion.values")),
    Action("demo.build", _ADMIN, aliases=("demo",)),
    Action("backup.restore", _ADMIN, aliases=("restore",)),
    Action("user.first_admin", _ALL, system=True),
    # reads (pages, read-only commands run with --as)
    Action("dashboard.view", _ALL, write=False),
    Action("plan.view", _READERS, write=False),
    Action("plan.notes.view", _READERS, write=False),
    Action("audit.view", frozenset({"admin", "executive"}), write=False),
    Action("user.view", frozenset({"admin", "executive"}), write=False),
    Action("backup.create", _ADMIN, write=False),  # a backup holds everything, plans and notes included
):  # fmt: skip
    register(_a)

# "setting" writes whose key has its own action name
SETTING_ACTIONS = {"channels.map": "channel_map.set", "regions.province_map": "region_map.set"}


def canonical(action: str, detail: Mapping[str, Any] | None = None) -> str | None:
    """The registered name of an action string passed to ``transaction()`` (None: not registered)."""
    if action == "setting":
        return SETTING_ACTIONS.get(str((detail or {}).get("key")), "setting.set")
    if action in ACTIONS:
        return action
    return ALIASES.get(action)


# -- resources ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Resource:
    """The accounts an action touches: account → its owners (lower-case kam names / e-mails).

    ``claims``: account → the kam a file assigns to it (an account master upload); a KAM may not
    hand an account to someone else.
    """

    owners: Mapping[str, frozenset[str]]
    claims: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def foreign_to(self, actor: Actor) -> list[str]:
        ids = actor.identities
        return sorted(a for a, o in self.owners.items() if not (o & ids) or (self.claims.get(a, frozenset()) - ids))


def owners(
    db: Any, accounts: Iterable[str], incoming: Mapping[str, frozenset[str]] | None = None, *, reassign: bool = False
) -> Resource:
    """Who owns each account: the account master's ``kam`` when set, else the kams of its sales lines;
    an account the database does not know yet belongs to the ``incoming`` kam (the file's)."""
    wanted = sorted({str(a) for a in accounts if a is not None})
    incoming = incoming or {}
    rows = db.rows(
        """WITH w AS (SELECT unnest(?::VARCHAR[]) AS account),
                m AS (SELECT account, kam FROM accounts WHERE account IN (SELECT account FROM w)),
                s AS (SELECT account, list(DISTINCT kam) FILTER (WHERE kam IS NOT NULL) AS kams, count(*) AS n
                      FROM sales WHERE account IN (SELECT account FROM w) GROUP BY account)
           SELECT w.account, m.account IS NOT NULL OR s.account IS NOT NULL AS known, m.kam, s.kams
           FROM w LEFT JOIN m USING (account) LEFT JOIN s USING (account)""",
        [wanted],
    )
    out: dict[str, frozenset[str]] = {}
    for account, known, master, kams in rows:
        if master and master.strip():
            out[account] = frozenset({_low(master)})
        elif known:
            out[account] = frozenset(_low(k) for k in (kams or []) if k and k.strip())
        else:
            out[account] = incoming.get(account, frozenset())
    claims = {a: k for a, k in incoming.items() if k} if reassign else {}
    return Resource(out, claims)


def _listed(accounts: list[str]) -> str:
    shown = ", ".join(accounts[:MAX_LISTED])
    return shown if len(accounts) <= MAX_LISTED else f"{shown} … ({len(accounts)})"


# -- the one check -----------------------------------------------------------------------------------
def check(actor: Actor, action: str, resource: Resource | None = None) -> None:
    """Raise :class:`Denied` when ``actor`` may not do ``action`` (on ``resource``); the reason in both languages.

    Without a resource an ``own_accounts`` action is judged on the role alone ("may this KAM upload at all").
    """
    a = ACTIONS.get(action)
    if a is None:
        raise Denied("auth.err.unknown_action", name=action)
    if a.system:
        return
    if actor.role not in a.roles:
        raise Denied("auth.err.role", who=str(actor), role=actor.role, action=a.name)
    if a.rule == OWN_ACCOUNTS and actor.role == "kam" and resource is not None:
        foreign = resource.foreign_to(actor)
        if foreign:
            raise Denied("auth.err.foreign_accounts", who=str(actor), action=a.name, accounts=_listed(foreign),
                         n=len(foreign))  # fmt: skip


def can(actor: Actor, action: str, resource: Resource | None = None) -> bool:
    """:func:`check` as a yes / no, for pages (show a button, open a plan read-only)."""
    try:
        check(actor, action, resource)
    except Denied:
        return False
    return True


# A KAM's own_accounts action must have had its accounts checked (require / check_upload) before the
# transaction opens: a write path that forgot to name its accounts is refused, not let through.
_CHECKED: contextvars.ContextVar[frozenset[tuple[str, str]]] = contextvars.ContextVar(
    "auth_checked", default=frozenset()
)


def _mark(actor: Actor, action: str) -> None:
    _CHECKED.set(_CHECKED.get() | {(str(actor), action)})


def _consume(actor: Actor, action: str) -> bool:
    key = (str(actor), action)
    done = _CHECKED.get()
    if key not in done:
        return False
    _CHECKED.set(done - {key})
    return True


# -- resolving who acts ------------------------------------------------------------------------------
_SIGN_IN_REQUIRED = False


def require_sign_in(on: bool = True) -> None:
    """With sign-in configured the app calls this: a plain name is then refused, only Actors act."""
    global _SIGN_IN_REQUIRED
    _SIGN_IN_REQUIRED = on


def lookup(db: Any, email: str) -> Actor:
    """The user of this e-mail from the users table; unknown → viewer or refused (``auth.unknown_users``)."""
    e = normal_email(email)
    r = db.rows("SELECT name, role, kam_name FROM users WHERE email = ?", [e])
    if r:
        name, role, kam_name = r[0]
        return Actor(e, email=e, name=name or e, role=role, kam_name=kam_name)
    if settings.get(db, "auth.unknown_users") == "refuse":
        raise Denied("auth.err.unknown_user", email=e)
    return Actor(e, email=e, name=e, role="viewer")


def resolve(db: Any, user: str | Actor) -> Actor:
    """The acting identity: a signed-in Actor re-read from the users table (a role change applies at once),
    a local Actor as it is, a plain name → the local operator (refused when sign-in is required)."""
    if isinstance(user, Actor):
        return user if user.local else lookup(db, user.email or str(user))
    if _SIGN_IN_REQUIRED:
        raise Denied("auth.err.sign_in_required")
    return local_actor(str(user))


def authorize(db: Any, user: str | Actor, action: str, detail: Mapping[str, Any] | None = None) -> str:
    """Called by ``Database.transaction`` before it begins: who acts, and may they. Returns the recorded name."""
    name = canonical(action, detail)
    a = ACTIONS.get(name) if name else None
    if a is not None and a.system:
        return user
    actor = resolve(db, user)
    if a is None:
        if actor.local:  # full rights; kam_core's own action strings are all registered (tests/test_auth.py)
            return actor
        raise Denied("auth.err.unknown_action", name=action)
    check(actor, a.name)
    if a.rule == OWN_ACCOUNTS and actor.role == "kam" and not _consume(actor, a.name):
        raise Denied("auth.err.unchecked", action=a.name)
    return actor


def require(
    db: Any, user: str | Actor, action: str, accounts: Iterable[str] | Callable[[], Iterable[str]] = ()
) -> Actor:
    """Resolve and check ``action`` on ``accounts`` (a callable is only evaluated when ownership matters)."""
    actor = resolve(db, user)
    check(actor, action)
    if ACTIONS[action].rule == OWN_ACCOUNTS and actor.role == "kam":
        check(actor, action, owners(db, accounts() if callable(accounts) else accounts))
        _mark(actor, action)
    return actor


def upload_accounts(db: Any, upload_ids: Iterable[int]) -> list[str]:
    """Every account the given uploads hold (for a rollback's ownership check)."""
    rows = db.rows(
        "SELECT DISTINCT unnest(accounts) FROM uploads WHERE id IN (SELECT unnest(?::BIGINT[]))",
        [[int(i) for i in upload_ids]],
    )
    return [r[0] for r in rows if r[0] is not None]


def check_upload(db: Any, st: Any, user: str | Actor) -> list[str]:
    """Before an upload commits: a KAM's rows of accounts they do not own are refused, naming the accounts,
    or with ``auth.kam_foreign_rows`` = own_only left out of the staged file. Returns the accounts left out."""
    actor = resolve(db, user)
    check(actor, "upload")
    if actor.role != "kam":
        return []
    cols = {r[0] for r in st.con.execute("SELECT column_name FROM (DESCRIBE parsed)").fetchall()}
    kam = "kam" if "kam" in cols else "NULL"
    rows = st.con.execute(
        f"""SELECT account, list(DISTINCT {kam}) FILTER (WHERE {kam} IS NOT NULL) FROM parsed
            WHERE NOT _bad AND NOT _summary AND account IS NOT NULL GROUP BY account"""  # noqa: S608 - fixed names
    ).fetchall()
    incoming = {a: frozenset(_low(k) for k in (ks or []) if k and str(k).strip()) for a, ks in rows}
    foreign = owners(db, incoming, incoming, reassign=st.kind == "accounts").foreign_to(actor)
    if foreign and (settings.get(db, "auth.kam_foreign_rows") == "refuse" or len(foreign) == len(incoming)):
        raise Denied("auth.err.foreign_accounts", who=str(actor), action="upload", accounts=_listed(foreign),
                     n=len(foreign))  # fmt: skip
    if foreign:  # own_only: the staged rows of those accounts go; the preview and commit then see the rest
        n = st.con.execute(
            "DELETE FROM parsed WHERE NOT _bad AND NOT _summary AND account IN (SELECT unnest(?::VARCHAR[]))",
            [foreign],
        ).fetchone()[0]
        (st.tmpdir / "valid.parquet").unlink(missing_ok=True)
        st.cache.clear()
        note = t("auth.note.foreign_skipped", "en", n=int(n), accounts=_listed(foreign))
        st.checked = replace(st.checked, rows_valid=st.checked.rows_valid - int(n), notes=[*st.checked.notes, note])
    _mark(actor, "upload")
    return foreign


# -- sign-in and users --------------------------------------------------------------------------------
class _NotFirst(Exception):
    pass


def sign_in(db: Any, email: str, name: str | None = None) -> Actor:
    """The Actor of a person signed in through the identity provider: a known user; the first one on a
    database without users becomes admin; others per ``auth.unknown_users`` (viewer, not stored, or refused)."""
    e = normal_email(email)
    if db.scalar("SELECT count(*) FROM users WHERE email = ?", [e]):
        return lookup(db, e)
    if not db.scalar("SELECT count(*) FROM users"):
        first = Actor(e, email=e, name=(name or "").strip() or e, role="admin")
        try:
            with db.transaction(first, "user.first_admin", {"email": e, "role": [None, "admin"]}, data=False) as cur:
                if cur.execute("SELECT count(*) FROM users").fetchone()[0]:
                    raise _NotFirst  # someone else signed in first meanwhile
                cur.execute(
                    "INSERT INTO users (email, name, role, created_at, created_by) VALUES (?, ?, 'admin', now(), ?)",
                    [e, first.name, e],
                )
            return lookup(db, e)
        except _NotFirst:
            pass
    return lookup(db, e)


USER_COLS = ("email", "name", "role", "kam_name", "created_at", "created_by", "updated_at", "updated_by")


def list_users(db: Any) -> list[dict]:
    rows = db.rows(f"SELECT {', '.join(USER_COLS)} FROM users ORDER BY email")  # noqa: S608 - fixed names
    return [{k: (v.isoformat(sep=" ", timespec="seconds") if isinstance(v, datetime) else v)
             for k, v in zip(USER_COLS, r, strict=True)} for r in rows]  # fmt: skip


def set_user(
    db: Any, email: str, role: str, user: str | Actor, *, kam_name: str | None = None, name: str | None = None
) -> dict:
    """Add a user or change their role / kam name / name (admins only); the audit log keeps old → new."""
    e = normal_email(email)
    if role not in ROLES:
        raise UserError("auth.err.role_name", role=role, roles=", ".join(ROLES))
    detail: dict[str, Any] = {"email": e}
    with db.transaction(user, "user.set", detail, data=False) as cur:
        old = cur.execute("SELECT name, role, kam_name FROM users WHERE email = ?", [e]).fetchone()
        before = dict(zip(("name", "role", "kam_name"), old or (None, None, None), strict=True))
        after = {"name": before["name"] if name is None else (name.strip() or None), "role": role,
                 "kam_name": before["kam_name"] if kam_name is None else (kam_name.strip() or None)}  # fmt: skip
        if before["role"] == "admin" and role != "admin":
            if cur.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0] <= 1:
                raise UserError("auth.err.last_admin", email=e)
        if old is None:
            cur.execute(
                """INSERT INTO users (email, name, role, kam_name, created_at, created_by, updated_at, updated_by)
                   VALUES (?, ?, ?, ?, now(), ?, now(), ?)""",
                [e, after["name"], role, after["kam_name"], str(user), str(user)],
            )
        else:
            cur.execute(
                "UPDATE users SET name = ?, role = ?, kam_name = ?, updated_at = now(), updated_by = ? WHERE email = ?",
                [after["name"], role, after["kam_name"], str(user), e],
            )
        detail["new"] = old is None
        detail.update({k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return {"email": e, **after, "previous": None if old is None else before}


# -- the audit log ------------------------------------------------------------------------------------
def parse_since(since: str | date | datetime | None) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since
    if isinstance(since, date):
        return datetime(since.year, since.month, since.day)
    try:
        return datetime.fromisoformat(str(since).strip())
    except ValueError:
        raise UserError("auth.err.since", value=str(since)) from None


def audit(db: Any, since: str | date | datetime | None = None, limit: int | None = None) -> list[dict]:
    """Every recorded write, newest first: ``{"at", "user", "action", "detail"}`` (detail parsed)."""
    s = parse_since(since)
    rows = db.rows(
        """SELECT logged_at, user_name, action, detail FROM audit_log WHERE ?::TIMESTAMP IS NULL OR logged_at >= ?
           ORDER BY logged_at DESC, rowid DESC LIMIT ?""",
        [s, s, limit if limit is not None else 2**62],
    )
    return [{"at": at.isoformat(sep=" ", timespec="seconds"), "user": u, "action": a,
             "detail": json.loads(d) if d else {}} for at, u, a, d in rows]  # fmt: skip


_ACTION_ALIASES = {"demo": "demo.build"}  # codes the log writes under another name than the right's


def action_label(code: str, lang: str = "en") -> str:
    """An audit action as people read it ("save an account plan" for plan.save); an unknown code as it is."""
    from kam_core.i18n import CATALOG, t

    key = f"auth.action.{_ACTION_ALIASES.get(code, code)}"
    return t(key, lang) if key in CATALOG else code


def detail_key(key: str, lang: str | None = None) -> str:
    """A detail's key as people read it ("base version" for base_version, 基准版本 in Chinese); the key
    itself without ``lang`` (the download keeps the codes)."""
    if lang is None:
        return key
    from kam_core.i18n import CATALOG, t

    return t(f"audit.key.{key}", lang) if f"audit.key.{key}" in CATALOG else key.replace("_", " ")


def detail_text(detail: dict, lang: str | None = None) -> str:
    """An audit entry's detail as one line: "account: Carrefour · year: 2026" (not JSON); with ``lang`` the
    keys in that language ("客户：Carrefour · 年度：2026")."""
    sep = "：" if lang == "zh" else ": "

    def value(v: object) -> object:
        return json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict | list) else v

    return " · ".join(f"{detail_key(k, lang)}{sep}{value(v)}" for k, v in detail.items() if v is not None and v != "")


def audit_frame(
    db: Any,
    since: str | date | datetime | None = None,
    *,
    until: str | date | datetime | None = None,
    users: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
    lang: str | None = None,
) -> Any:
    """The audit log as a table: action codes and the detail as JSON text (the download), or with ``lang``
    as people read them (:func:`action_label`, :func:`detail_text`: the page).

    ``until``: a date includes that whole day; ``users`` / ``actions``: only those (None or empty: all).
    """
    import pandas as pd

    rows = audit(db, since)
    end = _until(until)
    wanted_users, wanted_actions = set(users or ()), set(actions or ())
    out = []
    for r in rows:
        if end is not None and datetime.fromisoformat(r["at"]) >= end:
            continue
        if (wanted_users and r["user"] not in wanted_users) or (wanted_actions and r["action"] not in wanted_actions):
            continue
        if lang is None:
            out.append({**r, "detail": json.dumps(r["detail"], ensure_ascii=False, default=str)})
        else:
            out.append({**r, "action": action_label(r["action"], lang), "detail": detail_text(r["detail"], lang)})
    return pd.DataFrame(out, columns=["at", "user", "action", "detail"])


def _until(until: str | date | datetime | None) -> datetime | None:
    if until is None or isinstance(until, datetime):
        return until
    day = until if isinstance(until, date) else parse_since(until).date()
    return datetime(day.year, day.month, day.day) + timedelta(days=1)


def audit_csv(
    db: Any,
    since: str | date | datetime | None = None,
    *,
    until: str | date | datetime | None = None,
    users: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
) -> bytes:
    """The audit log as formula-safe CSV (a user name or detail starting with '=' stays text), filtered as
    :func:`audit_frame`."""
    from kam_core.export_safe import to_csv_bytes

    return to_csv_bytes(audit_frame(db, since, until=until, users=users, actions=actions))


def account_owners(db: Any, account: str) -> list[str]:
    """Who owns ``account``, as written in the data (for a page's note): the account master's ``kam`` when
    set, else the kams of its sales lines."""
    master = db.rows("SELECT kam FROM accounts WHERE account = ? AND trim(coalesce(kam, '')) <> ''", [account])
    if master:
        return [master[0][0]]
    rows = db.rows(
        "SELECT DISTINCT kam FROM sales WHERE account = ? AND trim(coalesce(kam, '')) <> '' ORDER BY kam", [account]
    )
    return [r[0] for r in rows]


# -- for pages and the command line -----------------------------------------------------------------
# page key (ui/nav.py) → the action that shows it; a page not listed is shown to admins only
PAGE_ACTIONS = {
    "overview": "dashboard.view", "pareto": "dashboard.view", "tiers": "dashboard.view",
    "channels": "dashboard.view", "regions": "dashboard.view", "scoring": "dashboard.view",
    "explain": "dashboard.view", "plans": "plan.view", "portfolio": "plan.view", "upload": "upload",
    "audit": "audit.view", "users": "user.view", "settings": "setting.set",
}  # fmt: skip


def visible_pages(actor: Actor, pages: Iterable[str] | None = None) -> list[str]:
    """The page keys ``actor`` may open (in the order given; default every known page)."""
    keys = list(PAGE_ACTIONS) if pages is None else list(pages)
    return [p for p in keys if (can(actor, PAGE_ACTIONS[p]) if p in PAGE_ACTIONS else actor.role == "admin")]


_READ_COMMANDS = {"plan": "plan.view", "plans": "plan.view", "export-plan": "plan.view",
                  "export-portfolio": "plan.view", "audit": "audit.view", "backup": "backup.create"}  # fmt: skip


def cli_actor(args: Any) -> str:
    """Who a command acts as: ``--as EMAIL`` (that user's rights), else the local operator (``--user`` or
    ``local:<os user>``, admin)."""
    resolved = getattr(args, "_actor", None)
    if resolved is not None:
        return resolved
    email = getattr(args, "as_user", None)
    if email:  # not resolved yet (no database opened): resolved at the transaction
        e = normal_email(email)
        return Actor(e, email=e, role="viewer")
    name = getattr(args, "user", None)
    if name is not None and not name.strip():
        return name  # a blank --user stays blank: the transaction refuses it ("a user name is required")
    return local_actor(name)


def cli_guard(db: Any, args: Any) -> Any:
    """With ``--as``: resolve the user (unknown → per ``auth.unknown_users``) and check the command may be read."""
    email = getattr(args, "as_user", None)
    if not email:
        return db
    try:
        actor = lookup(db, email)
        command = getattr(args, "command", None)
        read = _READ_COMMANDS.get(command, "dashboard.view")
        if command == "users" and getattr(args, "action", None) == "list":
            read = "user.view"
        check(actor, read)
    except UserError:
        db.close()
        raise
    args._actor = actor
    return db
