"""Upload: file → detected format → mapping → preview (what changes) → commit; history with rollback; templates.

One function per step; each reads the session state, calls kam_core.ingest and draws.
The rules (what blocks a commit, which template is preselected) live in kam_core.ingest.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kam_core import ingest
from kam_core.charts_upload import change_chart
from kam_core.errors import UserError
from kam_core.export_safe import to_csv_bytes, to_xlsx_bytes
from kam_core.i18n import t, value_label
from kam_core.ingest.templates import template_csv, template_xlsx
from ui import data, fmt
from ui.fmt import md
from ui.state import lang, tr

L = lang()
db = data.db()
user = (st.session_state.get("user_name") or "").strip()
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["row", "column", "reason"])
    return df.rename(
        columns={"row": tr("upload.col.row"), "column": tr("upload.col.column"), "reason": tr("upload.col.reason")}
    )


def report_downloads(rows: list[dict], stem: str, key: str) -> None:
    df = report_frame(rows)
    c1, c2 = st.columns(2)
    c1.download_button(tr("upload.report.csv"), to_csv_bytes(df), f"{stem}_errors.csv", "text/csv", key=key + "_csv")
    c2.download_button(
        tr("upload.report.xlsx"), to_xlsx_bytes({"errors": df}), f"{stem}_errors.xlsx", XLSX_MIME, key=key + "_xlsx"
    )


def staged_for(key: tuple, build: Callable[[], ingest.Staged]) -> ingest.Staged:
    """One staged file per session, rebuilt only when the file, kind, sheet or mapping change."""
    cur = st.session_state.get("_up_staged")
    if cur is not None and cur[0] == key:
        return cur[1]
    if cur is not None:
        cur[1].close()
        st.session_state.pop("_up_staged", None)
    staged = build()
    st.session_state["_up_staged"] = (key, staged)
    return staged


def period_span(periods: object) -> str:
    """'2026-03' / '2026-01, 2026-03' / '2023-11 … 2026-10 (36)': short enough for the table."""
    ps = [str(p)[:7] for p in periods] if hasattr(periods, "__len__") else []  # NaN when none recorded
    return ", ".join(ps) if len(ps) <= 3 else f"{ps[0]} … {ps[-1]} ({len(ps)})"


# -- the steps -------------------------------------------------------------------------------
def last_commit_step() -> None:
    """The summary of the commit that just ran (kept over the rerun that reset the page)."""
    done = st.session_state.pop("_up_done", None)
    if done:
        total = fmt.money(done["total"], L)
        st.success(tr("upload.done", id=done["id"], rows=f"{done['rows']:,}", periods=done["periods"], total=total))
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
    path = Path(tempfile.gettempdir()) / f"kam_upload_{up.file_id}{Path(up.name).suffix.lower()}"
    if not path.exists():
        path.write_bytes(up.getvalue())
    src = ingest.sniff(path, up.name, st.session_state.get(f"up_sheet_{up.file_id}"))
    if len(src.sheets) > 1:
        st.selectbox(tr("upload.sheet"), src.sheets, index=src.sheets.index(src.sheet), key=f"up_sheet_{up.file_id}")
    st.success(tr("upload.detected", fmt=src.describe(L), line=src.header_line, n=len(src.headers)))
    with st.expander(tr("upload.sample")):
        width = len(src.headers)
        rows = [(r + [""] * width)[:width] for r in src.sample[:10]]
        st.dataframe(pd.DataFrame(rows, columns=src.headers), hide_index=True)
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
    c1, c2 = st.columns([3, 1])
    tpl_name = c1.text_input(tr("upload.template.name"), key="up_tpl_name")
    if c2.button(tr("upload.template.save"), key="up_tpl_save", disabled=not (tpl_name.strip() and user)):
        ingest.save_template(db, tpl_name.strip(), kind, mapping, user)
        st.success(tr("upload.template.saved", name=md(tpl_name.strip())))
    return mapping, tpl


def preview_step(
    up: UploadedFile, kind: str, path: Path, src: ingest.Source, mapping: ingest.Mapping
) -> tuple[ingest.Staged, ingest.Preview, bool]:
    """4. The file staged and checked, and what a commit would change; returns it with the remove-demo choice."""
    st.subheader(tr("upload.step.preview"))
    staged = staged_for(
        (up.file_id, kind, src.sheet, mapping.to_json()),
        lambda: ingest.stage(
            path, kind, file_name=up.name, sheet=src.sheet, mapping=mapping, lang=L, absurd=ingest.absurd_limit(db),
            source=src, db=db,
        ),
    )  # fmt: skip
    remove_demo = True
    p = ingest.preview(db, staged)
    if p.sales and p.sales.demo_present:
        remove_demo = st.checkbox(tr("upload.remove_demo"), value=True, key="up_remove_demo")
        if not remove_demo:
            p = ingest.preview(db, staged, remove_demo)
    m = st.columns(5)
    m[0].metric(tr("upload.metric.read"), f"{p.rows_read:,}")
    m[1].metric(tr("upload.metric.valid"), f"{p.rows_valid:,}")
    m[2].metric(tr("upload.metric.rejected"), f"{p.rows_rejected:,}")
    m[3].metric(tr("upload.metric.summary"), f"{p.rows_summary:,}")
    if p.sales:
        m[4].metric(tr("upload.metric.change"), fmt.money(p.sales.change, L))
        draw_sales_change(p.sales)
    elif p.master:
        m[4].metric(tr("upload.metric.keys_new"), p.master.keys_new)
        st.caption(tr("upload.metric.keys_known") + f": {p.master.keys_known}")
    for note in p.notes:
        st.info(md(note))
    if p.rejected:
        st.markdown(f"**{tr('upload.rejected.title')}**")
        st.dataframe(report_frame(p.rejected), hide_index=True)
        report_downloads(p.rejected, Path(up.name).stem, "up_report")
    if p.warnings:
        with st.expander(f"{tr('upload.warnings.title')} ({p.warning_count:,})"):
            st.dataframe(report_frame(p.warnings), hide_index=True)
    return staged, p, remove_demo


def draw_sales_change(s: ingest.SalesChange) -> None:
    """Periods, new / known accounts, the replaced (period, account) pairs and the before / after chart."""
    st.caption(tr("upload.periods", periods=", ".join(f"{x:%Y-%m}" for x in s.periods)))
    a1, a2 = st.columns(2)
    a1.metric(tr("upload.metric.new_accounts"), len(s.accounts_new))
    a2.metric(tr("upload.metric.known_accounts"), len(s.accounts_known))
    if s.accounts_new:
        st.caption(tr("upload.new_accounts", accounts=", ".join(md(a) for a in s.accounts_new[:30])))
    st.markdown(f"**{tr('upload.replaced.title')}**")
    if s.replaced:
        new = sum(r.new_revenue for r in s.replaced)
        st.write(tr("upload.replaced.summary", n=len(s.replaced), old=fmt.money(s.replaced_revenue, L),
                    new=fmt.money(new, L)))  # fmt: skip
        rows = [
            {tr("col.period"): f"{r.period:%Y-%m}", tr("col.account"): r.account,
             tr("upload.col.old"): float(r.old_revenue), tr("upload.col.new"): float(r.new_revenue)}
            for r in s.replaced
        ]  # fmt: skip
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    else:
        st.caption(tr("upload.replaced.none"))
    st.markdown(f"**{tr('upload.chart.title')}**")
    labels = {"before": tr("upload.chart.before"), "after": tr("upload.chart.after")}
    st.plotly_chart(change_chart(s.months, labels), key="up_chart")


def commit_step(
    up: UploadedFile, kind: str, path: Path, staged: ingest.Staged, p: ingest.Preview, remove_demo: bool, tpl: str
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
            progress=lambda x, _s: bar.progress(min(1.0, x), text=tr("upload.progress.write")),
        )  # fmt: skip
        staged.close()
        path.unlink(missing_ok=True)  # the uploaded copy is not kept once committed
        st.session_state.pop("_up_staged", None)
        st.session_state["_up_n"] = st.session_state.get("_up_n", 0) + 1  # a fresh file chooser
        st.session_state["_up_done"] = {
            "id": out.upload_id,
            "rows": out.rows_loaded,
            "periods": ", ".join(f"{x:%Y-%m}" for x in (out.sales.periods if out.sales else [])) or tr(f"kind.{kind}"),
            "total": out.sales.total_after if out.sales else None,
        }
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
    st.dataframe(shown, hide_index=True, key="up_history")
    can = hist[(hist["status"] != "rolled_back") & (hist["kind"] != "demo")]
    if not can.empty:
        names = {int(r.id): f"#{r.id} · {r.file_name} · {r.user_name}" for r in can.itertuples()}
        c1, c2 = st.columns([3, 2])
        pick = c1.selectbox(tr("upload.history.pick"), list(names), format_func=names.get, key="up_rb_pick")
        sure = c2.checkbox(tr("upload.history.confirm", id=pick, file=names[pick].split(" · ")[1]), key="up_rb_sure")
        if st.button(tr("upload.history.rollback"), disabled=not (sure and user), key="up_rb_go"):
            try:
                r = ingest.rollback(db, pick, user)
                st.session_state["_up_rb_msg"] = tr(
                    "upload.history.rolled_back", id=pick, removed=r["rows_removed"], restored=r["rows_restored"]
                )
                st.session_state.pop("up_rb_sure", None)
                st.cache_data.clear()
                st.rerun()
            except UserError as e:
                st.error(md(e.message(L)))
    msg = st.session_state.pop("_up_rb_msg", None)
    if msg:
        st.success(msg)
    with_errors = hist[hist["rows_rejected"] > 0]
    if not with_errors.empty:
        with st.expander(tr("upload.history.errors")):
            eid = st.selectbox(
                tr("upload.history.pick"), list(with_errors["id"]), key="up_err_pick", format_func=lambda i: f"#{i}"
            )
            report_downloads(ingest.upload_errors(db, int(eid)), f"upload_{eid}", "up_hist_report")


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
st.caption(tr("upload.intro"))
limit = ingest.max_bytes(db, "page")
last_commit_step()
kind, up = upload_step(limit)
if up is not None:
    try:
        path, src = format_step(up, limit)
        mapping, tpl = mapping_step(up, kind, src)
        staged, p, remove_demo = preview_step(up, kind, path, src, mapping)
        commit_step(up, kind, path, staged, p, remove_demo, tpl)
    except UserError as e:  # IngestError included
        st.error(md(e.message(L)))
history_step()
templates_step()
