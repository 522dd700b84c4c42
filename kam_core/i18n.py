"""Translation catalog: every user-facing string, in English and Simplified Chinese.

Kept in kam_core (not ui/) because the core also produces text users read (tier
reasons, validation messages). ``t(key, lang, **fmt)``; a missing key raises KeyError so a
forgotten string is caught by the tests rather than shown raw.

Shared strings live here; each feature keeps its own in ``kam_core/locales/<feature>.py``
as ``STRINGS = {key: (english, chinese)}``, merged below (a key defined twice is an error).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from kam_core import locales

LANGS = {"en": "English", "zh": "简体中文"}

_CORE: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("KAM Dashboard", "大客户管理看板"),
    "nav.dashboards": ("Dashboards", "看板"),
    "nav.data": ("Data", "数据"),
    "nav.planning": ("Account planning", "客户计划"),
    "page.overview": ("Overview", "总览"),
    "page.upload": ("Upload data", "数据上传"),
    "page.pareto": ("Pareto / 80-20", "帕累托 / 二八分析"),
    "page.tiers": ("Key-account tiers", "重点客户分级"),
    "page.channels": ("Channels", "渠道"),
    "page.regions": ("Accounts × regions", "客户 × 大区"),
    "sidebar.language": ("Language", "语言"),
    "sidebar.filters": ("Filters", "筛选"),
    "sidebar.period": ("Period", "期间"),
    "sidebar.region": ("Region", "大区"),
    "sidebar.channel": ("Channel", "渠道"),
    "sidebar.kam": ("KAM", "客户经理"),
    "sidebar.all": ("All", "全部"),
    "sidebar.user": ("Your name (recorded with every change)", "您的姓名（每次修改都会记录）"),
    "sidebar.reset": ("Reset filters", "重置筛选"),
    "demo.loading": ("Preparing the demo dataset…", "正在准备演示数据…"),
    "demo.note": (
        "Demo data: a generated dataset for trying the app. Upload your own files to replace it.",
        "演示数据：用于试用的生成数据集。上传您自己的文件即可替换。",
    ),
    "empty.no_data": (
        "No sales data yet. Upload a monthly sales file to get started.",
        "暂无销售数据。请上传月度销售文件开始使用。",
    ),
    "empty.go_upload": ("Go to the upload page", "前往数据上传页面"),
    "empty.selection": (
        "No data for this selection. Widen the period or clear some filters.",
        "当前筛选条件下没有数据。请扩大期间或清除部分筛选。",
    ),
    # overview
    "overview.caption": (
        "{month}: compared with the month before (MoM) and the same month last year (YoY).",
        "{month}：与上月（环比）及去年同月（同比）比较。",
    ),
    "kpi.revenue": ("Revenue", "销售额"),
    "kpi.gross_profit": ("Gross profit", "毛利"),
    "kpi.active_accounts": ("Active accounts", "活跃客户数"),
    "kpi.top20_share": ("Top-20% account share", "前 20% 客户占比"),
    "kpi.top20_help": (
        "The revenue share of the largest 20% of {month}'s accounts with revenue. The Pareto page measures it over"
        " the whole selected period, so its figure can differ.",
        "{month} 有销售额的客户中，销售额最大的 20% 所占的销售额比例。帕累托页面按所选整个期间计算，数值可能不同。",
    ),
    "kpi.modern_trade_share": ("Modern-trade share", "现代渠道占比"),
    "kpi.mom": ("MoM", "环比"),
    "kpi.yoy": ("YoY", "同比"),
    "kpi.pts": ("pts", "个百分点"),
    "overview.trend": ("Revenue trend", "销售额趋势"),
    "overview.top_accounts": ("Top 10 accounts", "前 10 大客户"),
    "overview.channel_split": ("Channel split", "渠道结构"),
    "col.period": ("Month", "月份"),
    "col.account": ("Account", "客户"),
    "col.revenue": ("Revenue", "销售额"),
    "col.gross_profit": ("Gross profit", "毛利"),
    "col.share": ("Share", "占比"),
    "col.yoy": ("YoY", "同比"),
    "col.channel": ("Channel", "渠道"),
    "col.score": ("Score (active model)", "得分（当前模型）"),
    "col.key": ("Key account", "重点客户"),
    "col.revenue_last_year": ("Revenue, a year earlier", "去年同期销售额"),
    "unit.rmb": ("RMB", "元"),
    "unit.pts": ("pts", "百分点"),
    # regions
    "region.East": ("East", "华东"),
    "region.South": ("South", "华南"),
    "region.West": ("West", "西部"),
    "region.North": ("North", "华北"),
    "region.Central": ("Central", "华中"),
}


def _merge() -> dict[str, tuple[str, str]]:
    merged = dict(_CORE)
    for m in pkgutil.iter_modules(locales.__path__):
        strings: dict[str, tuple[str, str]] = importlib.import_module(f"{locales.__name__}.{m.name}").STRINGS
        dup = merged.keys() & strings.keys()
        if dup:
            raise RuntimeError(f"catalog keys defined twice (locales/{m.name}.py): {sorted(dup)}")
        merged.update(strings)
    return merged


CATALOG: dict[str, tuple[str, str]] = _merge()


_PLURAL = re.compile(r"\{(\w+):([^{}|]*)\|([^{}|]*)\}")  # {n:action|actions}: the word that goes with n


def _is_one(v: object) -> bool:
    try:
        return float(str(v).replace(",", "")) == 1
    except ValueError:
        return False


def t(key: str, lang: str = "en", /, **fmt: object) -> str:
    """The catalog text of ``key`` in ``lang``, formatted with ``fmt``. An English text chooses a word by a
    count with ``{n:action|actions}`` ("1 action overdue", "2 actions overdue"); Chinese has no plural."""
    en, zh = CATALOG[key]
    s = zh if lang == "zh" else en
    if not fmt:
        return s
    if "|" in s:
        s = _PLURAL.sub(lambda m: m.group(2) if _is_one(fmt.get(m.group(1))) else m.group(3), s)
    return s.format(**fmt)


def value_label(kind: str, value: object, lang: str = "en") -> str:
    """Display name of a canonical value (channel / region); unknown values shown as they are."""
    key = f"{kind}.{'' if value is None else value}"
    return t(key, lang) if key in CATALOG else str(value)
