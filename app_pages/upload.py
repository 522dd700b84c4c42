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

from kam_core import ingest
from kam_core.commands.import_ import month_span
from kam_core.errors import UserError
from kam_core.i18n import t
from ui import auth as signin
from ui import data, present
from ui.fmt import md
from ui.state import acting_user, flash, lang, show_flash, tr
from ui.upload_history import history_step, templates_step
from ui.upload_review import draw_sales_change, identity_choice, money, report_downloads, report_frame, scope_choice
from ui.widgets import show_table

L = lang()
db = data.db()
user = acting_user()


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
        need = tr("upload.mapping.required")
        label = tr(f"field.{fld.name}") + ((f"（{need}）" if L == "zh" else f" ({need})") if fld.required else "")
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
        m[5].metric(
            tr("upload.metric.change"),
            ("+" if p.sales.change > 0 else "") + money(p.sales.change),
            help=tr("upload.metric.change_help"),
        )
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
