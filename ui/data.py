"""Cached access to kam_core from the pages.

One Database per process and path (st.cache_resource); pure reads cached by
st.cache_data, keyed by the database path, the filters and the data version, so a new
upload or rollback shows at once. The app holds its file while it runs and runs the command
line's jobs for it (kam_core.handover): a CLI import bumps the same data version.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from kam_core import auth, demo, derived, handover
from kam_core.db import Database, default_path, get_db

OPEN_WAIT = 300.0  # seconds the app waits for a command line job that holds the file as the app starts


def open_app_db(path: str) -> Database:
    """The app's Database for ``path``, serving the command line's jobs and warming the derived results.

    Idempotent: serve.py calls it as the server starts (before the first visitor), the first session again."""
    d = get_db(path, wait=OPEN_WAIT)
    handover.serve(d)  # from now on the CLI hands its commands to this process
    with _OPEN_LOCK:
        if derived.enabled() and d.warm != "background":
            # every data write (here or handed over by the CLI) brings the stored derived results up to date in
            # a background thread; and now, in case the file has none for its data (a new app version, a restore)
            d.warm = "background"
            derived.WARMER.soon(d)
    # Everything loaded so far (Streamlit, pandas, plotly, our modules: ~300 000 objects) lives as long as the
    # process: kept out of the garbage collector's full passes, which otherwise cost 0.1 - 0.2 s at random
    # moments of a page run.
    gc.freeze()
    return d


_OPEN_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _db(path: str) -> Database:
    return open_app_db(path)


def db() -> Database:
    return _db(str(default_path()))


def ensure_data(spinner_text: str) -> None:
    """On an empty database load the demo dataset (unless KAM_DEMO=0)."""
    d = db()
    if os.environ.get("KAM_DEMO", "1") == "0":
        return
    if demo.nothing_loaded(d):
        with st.spinner(spinner_text):
            try:
                demo.build(d, user=auth.local_actor("demo"), only_if_empty=True)  # the app itself
            except demo.HasDataError:
                return  # another session loaded data meanwhile: keep it
        st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, version: tuple[int, int], name: str, _fn: Callable[..., Any], args: tuple, kwargs: tuple) -> Any:
    # `name` keys the cache; `_fn` (unhashed) is the function it names.
    return _fn(get_db(path), *args, **dict(kwargs))


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(db, *args, **kwargs)``, cached until anything is written (Database.versions: a plan save
    too — the heavy results derived from the data, the tier classification and the scores, are
    kept by kam_core per data version and are not computed again for it)."""
    d = db()
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _cached(str(d.path), d.versions(), name, fn, args, tuple(sorted(kwargs.items())))


@st.cache_resource(show_spinner=False, max_entries=128)
def _built(key: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def built(key: tuple, build: Callable[[], Any]) -> Any:
    """``build()`` once per ``key`` and state of the data (database, versions, display currency): a rerun
    reuses the figure instead of building plotly objects again (the tier map alone took 0.4 s at 100 000
    accounts). ``key`` names the figure and everything else it depends on (filters, language, choices).
    Shared by every session, so read-only: ui.widgets.chart copies a figure before it changes it."""
    from ui import fmt

    d = db()
    return _built((str(d.path), d.versions(), fmt.currency_code(), *key), build)


def currency_code() -> str:
    """The display.currency setting, cached with the data version (a saved change shows at once)."""
    from kam_core import currency

    return query(currency.current)


def dimensions() -> dict:
    """Which optional sales columns the data has (kam_core.analytics.dimensions.coverage, all data)."""
    from kam_core.analytics import dimensions as dims

    return query(dims.coverage)
