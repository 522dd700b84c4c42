"""The sidebar's settings box: the currency figures are shown in (setting display.currency)."""

from __future__ import annotations

import streamlit as st

from kam_core import currency, settings
from kam_core.errors import UserError
from ui import data
from ui.state import acting_user, flash, has_flash, lang, show_flash, tr


def currency_label(code: str, lang_: str) -> str:
    """'GBP · Pound sterling (£)'; a code not in the list shows as itself."""
    if code.upper() not in currency.CURRENCIES:
        return code
    return f"{code} · {currency.name(code, lang_)} ({currency.symbol(code)})"


def settings_box() -> None:
    """Currency picker (a listed code, or any ISO code typed in), saved with the acting user."""
    L = lang()
    current = data.currency_code()
    options = list(currency.CURRENCIES)
    if current not in options:
        options.append(current)
    with st.sidebar.expander(tr("ui.settings"), icon=":material/settings:", expanded=has_flash("settings_box")):
        show_flash("settings_box")
        with st.form("settings_form", border=False):
            code = st.selectbox(
                tr("ui.currency"), options, index=options.index(current), key="set_currency",
                format_func=lambda c: currency_label(c, L), accept_new_options=True,
                placeholder=tr("ui.currency_placeholder"), help=settings.spec("display.currency").help(L),
            )  # fmt: skip
            save = st.form_submit_button(tr("ui.currency_save"))
        if not save:
            return
        user = acting_user()
        if not user:
            st.warning(tr("ui.need_user"))
            return
        try:
            saved = settings.put(data.db(), "display.currency", (code or "").strip().upper(), user)
        except UserError as e:
            st.error(e.message(L))
            return
        st.session_state.pop("set_currency", None)  # the next run shows the stored value
        flash("settings_box", tr("ui.currency_saved", name=currency.name(saved, L), code=saved))
        st.rerun()
