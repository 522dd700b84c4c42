"""Every setting, declared once: key, type, default, help text (both languages), validation.

Values live in the ``settings`` table as JSON, keyed by dotted names (``feature.name``).
Code reads them with :func:`get` (the stored value, else the default) and writes them with
:func:`put` (validated; one transaction, recorded with the acting user) or, inside a
transaction that already runs, :func:`write`. A bad value raises :class:`UserError`
and writes nothing. The CLI ``settings list|get|set`` is a thin layer over this module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kam_core.errors import UserError

# Modern-trade formats (spec §5); the vocabulary of formats lives in kam_core.vocab.
DEFAULT_MODERN_TRADE = ["hypermarket", "supermarket", "convenience", "cash_and_carry", "department", "warehouse_club"]
DEFAULT_TRADITIONAL = ["traditional", "wholesale", "distributor"]


@dataclass(frozen=True)
class Setting:
    """One setting. ``type``: int, float, bool, str, list (of str) or map (str → str)."""

    key: str
    type: str
    default: Any
    help_en: str
    help_zh: str
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | None] | None = None  # returns a catalog key of the problem, or None

    def help(self, lang: str = "en") -> str:
        return self.help_zh if lang == "zh" else self.help_en


REGISTRY: dict[str, Setting] = {}


def declare(setting: Setting) -> Setting:
    if setting.key in REGISTRY:
        raise RuntimeError(f"setting {setting.key} declared twice")
    REGISTRY[setting.key] = setting
    return setting


def _nonempty_list(v: list) -> str | None:
    return "settings.err.empty_list" if not v else None


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v in choices else "auth.err.setting_choice"

    return check


def _currency_code(v: str) -> str | None:
    from kam_core.currency import valid_code

    return None if valid_code(v) and v == v.strip().upper() else "settings.err.currency"


# -- the settings ------------------------------------------------------------------------------
for _s in (
    Setting("display.currency", "str", "CNY",
            "Currency of the amounts (ISO 4217 code, e.g. CNY, USD, GBP): the symbol on every figure and export.",
            "金额的币种（ISO 4217 代码，如 CNY、USD、GBP）：所有数字和导出文件中显示的货币符号。",
            check=_currency_code),
    Setting("ingest.max_upload_mb", "float", 200.0,
            "Largest file the upload page accepts, in MB (also Streamlit's server.maxUploadSize).",
            "上传页面接受的最大文件（MB，同时也是 Streamlit 的 server.maxUploadSize）。", minimum=0.0001),
    Setting("ingest.max_import_mb", "float", 10_240.0,
            "Largest file the command line imports, in MB.", "命令行导入的最大文件（MB）。", minimum=0.0001),
    Setting("ingest.absurd_amount", "float", 1e11,
            "Amount on one line from which a value is rejected as implausible.",
            "单行金额达到此值即视为不合理而拒绝。", minimum=1.0),
    Setting("tiers.modern_trade_formats", "list", DEFAULT_MODERN_TRADE,
            "Store formats / channels that count as modern trade (eligible for K/A).",
            "计为现代渠道（可成为重点客户）的业态 / 渠道。", check=_nonempty_list),
    Setting("tiers.min_provinces", "int", 2,
            "Stores in at least this many provinces → GKA (international) or NKA.",
            "门店分布于至少这么多个省份 → GKA（外资）或 NKA。", minimum=2),
    Setting("tiers.min_stores_lka", "int", 2,
            "At least this many stores in one province → LKA.", "同一省份至少这么多家门店 → LKA。", minimum=2),
    Setting("tiers.single_store_share", "float", 0.10,
            "A single store whose share of its province's modern-trade sales reaches this → LKA.",
            "单店在所在省份现代渠道销售中的占比达到此值 → LKA。", minimum=1e-9, maximum=1.0),
    Setting("tiers.share_months", "int", 12,
            "The single-store share is measured over the last N months of data.",
            "单店占比按最近 N 个月的数据计算。", minimum=1),
    Setting("channels.map", "map", {},
            "Channel names as written in files → channel codes (the built-in synonyms need no entry).",
            "文件中的渠道名称 → 渠道代码（内置同义词无需填写）。"),
    Setting("channels.traditional", "list", DEFAULT_TRADITIONAL,
            "Channels counted as traditional trade.", "计为传统渠道的渠道。", check=_nonempty_list),
    Setting("regions.province_map", "map", {},
            "Province → region edits over the default map.", "在默认映射之上修改的省份 → 大区。"),
    Setting("regions.whitespace_threshold", "float", 0.5,
            "Whitespace: sales per store below this share of the account's median per store.",
            "空白市场：单店销售低于该客户单店销售中位数的此比例。", minimum=0.0, maximum=1.0),
    Setting("warnings.revenue_down_months", "int", 3,
            "Warn when revenue is below last year in at least this many of the last months …",
            "最近若干个月中至少有这么多个月销售额低于去年同期时预警……", minimum=1),
    Setting("warnings.revenue_window_months", "int", 4,
            "… of this many last complete months.", "……（统计最近这么多个完整月份）。", minimum=1, maximum=24),
    Setting("warnings.revenue_drop_pct", "float", 0.15,
            "Warn (high) when the last 3 months are this share below the same months last year.",
            "最近 3 个月销售额比去年同期低于此比例时发出高级预警。", minimum=0.0, maximum=1.0),
    Setting("warnings.margin_drop_pts", "float", 2.0,
            "Warn when the gross margin of the last 3 months fell by this many percentage points.",
            "最近 3 个月毛利率下降达到这么多个百分点时预警。", minimum=0.0, maximum=100.0),
    Setting("warnings.overdue_pct", "float", 0.20,
            "Warn when overdue receivables exceed this share of the account's receivables.",
            "逾期应收账款超过该客户应收账款的此比例时预警。", minimum=0.0, maximum=1.0),
    Setting("warnings.overdue_90_min", "float", 0.0,
            "Warn (high) when more than this amount is overdue for over 90 days (0: any amount).",
            "逾期 90 天以上的金额超过此值时发出高级预警（0：任何金额）。", minimum=0.0),
    Setting("warnings.contact_days", "int", 90,
            "Warn when no stakeholder of a plan was contacted for this many days.",
            "计划中的所有关键人超过这么多天未联系时预警。", minimum=1),
    Setting("warnings.plan_stale_days", "int", 120,
            "Warn when a plan was not updated for this many days.", "计划超过这么多天未更新时预警。", minimum=1),
    Setting("auth.unknown_users", "str", "viewer",
            "A signed-in person who is not in the users list: 'viewer' (dashboards only) or 'refuse'.",
            "不在用户列表中的登录者：“viewer”（仅看板）或“refuse”（拒绝）。", check=_one_of("viewer", "refuse")),
    Setting("auth.kam_foreign_rows", "str", "refuse",
            "A KAM's upload with rows of accounts they do not own: 'refuse' the file or load 'own_only'.",
            "客户经理上传的文件含有不属于其负责客户的行时：“refuse”（拒绝整个文件）或“own_only”（只导入自己的）。",
            check=_one_of("refuse", "own_only")),
):  # fmt: skip
    declare(_s)

# Keys used before the registry (renamed by migration V3, values kept).
RENAMED = {
    "channel_map": "channels.map",
    "traditional_trade_channels": "channels.traditional",
    "province_region_map": "regions.province_map",
    "whitespace_threshold": "regions.whitespace_threshold",
}
# The old grouped tier rules, split into one setting per rule by migration V3.
TIER_RULES_SPLIT = ("modern_trade_formats", "min_provinces", "min_stores_lka", "single_store_share", "share_months")


# -- reading and writing -----------------------------------------------------------------------
def spec(key: str) -> Setting:
    s = REGISTRY.get(key)
    if s is None:
        raise UserError("settings.err.unknown", key=key, known=", ".join(sorted(REGISTRY)))
    return s


def validate(key: str, value: Any) -> Any:
    """The value in its declared type, or UserError naming the setting and the problem."""
    s = spec(key)
    try:
        v = _coerce(s, value)
    except (TypeError, ValueError):
        raise UserError("settings.err.type", key=key, value=_show(value), type=s.type) from None
    if s.type in ("int", "float"):
        if s.minimum is not None and v < s.minimum:
            raise UserError("settings.err.min", key=key, value=_show(value), min=_num(s.minimum))
        if s.maximum is not None and v > s.maximum:
            raise UserError("settings.err.max", key=key, value=_show(value), max=_num(s.maximum))
    if s.check:
        problem = s.check(v)
        if problem:
            raise UserError(problem, key=key, value=_show(value))
    return v


def _coerce(s: Setting, value: Any) -> Any:
    if s.type == "int":
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return int(value)
    if s.type == "float":
        if isinstance(value, bool):
            raise ValueError
        v = float(value)
        if not math.isfinite(v):
            raise ValueError
        return v
    if s.type == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError
    if s.type == "str":
        if not isinstance(value, str):
            raise ValueError
        return value
    if s.type == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(x, str) and x.strip() for x in value):
            raise ValueError
        return [x.strip() for x in value]
    if s.type == "map":
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise ValueError
        return dict(value)
    raise ValueError


def parse_text(key: str, text: str) -> Any:
    """A value typed on the command line: JSON, or for lists a comma-separated text."""
    s = spec(key)
    text = text.strip()
    if s.type == "str":
        return text
    if s.type == "bool" and text.lower() in ("true", "false", "yes", "no", "1", "0"):
        return text.lower() in ("true", "yes", "1")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        if s.type == "list":
            return [x.strip() for x in text.split(",") if x.strip()]
        raise UserError("settings.err.type", key=key, value=text, type=s.type) from None


def get(db: Any, key: str) -> Any:
    """The stored value (validated), else the default. A stored value that no longer validates
    (e.g. written by hand) falls back to the default rather than breaking every page."""
    s = spec(key)
    raw = db.get_setting(key, None)
    if raw is None:
        return _copy(s.default)
    try:
        return validate(key, raw)
    except UserError:
        return _copy(s.default)


def is_set(db: Any, key: str) -> bool:
    spec(key)
    return db.get_setting(key, None) is not None


def write(cur: Any, key: str, value: Any, user: str) -> Any:
    """Validate and store inside the caller's transaction; returns the stored value."""
    from kam_core.db import write_setting

    v = validate(key, value)
    write_setting(cur, key, v, user)
    return v


def put(db: Any, key: str, value: Any, user: str) -> Any:
    """Validate and store in its own transaction (audit-logged with ``user``)."""
    v = validate(key, value)
    # the audit log says what changed: old → new (kam_core.auth maps "setting" + key to its action)
    with db.transaction(user, "setting", {"key": key, "old": get(db, key), "value": v}) as cur:
        write(cur, key, v, user)
    return v


def put_many(db: Any, values: dict[str, Any], user: str) -> dict[str, Any]:
    """Validate all, then store all in one transaction (nothing written if one is refused)."""
    clean = {k: validate(k, v) for k, v in values.items()}
    changes = {k: {"old": get(db, k), "new": v} for k, v in clean.items()}
    with db.transaction(user, "setting", {"keys": sorted(clean), "changes": changes}) as cur:
        for k, v in clean.items():
            write(cur, k, v, user)
    return clean


def listing(db: Any, lang: str = "en") -> list[dict[str, Any]]:
    """Every setting: key, value (effective), default, help, type, whether it is set."""
    return [
        {"key": s.key, "value": get(db, s.key), "default": _copy(s.default), "help": s.help(lang),
         "type": s.type, "set": is_set(db, s.key)}
        for s in sorted(REGISTRY.values(), key=lambda s: s.key)
    ]  # fmt: skip


def _copy(v: Any) -> Any:
    return json.loads(json.dumps(v))


def _num(x: float) -> str:
    return f"{x:g}"


def _show(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
