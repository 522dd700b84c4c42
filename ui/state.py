"""Language, acting user, flash messages and global filters: sidebar widgets whose state lives in the URL.

The query string is read once per session into widget state and rewritten after every
run, so a copied link reopens the same view.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import date
from typing import Literal

import streamlit as st

from kam_core.analytics.overview import FilterOptions
from kam_core.db import os_user
from kam_core.filters import Filters, add_months, default_period, parse_month
from kam_core.i18n import LANGS, t, value_label

_LIST_PARAMS = {"region": "f_region", "channel": "f_channel", "kam": "f_kam"}
PRESENT = "present"  # URL flag ?present=1 and the widget key of presentation mode's toggle (ui/present.py)
SIGNED_IN = "_auth_actor"  # the signed-in Actor (ui/auth.py); absent in local mode


def lang() -> str:
    return st.session_state.get("lang", "en")


def tr(key: str, /, **fmt: object) -> str:
    return t(key, lang(), **fmt)


def tr_fixed() -> Callable[..., str]:
    """``tr`` with this run's language captured, for a format_func: Streamlit (and AppTest) may call it after
    the script run, when the session's language is not what it reads."""
    lg = lang()
    return lambda key, /, **fmt: t(key, lg, **fmt)


def _month_str(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def load_query_params() -> None:
    """First run of a session: seed widget state from the URL."""
    if st.session_state.get("_qp_loaded"):
        return
    st.session_state["_qp_loaded"] = True
    qp = st.query_params
    if qp.get("lang") in LANGS:
        st.session_state["lang"] = qp.get("lang")
    if qp.get(PRESENT) in ("1", "true"):
        st.session_state[PRESENT] = True
    st.session_state["_qp_from"] = qp.get("from")
    st.session_state["_qp_to"] = qp.get("to")
    for param, key in _LIST_PARAMS.items():
        values = qp.get_all(param)
        if values:
            st.session_state["_qp_" + key] = values


def language_switch() -> None:
    st.session_state.setdefault("lang", "en")
    st.sidebar.title(t("app.title", lang()))
    st.sidebar.radio(t("sidebar.language", lang()), list(LANGS), key="lang", format_func=LANGS.get, horizontal=True)


_USER = "_user_name"  # the typed name, kept outside the widget's own state


def _keep_user() -> None:
    st.session_state[_USER] = st.session_state.get("user_name", "")


def user_field() -> str:
    """The sidebar's name field (local mode). The name lives under a plain key and re-seeds the widget each run:
    a widget's state is dropped when a run that did not draw it completes (an interrupted run, a reconnect),
    and a name that vanishes turns every save into "enter your name"."""
    ss = st.session_state
    if _USER not in ss:
        ss[_USER] = ss.get("user_name") or os.environ.get("KAM_USER") or os_user()
    ss["user_name"] = ss[_USER]
    st.sidebar.text_input(tr("sidebar.user"), key="user_name", on_change=_keep_user)
    return acting_user()


def acting_user() -> str:
    """Who saves, overrides, uploads: the signed-in person (a kam_core Actor, set by ui/auth.py), else in local
    mode the name in the sidebar's user field, stripped ('' when empty)."""
    actor = st.session_state.get(SIGNED_IN)
    if actor is not None:
        return actor
    ss = st.session_state
    return str((ss[_USER] if _USER in ss else ss.get("user_name")) or "").strip()


# -- flash: a message set before st.rerun(), shown once on the next run ---------------------------
_FLASH = "_flash_"
FlashKind = Literal["success", "info", "warning", "error"]


def flash(key: str, message: str, kind: FlashKind = "success") -> None:
    """Keep ``message`` for the next run, where ``show_flash(key)`` draws it (call before st.rerun())."""
    st.session_state[_FLASH + key] = (kind, message)


def has_flash(key: str) -> bool:
    """A message waits under ``key`` (e.g. to open the expander that will show it)."""
    return _FLASH + key in st.session_state


def show_flash(key: str) -> bool:
    """Draw the message waiting under ``key``, once; True when there was one."""
    pending = st.session_state.pop(_FLASH + key, None)
    if pending is None:
        return False
    kind, message = pending
    getattr(st, kind)(message)
    return True


def _month_range(opts: FilterOptions) -> list[str]:
    out, d = [], opts.first
    while d <= opts.last:
        out.append(_month_str(d))
        d = add_months(d, 1)
    return out


def filters_sidebar(opts: FilterOptions) -> Filters:
    """Draw the global filters; return the selection (all empty when there is no data)."""
    if opts.first is None:
        return Filters()
    st.sidebar.subheader(tr("sidebar.filters"))
    months = _month_range(opts)
    # The range comes from the URL on a session's first run, else the last 12 months. It is
    # passed as `value` (not written to session state) so the widget stays a range slider.
    start, end = default_period(opts.first, opts.last)  # type: ignore[arg-type]
    default = (_month_str(start), _month_str(end))
    lo, hi = st.session_state.pop("_qp_from", None), st.session_state.pop("_qp_to", None)
    if lo in months or hi in months:
        lo = lo if lo in months else default[0]
        hi = hi if hi in months else default[1]
        default = (min(lo, hi), max(lo, hi))
    current = st.session_state.get("f_period")
    if current is not None and any(m not in months for m in current):
        del st.session_state["f_period"]  # the data no longer covers the old range
    st.sidebar.select_slider(tr("sidebar.period"), options=months, value=default, key="f_period")
    choices = {"f_region": opts.regions, "f_channel": opts.channels, "f_kam": opts.kams}
    labels = {"f_region": ("sidebar.region", "region"), "f_channel": ("sidebar.channel", "channel"),
              "f_kam": ("sidebar.kam", None)}  # fmt: skip
    for key, options in choices.items():
        seeded = st.session_state.pop("_qp_" + key, None)
        if key not in st.session_state:
            st.session_state[key] = [v for v in (seeded or []) if v in options]
        else:
            st.session_state[key] = [v for v in st.session_state[key] if v in options]
        label_key, kind = labels[key]
        st.sidebar.multiselect(
            tr(label_key),
            options,
            key=key,
            placeholder=tr("sidebar.all"),
            format_func=functools.partial(value_label, kind, lang=lang()) if kind else str,
        )
    if st.sidebar.button(tr("sidebar.reset"), key="f_reset"):
        for key in ("f_period", *choices):
            st.session_state.pop(key, None)
        st.rerun()
    lo, hi = st.session_state["f_period"]
    return Filters(
        start=parse_month(lo),
        end=parse_month(hi),
        regions=tuple(st.session_state["f_region"]),
        channels=tuple(st.session_state["f_channel"]),
        kams=tuple(st.session_state["f_kam"]),
    )


def write_query_params(f: Filters) -> None:
    """Mirror language, filters and presentation mode into the URL (only our keys; page keys are left alone)."""
    qp = st.query_params
    want: dict[str, str | list[str]] = {"lang": lang()}
    if st.session_state.get(PRESENT):
        want[PRESENT] = "1"
    if f.start:
        want["from"] = _month_str(f.start)
    if f.end:
        want["to"] = _month_str(f.end)
    for param, values in (("region", f.regions), ("channel", f.channels), ("kam", f.kams)):
        if values:
            want[param] = list(values)
    for key in ("lang", PRESENT, "from", "to", *_LIST_PARAMS):
        if key in want:
            cur = qp.get_all(key)
            new = want[key] if isinstance(want[key], list) else [want[key]]
            if cur != new:
                qp[key] = want[key]
        elif key in qp:
            del qp[key]


def url_choice(param: str, options: list[str]) -> int:
    """Index of a page-level choice given in the URL (a shared link), else 0; for a widget's ``index=``."""
    value = st.query_params.get(param)
    return options.index(value) if value in options else 0


def keep_in_url(param: str, value: str, default: str) -> None:
    """Mirror a page-level choice into the URL (left out while it is the default)."""
    qp = st.query_params
    if value == default:
        if param in qp:
            del qp[param]
    elif qp.get(param) != value:
        qp[param] = value
