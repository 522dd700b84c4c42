"""Province names: Chinese names and their pinyin / English forms only; foreign places are not provinces."""

from __future__ import annotations

import pytest

from kam_core.geo import normalize_province


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("广东", "Guangdong"), ("广东省", "Guangdong"), ("Guangdong", "Guangdong"), ("guangdong province", "Guangdong"),
        ("CN-GD", "Guangdong"), ("440000", "Guangdong"), ("广西壮族自治区", "Guangxi"), ("Guangxi Zhuang", "Guangxi"),
        ("内蒙古", "Inner Mongolia"), ("Nei Mongol", "Inner Mongolia"), ("Xizang", "Tibet"), ("上海市", "Shanghai"),
        ("Shanghai Shi", "Shanghai"), ("Beijing", "Beijing"), ("Inner Mongolia", "Inner Mongolia"),
    ],
)  # fmt: skip
def test_chinese_names_and_pinyin(raw: str, expected: str) -> None:
    assert normalize_province(raw) == expected


@pytest.mark.parametrize(
    "raw", ["NM", "HI", "SC", "SD", "GA", "CA", "New Mexico", "Hawaii", "United Kingdom", "France", "Texas",
            "GD", "SH", "", "  ", None, "Nowhere"],
)  # fmt: skip
def test_us_states_countries_and_bare_codes_are_not_provinces(raw: object) -> None:
    assert normalize_province(raw) is None


@pytest.mark.parametrize(
    "raw, expected",
    [("华东", "East"), ("East", "East"), ("east china", "East"), ("东北", "North"), ("华北区", "North"),
     ("西南", "West"), ("West Region", "West"), ("华中", "Central"), ("South", "South"), ("Europe", None),
     ("", None), (None, None), ("Midwest", None)],
)  # fmt: skip
def test_region_column_synonyms(raw: object, expected: str | None) -> None:
    from kam_core.geo import normalize_region

    assert normalize_region(raw) == expected
