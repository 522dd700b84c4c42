"""Upload: file → detected format → mapping → preview (what changes) → commit; history with rollback; templates.

One function per step; each reads the session state, calls kam_core.ingest and draws.
The rules (what blocks a commit, which template is preselected) live in kam_core.ingest.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kam_core import currency, ingest
from kam_core.charts_upload import change_chart
from kam_core.commands.import_ import month_span
from kam_core.errors import UserError
from kam_core.i18n import t, value_label
from kam_core.ingest.templates import template_csv, template_xlsx
from ui import auth as signin
from ui import data, present
from ui.fmt import md
from ui.state import acting_user, flash, lang, show_flash, tr
from ui.widgets import XLSX_MIME, download_pair, show_table

L = lang()
db = data.db()
user = acting_user()
CODE = currency.current(db)


def money(v: object) -> str:
    """A figure in the configured currency (setting display.currency)."""
    return currency.money(None if v is None else float(v), L, CODE)


def money_col(label: str) -> object:
    return st.column_config.NumberColumn(label, format=currency.symbol(CODE) + "%,.2f")


def report_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=["row", "column", "reason"])
    return df.rename(
        columns={"row": tr("upload.col.row"), "column": tr("upload.col.column"), "reason": tr("upload.col.reason")}
    )


def report_downloads(rows: list[dict] | pd.DataFrame, stem: str, key: str) -> None:
    """The error report, every rejected row, as CSV and XLSX (formula-safe; built when clicked)."""
    download_pair(report_frame(rows), f"{stem}_errors", key, "errors",
                  labels=(tr("upload.report.csv"), tr("upload.report.xlsx")))  # fmt: skip


def staged_for(key: tuple, build: Callable[[], ingest.Staged]) -> ingest.Staged:
    """One staged file per session, rebuilt only when the file, kind, sheet or mapping change (or it timed out)."""
    cur = st.session_state.get("_up_staged")
    if cur is not None and cur[0] == key and not cur[1].closed:
        return cur[1].touch()
    drop_staged()
    staged = build()
    st.session_state["_up_staged"] = (key, staged)
    return staged


def drop_staged() -> None:
    """Close this session's staged file (its staging catalog and scratch folder)."""
    cur = st.session_state.pop("_up_staged", None)
    if cur is not None:
        cur[1].close()


def release() -> None:
    """Free everything this session holds for an upload: the staged file and the private copy of the file."""
    drop_staged()
    copy = st.session_state.pop("_up_copy", None)
    if copy is not None:
        shutil.rmtree(copy[1].parent, ignore_errors=True)


def saved_copy(up: UploadedFile) -> Path:
    """The uploaded file saved once, in a private folder (0700, file 0600) of this process's scratch space."""
    cur = st.session_state.get("_up_copy")
    if cur is not None and cur[0] == up.file_id and cur[1].exists():
        os.utime(cur[1].parent)  # in use: the idle reaper leaves it
        return cur[1]
    release()  # a new file: the previous one's staging and copy go
    path = ingest.write_private(ingest.private_dir("kam_upload_") / f"upload{Path(up.name).suffix.lower()}",
                                up.getvalue())  # fmt: skip
    st.session_state["_up_copy"] = (up.file_id, path)
    return path


def period_span(periods: object) -> str:
    """'2026-03' / '2026-01, 2026-03' / '2023-11 … 2026-10 (36 months)': short enough for the table."""
    ps = [str(p)[:7] for p in periods] if hasattr(periods, "__len__") else []  # NaN when none recorded
    return month_span(ps, L)


# -- the steps -------------------------------------------------------------------------------
def last_commit_step() -> None:
    """The summary of the commit that just ran (kept over the rerun that reset the page)."""
    if show_flash("upload_done"):
        st.page_link("app_pages/overview.py", label=tr("upload.to_overview"), icon="📈")


def upload_step(limit: int) -> tuple[str, UploadedFile | None]:
    """1. What the file holds, and the file."""
    kind = st.selectbox(tr("upload.kind"), list(ingest.KINDS), format_func=lambda k: t(f"kind.{k}", L), key="up_kind")
    n = st.session_state.setdefault("_up_n", 0)
    up = st.file_uploader(tr("upload.file"), type=["csv", "tsv", "txt", "xlsx", "xls"], key=f"up_file_{n}")
    st.caption(tr("upload.limit", limit=f"{limit / 1024 / 1024:,.0f} MB"))
    return kind, up


def format_step(up: UploadedFile, limit: int) -> tuple[Path, ingest.Source]:
    """2. The file saved once, its format detected (sheet chosen when there are several) and a sample shown."""
    if up.size > limit:
        raise ingest.IngestError(
            "upload.err.too_large", file=up.name, size=f"{up.size / 1024 / 1024:,.1f} MB",
            limit=f"{limit / 1024 / 1024:,.0f} MB",
        )  # fmt: skip
    path = saved_copy(up)
    src = ingest.sniff(path, up.name, st.session_state.get(f"up_sheet_{up.file_id}"))
    if len(src.sheets) > 1:
        st.selectbox(tr("upload.sheet"), src.sheets, index=src.sheets.index(src.sheet), key=f"up_sheet_{up.file_id}")
    st.success(tr("upload.detected", fmt=md(src.describe(L)), line=src.header_line, n=len(src.headers)))
    with st.expander(tr("upload.sample")):
        width = len(src.headers)
        rows = [(r + [""] * width)[:width] for r in src.sample[:10]]
        show_table(pd.DataFrame(rows, columns=src.headers), hide_index=True)
    return path, src


def mapping_step(up: UploadedFile, kind: str, src: ingest.Source) -> tuple[ingest.Mapping, str]:
    """3. Template (the preselected one first), then one column per field; returns the mapping and the template."""
    st.subheader(tr("upload.step.mapping"))
    st.caption(tr("upload.mapping.help"))
    templates, preselected = ingest.template_choice(db, kind, src.headers, user)
    names = ["", *[tp["name"] for tp in templates]]
    tpl = st.selectbox(
        tr("upload.template.use"), names, index=names.index(preselected or ""),
        format_func=lambda x: x or t("upload.template.auto", L), key=f"up_tpl_{up.file_id}_{kind}",
    )  # fmt: skip
    base = ingest.starting_mapping(kind, src.headers, templates, tpl)
    cands = ingest.candidates(kind, src.headers)
    chosen: dict[str, str] = {}
    scale: dict[str, float] = {}
    cols = st.columns(3)
    for i, fld in enumerate(ingest.FIELDS[kind]):
        first = cands[fld.name]
        options = ["", *first, *[h for h in src.headers if h not in first]]
        current = base.fields.get(fld.name, "")
        label = tr(f"field.{fld.name}") + (f" ({tr('upload.mapping.required')})" if fld.required else "")
        with cols[i % 3]:
            v = st.selectbox(
                label, options, index=options.index(current) if current in options else 0,
                format_func=lambda h: h or t("upload.mapping.none", L),
                key=f"up_map_{up.file_id}_{kind}_{tpl}_{fld.name}",
            )  # fmt: skip
            if v:
                chosen[fld.name] = v
                if fld.kind == "number" and st.checkbox(
                    tr("upload.mapping.wan"), value=base.scale.get(fld.name) == 10000.0,
                    key=f"up_wan_{up.file_id}_{kind}_{tpl}_{fld.name}",
                ):  # fmt: skip
                    scale[fld.name] = 10000.0
    mapping = ingest.Mapping(chosen, scale)
    c1, c2, c3 = st.columns([3, 1, 1])
    tpl_name = c1.text_input(tr("upload.template.name"), key="up_tpl_name")
    shared = c2.checkbox(tr("upload.template.shared"), key="up_tpl_shared", help=tr("upload.template.shared_help"))
    if c3.button(tr("upload.template.save"), key="up_tpl_save", disabled=not (tpl_name.strip() and user)):
        try:
            ingest.save_template(db, tpl_name.strip(), kind, mapping, user, shared=shared)
            st.success(tr("upload.template.saved", name=md(tpl_name.strip())))
        except UserError as e:  # a name another user owns
            st.error(md(e.message(L)))
    return mapping, tpl


def preview_step(
    up: UploadedFile, kind: str, path: Path, src: ingest.Source, mapping: ingest.Mapping, tpl: str
) -> tuple[ingest.Staged, ingest.Preview, bool, str]:
    """4. The file staged and checked, and what a commit would change; returns it with the demo and scope choices."""
    st.subheader(tr("upload.step.preview"))
    staged = staged_for(
        (up.file_id, kind, src.sheet, mapping.to_json()),
        lambda: ingest.stage(
            path, kind, file_name=up.name, sheet=src.sheet, mapping=mapping, lang=L, absurd=ingest.absurd_limit(db),
            source=src, db=db,
        ),
    )  # fmt: skip
    remove_demo, scope = True, "pairs"
    p = ingest.preview(db, staged)
    if p.sales and p.sales.demo_present:
        remove_demo = st.checkbox(tr("upload.remove_demo"), value=True, key="up_remove_demo")
    if p.sales:
        scope = scope_choice(p.sales)
    if p.sales and (not remove_demo or scope != "pairs"):
        p = ingest.preview(db, staged, remove_demo, scope)
    m = st.columns(6)
    m[0].metric(tr("upload.metric.read"), f"{p.rows_read:,}")
    m[1].metric(tr("upload.metric.valid"), f"{p.rows_valid:,}")
    m[2].metric(tr("upload.metric.rejected"), f"{p.rows_rejected:,}")
    m[3].metric(tr("upload.metric.rejected_revenue"), money(p.rejected_revenue))
    m[4].metric(tr("upload.metric.summary"), f"{p.rows_summary:,}")
    if p.sales:
        m[5].metric(tr("upload.metric.change"), money(p.sales.change))
        if p.sales.demo_revenue:
            st.info(tr("upload.demo_removed", revenue=money(p.sales.demo_revenue)))
    elif p.master:
        m[5].metric(tr("upload.metric.keys_new"), p.master.keys_new)
        st.caption(tr("upload.metric.keys_known") + f": {p.master.keys_known}")
    if p.identity:
        identity_choice(up, kind, tpl, p.identity)
    for note in p.notes:
        st.info(md(note))
    if p.sales:
        draw_sales_change(p.sales)
    if p.rejected:
        st.markdown(f"**{tr('upload.rejected.title')}**")
        show_table(report_frame(p.rejected), hide_index=True)
        if len(p.rejected) < p.rows_rejected or len(p.rejected) < staged.checked.rejected_entries:
            st.caption(tr("upload.rejected.shown", shown=f"{len(p.rejected):,}",
                          n=f"{staged.checked.rejected_entries:,}"))  # fmt: skip
        report_downloads(pd.DataFrame(p.all_rejected(), columns=["row", "column", "reason"]), Path(up.name).stem,
                         "up_report")  # fmt: skip
    if p.warnings:
        with st.expander(f"{tr('upload.warnings.title')} ({p.warning_count:,})"):
            show_table(report_frame(p.warnings), hide_index=True)
    return staged, p, remove_demo, scope


def scope_choice(s: ingest.SalesChange) -> str:
    """The replace scope (pairs by default), with the suggestion from the file and the stored months."""
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
    st.caption(tr("upload.periods", periods=month_span([f"{x:%Y-%m}" for x in s.periods], L)))
    through = [f"{m.period:%Y-%m} → {m.data_through:%Y-%m-%d}" for m in s.through if m.data_through]
    if through:
        st.caption(tr("upload.through", months=", ".join(through[:12])))
    a1, a2 = st.columns(2)
    a1.metric(tr("upload.metric.new_accounts"), len(s.accounts_new))
    a2.metric(tr("upload.metric.known_accounts"), len(s.accounts_known))
    if s.accounts_new:
        st.caption(tr("upload.new_accounts", accounts=", ".join(md(a) for a in s.accounts_new[:30])))
    st.markdown(f"**{tr('upload.replaced.title')}**")
    cfg = {tr(k): money_col(tr(k)) for k in ("upload.col.before", "upload.col.after", "upload.col.delta",
                                              "col.revenue")}  # fmt: skip
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
    st.plotly_chart(change_chart(s.months, labels), key="up_chart")


def commit_step(
    up: UploadedFile,
    kind: str,
    path: Path,
    staged: ingest.Staged,
    p: ingest.Preview,
    remove_demo: bool,
    tpl: str,
    scope: str,
) -> None:
    """5. What blocks the commit (kam_core's rules), then the commit button."""
    st.subheader(tr("upload.step.commit"))
    above = st.container()  # the duplicate warning shows above the skip-invalid choice
    skip = st.checkbox(tr("upload.skip_invalid"), key="up_skip_invalid") if p.rows_rejected else False
    blockers = ingest.commit_blockers(p, user=user, skip_invalid=skip)
    for b in blockers:
        if b.key == "upload.err.duplicate":
            above.warning(tr("upload.duplicate", id=b.values["id"], user=md(str(b.values["user"])), at=b.values["at"]))
        elif b.key == "upload.err.no_user":
            st.warning(tr("upload.user_needed"))
        # rejected rows / nothing valid: the report above and the skip-invalid choice say it
    if st.button(tr("upload.commit"), type="primary", disabled=bool(blockers), key="up_commit"):
        bar = st.progress(0.0, text=tr("upload.progress.write"))
        out = ingest.commit(
            db, staged, user, skip_invalid=skip, remove_demo=remove_demo, template=tpl or None,
            progress=lambda x, _s: bar.progress(min(1.0, x), text=tr("upload.progress.write")), scope=scope,
        )  # fmt: skip
        release()  # the staging area and the uploaded copy are not kept once committed
        st.session_state["_up_n"] = st.session_state.get("_up_n", 0) + 1  # a fresh file chooser
        periods = month_span([f"{x:%Y-%m}" for x in (out.sales.periods if out.sales else [])], L)
        flash("upload_done", tr("upload.done", id=out.upload_id, rows=f"{out.rows_loaded:,}",
                                periods=periods or tr(f"kind.{kind}"),
                                total=money(out.sales.total_after if out.sales else None)))  # fmt: skip
        st.cache_data.clear()
        st.rerun()


def history_step() -> None:
    """6. Every upload, rollback with confirmation, and the error report of an upload with rejected rows."""
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
            tr("upload.col.periods"): [period_span(x) for x in hist["periods"]],
            tr("upload.col.accounts"): hist["n_accounts"],
            tr("upload.col.revenue"): hist["revenue"].astype(float),
            tr("upload.col.status"): [tr(f"upload.status.{s}") for s in hist["status"]],
        }
    )
    show_table(shown, hide_index=True, key="up_history",
                 column_config={tr("upload.col.revenue"): money_col(tr("upload.col.revenue"))})  # fmt: skip
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


# -- the page --------------------------------------------------------------------------------
st.title(tr("page.upload"))
signin.page_guard("upload")  # a deep link of a role that may not upload
if present.editing_hidden():  # the whole page edits data: hidden while presenting
    st.stop()
st.caption(tr("upload.intro"))
limit = ingest.max_bytes(db, "page")
last_commit_step()
kind, up = upload_step(limit)
ingest.reap()  # staged files other sessions left behind (closed tabs) are freed after a while
if up is None:
    release()  # no file (removed, or never chosen): nothing staged stays in memory
else:
    try:
        path, src = format_step(up, limit)
        mapping, tpl = mapping_step(up, kind, src)
        staged, p, remove_demo, scope = preview_step(up, kind, path, src, mapping, tpl)
        commit_step(up, kind, path, staged, p, remove_demo, tpl, scope)
    except UserError as e:  # IngestError included
        st.error(md(e.message(L)))
history_step()
templates_step()
