"""The upload page's review of a staged file: what a commit would change, the replace scope, the
account key, and the error report (rows as CSV / XLSX)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kam_core import ingest
from kam_core.charts_upload import change_chart
from kam_core.commands.import_ import month_span
from kam_core.i18n import t
from ui import columns as cols
from ui import fmt
from ui.fmt import md
from ui.state import lang, tr
from ui.widgets import chart, download_pair, show_table


def money(v: object) -> str:
    """A figure in the configured currency (setting display.currency)."""
    return fmt.money(None if v is None else float(v), lang())


def report_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=["row", "column", "reason"])
    return df.rename(
        columns={"row": tr("upload.col.row"), "column": tr("upload.col.column"), "reason": tr("upload.col.reason")}
    )


def report_downloads(rows: list[dict] | pd.DataFrame, stem: str, key: str) -> None:
    """The error report, every rejected row, as CSV and XLSX (formula-safe; built when clicked)."""
    download_pair(report_frame(rows), f"{stem}_errors", key, "errors",
                  labels=(tr("upload.report.csv"), tr("upload.report.xlsx")))  # fmt: skip


def scope_choice(s: ingest.SalesChange) -> str:
    """The replace scope (pairs by default), with the suggestion from the file and the stored months."""
    L = lang()  # (format_func may run after the call: the language is captured)
    suggested = s.suggested_scope
    if suggested == "months":
        st.info(tr("upload.scope.suggest_months", share=f"{ingest.SUGGEST_MONTHS_SHARE:.0%}",
                   n=len(s.absent), revenue=money(s.absent_revenue)))  # fmt: skip
    return st.radio(
        tr("upload.scope.label"), list(ingest.SCOPES), format_func=lambda x: t(f"upload.scope.{x}", L),
        key="up_scope", horizontal=True,
    )  # fmt: skip


def identity_choice(up: UploadedFile, kind: str, tpl: str, ident: ingest.Identity) -> None:
    """Both a customer name and a customer id column: which one is the account key (sets the mapping)."""
    options = [ident.name_column, ident.id_column]
    rkey, mkey = f"up_acct_key_{up.file_id}", f"up_map_{up.file_id}_{kind}_{tpl}_account"
    if ident.key_column in options:
        st.session_state[rkey] = ident.key_column  # follows the mapping editor

    def _pick() -> None:
        st.session_state[mkey] = st.session_state[rkey]

    st.radio(tr("upload.identity.key"), options, key=rkey, horizontal=True, on_change=_pick, format_func=md)


def _pairs_frame(rows: list, changed: bool = False) -> pd.DataFrame:
    if changed:
        return pd.DataFrame(
            {tr("col.period"): [f"{r.period:%Y-%m}" for r in rows], tr("col.account"): [r.account for r in rows],
             tr("upload.col.before"): [float(r.old_revenue) for r in rows],
             tr("upload.col.after"): [float(r.new_revenue) for r in rows],
             tr("upload.col.delta"): [float(r.delta) for r in rows]}
        )  # fmt: skip
    return pd.DataFrame({tr("col.period"): [f"{r.period:%Y-%m}" for r in rows],
                         tr("col.account"): [r.account for r in rows],
                         tr("col.revenue"): [float(r.revenue) for r in rows]})  # fmt: skip


def _values_frame(rows: list[ingest.ValueCount]) -> pd.DataFrame:
    return pd.DataFrame({tr("upload.col.value"): [v.value for v in rows],
                         tr("upload.col.lines"): [v.rows for v in rows],
                         tr("col.revenue"): [float(v.revenue) for v in rows]})  # fmt: skip


def draw_sales_change(s: ingest.SalesChange) -> None:
    """Periods, accounts, what changes first (changed, new, kept / removed pairs), odd geography, the chart."""
    st.caption(tr("upload.periods", periods=month_span([f"{x:%Y-%m}" for x in s.periods], lang())))
    through = [f"{m.data_through:%Y-%m-%d}" for m in s.through if m.data_through]  # (the date names its month)
    if through:
        st.caption(tr("upload.through", months=", ".join(through[:12])))
    a1, a2 = st.columns(2)
    a1.metric(tr("upload.metric.new_accounts"), len(s.accounts_new))
    a2.metric(tr("upload.metric.known_accounts"), len(s.accounts_known))
    if s.accounts_new:
        st.caption(tr("upload.new_accounts", accounts=", ".join(md(a) for a in s.accounts_new[:30])))
    st.markdown(f"**{tr('upload.replaced.title')}**")
    # amounts to the cent, as the file holds them; the difference signed, the currency in its header
    cfg = {tr(k): cols.money(tr(k), decimals=2) for k in ("upload.col.before", "upload.col.after", "col.revenue")}
    cfg[tr("upload.col.delta")] = cols.signed_money(tr("upload.col.delta"), decimals=2)
    if s.replaced or s.absent:
        st.write(tr("upload.replaced.summary", n=len(s.replaced), old=money(s.replaced_revenue),
                    new=money(sum(r.new_revenue for r in s.replaced))))  # fmt: skip
    else:
        st.caption(tr("upload.replaced.none"))
    if s.changed:
        st.markdown(tr("upload.changed.title", n=f"{len(s.changed):,}"))
        show_table(_pairs_frame(s.changed, True), hide_index=True, column_config=cfg, key="up_changed")
    if s.unchanged:
        st.caption(tr("upload.changed.unchanged", n=f"{s.unchanged:,}"))
    if s.new_pairs:
        st.markdown(tr("upload.new_pairs.title", n=f"{len(s.new_pairs):,}",
                       revenue=money(sum(x.revenue for x in s.new_pairs))))  # fmt: skip
        show_table(_pairs_frame(s.new_pairs), hide_index=True, column_config=cfg, key="up_new_pairs")
    if s.absent:
        title = "upload.kept.title" if s.scope == "pairs" else "upload.removed.title"
        st.markdown(tr(title, n=f"{len(s.absent):,}", revenue=money(s.absent_revenue)))
        show_table(_pairs_frame(s.absent), hide_index=True, column_config=cfg, key="up_kept")
    if s.foreign_provinces:
        st.markdown(tr("upload.foreign.title", n=len(s.foreign_provinces)))
        show_table(_values_frame(s.foreign_provinces), hide_index=True, column_config=cfg, key="up_foreign")
    if s.unknown_regions:
        st.markdown(tr("upload.regions.unknown", n=len(s.unknown_regions)))
        show_table(_values_frame(s.unknown_regions), hide_index=True, column_config=cfg, key="up_regions")
    st.markdown(f"**{tr('upload.chart.title')}**")
    labels = {"before": tr("upload.chart.before"), "after": tr("upload.chart.after")}
    chart(change_chart(s.months, labels, fmt.symbol(), lang()), key="up_chart")
