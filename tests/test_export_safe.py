"""Formula-safe exports: text that a spreadsheet would run is written as text."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from kam_core.export_safe import neutralise, to_csv_bytes, to_xlsx_bytes
from kam_core.ingest.mapping import FIELDS, propose
from kam_core.ingest.templates import headers, template_csv, template_xlsx


def test_csv_neutralises_formula_cells() -> None:
    df = pd.DataFrame({"account": ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "Walmart"],
                       "revenue": [1.5, 2, -3, 4, 5, 6]})  # fmt: skip
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n'+1," in text and "\n'-2," in text and "\n'@SUM" in text
    assert "\nWalmart,6" in text and ",-3" in text  # numbers stay numbers
    assert neutralise(-3) == -3


def test_xlsx_keeps_strings_as_strings() -> None:
    df = pd.DataFrame({"account": ["=1+1", "00017"], "revenue": [1.25, -2]})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"s": df}))).active
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # a string cell, not a formula
    assert ws["A3"].value == "00017" and ws["B3"].value == -2


def test_templates_round_trip_through_the_mapping() -> None:
    for kind in FIELDS:
        for lang in ("en", "zh"):
            h = headers(kind, lang)
            assert propose(kind, h).fields == dict(zip([f.name for f in FIELDS[kind]], h, strict=True))
            assert template_csv(kind, lang).decode("utf-8-sig").splitlines()[0].split(",") == h
            ws = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind, lang))).active
            assert [c.value for c in ws[1]] == h
