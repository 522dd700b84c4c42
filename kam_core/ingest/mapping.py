"""Column mapping: canonical fields per upload kind, English and Chinese synonyms, templates.

Each field's synonyms are declared once (``SYNONYMS``) and shared by every kind that uses
the field; ``KIND_FIELDS`` lists, per kind, its fields with their value type and whether
they are required. A header is normalised (lower case, no spaces / punctuation / unit brackets) and compared
with each field's synonyms; earlier synonyms are preferred, so when a file has both an
order date and a ship date, or a customer name and a customer id, the order date and the
name win and the others are offered as alternatives.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from kam_core.db import Database

KINDS = ("sales", "accounts", "stores", "receivables")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # period | date | text | code | number | bool | int
    required: bool
    synonyms: tuple[str, ...]


# Every field's header synonyms, declared once and shared by every upload kind that uses the
# field (a customer column is called the same in a sales file and in an accounts master).
# In order of preference: the first ones are what the business usually means, so an order
# date beats a ship date and a customer name beats a customer id.
SYNONYMS: dict[str, tuple[str, ...]] = {
    # -- sales lines
    "period": ("period", "month", "月份", "期间", "会计期间", "年月", "销售月份", "月", "yearmonth", "fiscalperiod",
               "orderdate", "订单日期", "下单日期", "invoicedate", "开票日期", "发票日期", "单据日期", "销售日期",
               "transactiondate", "交易日期", "业务日期", "date", "日期",
               "shipdate", "发货日期", "送货日期", "出库日期"),
    "account": ("account", "accountname", "customername", "客户名称", "客户", "系统", "系统名称", "零售商", "零售系统",
                "retailer", "chain", "customer", "客户简称", "客户全称", "购货单位", "keyaccount", "ka系统",
                "customerid", "客户编号", "客户代码", "客户编码", "客户id", "accountid", "customerno"),
    "revenue": ("revenue", "sales", "salesamount", "amount", "netsales", "销售额", "销售金额", "金额", "含税销售额",
                "不含税销售额", "净销售额", "销售收入", "收入", "营业额", "grosssales", "turnover", "totalprice",
                "totalamount", "linetotal", "total", "总价", "总金额", "价税合计", "value", "salesvalue"),
    "store": ("store", "storecode", "storeid", "门店", "门店编码", "门店编号", "门店代码", "门店名称", "storename",
              "outlet", "网点"),
    "province": ("province", "省份", "省", "省/自治区", "省区", "state", "stateprovince"),
    "city": ("city", "城市", "市", "地级市"),
    "region": ("region", "大区", "区域", "地区", "销售大区", "area"),
    # 'channel' (sales) and 'format' (masters) share 业态 / 渠道 / channel / format, in opposite
    # order on purpose: a sales file's 渠道 is its channel, a master file's 业态 is the store format.
    "channel": ("channel", "渠道", "业态", "渠道类型", "format", "segment", "细分"),
    "sku": ("sku", "skucode", "productcode", "itemcode", "stockcode", "产品编码", "商品编码", "物料编码", "货号",
            "条码", "barcode", "product", "产品", "商品", "产品名称", "商品名称", "description", "productname"),
    "category": ("category", "品类", "类别", "产品类别", "品类名称", "子类别", "subcategory"),
    "volume": ("volume", "quantity", "qty", "数量", "销量", "箱数", "件数", "units", "cases", "销售数量"),
    "unit_price": ("unitprice", "price", "单价", "价格", "售价", "含税单价"),
    "gross_profit": ("grossprofit", "profit", "gp", "毛利", "毛利额", "利润"),
    "trade_spend": ("tradespend", "promotion", "费用", "促销费用", "贸易费用", "返利", "tradeinvestment", "进场费"),
    "kam": ("kam", "keyaccountmanager", "accountmanager", "客户经理", "业务员", "销售代表", "负责人", "salesrep",
            "salesperson", "owner"),
    # -- account and store masters
    "name_zh": ("namezh", "chinesename", "中文名称", "中文名", "客户中文名"),
    "international": ("international", "国际", "是否国际", "外资", "国际背景"),
    "origin_country": ("origincountry", "origin", "country", "国家", "来源国", "原产国"),
    "format": ("format", "业态", "渠道", "channel", "type", "类型"),
    "strategic_fit": ("strategicfit", "fit", "战略匹配", "战略契合度", "战略匹配度"),
    "parent_group": ("parentgroup", "group", "parent", "集团", "所属集团", "母公司"),
    "opened": ("opened", "opendate", "openingdate", "开业日期", "开店日期"),
    # -- receivables
    # 'as_of' shares date / 日期 / 期间 / 月份 / period with 'period', in its own order: an ageing
    # snapshot is dated (截止日期), a sales line is a month.
    "as_of": ("asof", "asofdate", "date", "snapshotdate", "截止日期", "账龄日期", "日期", "期间", "月份", "period",
              "month"),
    "current": ("current", "notdue", "未到期", "当期", "正常", "信用期内"),
    "overdue_1_30": ("overdue130", "130days", "130", "130天", "逾期130天", "逾期1-30天"),
    "overdue_31_60": ("overdue3160", "3160days", "3160", "3160天", "逾期3160天"),
    "overdue_61_90": ("overdue6190", "6190days", "6190", "6190天", "逾期6190天"),
    "overdue_90_plus": ("overdue90plus", "overdue90", "90plus", "90days", "90天以上", "逾期90天以上", "90以上",
                        "over90"),
}  # fmt: skip

# The fields each kind uses, in the order of its template: (field, value type, required).
KIND_FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "sales": (
        ("period", "period", True), ("account", "text", True), ("revenue", "number", True),
        ("store", "code", False), ("province", "text", False), ("city", "text", False), ("region", "text", False),
        ("channel", "text", False), ("sku", "code", False), ("category", "text", False),
        ("volume", "number", False), ("unit_price", "number", False), ("gross_profit", "number", False),
        ("trade_spend", "number", False), ("kam", "text", False),
    ),
    "accounts": (
        ("account", "text", True), ("name_zh", "text", False), ("international", "bool", False),
        ("origin_country", "text", False), ("format", "text", False), ("kam", "text", False),
        ("strategic_fit", "int", False), ("parent_group", "text", False),
    ),
    "stores": (
        ("store", "code", True), ("account", "text", True), ("province", "text", False), ("city", "text", False),
        ("region", "text", False), ("format", "text", False), ("opened", "date", False),
    ),
    "receivables": (
        ("account", "text", True), ("as_of", "date", True), ("current", "number", False),
        ("overdue_1_30", "number", False), ("overdue_31_60", "number", False), ("overdue_61_90", "number", False),
        ("overdue_90_plus", "number", False),
    ),
}  # fmt: skip

# Headers offered for a field (in its candidate list) but never proposed on their own: a file
# whose locations are countries may map Country to the region, but that is the user's choice.
OFFERED: dict[str, tuple[str, ...]] = {"region": ("country", "国家", "countryregion", "国家地区", "国家/地区")}

# The account synonyms that name a customer *id* rather than a name (for the name-vs-id check).
ACCOUNT_IDS = (
    "customerid",
    "客户编号",
    "客户代码",
    "客户编码",
    "客户id",
    "accountid",
    "customerno",
    "customercode",
    "accountcode",
    "accountno",
)

FIELDS: dict[str, list[Field]] = {
    kind: [Field(name, typ, req, SYNONYMS[name]) for name, typ, req in fields] for kind, fields in KIND_FIELDS.items()
}
_WAN = re.compile(r"[（(]\s*万")


def field_names(kind: str) -> list[str]:
    return [f.name for f in FIELDS[kind]]


def get_field(kind: str, name: str) -> Field:
    return next(f for f in FIELDS[kind] if f.name == name)


def norm(header: object) -> str:
    """Header as compared with synonyms: lower case, no spaces, underscores, punctuation or unit brackets."""
    return _norm(str(header or ""))


@cache
def _norm(header: str) -> str:
    # cached: header detection compares every cell of the first rows with every synonym
    s = header.strip().lower()
    s = re.sub(r"[（(][^)）]*[)）]", "", s)  # "销售额(元)", "Revenue (RMB)"
    return re.sub(r"[\s_\-–—./:：#*'\"`·]+", "", s)


def _match(header: str, f: Field) -> int:
    """Score of a header for a field: 0 none; exact synonym beats contained synonym; earlier beats later."""
    h = norm(header)
    return _match_norm(h, f) if h else 0


@lru_cache(maxsize=16_384)
def _match_norm(h: str, f: Field) -> int:
    # cached: header detection scores every cell of the first rows for every field, and cells repeat
    syn = _norm_synonyms(f.synonyms)
    if h in syn:
        return 1000 - syn.index(h)
    best = 0
    for i, s in enumerate(syn):
        if len(s) >= 2 and (s in h) and len(h) <= len(s) + 6:
            best = max(best, 500 - i)
    return best


@cache
def _norm_synonyms(synonyms: tuple[str, ...]) -> list[str]:
    return [norm(s) for s in synonyms]


def header_hits(cells: list[str]) -> int:
    """How many cells look like a known header of any kind (used to find the header row)."""
    every = [f for fs in FIELDS.values() for f in fs]
    return sum(1 for c in cells if c and any(_match(c, f) for f in every))


@dataclass
class Mapping:
    """field → header of the file, and a scale per numeric field (10000 for amounts in 万)."""

    fields: dict[str, str] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"fields": self.fields, "scale": self.scale}, ensure_ascii=False)

    @classmethod
    def from_obj(cls, obj: object) -> Mapping:
        if isinstance(obj, str):
            obj = json.loads(obj)
        if isinstance(obj, dict) and "fields" in obj:
            return cls(dict(obj["fields"]), {k: float(v) for k, v in (obj.get("scale") or {}).items()})
        return cls(dict(obj or {}))  # type: ignore[arg-type]


def candidates(kind: str, headers: list[str]) -> dict[str, list[str]]:
    """For every field, the headers that could serve it, most likely first (then those only offered)."""
    out: dict[str, list[str]] = {}
    for f in FIELDS[kind]:
        scored = [(s, -i, h) for i, h in enumerate(headers) if (s := _match(h, f))]
        out[f.name] = [h for _, _, h in sorted(scored, reverse=True)]
        offered = _norm_synonyms(OFFERED.get(f.name, ()))
        out[f.name] += [h for h in headers if norm(h) in offered and h not in out[f.name]]
    return out


def account_columns(headers: list[str]) -> tuple[str | None, str | None]:
    """(customer name column, customer id column) of a file, each the best match or None."""
    ids = set(_norm_synonyms(ACCOUNT_IDS))
    f = next(x for x in FIELDS["sales"] if x.name == "account")
    scored = sorted(((_match(h, f), -i, h) for i, h in enumerate(headers)), reverse=True)
    name = next((h for s, _, h in scored if s and not _is_id(h, ids)), None)
    ident = next((h for s, _, h in scored if s and _is_id(h, ids)), None)
    return name, ident


def _is_id(header: str, ids: set[str]) -> bool:
    h = norm(header)
    return h in ids or any(len(i) >= 4 and i in h for i in ids) or h.endswith(("id", "编号", "编码", "代码", "code"))


def propose(kind: str, headers: list[str]) -> Mapping:
    """Best guess: each header to at most one field, highest scores first."""
    pairs = sorted(
        ((_match(h, f), -fi, -hi, f.name, h) for fi, f in enumerate(FIELDS[kind]) for hi, h in enumerate(headers)),
        reverse=True,
    )
    m = Mapping()
    used: set[str] = set()
    for score, _, _, name, h in pairs:
        if score and name not in m.fields and h not in used:
            m.fields[name] = h
            used.add(h)
    for name, h in m.fields.items():
        if get_field(kind, name).kind == "number" and _WAN.search(h):
            m.scale[name] = 10000.0
    return m


def missing_required(kind: str, m: Mapping) -> list[str]:
    """Required fields the mapping lacks (sales revenue may come from volume × unit price)."""
    have = set(m.fields)
    out = [f.name for f in FIELDS[kind] if f.required and f.name not in have]
    if kind == "sales" and "revenue" in out and {"volume", "unit_price"} <= have:
        out.remove("revenue")
    return out


def apply_overrides(m: Mapping, overrides: dict[str, str | None]) -> Mapping:
    """``--map field=Header`` (empty header removes the field)."""
    fields = dict(m.fields)
    for k, v in overrides.items():
        fields = {f: h for f, h in fields.items() if h != v or not v}
        if v:
            fields[k] = v
        else:
            fields.pop(k, None)
    return Mapping(fields, dict(m.scale))


# -- named templates (table mapping_templates) ---------------------------------------------


def list_templates(db: Database, kind: str, user: str | None = None) -> list[dict]:
    """Templates of a kind this user may use: their own (last used first), then those others shared.

    Without ``user`` (a named template asked for explicitly, e.g. ``import --template``) every template.
    """
    if user is None:
        rows = db.rows(
            """SELECT name, mapping, user_name, used_at, coalesce(shared, FALSE) FROM mapping_templates
               WHERE kind = ? ORDER BY used_at DESC, name""",
            [kind],
        )
    else:
        rows = db.rows(
            """SELECT name, mapping, user_name, used_at, coalesce(shared, FALSE) FROM mapping_templates
               WHERE kind = ? AND (user_name = ? OR shared) ORDER BY (user_name = ?) DESC, used_at DESC, name""",
            [kind, user, user],
        )
    return [{"name": n, "mapping": Mapping.from_obj(m), "user": u, "used_at": t, "shared": bool(sh)}
            for n, m, u, t, sh in rows]  # fmt: skip


def save_template(db: Database, name: str, kind: str, m: Mapping, user: str, shared: bool = False) -> None:
    """Save (or update) this user's template; a name another user owns is refused (UserError)."""
    with db.transaction(user, "mapping_template", {"name": name, "kind": kind, "shared": shared}, data=False) as cur:
        owner = cur.execute(
            "SELECT user_name FROM mapping_templates WHERE name = ? AND kind = ?", [name, kind]
        ).fetchone()
        if owner and owner[0] != user:
            from kam_core.errors import UserError

            raise UserError("upload.err.template_owner", name=name, owner=owner[0])
        cur.execute(
            """INSERT OR REPLACE INTO mapping_templates (name, kind, mapping, user_name, used_at, shared)
               VALUES (?, ?, ?, ?, now(), ?)""",
            [name, kind, m.to_json(), user, shared],
        )


def record_use(cur: object, name: str, kind: str, m: Mapping, user: str) -> None:
    """Inside a commit: the template used, saved as this user's last one (another user's is left unchanged)."""
    cur.execute(  # type: ignore[attr-defined]
        """INSERT INTO mapping_templates (name, kind, mapping, user_name, used_at, shared)
           VALUES (?, ?, ?, ?, now(), FALSE)
           ON CONFLICT (name, kind) DO UPDATE SET mapping = EXCLUDED.mapping, used_at = EXCLUDED.used_at
           WHERE mapping_templates.user_name = EXCLUDED.user_name""",
        [name, kind, m.to_json(), user],
    )


def fits(m: Mapping, headers: list[str]) -> bool:
    return bool(m.fields) and set(m.fields.values()) <= set(headers)


def fitting_templates(db: Database, kind: str, headers: list[str], user: str | None) -> list[dict]:
    """Templates of a kind whose columns are all in the file; the one to preselect first (the user's last used)."""
    return [tp for tp in list_templates(db, kind, user) if fits(tp["mapping"], headers)]


def template_choice(db: Database, kind: str, headers: list[str], user: str | None) -> tuple[list[dict], str | None]:
    """The templates offered for a file (this user's and shared ones that fit it) and the one preselected.

    Preselected: this user's own template used last that fits; never another user's (theirs may map other
    columns, e.g. gross profit as revenue). None when none fits (the proposal from the headers is used).
    """
    if not (user or "").strip():
        return [tp for tp in list_templates(db, kind, "") if fits(tp["mapping"], headers)], None
    fitting = fitting_templates(db, kind, headers, user)
    own = [tp for tp in fitting if tp["user"] == user]
    return fitting, (own[0]["name"] if own else None)


def best_template(db: Database, kind: str, headers: list[str], user: str | None) -> dict | None:
    """The preselected template of :func:`template_choice` itself, or None."""
    templates, name = template_choice(db, kind, headers, user)
    return next((tp for tp in templates if tp["name"] == name), None)


def template_named(db: Database, kind: str, name: str) -> dict | None:
    """A saved template of a kind by its name, or None."""
    return next((tp for tp in list_templates(db, kind) if tp["name"] == name), None)


def starting_mapping(kind: str, headers: list[str], templates: list[dict], chosen: str | None) -> Mapping:
    """The mapping the editor starts from: the chosen template's (one of ``templates``), else the proposal."""
    tp = next((tp for tp in templates if chosen and tp["name"] == chosen), None)
    return tp["mapping"] if tp else propose(kind, headers)
