"""Value parsing: periods and dates (Python, on the distinct values of a column) and numbers (SQL).

Period texts repeat (a file has a few dozen months), so each distinct text is parsed once
in Python and joined back; numbers are all different, so they are parsed by DuckDB in one
vectorised pass.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}  # fmt: skip
_EXCEL_EPOCH = date(1899, 12, 30)

_YM = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_YMD = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?(?:\s*(\d{1,2})\s*[日号]?)?$")
_CN_Q = re.compile(r"^(\d{2})\s*年\s*(\d{1,2})\s*月$")
_AB = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$")  # 3/1/2026: order decided per column
_MY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_NAME_Y = re.compile(r"^([A-Za-z]{3,9})\.?[\s\-/,']*(\d{4}|\d{2})$")
_Y_NAME = re.compile(r"^(\d{4})[\s\-/]*([A-Za-z]{3,9})$")
_D_NAME_Y = re.compile(r"^(\d{1,2})[\s\-/]*([A-Za-z]{3,9})\.?[\s\-/,]*(\d{4}|\d{2})$")
_NAME_D_Y = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?|T?00:00:00)$")


def _month_name(s: str) -> int | None:
    return MONTHS.get(s[:3].lower())


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if len(y) == 2 else n


def _ok(y: int, m: int, d: int = 1) -> tuple[int, int, int] | None:
    try:
        date(y, m, d)
    except ValueError:
        return None
    return (y, m, d) if 1900 <= y <= 2200 else None


def day_first(values: list[str]) -> bool | None:
    """For a column of a/b/yyyy dates: True if day/month, False if month/day, None if undecided."""
    dmy = mdy = False
    for v in values:
        m = _AB.match(_TIME.sub("", v.strip()))
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            dmy |= a > 12 >= b
            mdy |= b > 12 >= a
    if dmy and not mdy:
        return True
    if mdy and not dmy:
        return False
    return None


def parse_date(text: str, dayfirst: bool | None = None) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) from any form of spec §3, or None when it is not a date."""
    s = _TIME.sub("", str(text).strip()).strip()
    if not s:
        return None
    if m := _YMD.match(s):
        return _ok(int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.match(s):
        r = _ok(int(m[1]), int(m[2]))
        return (r[0], r[1], None) if r else None
    if m := _CN.match(s):
        r = _ok(int(m[1]), int(m[2]), int(m[3] or 1))
        return (r[0], r[1], int(m[3]) if m[3] else None) if r else None
    if m := _CN_Q.match(s):
        r = _ok(2000 + int(m[1]), int(m[2]))
        return (r[0], r[1], None) if r else None
    if s.isdigit():
        if len(s) == 6:
            r = _ok(int(s[:4]), int(s[4:]))
            return (r[0], r[1], None) if r else None
        if len(s) == 8:
            return _ok(int(s[:4]), int(s[4:6]), int(s[6:]))
    if re.fullmatch(r"\d{5}(\.\d+)?", s):  # Excel serial day number
        n = float(s)
        if 20000 <= n <= 80000:
            d = _EXCEL_EPOCH + timedelta(days=int(n))
            return (d.year, d.month, d.day)
        return None
    if m := _AB.match(s):
        a, b, y = int(m[1]), int(m[2]), _year(m[3])
        if dayfirst is None:
            dayfirst = a > 12
        return _ok(y, b, a) if dayfirst else _ok(y, a, b)
    if m := _MY.match(s):
        r = _ok(int(m[2]), int(m[1]))
        return (r[0], r[1], None) if r else None
    if (m := _NAME_Y.match(s)) and (mo := _month_name(m[1])):
        r = _ok(_year(m[2]), mo)
        return (r[0], r[1], None) if r else None
    if (m := _Y_NAME.match(s)) and (mo := _month_name(m[2])):
        r = _ok(int(m[1]), mo)
        return (r[0], r[1], None) if r else None
    if (m := _D_NAME_Y.match(s)) and (mo := _month_name(m[2])):
        return _ok(_year(m[3]), mo, int(m[1]))
    if (m := _NAME_D_Y.match(s)) and (mo := _month_name(m[1])):
        return _ok(int(m[3]), mo, int(m[2]))
    return None


def parse_period(text: str, dayfirst: bool | None = None) -> date | None:
    """First day of the month a text names, or None."""
    r = parse_date(text, dayfirst)
    return date(r[0], r[1], 1) if r else None


def parse_day(text: str, dayfirst: bool | None = None) -> date | None:
    """A full date (a month alone means its first day), or None."""
    r = parse_date(text, dayfirst)
    return date(r[0], r[1], r[2] or 1) if r else None


# DuckDB macros for numbers, created in the staging connection. RE2 syntax.
NUMBER_MACROS = [
    # the text without currency, spaces, 万 and brackets; thousands commas dropped only when well-formed
    r"""CREATE OR REPLACE MACRO num_strip(x) AS
        regexp_replace(x, '(?i)[\s¥￥$€£()（）元+]|rmb|cny|usd|万', '', 'g')""",
    r"""CREATE OR REPLACE MACRO num_core(x) AS
        CASE WHEN regexp_full_match(num_strip(x), '-?\d{1,3}(,\d{3})+(\.\d*)?-?') THEN replace(num_strip(x), ',', '')
             ELSE num_strip(x) END""",
    r"""CREATE OR REPLACE MACRO num(x) AS
        CASE WHEN x IS NULL THEN NULL
             WHEN TRY_CAST(x AS DECIMAL(38,10)) IS NOT NULL THEN TRY_CAST(x AS DECIMAL(38,10))
             ELSE (CASE WHEN regexp_full_match(trim(x), '[(（].*[)）]') OR regexp_full_match(trim(x), '[^-]*\d-\s*')
                        THEN -1 ELSE 1 END)
                  * TRY_CAST(rtrim(num_core(x), '-') AS DECIMAL(38,10))
                  * (CASE WHEN contains(x, '万') THEN 10000 ELSE 1 END)
        END""",
    # num(x) in a stored type. Rescaling num's DECIMAL(38,10) is slow (128-bit), so a short text that casts
    # directly is cast straight to the stored type. Same value: num rounds to 10 decimals first, and that
    # only changes the final rounding for a value just below a half-way point (0.00004999995 → 0.0001),
    # which takes at least 11 characters (4999995e-11) at 4 decimals and 9 (49995e-11) at 6.
    r"""CREATE OR REPLACE MACRO num4(x) AS
        coalesce(CASE WHEN strlen(x) <= 10 THEN TRY_CAST(x AS DECIMAL(18,4)) END, TRY_CAST(num(x) AS DECIMAL(18,4)))""",
    r"""CREATE OR REPLACE MACRO num6(x) AS
        coalesce(CASE WHEN strlen(x) <= 8 THEN TRY_CAST(x AS DECIMAL(18,6)) END, TRY_CAST(num(x) AS DECIMAL(18,6)))""",
]
