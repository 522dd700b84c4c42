"""Deterministic demo dataset: the K/A chains of the domain brief and several hundred other customers.

Same seed → same bytes. Shape the dashboards rely on: a concentrated customer base (top
20% of accounts ≈ 70–85% of revenue), modern trade gaining share from traditional trade,
a Chinese New Year peak, some accounts declining and some new ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from kam_core.db import Database
from kam_core.geo import DEFAULT_REGION_OF

SEED = 20261027
N_MONTHS = 36
DEMO_FILE_NAME = "demo dataset"

# Provinces ordered by retail weight (a rough population × income proxy) and their capitals.
PROVINCE_WEIGHT: dict[str, tuple[float, str]] = {
    "Guangdong": (10.0, "Guangzhou"), "Jiangsu": (9.0, "Nanjing"), "Shanghai": (8.0, "Shanghai"),
    "Zhejiang": (8.0, "Hangzhou"), "Shandong": (7.5, "Jinan"), "Beijing": (7.0, "Beijing"),
    "Sichuan": (5.5, "Chengdu"), "Henan": (5.5, "Zhengzhou"), "Hubei": (5.0, "Wuhan"),
    "Fujian": (4.5, "Fuzhou"), "Hunan": (4.5, "Changsha"), "Tianjin": (4.0, "Tianjin"),
    "Anhui": (4.0, "Hefei"), "Hebei": (4.0, "Shijiazhuang"), "Liaoning": (3.5, "Shenyang"),
    "Chongqing": (3.5, "Chongqing"), "Shaanxi": (3.0, "Xi'an"), "Jiangxi": (2.8, "Nanchang"),
    "Yunnan": (2.5, "Kunming"), "Guangxi": (2.5, "Nanning"), "Shanxi": (2.2, "Taiyuan"),
    "Heilongjiang": (2.0, "Harbin"), "Jilin": (1.8, "Changchun"), "Inner Mongolia": (1.6, "Hohhot"),
    "Guizhou": (1.6, "Guiyang"), "Xinjiang": (1.4, "Urumqi"), "Gansu": (1.2, "Lanzhou"),
    "Hainan": (1.0, "Haikou"), "Ningxia": (0.6, "Yinchuan"), "Qinghai": (0.5, "Xining"),
    "Tibet": (0.3, "Lhasa"),
}  # fmt: skip
PROVINCES = list(PROVINCE_WEIGHT)

KAMS = ["Li Wei", "Wang Fang", "Zhang Min", "Liu Yang", "Chen Jing", "Zhao Lei", "Huang Li", "Zhou Tao"]
REGIONAL_MANAGER = {"East": "Zhou Tao", "South": "Huang Li", "North": "Zhao Lei", "West": "Chen Jing",
                    "Central": "Liu Yang"}  # fmt: skip


@dataclass(frozen=True)
class Chain:
    account: str
    name_zh: str
    international: bool
    origin: str | None
    format: str
    provinces: tuple[str, ...] | int  # explicit list, or the N first by retail weight (rotated)
    stores: int
    annual_m: float  # revenue in the first year, million RMB
    growth: float  # yearly growth
    kam: str
    start_month: int = 0  # 0 = trading from the first month


def _top(n: int, skip: int = 0) -> tuple[str, ...]:
    return tuple((PROVINCES[skip:] + PROVINCES[:skip])[:n])


# The K/A chains named in KAM_DOMAIN.md §6, with their tier attributes.
CHAINS: list[Chain] = [
    # GKA: international background, stores across provinces
    Chain("Walmart", "沃尔玛", True, "USA", "hypermarket", 26, 90, 240, 0.06, "Li Wei"),
    Chain("Carrefour", "家乐福", True, "France", "hypermarket", 22, 70, 220, 0.02, "Li Wei"),
    Chain("Metro", "麦德龙", True, "Germany", "cash_and_carry", 16, 34, 95, 0.04, "Wang Fang"),
    Chain("Auchan", "欧尚", True, "France", "hypermarket", 12, 30, 80, -0.04, "Wang Fang"),
    Chain("Lotus", "易初莲花", True, "Thailand", "hypermarket", 8, 20, 45, -0.15, "Wang Fang"),
    Chain("PriceSmart", "普尔斯马特", True, "USA", "warehouse_club", 6, 8, 18, 0.02, "Zhang Min"),
    Chain("Makro", "万客隆", True, "Netherlands", "cash_and_carry", ("Guangdong", "Beijing", "Fujian"), 5, 12, 0.0, "Zhang Min"),
    Chain("Ito-Yokado", "伊藤洋华堂", True, "Japan", "department", ("Beijing", "Sichuan"), 8, 22, 0.05, "Zhang Min"),
    # International background but one province only → tiered by footprint (LKA)
    Chain("ParknShop", "百佳", True, "Hong Kong", "supermarket", ("Guangdong",), 12, 20, 0.01, "Huang Li"),
    # NKA: stores across provinces, no international background
    Chain("RT-Mart", "大润发", False, None, "hypermarket", 21, 75, 200, 0.09, "Liu Yang"),
    Chain("China Resources Vanguard", "华润万家", False, None, "hypermarket", 18, 70, 150, 0.05, "Liu Yang"),
    Chain("Lianhua", "联华", False, None, "supermarket", ("Shanghai", "Zhejiang", "Jiangsu", "Anhui", "Shandong", "Beijing", "Henan", "Fujian", "Jiangxi", "Liaoning", "Hubei", "Guangxi"), 85, 130, 0.03, "Chen Jing"),
    Chain("Hualian", "华联", False, None, "supermarket", 10, 45, 70, 0.0, "Chen Jing"),
    Chain("Trust-Mart", "好又多", False, None, "hypermarket", 10, 28, 55, -0.22, "Zhao Lei"),
    Chain("Tesco Legou", "乐购", False, None, "hypermarket", 7, 22, 50, -0.06, "Zhao Lei"),
    Chain("Nonggongshang", "农工商", False, None, "supermarket", ("Shanghai", "Jiangsu", "Zhejiang", "Anhui"), 40, 45, -0.05, "Chen Jing"),
    Chain("Suguo", "苏果", False, None, "supermarket", ("Jiangsu", "Anhui", "Shandong"), 60, 85, 0.04, "Zhou Tao"),
    Chain("Xinyijia", "新一佳", False, None, "supermarket", ("Hunan", "Guangdong"), 18, 20, 0.12, "Huang Li", 10),
    Chain("Wanjia", "万家", False, None, "supermarket", ("Guangdong",), 20, 28, 0.03, "Huang Li"),
    # LKA: several stores in one regional market
    Chain("Hangzhou Jiayou", "杭州家友", False, None, "supermarket", ("Zhejiang",), 14, 18, 0.05, "Zhou Tao"),
    Chain("Ningbo Sanjiang", "宁波三江", False, None, "supermarket", ("Zhejiang",), 16, 24, 0.03, "Zhou Tao"),
    # Convenience chains, tiered by the same tests
    Chain("Kedi", "可的", False, None, "convenience", ("Shanghai", "Zhejiang", "Jiangsu"), 60, 16, 0.10, "Zhang Min"),
    Chain("Haode", "好德", False, None, "convenience", ("Shanghai",), 45, 12, 0.14, "Zhang Min"),
]  # fmt: skip

CATEGORIES = {  # category: (unit price RMB per case, gross margin)
    "Beverages": (48.0, 0.34),
    "Snacks": (62.0, 0.38),
    "Dairy": (75.0, 0.28),
    "Personal care": (110.0, 0.45),
    "Household": (88.0, 0.40),
}
SKUS_PER_CATEGORY = 16  # 80 SKUs

# Chinese New Year (first day): the pre-holiday stocking peak falls in this month, or in the
# month before when the holiday is early in the month.
CNY = {2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
       2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
       2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3)}  # fmt: skip

NAME_CITY = ["Guangzhou", "Shenzhen", "Dongguan", "Suzhou", "Wuxi", "Nanjing", "Hangzhou", "Wenzhou", "Jinan",
             "Qingdao", "Chengdu", "Zhengzhou", "Wuhan", "Xiamen", "Changsha", "Hefei", "Shenyang", "Xi'an",
             "Kunming", "Nanning", "Harbin", "Fuzhou", "Tianjin", "Shijiazhuang", "Guiyang", "Lanzhou"]  # fmt: skip
NAME_WORD = ["Hengxin", "Jinfeng", "Huamei", "Xinda", "Longsheng", "Fuyuan", "Tianhe", "Baoli", "Kangda",
             "Ruifeng", "Yongan", "Shunfa", "Minsheng", "Hongyun", "Dafu", "Jiahe", "Xingwang", "Lianfa",
             "Wanfu", "Anping", "Changxing", "Guotai", "Haixin", "Zhongxing"]  # fmt: skip
KIND_SUFFIX = {
    "traditional": "Grocery",
    "wholesale": "Wholesale",
    "distributor": "Trading Co.",
    "online": "E-commerce",
    "supermarket": "Supermarket",
}
KIND_FORMAT = {"traditional": "traditional", "wholesale": "wholesale", "distributor": "wholesale",
               "online": "online", "supermarket": "supermarket"}  # fmt: skip
# (kind, how many, median annual revenue million RMB, lognormal sigma, yearly growth)
OTHER_CUSTOMERS = [
    ("traditional", 230, 1.3, 0.9, -0.12),
    ("wholesale", 70, 3.0, 0.8, -0.04),
    ("distributor", 60, 4.5, 0.7, -0.02),
    ("online", 20, 3.0, 1.0, 0.25),
    ("supermarket", 60, 2.2, 0.6, 0.04),  # single-store local supermarkets
]


def months(end: date, n: int = N_MONTHS) -> list[date]:
    y, m = end.year, end.month
    out = []
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def season_factor(p: date) -> float:
    cny = CNY.get(p.year) or date(p.year, 2, 1)
    peak = (
        (cny.year, cny.month) if cny.day > 10 else ((cny.year - 1, 12) if cny.month == 1 else (cny.year, cny.month - 1))
    )
    nxt = CNY.get(p.year + 1) or date(p.year + 1, 2, 1)
    peak_next = (
        (nxt.year, nxt.month) if nxt.day > 10 else ((nxt.year - 1, 12) if nxt.month == 1 else (nxt.year, nxt.month - 1))
    )
    ym = (p.year, p.month)
    if ym in (peak, peak_next):
        return 1.45
    after = [(peak[0] + (peak[1] == 12), peak[1] % 12 + 1)]
    if ym in after:
        return 0.78
    return {9: 1.10, 12: 1.05, 7: 0.95, 8: 0.97}.get(p.month, 1.0)


def _accounts_and_stores(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    acc_rows, store_rows = [], []
    for ci, c in enumerate(CHAINS):
        provs = list(c.provinces) if isinstance(c.provinces, tuple) else list(_top(c.provinces, skip=ci % 5))
        w = np.array([PROVINCE_WEIGHT[p][0] for p in provs])
        # At least one store per province, the rest by weight.
        counts = np.ones(len(provs), dtype=int)
        extra = c.stores - len(provs)
        if extra > 0:
            counts += rng.multinomial(extra, w / w.sum())
        code = "".join(ch for ch in c.account.upper() if ch.isalpha())[:3]
        n = 0
        store_w = rng.lognormal(0, 0.35, size=counts.sum())
        store_w = store_w / store_w.sum()
        for p, k in zip(provs, counts, strict=True):
            for _ in range(k):
                n += 1
                store_rows.append((f"{code}-{n:04d}", c.account, p, PROVINCE_WEIGHT[p][1], DEFAULT_REGION_OF[p],
                                   c.format, c.format, c.annual_m * 1e6 * store_w[n - 1], c.growth,
                                   c.start_month))  # fmt: skip
        acc_rows.append((c.account, c.name_zh, c.international, c.origin, c.format, c.kam))
    used: set[str] = {c.account for c in CHAINS}
    pw = np.array([PROVINCE_WEIGHT[p][0] for p in PROVINCES])
    cust_no = 0
    for kind, count, median_m, sigma, growth in OTHER_CUSTOMERS:
        # every province gets at least one of the big kinds, the rest follow retail weight
        provs = PROVINCES[:count] if count >= len(PROVINCES) else []
        provs = provs + list(rng.choice(PROVINCES, size=count - len(provs), p=pw / pw.sum()))
        sizes = rng.lognormal(np.log(median_m * 1e6), sigma, size=count)
        for p, size in zip(provs, sizes, strict=True):
            cust_no += 1
            while True:
                name = f"{rng.choice(NAME_CITY)} {rng.choice(NAME_WORD)} {KIND_SUFFIX[kind]}"
                if name not in used:
                    break
                name = f"{name} {cust_no}"
                if name not in used:
                    break
            used.add(name)
            # ~12% of customers are new (start trading within the period), ~10% fading fast
            start = int(rng.integers(12, 30)) if rng.random() < 0.12 else 0
            g = growth - 0.35 if rng.random() < 0.10 else growth + rng.normal(0, 0.05)
            region = DEFAULT_REGION_OF[p]
            store_rows.append((f"C-{cust_no:05d}", name, p, PROVINCE_WEIGHT[p][1], region, KIND_FORMAT[kind],
                               kind, size, g, start))  # fmt: skip
            acc_rows.append((name, None, False, None, KIND_FORMAT[kind], REGIONAL_MANAGER[region]))
    accounts = pd.DataFrame(
        acc_rows, columns=["account", "name_zh", "international", "origin_country", "format", "kam"]
    )
    stores = pd.DataFrame(
        store_rows,
        columns=["store", "account", "province", "city", "region", "format", "channel", "annual", "growth",
                 "start_month"],
    )  # fmt: skip
    return accounts, stores


def _skus() -> pd.DataFrame:
    rows = []
    i = 0
    for cat, (price, margin) in CATEGORIES.items():
        for _ in range(SKUS_PER_CATEGORY):
            i += 1
            rows.append((f"{i:05d}", f"{cat} item {i}", cat, price * (0.7 + 0.6 * ((i * 37) % 11) / 10), margin))
    return pd.DataFrame(rows, columns=["sku", "name", "category", "price", "margin"])


def generate(end: date, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Build the demo frames (accounts, stores, skus, sales, receivables) in memory."""
    rng = np.random.default_rng(seed)
    accounts, stores = _accounts_and_stores(rng)
    skus = _skus()
    periods = months(end)
    n_sku = len(skus)
    lines_per_store = 6
    ns = len(stores)
    # Each store carries a stable assortment of SKUs (popular ones more often).
    pop = 1.0 / np.arange(1, n_sku + 1) ** 0.6
    pop = pop / pop.sum()
    assort = np.stack([rng.choice(n_sku, size=lines_per_store, replace=False, p=pop) for _ in range(ns)])
    mix = rng.dirichlet(np.full(lines_per_store, 2.0), size=ns)

    season = np.array([season_factor(p) for p in periods])
    t_years = np.arange(len(periods)) / 12.0
    growth = stores["growth"].to_numpy()
    start = stores["start_month"].to_numpy()
    monthly = stores["annual"].to_numpy() / 12.0
    # store × month revenue
    trend = np.power(1.0 + growth[:, None], t_years[None, :])
    active = np.arange(len(periods))[None, :] >= start[:, None]
    # new customers ramp up over their first four months
    ramp = np.where(
        start[:, None] > 0, np.clip((np.arange(len(periods))[None, :] - start[:, None] + 1) / 4.0, 0, 1), 1.0
    )
    noise = rng.lognormal(0, 0.07, size=(ns, len(periods)))
    sm = monthly[:, None] * trend * season[None, :] * noise * active * ramp
    # store × month × line
    line_noise = rng.lognormal(0, 0.10, size=(ns, len(periods), lines_per_store))
    rev = sm[:, :, None] * mix[:, None, :] * line_noise
    si, pi, li = np.nonzero(rev > 0)
    sku_idx = assort[si, li]
    revenue = np.round(rev[si, pi, li], 2)
    price = skus["price"].to_numpy()[sku_idx] * (1 + rng.normal(0, 0.03, size=len(si)))
    volume = np.maximum(np.round(revenue / price), 1)
    is_ka = stores["store"].str.startswith("C-").to_numpy()[si] == 0
    margin = skus["margin"].to_numpy()[sku_idx] - np.where(is_ka, 0.06, 0.0) + rng.normal(0, 0.03, size=len(si))
    # A few loss-making lines (deep promotions) keep the profit whale curve honest.
    margin = np.where(rng.random(len(si)) < 0.01, -0.08, margin)
    gross_profit = np.round(revenue * margin, 2)
    spend_rate = np.where(is_ka, 0.11, 0.025) + rng.normal(0, 0.01, size=len(si))
    trade_spend = np.round(revenue * np.clip(spend_rate, 0, None), 2)
    st = stores.iloc[si]
    acc_kam = dict(zip(accounts["account"], accounts["kam"], strict=True))
    sales = pd.DataFrame(
        {
            "period": np.array(periods, dtype="datetime64[D]")[pi],
            "account": st["account"].to_numpy(),
            "store": st["store"].to_numpy(),
            "province": st["province"].to_numpy(),
            "city": st["city"].to_numpy(),
            "region": st["region"].to_numpy(),
            "channel": st["channel"].to_numpy(),
            "sku": skus["sku"].to_numpy()[sku_idx],
            "category": skus["category"].to_numpy()[sku_idx],
            "revenue": revenue,
            "volume": volume,
            "gross_profit": gross_profit,
            "trade_spend": trade_spend,
        }
    )
    sales["kam"] = sales["account"].map(acc_kam)
    sales = sales.sort_values(["period", "account", "store", "sku"], kind="stable").reset_index(drop=True)

    # Receivables: month-end ageing for the last 12 months; a few slow payers, and only they
    # carry amounts over 90 days.
    acc_month = sales.groupby(["account", "period"], sort=True)["revenue"].sum().reset_index()
    last12 = set(np.array(periods[-12:], dtype="datetime64[D]").astype("datetime64[ns]"))
    acc_month = acc_month[acc_month["period"].isin(last12)]
    accs = sorted(acc_month["account"].unique())
    slow = {a: rng.random() < 0.12 for a in accs}
    rec = []
    for a, p, r in acc_month.itertuples(index=False):
        s = 0.5 if slow[a] else 0.1
        ts = pd.Timestamp(p)
        as_of = (ts + pd.offsets.MonthEnd(0)).date()
        rec.append((a, as_of, round(r * 1.0, 2), round(r * s * 0.6, 2), round(r * s * 0.3, 2),
                    round(r * s * 0.15, 2), round(r * s * 0.4, 2) if slow[a] else 0.0))  # fmt: skip
    receivables = pd.DataFrame(
        rec,
        columns=["account", "as_of", "current", "overdue_1_30", "overdue_31_60", "overdue_61_90", "overdue_90_plus"],
    )
    return {
        "accounts": accounts,
        "stores": stores[["store", "account", "province", "city", "region", "format"]],
        "skus": skus[["sku", "name", "category"]],
        "sales": sales,
        "receivables": receivables,
    }


class HasDataError(RuntimeError):
    """The database already holds uploads the demo would wipe."""


# Everything the demo replaces (rollback copies included, so no demo row can come back later).
_DATA_TABLES = ("sales", "sales_replaced", "receivables", "receivables_replaced", "stores", "stores_replaced",
                "skus", "accounts", "accounts_replaced", "uploads")  # fmt: skip


def build(
    db: Database, end: date = date(2026, 10, 1), user: str = "demo", *, replace_real: bool = False,
    only_if_empty: bool = False,
) -> int:  # fmt: skip
    """Replace the database content with the demo dataset; returns the demo's upload id.

    Refuses (HasDataError, nothing written) when real uploads exist unless ``replace_real``;
    with ``only_if_empty`` also when anything at all was loaded — checked inside the write
    transaction, so a first real upload committed meanwhile by another session is never wiped.
    """
    frames = generate(end)
    sales = frames["sales"]
    digest = hashlib.sha256(f"demo:{SEED}:{end.isoformat()}".encode()).hexdigest()
    with db.transaction(user, "demo", {"end": end.isoformat(), "rows": len(sales)}) as cur:
        n_all, n_real = cur.execute("SELECT count(*), count(*) FILTER (WHERE kind <> 'demo') FROM uploads").fetchone()
        if (only_if_empty and n_all) or (n_real and not replace_real):
            raise HasDataError(
                f"{db.path} holds {n_real} upload(s) of real data; the demo would delete them. "
                "Use another --db, or --force to replace them."
            )
        for t in _DATA_TABLES:
            cur.execute(f"DELETE FROM {t}")  # noqa: S608 - fixed table names
        from kam_core.plans.demo_plans import DEMO_PLAN_USER

        cur.execute("DELETE FROM account_plans WHERE user_name = ?", [DEMO_PLAN_USER])
        upload_id = cur.execute(
            """INSERT INTO uploads (kind, file_name, sha256, rows_read, rows_loaded, user_name, created_at, status)
               VALUES ('demo', ?, ?, ?, ?, ?, now(), 'active') RETURNING id""",
            [DEMO_FILE_NAME, digest, len(sales), len(sales), user],
        ).fetchone()[0]
        for name, frame in frames.items():
            cur.register("frame_in", frame)
            if name == "sales":
                cur.execute(
                    """INSERT INTO sales BY NAME SELECT period::DATE AS period, account, store, province, city,
                       region, channel, sku, category, revenue::DECIMAL(18,4) AS revenue,
                       volume::DECIMAL(18,4) AS volume, gross_profit::DECIMAL(18,4) AS gross_profit,
                       trade_spend::DECIMAL(18,4) AS trade_spend, kam, ? AS upload_id,
                       region IS NOT NULL AS region_derived FROM frame_in""",
                    [upload_id],
                )
            elif name == "receivables":
                cur.execute(
                    """INSERT INTO receivables SELECT account, as_of::DATE, current::DECIMAL(18,4),
                       overdue_1_30::DECIMAL(18,4), overdue_31_60::DECIMAL(18,4), overdue_61_90::DECIMAL(18,4),
                       overdue_90_plus::DECIMAL(18,4), ? FROM frame_in""",
                    [upload_id],
                )
            else:
                cols = ", ".join(frame.columns)
                cur.execute(
                    f"INSERT INTO {name} ({cols}, upload_id, updated_by, updated_at) "  # noqa: S608 - fixed names
                    f"SELECT {cols}, ?, ?, now() FROM frame_in",
                    [upload_id, user],
                )
            cur.unregister("frame_in")
        from kam_core import summary

        summary.refresh(cur)  # every month is new: the summary tables are rebuilt from the demo's lines
        # the demo's regions come from the province map: they follow it when it is edited
        cur.execute("UPDATE stores SET region_derived = TRUE WHERE upload_id = ? AND region IS NOT NULL", [upload_id])
        cur.execute(
            """UPDATE uploads SET periods = (SELECT list(DISTINCT period ORDER BY period) FROM sales),
                      accounts = (SELECT list(DISTINCT account ORDER BY account) FROM sales),
                      revenue = (SELECT sum(revenue) FROM sales) WHERE id = ?""",
            [upload_id],
        )
    from kam_core.plans import demo_plans

    demo_plans.seed(db)  # two or three example account plans for the chains of the domain brief
    return int(upload_id)


def nothing_loaded(db: Database) -> bool:
    """No upload at all yet (not even the demo): the app then loads the demo dataset."""
    return db.scalar("SELECT count(*) FROM uploads") == 0


def is_demo(db: Database) -> bool:
    """True while the only data loaded is the demo dataset."""
    kinds = {r[0] for r in db.rows("SELECT DISTINCT kind FROM uploads WHERE status = 'active'")}
    return kinds == {"demo"}
