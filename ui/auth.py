"""Who uses the app: Streamlit's OIDC sign-in when an identity provider is configured, else local mode.

**Sign-in mode**: an ``[auth]`` section in ``.streamlit/secrets.toml`` (see
``.streamlit/secrets.example.toml``). Someone not signed in sees the sign-in page only; a signed-in
person is matched to the users table once per session (:func:`kam_core.auth.sign_in`; the first on a
database without users becomes admin), and their role is re-read on every run, so a change an admin
makes applies at once. kam_core then refuses a plain name (``auth.require_sign_in``).

**Local mode**: no ``[auth]`` section. One local user with full rights, named in the sidebar; every
page says so. The quick start needs no sign-in.

Pages ask :func:`may` before they draw an edit control; kam_core checks the same rule again on write.
"""

from __future__ import annotations

import streamlit as st

from kam_core import auth
from kam_core.auth import Actor
from kam_core.errors import UserError
from ui import data
from ui.state import SIGNED_IN, acting_user, lang, tr, user_field


def configured() -> bool:
    """An identity provider is configured: an ``[auth]`` section in the secrets (AppTest: ``at.secrets``)."""
    try:
        return bool(st.secrets.get("auth"))
    except FileNotFoundError:  # no secrets file (StreamlitSecretNotFoundError): local mode
        return False


def current() -> Actor:
    """Who acts in this run: the signed-in Actor, or the local operator (full rights)."""
    actor = st.session_state.get(SIGNED_IN)
    if actor is not None:
        return actor
    return auth.local_actor(acting_user() or None)


def may(action: str, resource: auth.Resource | None = None) -> bool:
    """May the person of this session do ``action`` (on ``resource``)? For showing an edit control."""
    return auth.can(current(), action, resource)


def gate() -> Actor:
    """Before anything else is drawn: who uses the app. Not signed in (sign-in mode): the sign-in page, then stop."""
    on = configured()
    auth.require_sign_in(on)
    if not on:
        st.session_state.pop(SIGNED_IN, None)
        return current()
    if not st.user.is_logged_in:
        st.session_state.pop(SIGNED_IN, None)
        _sign_in_page()
        st.stop()
    email = st.user.get("email")
    if not email:
        _refused(tr("auth.ui.no_email"))
    known: Actor | None = st.session_state.get(SIGNED_IN)
    try:
        if known is not None and known.email == auth.normal_email(email):
            actor = auth.lookup(data.db(), known.email)  # the role as it is now (an admin may have changed it)
        else:
            actor = auth.sign_in(data.db(), email, st.user.get("name"))
    except UserError as e:
        _refused(e.message(lang()))
    st.session_state[SIGNED_IN] = actor
    return actor


def _sign_in_page() -> None:
    st.title(tr("auth.ui.sign_in_title"))
    st.write(tr("auth.ui.sign_in_text"))
    st.button(tr("auth.ui.sign_in"), key="auth_sign_in", type="primary", on_click=st.login, icon=":material/login:")


def _refused(message: str) -> None:
    st.session_state.pop(SIGNED_IN, None)
    st.title(tr("auth.ui.sign_in_title"))
    st.error(message)
    st.button(tr("auth.ui.sign_out"), key="auth_sign_out", on_click=_sign_out, icon=":material/logout:")
    st.stop()


def _sign_out() -> None:
    st.session_state.pop(SIGNED_IN, None)
    st.logout()


def identity_box(actor: Actor) -> None:
    """The sidebar's identity: the signed-in person and a sign-out button, or local mode's name field and note.

    Shown with st.text: a typed name, or one from the identity provider, stays text (never read as Markdown).
    """
    if actor.local:
        user_field()
        name = acting_user()
        st.sidebar.text(tr("auth.ui.local", name=name) if name else tr("auth.ui.local_unnamed"))
        return
    role = tr(f"auth.role.{actor.role}")
    if actor.role == "kam":
        line = tr("auth.ui.signed_in_kam", name=actor.name, email=actor.email, role=role, kam=actor.kam_name or "–")
    else:
        line = tr("auth.ui.signed_in", name=actor.name, email=actor.email, role=role)
    st.sidebar.text(line)
    st.sidebar.button(tr("auth.ui.sign_out"), key="auth_sign_out", on_click=_sign_out, icon=":material/logout:")


def page_guard(action: str) -> None:
    """At the top of a page: a person whose role may not ``action`` gets a note instead (a deep link)."""
    actor = current()
    if not auth.can(actor, action):
        st.warning(tr("auth.ui.page_refused", role=tr(f"auth.role.{actor.role}")), icon=":material/lock:")
        st.stop()
