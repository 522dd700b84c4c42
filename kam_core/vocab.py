"""One vocabulary of channels / store formats: the codes, their names, and how raw text maps to them.

Sales lines carry a channel and account masters a format, both typed by people
("大卖场", "Hypermarkets", "C&C", "KA卖场X"). Both are read through the same map: the
built-in English and Chinese synonyms (:data:`SYNONYMS`, plus each code's display name in
the catalog) overlaid with the user's saved mapping (setting ``channels.map``). Tiers,
channels and the overview all ask this module, so a name means the same thing everywhere.

Cheap on a large fact table: SQL never maps per row in Python. Either the map is joined to
an aggregate as a small list (:data:`CODE_SQL` / :data:`JOIN_SQL`), or a condition tests the
trimmed, lower-cased name against the short list of names with the wanted codes
(:func:`code_in_sql`).
"""

from __future__ import annotations

from typing import Any

from kam_core import settings
from kam_core.errors import UserError
from kam_core.i18n import CATALOG

OTHER = "other"  # a name no map knows
CODES = ("hypermarket", "supermarket", "convenience", "cash_and_carry", "department", "warehouse_club",
         "traditional", "wholesale", "distributor", "online", OTHER)  # fmt: skip
MAP_KEY = "channels.map"
MODERN_TRADE_KEY = "tiers.modern_trade_formats"
TRADITIONAL_KEY = "channels.traditional"
DEFAULT_MODERN_TRADE = settings.DEFAULT_MODERN_TRADE
DEFAULT_TRADITIONAL = settings.DEFAULT_TRADITIONAL

# Names people use for each channel / format, English and Chinese (matched trimmed, case-insensitive).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "hypermarket": ("hypermarket", "hypermarkets", "hyper", "大卖场", "卖场", "大型超市", "量贩店", "量贩"),
    "supermarket": ("supermarket", "supermarkets", "super", "超市", "连锁超市", "标超", "标准超市"),
    "convenience": ("convenience", "convenience store", "convenience stores", "cvs", "便利店", "便利"),
    "cash_and_carry": ("cash & carry", "cash and carry", "cash_and_carry", "c&c", "仓储批发", "仓储式批发"),
    "department": ("department", "department store", "department stores", "百货", "百货商店", "百货店"),
    "warehouse_club": ("warehouse club", "warehouse_club", "club store", "会员店", "仓储会员店"),
    "traditional": ("traditional", "traditional trade", "tt", "传统渠道", "传统", "流通", "小店", "夫妻店", "杂货店"),
    "wholesale": ("wholesale", "wholesaler", "批发", "批发商", "批发市场"),
    "distributor": ("distributor", "distributors", "dealer", "经销商", "分销商", "经销"),
    "online": ("online", "e-commerce", "ecommerce", "电商", "线上", "网店", "网络"),
}


def key(raw: object) -> str:
    """How a raw name is matched: trimmed and lower-cased (Chinese is unchanged by lower())."""
    return str(raw).strip().lower()


def _empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, float) and raw != raw) or not str(raw).strip()


def _builtin() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in CODES:
        out[key(code)] = code
        names = CATALOG.get(f"channel.{code}")
        if names:  # the display names (English, Chinese) are names people write too
            for n in names:
                out[key(n)] = code
    for code, names in SYNONYMS.items():
        for n in names:
            out[key(n)] = code
    return out


_BUILTIN = _builtin()


def builtin_map() -> dict[str, str]:
    """Built-in names (every code, its display names, the synonyms) → code; keys as :func:`key` gives."""
    return dict(_BUILTIN)


def saved_map(db: Any) -> dict[str, str]:
    """The user's saved mapping, raw name (as typed) → code; entries with unknown codes are ignored."""
    return {str(k): v for k, v in settings.get(db, MAP_KEY).items() if v in CODES}


def channel_map(db: Any) -> dict[str, str]:
    """The effective map, :func:`key` of a raw name → code: built-ins overlaid with the saved mapping."""
    return {**_BUILTIN, **{key(k): v for k, v in saved_map(db).items()}}


def normalize(raw: object, mapping: dict[str, str] | None = None) -> str | None:
    """The code of one raw channel / format name: None when empty, :data:`OTHER` when unknown.

    ``mapping`` is :func:`channel_map` (built-ins only when None).
    """
    if _empty(raw):
        return None
    return (mapping if mapping is not None else _BUILTIN).get(key(raw), OTHER)


def format_code(raw: object, mapping: dict[str, str] | None = None) -> str | None:
    """Like :func:`normalize`, but a name no map knows keeps a code of its own ('Gas station' →
    'gas_station') rather than :data:`OTHER`, so a format a user lists as modern trade matches itself."""
    if _empty(raw):
        return None
    k = key(raw)
    return (mapping if mapping is not None else _BUILTIN).get(k) or k.replace(" ", "_").replace("-", "_")


def _codes(values: list[str], mapping: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(c for c in (format_code(v, mapping) for v in values) if c))


def modern_trade_codes(db: Any, mapping: dict[str, str] | None = None) -> list[str]:
    """Channel / format codes counted as modern trade (setting ``tiers.modern_trade_formats``)."""
    return _codes(settings.get(db, MODERN_TRADE_KEY), channel_map(db) if mapping is None else mapping)


def traditional_codes(db: Any, mapping: dict[str, str] | None = None) -> list[str]:
    """Channel codes counted as traditional trade (setting ``channels.traditional``)."""
    return _codes(settings.get(db, TRADITIONAL_KEY), channel_map(db) if mapping is None else mapping)


def validate_map(edits: dict[str, str]) -> dict[str, str]:
    """Raw name → code edits, trimmed; UserError listing the entries with an unknown code or no name."""
    bad = sorted(f"{k} → {v}" for k, v in edits.items() if v not in CODES or not str(k).strip())
    if bad:
        raise UserError("channels.err.unknown_code", items=", ".join(bad), codes=", ".join(CODES))
    return {str(k).strip(): v for k, v in edits.items()}


def save_map(db: Any, edits: dict[str, str], user: str) -> dict[str, str]:
    """Store the user's mapping (replacing the saved one), recorded with ``user``."""
    clean = validate_map(edits)
    settings.put(db, MAP_KEY, clean, user)
    return clean


# -- SQL over aggregates (never per row in Python) --------------------------------------------------
def map_params(mapping: dict[str, str]) -> list[list[str]]:
    """The two list parameters of :data:`JOIN_SQL`: names (as :func:`key` gives) and their codes."""
    return [list(mapping), list(mapping.values())]


# The canonical code of ``raw.channel`` after :data:`JOIN_SQL` ('' for an empty name, 'other' unknown).
CODE_SQL = """coalesce(cm.code, CASE WHEN raw.channel IS NULL OR trim(raw.channel) = '' THEN '' ELSE 'other' END)"""
# Joins the map (parameters: :func:`map_params`) to a subquery aliased ``raw`` with a ``channel`` column.
JOIN_SQL = """LEFT JOIN (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS code) cm
           ON cm.k = lower(trim(raw.channel))"""


def code_in_sql(column: str, mapping: dict[str, str], codes: list[str] | tuple[str, ...]) -> tuple[str, list]:
    """SQL condition 'the code of the raw name in ``column`` is one of ``codes``', and its parameters.

    ``column`` is a fixed column name of ours. Meant for grouped rows (one per distinct name):
    it tests the name against the few names that map to ``codes``.
    """
    wanted = set(codes)
    names = [k for k, c in mapping.items() if c in wanted]
    cond = f"list_contains(?::VARCHAR[], lower(trim({column})))"
    params: list = [names]
    if OTHER in wanted:  # names no map knows count as 'other'
        cond = f"({cond} OR (trim({column}) <> '' AND NOT list_contains(?::VARCHAR[], lower(trim({column})))))"
        params.append(list(mapping))
    return cond, params
