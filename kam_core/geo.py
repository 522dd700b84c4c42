"""Provinces of mainland China: canonical names, normalisation and the default regions.

Canonical province name = Natural Earth's English name ("Guangdong"); geometry and
Chinese names come from the shipped file data/geo/china_provinces_34_ne50.geojson
(Natural Earth, public domain).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
GEOJSON = GEO_DIR / "china_provinces_34_ne50.geojson"

REGIONS = ("East", "South", "West", "North", "Central")

# Default sales regions (domain §7): editable in settings.
DEFAULT_REGION_OF: dict[str, str] = {
    **dict.fromkeys(["Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong"], "East"),
    **dict.fromkeys(["Guangdong", "Guangxi", "Hainan"], "South"),
    **dict.fromkeys(
        [
            "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia",
            "Liaoning", "Jilin", "Heilongjiang",
        ],
        "North",
    ),
    **dict.fromkeys(["Henan", "Hubei", "Hunan"], "Central"),
    **dict.fromkeys(
        [
            "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet",
            "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang",
        ],
        "West",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Province:
    name: str  # canonical English name
    name_zh: str  # 广东省
    name_zh_short: str  # 广东
    iso: str  # CN-GD
    adcode: int
    lat: float
    lon: float


@cache
def provinces() -> tuple[Province, ...]:
    """The 31 mainland provinces (HK, Macau and Taiwan are in the file but not sales regions)."""
    feats = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    out = []
    for f in feats:
        p = f["properties"]
        if p["name_en"] not in DEFAULT_REGION_OF:
            continue
        out.append(
            Province(
                p["name_en"], p["name_zh"], p["name_zh_short"], p["iso_3166_2"], int(p["adcode"]),
                float(p["label_lat"] or p["centroid_lat"]), float(p["label_lon"] or p["centroid_lon"]),
            )
        )  # fmt: skip
    return tuple(out)


# Pinyin / English forms people write besides Natural Earth's name (lower case, as compared).
_PINYIN_EXTRA = {
    "shensi": "Shaanxi", "shaanxi sheng": "Shaanxi", "xizang": "Tibet", "xizang zizhiqu": "Tibet",
    "neimenggu": "Inner Mongolia", "nei mongol": "Inner Mongolia", "nei menggu": "Inner Mongolia",
    "guangxi zhuang": "Guangxi", "guangxi zhuangzu zizhiqu": "Guangxi", "ningxia hui": "Ningxia",
    "xinjiang uygur": "Xinjiang", "xinjiang uyghur": "Xinjiang", "peking": "Beijing", "canton": "Guangdong",
}  # fmt: skip


@cache
def _aliases() -> dict[str, str]:
    """Chinese names and their pinyin / English forms only.

    Bare two-letter codes are left out on purpose: in real files they are US states or
    country codes far more often than Chinese provinces (NM, HI, SC, SD, GA …). The ISO form
    with its prefix ("CN-GD") and the 6-digit administrative code stay unambiguous.
    """
    al: dict[str, str] = {}
    for p in provinces():
        for a in (p.name, p.name_zh, p.name_zh_short, p.iso, str(p.adcode)):
            al[a.lower()] = p.name
        low = p.name.lower()
        al[low.replace(" ", "")] = p.name
        for suffix in (" province", " sheng", " shi", " municipality", " autonomous region", " zizhiqu"):
            al[low + suffix] = p.name
    al.update(_PINYIN_EXTRA)
    return al


def normalize_province(name: object) -> str | None:
    """'广东' / '广东省' / 'Guangdong' / 'CN-GD' → 'Guangdong'; None when it is not a Chinese province.

    US states, countries and two-letter codes are not provinces: None, so they are kept as
    written and reported ("not a Chinese province") instead of landing in a region.
    """
    if name is None:
        return None
    s = str(name).strip()
    if not s:
        return None
    hit = _aliases().get(s.lower())
    if hit:
        return hit
    # 广西壮族自治区-style suffixes and trailing 省/市 already covered; try prefix match on Chinese short names.
    if not any("\u4e00" <= ch <= "\u9fff" for ch in s[:2]):
        return None
    for p in provinces():
        if s.startswith(p.name_zh_short):
            return p.name
    return None


# What files write in a region column → our five regions (domain §7). The north-east and the
# south-west / north-west fold into North and West, as the default province map does.
_REGION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "East": ("east", "east china", "eastern", "华东", "华东区", "华东大区", "东部", "东区"),
    "South": ("south", "south china", "southern", "华南", "华南区", "华南大区", "南部", "南区"),
    "West": ("west", "western", "west china", "southwest", "south-west", "northwest", "north-west", "西部", "西区",
             "西南", "西南区", "西北", "西北区", "华西"),
    "North": ("north", "north china", "northern", "northeast", "north-east", "华北", "华北区", "华北大区", "北部",
              "北区", "东北", "东北区"),
    "Central": ("central", "central china", "middle", "华中", "华中区", "华中大区", "中部", "中区"),
}  # fmt: skip
_REGION_OF_NAME = {n.lower(): r for r, names in _REGION_SYNONYMS.items() for n in (r, *names)}


def normalize_region(name: object) -> str | None:
    """'华东' / 'East China' / '东北' → 'East' / 'North'; None when the text names none of our regions."""
    if name is None:
        return None
    s = str(name).strip().lower()
    if not s:
        return None
    return _REGION_OF_NAME.get(s) or _REGION_OF_NAME.get(s.removesuffix(" region"))


def province_zh(name: str) -> str:
    for p in provinces():
        if p.name == name:
            return p.name_zh_short
    return name
