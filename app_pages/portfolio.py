"""The plan portfolio: every plan of a year in one table (riskiest first), key accounts without a plan, all warnings."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kam_core.analytics import portfolio as P
from kam_core.analytics.warnings import SEVERITIES
from kam_core.i18n import t
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, present
from ui.exports import portfolio_downloads
from ui.state import keep_in_url, lang, tr, url_choice
from ui.widgets import TABLE_ROWS, capped, download_pair, no_data_notice, show_table

L = lang()
st.title(tr("page.portfolio"))
signin.page_guard("plan.view")  # a deep link of a role without plans

TODAY = date.today()


def label(key: str, **kw: object) -> str:
    return t(key, L, **kw)


def tier_label(tier: object) -> str:
    return "–" if not isinstance(tier, str) else t(f"tiers.tier.{tier}", L)


def choose_year() -> int:
    years = [str(y) for y in data.query(P.plan_years, TODAY)]
    year = st.columns([1, 4])[0].selectbox(tr("portfolio.year"), years, index=url_choice("year", years), key="pf_year")
    keep_in_url("year", year, str(TODAY.year))
    return int(year)


def filters(rows: pd.DataFrame) -> pd.DataFrame:
    c1, c2, c3 = st.columns(3)
    kams = sorted({k for k in rows["kam"] if isinstance(k, str)})
    tiers = sorted({x for x in rows["tier"] if isinstance(x, str)})
    rules = sorted({r for have in rows["rules"] for r in have})
    pick_kam = c1.multiselect(tr("portfolio.f_kam"), kams, key="pf_kam", placeholder=tr("portfolio.all"))
    pick_tier = c2.multiselect(tr("portfolio.f_tier"), tiers, key="pf_tier", placeholder=tr("portfolio.all"),
                               format_func=tier_label)  # fmt: skip
    pick_rule = c3.multiselect(tr("portfolio.f_rule"), rules, key="pf_rule", placeholder=tr("portfolio.all"),
                               format_func=lambda r: label(f"warn.rule.{r}"))  # fmt: skip
    return P.filter_rows(rows, tuple(pick_kam), tuple(pick_tier), tuple(pick_rule))


def plans_table(rows: pd.DataFrame) -> None:
    stage = [f"{label(f'plans.stage.{a}')} → {label(f'plans.stage.{b}')}"
             for a, b in zip(rows["stage"], rows["target_stage"], strict=True)]  # fmt: skip
    updated = [tr("portfolio.updated", when=pd.Timestamp(w).strftime("%Y-%m-%d %H:%M"), who=u)
               for w, u in zip(rows["saved_at"], rows["saved_by"], strict=True)]  # fmt: skip
    complete = [round(x * 100) for x in rows["completeness"]]
    tiers = [tier_label(x) for x in rows["tier"]]
    shown = rows.assign(tier=tiers, stage=stage, updated=updated, completeness=complete)[
        ["account", "link", "tier", "score", "key", "kam", "stage", "completeness", "on_track", "at_risk", "off_track",
         "actions_overdue", "warn_high", "warn_medium", "warn_low", "updated"]
    ]  # fmt: skip
    objectives, warnings = tr("portfolio.objectives_help"), tr("portfolio.warnings_help")
    show_table(
        shown,
        hide_index=True,
        key="pf_table",
        column_config={
            "account": cols.text(tr("portfolio.col.account")),
            "tier": cols.text(tr("portfolio.col.tier")),
            "score": cols.number(tr("portfolio.col.score"), "%.1f"),
            "key": st.column_config.CheckboxColumn(tr("portfolio.col.key")),
            "kam": cols.text(tr("portfolio.col.kam")),
            "stage": cols.text(tr("portfolio.col.stage")),
            "completeness": st.column_config.NumberColumn(
                tr("portfolio.col.completeness"), format="%d%%", help=tr("portfolio.completeness_help")
            ),
            "on_track": st.column_config.NumberColumn(tr("portfolio.col.on_track"), help=objectives, format="%d"),
            "at_risk": st.column_config.NumberColumn(tr("portfolio.col.at_risk"), help=objectives, format="%d"),
            "off_track": st.column_config.NumberColumn(tr("portfolio.col.off_track"), help=objectives, format="%d"),
            "actions_overdue": cols.count(tr("portfolio.col.actions_overdue")),
            "warn_high": st.column_config.NumberColumn(tr("portfolio.col.warn_high"), help=warnings, format="%d"),
            "warn_medium": st.column_config.NumberColumn(tr("portfolio.col.warn_medium"), help=warnings, format="%d"),
            "warn_low": st.column_config.NumberColumn(tr("portfolio.col.warn_low"), help=warnings, format="%d"),
            "updated": cols.text(tr("portfolio.col.updated")),
            "link": st.column_config.LinkColumn(tr("portfolio.col.plan"), display_text=tr("portfolio.open_plan")),
        },
    )


def plans_section(p: P.Portfolio) -> None:
    st.subheader(tr("portfolio.plans"))
    if p.rows.empty:
        st.info(tr("portfolio.none", year=p.year))
        return
    rows = filters(p.rows)
    if rows.empty:
        st.info(tr("portfolio.none_filtered"))
        return
    plans_table(rows)


def missing_section(p: P.Portfolio) -> None:
    st.subheader(tr("portfolio.missing", year=p.year))
    if p.missing.empty:
        st.success(tr("portfolio.missing_none", year=p.year))
        return
    missing = p.missing.assign(tier=[tier_label(x) for x in p.missing["tier"]])
    show_table(
        capped(missing),
        hide_index=True,
        key="pf_missing",
        column_config={
            "account": cols.text(tr("portfolio.col.account")),
            "rank": cols.count(tr("portfolio.col.rank")),
            "score": cols.number(tr("portfolio.col.score"), "%.1f"),
            "tier": cols.text(tr("portfolio.col.tier")),
            "kam": cols.text(tr("portfolio.col.kam")),
            "link": st.column_config.LinkColumn(tr("portfolio.col.plan"), display_text=tr("portfolio.create_plan")),
        },
    )
    if len(missing) > TABLE_ROWS:
        download_pair(missing.drop(columns=["link"]), f"key_accounts_without_plan_{p.year}", "pf_missing_dl",
                      labels=(tr("portfolio.dl_csv"), tr("portfolio.dl_xlsx")))  # fmt: skip


def warnings_section(p: P.Portfolio) -> None:
    st.subheader(tr("portfolio.warnings"))
    severity = st.multiselect(tr("portfolio.severity"), list(SEVERITIES), key="pf_sev", placeholder=tr("portfolio.all"),
                              format_func=lambda s: label(f"warn.severity.{s}"))  # fmt: skip
    ws = p.warnings[p.warnings["severity"].isin(severity)] if severity else p.warnings
    if ws.empty:
        st.info(tr("portfolio.warnings_none"))
        return
    st.caption(tr("portfolio.warnings_count", n=len(ws)))
    # 100 000 accounts hold ~100 000 warnings: sentences and links for the first 1 000 shown, the rest on download
    code = fmt.currency_code()
    shown = P.warnings_frame(capped(ws), p.year, L, code)
    show_table(
        shown.assign(explain=shown["explain"].fillna("")),  # no breakdown for this rule: an empty cell, not "None"
        hide_index=True,
        key="pf_warnings",
        column_order=["severity", "account", "rule", "plan", "explain", "message"],  # links in view, text last
        column_config={
            "severity": cols.text(tr("portfolio.col.severity")),
            "account": cols.text(tr("portfolio.col.account")),
            "rule": cols.text(tr("portfolio.col.rule")),
            "message": cols.text(tr("portfolio.col.message"), width="large"),
            "plan": st.column_config.LinkColumn(tr("portfolio.col.plan"), display_text=tr("portfolio.open_plan")),
            "explain": st.column_config.LinkColumn(tr("portfolio.col.explain"),
                                                   display_text=tr("portfolio.open_explain")),
        },
    )  # fmt: skip
    download_pair(lambda: P.warnings_frame(ws, p.year, L, code).drop(columns=["plan", "explain"]), f"warnings_{p.year}",
                  "pf_warnings_dl", labels=(tr("portfolio.dl_csv"), tr("portfolio.dl_xlsx")))  # fmt: skip


def page() -> None:
    if st.session_state["filters"].end is None:  # no sales data: no plan can be tracked yet
        no_data_notice()
        return
    year = choose_year()
    p = data.query(P.portfolio, year, TODAY)  # the warnings as a frame, sentences made for the rows shown
    st.caption(tr("portfolio.caption", as_of=p.as_of.isoformat()))
    high = int(p.rows["warn_high"].sum()) if not p.rows.empty else 0
    st.markdown(tr("portfolio.summary", plans=len(p.rows), missing=len(p.missing), high=high))
    if not p.rows.empty and not present.on():
        with st.expander(tr("export.portfolio_expander", year=year), icon=":material/slideshow:"):
            portfolio_downloads(year)
    present.sections("portfolio", [
        (tr("portfolio.plans"), lambda: plans_section(p)),
        (tr("portfolio.missing", year=p.year), lambda: missing_section(p)),
        (tr("portfolio.warnings"), lambda: warnings_section(p)),
    ])  # fmt: skip


page()
