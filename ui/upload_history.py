"""The upload page's history (every upload, rollback with confirmation, the error report of an upload
with rejected rows) and its downloadable templates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import ingest
from kam_core.commands.import_ import month_span
from kam_core.errors import UserError
from kam_core.i18n import t, value_label
from kam_core.ingest.templates import template_csv, template_xlsx
from ui import columns as cols
from ui import data
from ui.fmt import md
from ui.state import acting_user, flash, lang, show_flash, tr
from ui.upload_review import report_downloads
from ui.widgets import XLSX_MIME, show_table


def period_span(periods: object, L: str) -> str:
    """'2026-03' / '2026-01, 2026-03' / '2023-11 … 2026-10 (36 months)': short enough for the table."""
    ps = [str(p)[:7] for p in periods] if hasattr(periods, "__len__") else []  # NaN when none recorded
    return month_span(ps, L)


def history_step() -> None:
    """6. Every upload, rollback with confirmation, and the error report of an upload with rejected rows."""
    L, db, user = lang(), data.db(), acting_user()
    st.subheader(tr("upload.history.title"))
    hist = data.query(ingest.history)
    if hist.empty:
        st.info(tr("upload.history.empty"))
        return
    shown = pd.DataFrame(
        {
            tr("upload.col.id"): hist["id"],
            tr("upload.col.kind"): [value_label("kind", k, L) for k in hist["kind"]],
            tr("upload.col.file"): hist["file_name"],
            tr("upload.col.user"): hist["user_name"],
            tr("upload.col.time"): hist["created_at"].dt.strftime("%Y-%m-%d %H:%M"),
            tr("upload.col.rows"): hist["rows_loaded"],
            tr("upload.col.rejected"): hist["rows_rejected"],
            tr("upload.col.periods"): [period_span(x, L) for x in hist["periods"]],
            tr("upload.col.accounts"): hist["n_accounts"],
            tr("upload.col.revenue"): hist["revenue"].astype(float),
            tr("upload.col.status"): [tr(f"upload.status.{s}") for s in hist["status"]],
        }
    )
    revenue = tr("upload.col.revenue")
    show_table(shown, hide_index=True, key="up_history", column_config={revenue: cols.money(revenue, decimals=2)})
    can = hist[(hist["status"] != "rolled_back") & (hist["kind"] != "demo")]
    if not can.empty:
        names = {int(r.id): f"#{r.id} · {r.file_name} · {r.user_name}" for r in can.itertuples()}
        c1, c2 = st.columns([3, 2])
        pick = c1.selectbox(tr("upload.history.pick"), list(names), format_func=names.get, key="up_rb_pick")
        plan = ingest.rollback_plan(db, pick)  # later uploads that replaced part of it go back with it
        ids = ", ".join(f"#{x}" for x in plan)
        label = (tr("upload.history.confirm_later", ids=ids, id=pick) if len(plan) > 1
                 else tr("upload.history.confirm", id=pick, file=md(names[pick].split(" · ")[1])))  # fmt: skip
        sure = c2.checkbox(label, key="up_rb_sure")
        if st.button(tr("upload.history.rollback"), disabled=not (sure and user), key="up_rb_go"):
            try:
                r = ingest.rollback(db, pick, user, with_later=len(plan) > 1)
                if len(r["rolled_back"]) > 1:
                    msg = tr("upload.history.rolled_back_many", ids=ids, removed=r["rows_removed"],
                             restored=r["rows_restored"])  # fmt: skip
                else:
                    msg = tr("upload.history.rolled_back", id=pick, removed=r["rows_removed"],
                             restored=r["rows_restored"])  # fmt: skip
                flash("upload_rollback", msg)
                st.session_state.pop("up_rb_sure", None)
                st.cache_data.clear()
                st.rerun()
            except UserError as e:
                st.error(md(e.message(L)))
    show_flash("upload_rollback")
    with_errors = hist[hist["rows_rejected"] > 0]
    if not with_errors.empty:
        with st.expander(tr("upload.history.errors")):
            eid = st.selectbox(
                tr("upload.history.pick"), list(with_errors["id"]), key="up_err_pick", format_func=lambda i: f"#{i}"
            )
            report_downloads(ingest.upload_errors_frame(db, int(eid)), f"upload_{eid}", "up_hist_report")


def templates_step() -> None:
    """7. Downloadable templates per kind, English or Chinese headers."""
    L = lang()
    st.subheader(tr("upload.templates.title"))
    st.caption(tr("upload.templates.help"))
    c1, c2 = st.columns(2)
    t_kind = c1.selectbox(
        tr("upload.kind"), list(ingest.KINDS), format_func=lambda k: t(f"kind.{k}", L), key="up_t_kind"
    )
    t_lang = c2.radio(
        " ", ["en", "zh"], format_func=lambda x: t(f"upload.lang.{x}", L), key="up_t_lang", horizontal=True,
        label_visibility="collapsed",
    )  # fmt: skip
    what = {"kind": tr(f"kind.{t_kind}"), "headers": tr(f"upload.lang.{t_lang}")}
    d1, d2 = st.columns(2)
    d1.download_button(tr("upload.templates.csv", **what), template_csv(t_kind, t_lang),
                       f"template_{t_kind}_{t_lang}.csv", "text/csv", key="up_t_csv")  # fmt: skip
    d2.download_button(tr("upload.templates.xlsx", **what), template_xlsx(t_kind, t_lang),
                       f"template_{t_kind}_{t_lang}.xlsx", XLSX_MIME, key="up_t_xlsx")  # fmt: skip
