"""Upload: file → detected format → mapping → preview (what changes) → commit; history with rollback; templates."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from kam_core import ingest
from kam_core.charts_upload import change_chart
from kam_core.export_safe import to_csv_bytes, to_xlsx_bytes
from kam_core.i18n import t, value_label
from kam_core.ingest.mapping import FIELDS, Mapping
from kam_core.ingest.templates import template_csv, template_xlsx
from ui import data, fmt
from ui.fmt import md
from ui.state import lang, tr

f = st.session_state["filters"]
L = lang()
st.title(tr("page.upload"))
st.caption(tr("upload.intro"))
db = data.db()
user = (st.session_state.get("user_name") or "").strip()
limit = ingest.max_bytes(db, "page")


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
        tr("upload.report.xlsx"),
        to_xlsx_bytes({"errors": df}),
        f"{stem}_errors.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key + "_xlsx",
    )


def staged_for(key: tuple, build) -> ingest.Staged:
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


# -- last commit's summary ---------------------------------------------------------------
done = st.session_state.pop("_up_done", None)
if done:
    st.success(
        tr(
            "upload.done",
            id=done["id"],
            rows=f"{done['rows']:,}",
            periods=done["periods"],
            total=fmt.money(done["total"], L),
        )
    )
    st.page_link("app_pages/overview.py", label=tr("upload.to_overview"), icon="📈")

# -- 1. file ---------------------------------------------------------------------------------
kind = st.selectbox(tr("upload.kind"), list(ingest.KINDS), format_func=lambda k: t(f"kind.{k}", L), key="up_kind")
n = st.session_state.setdefault("_up_n", 0)
up = st.file_uploader(tr("upload.file"), type=["csv", "tsv", "txt", "xlsx", "xls"], key=f"up_file_{n}")
st.caption(tr("upload.limit", limit=f"{limit / 1024 / 1024:,.0f} MB"))

if up is not None:
    try:
        if up.size > limit:
            raise ingest.IngestError(
                "upload.err.too_large",
                file=up.name,
                size=f"{up.size / 1024 / 1024:,.1f} MB",
                limit=f"{limit / 1024 / 1024:,.0f} MB",
            )
        path = Path(tempfile.gettempdir()) / f"kam_upload_{up.file_id}{Path(up.name).suffix.lower()}"
        if not path.exists():
            path.write_bytes(up.getvalue())
        sheet = st.session_state.get(f"up_sheet_{up.file_id}")
        src = ingest.sniff(path, up.name, sheet)
        if len(src.sheets) > 1:
            st.selectbox(
                tr("upload.sheet"), src.sheets, index=src.sheets.index(src.sheet), key=f"up_sheet_{up.file_id}"
            )
        st.success(tr("upload.detected", fmt=src.describe(L), line=src.header_line, n=len(src.headers)))
        with st.expander(tr("upload.sample")):
            st.dataframe(
                pd.DataFrame(
                    [(r + [""] * len(src.headers))[: len(src.headers)] for r in src.sample[:10]], columns=src.headers
                ),
                hide_index=True,
            )

        # -- mapping ---------------------------------------------------------------------
        st.subheader(tr("upload.step.mapping"))
        st.caption(tr("upload.mapping.help"))
        fitting = [
            tp for tp in ingest.list_templates(db, kind, user) if ingest.mapping.fits(tp["mapping"], src.headers)
        ]
        tpl_names = ["", *[tp["name"] for tp in fitting]]
        tpl = st.selectbox(
            tr("upload.template.use"),
            tpl_names,
            index=1 if fitting else 0,
            format_func=lambda x: x or t("upload.template.auto", L),
            key=f"up_tpl_{up.file_id}_{kind}",
        )
        base = next((tp["mapping"] for tp in fitting if tp["name"] == tpl), None) or ingest.propose(kind, src.headers)
        cands = ingest.candidates(kind, src.headers)
        chosen: dict[str, str] = {}
        scale: dict[str, float] = {}
        cols = st.columns(3)
        for i, fld in enumerate(FIELDS[kind]):
            first = cands[fld.name]
            options = ["", *first, *[h for h in src.headers if h not in first]]
            current = base.fields.get(fld.name, "")
            label = tr(f"field.{fld.name}") + (f" ({tr('upload.mapping.required')})" if fld.required else "")
            with cols[i % 3]:
                v = st.selectbox(
                    label,
                    options,
                    index=options.index(current) if current in options else 0,
                    format_func=lambda h: h or t("upload.mapping.none", L),
                    key=f"up_map_{up.file_id}_{kind}_{tpl}_{fld.name}",
                )
                if v:
                    chosen[fld.name] = v
                    if fld.kind == "number" and st.checkbox(
                        tr("upload.mapping.wan"),
                        value=base.scale.get(fld.name) == 10000.0,
                        key=f"up_wan_{up.file_id}_{kind}_{tpl}_{fld.name}",
                    ):
                        scale[fld.name] = 10000.0
        mapping = Mapping(chosen, scale)
        c1, c2 = st.columns([3, 1])
        tpl_name = c1.text_input(tr("upload.template.name"), key="up_tpl_name")
        if c2.button(tr("upload.template.save"), key="up_tpl_save", disabled=not (tpl_name.strip() and user)):
            ingest.save_template(db, tpl_name.strip(), kind, mapping, user)
            st.success(tr("upload.template.saved", name=md(tpl_name.strip())))

        # -- preview ---------------------------------------------------------------------
        st.subheader(tr("upload.step.preview"))
        key = (up.file_id, kind, src.sheet, mapping.to_json())
        staged = staged_for(
            key,
            lambda: ingest.stage(
                path,
                kind,
                file_name=up.name,
                sheet=src.sheet,
                mapping=mapping,
                lang=L,
                absurd=ingest.absurd_limit(db),
                source=src,
                db=db,
            ),
        )
        remove_demo = True
        p0 = ingest.preview(db, staged)
        if p0.get("demo_present"):
            remove_demo = st.checkbox(tr("upload.remove_demo"), value=True, key="up_remove_demo")
        p = ingest.preview(db, staged, remove_demo) if not remove_demo else p0
        m = st.columns(5)
        m[0].metric(tr("upload.metric.read"), f"{p['rows_read']:,}")
        m[1].metric(tr("upload.metric.valid"), f"{p['rows_valid']:,}")
        m[2].metric(tr("upload.metric.rejected"), f"{p['rows_rejected']:,}")
        m[3].metric(tr("upload.metric.summary"), f"{p['rows_summary']:,}")
        if kind == "sales":
            m[4].metric(tr("upload.metric.change"), fmt.money(p["change"], L))
            st.caption(tr("upload.periods", periods=", ".join(x[:7] for x in p["periods"])))
            a1, a2 = st.columns(2)
            a1.metric(tr("upload.metric.new_accounts"), len(p["accounts_new"]))
            a2.metric(tr("upload.metric.known_accounts"), len(p["accounts_known"]))
            if p["accounts_new"]:
                st.caption(tr("upload.new_accounts", accounts=", ".join(md(a) for a in p["accounts_new"][:30])))
            st.markdown(f"**{tr('upload.replaced.title')}**")
            if p["replaced"]:
                st.write(
                    tr(
                        "upload.replaced.summary",
                        n=len(p["replaced"]),
                        old=fmt.money(p["replaced_revenue"], L),
                        new=fmt.money(sum(r["new_revenue"] for r in p["replaced"]), L),
                    )
                )
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                tr("col.period"): r["period"][:7],
                                tr("col.account"): r["account"],
                                tr("upload.col.old"): float(r["old_revenue"]),
                                tr("upload.col.new"): float(r["new_revenue"]),
                            }
                            for r in p["replaced"]
                        ]
                    ),
                    hide_index=True,
                )
            else:
                st.caption(tr("upload.replaced.none"))
            st.markdown(f"**{tr('upload.chart.title')}**")
            st.plotly_chart(
                change_chart(p["months"], {"before": tr("upload.chart.before"), "after": tr("upload.chart.after")}),
                key="up_chart",
            )
        else:
            m[4].metric(tr("upload.metric.keys_new"), p["keys_new"])
            st.caption(tr("upload.metric.keys_known") + f": {p['keys_known']}")
        for note in p["notes"]:
            st.info(md(note))
        if p["rejected"]:
            st.markdown(f"**{tr('upload.rejected.title')}**")
            st.dataframe(report_frame(p["rejected"]), hide_index=True)
            report_downloads(p["rejected"], Path(up.name).stem, "up_report")
        if p["warnings"]:
            with st.expander(f"{tr('upload.warnings.title')} ({p['warning_count']:,})"):
                st.dataframe(report_frame(p["warnings"]), hide_index=True)

        # -- commit ----------------------------------------------------------------------
        st.subheader(tr("upload.step.commit"))
        dup = p["duplicate_of"]
        if dup:
            st.warning(tr("upload.duplicate", id=dup["id"], user=md(dup["user"]), at=f"{dup['at']:%Y-%m-%d %H:%M}"))
        skip = False
        if p["rows_rejected"]:
            skip = st.checkbox(tr("upload.skip_invalid"), key="up_skip_invalid")
        if not user:
            st.warning(tr("upload.user_needed"))
        blocked = bool(dup) or not user or (p["rows_rejected"] and not skip) or p["rows_valid"] == 0
        if st.button(tr("upload.commit"), type="primary", disabled=blocked, key="up_commit"):
            bar = st.progress(0.0, text=tr("upload.progress.write"))
            out = ingest.commit(
                db,
                staged,
                user,
                skip_invalid=skip,
                remove_demo=remove_demo,
                template=tpl or None,
                progress=lambda x, _s: bar.progress(min(1.0, x), text=tr("upload.progress.write")),
            )
            staged.close()
            path.unlink(missing_ok=True)  # the uploaded copy is not kept once committed
            st.session_state.pop("_up_staged", None)
            st.session_state["_up_n"] = n + 1  # a fresh file chooser
            st.session_state["_up_done"] = {
                "id": out["upload_id"],
                "rows": out["rows_loaded"],
                "periods": ", ".join(x[:7] for x in out.get("periods", [])) or tr(f"kind.{kind}"),
                "total": out.get("total_after"),
            }
            st.cache_data.clear()
            st.rerun()
    except ingest.IngestError as e:
        st.error(md(e.message(L)))


# -- history and rollback ------------------------------------------------------------------
def period_span(periods: object) -> str:
    """'2026-03' / '2026-01, 2026-03' / '2023-11 … 2026-10 (36)': short enough for the table."""
    ps = [str(p)[:7] for p in periods] if hasattr(periods, "__len__") else []  # NaN when none recorded
    return ", ".join(ps) if len(ps) <= 3 else f"{ps[0]} … {ps[-1]} ({len(ps)})"


st.subheader(tr("upload.history.title"))
hist = data.query(ingest.history)
if hist.empty:
    st.info(tr("upload.history.empty"))
else:
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
            except ingest.IngestError as e:
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

# -- templates --------------------------------------------------------------------------------
st.subheader(tr("upload.templates.title"))
st.caption(tr("upload.templates.help"))
c1, c2 = st.columns(2)
t_kind = c1.selectbox(tr("upload.kind"), list(ingest.KINDS), format_func=lambda k: t(f"kind.{k}", L), key="up_t_kind")
t_lang = c2.radio(
    " ",
    ["en", "zh"],
    format_func=lambda x: t(f"upload.lang.{x}", L),
    key="up_t_lang",
    horizontal=True,
    label_visibility="collapsed",
)
d1, d2 = st.columns(2)
d1.download_button(
    tr("upload.templates.csv", kind=tr(f"kind.{t_kind}"), headers=tr(f"upload.lang.{t_lang}")),
    template_csv(t_kind, t_lang),
    f"template_{t_kind}_{t_lang}.csv",
    "text/csv",
    key="up_t_csv",
)
d2.download_button(
    tr("upload.templates.xlsx", kind=tr(f"kind.{t_kind}"), headers=tr(f"upload.lang.{t_lang}")),
    template_xlsx(t_kind, t_lang),
    f"template_{t_kind}_{t_lang}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="up_t_xlsx",
)
