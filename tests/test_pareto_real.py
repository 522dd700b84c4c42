"""Real data: a slice of UCI Online Retail (CC BY 4.0, see fixtures/online_retail_sample.README.md).

The figures from kam_core (DuckDB) are checked against an independent pandas / numpy
computation of the spec §4 definitions, and the CLI is checked on the same database.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics import pareto as pa
from kam_core.db import Database
from kam_core.filters import Filters
from tests.helpers import CliResult
from tests.helpers import run_cli as cli_main
from tests.pareto_helpers import add_lines

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "fixtures" / "online_retail_sample.csv"


def lines() -> pd.DataFrame:
    raw = pd.read_csv(SAMPLE, dtype={"StockCode": str, "InvoiceNo": str})
    ts = pd.to_datetime(raw["InvoiceDate"])
    return pd.DataFrame(
        {
            "period": ts.dt.strftime("%Y-%m"),
            "account": "C" + raw["CustomerID"].astype(int).astype(str),
            "region": raw["Country"],
            "sku": raw["StockCode"],
            # amounts are stored as DECIMAL(18,4): round the line revenue the same way
            "revenue": (raw["Quantity"] * raw["UnitPrice"]).round(4),
            "volume": raw["Quantity"].astype(float),
        }
    )


@pytest.fixture(scope="module")
def retail(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("retail") / "retail.duckdb"
    df = lines()
    db = Database(path)
    add_lines(db, df.to_dict("records"))
    db.close()
    return path, df


def independent(df: pd.DataFrame, by: str, metric: str, a: float = 0.8, b: float = 0.95, top_n: int = 10) -> dict:
    """Spec §4 figures with pandas / numpy only."""
    # line amounts have 4 decimals, so the exact totals do too: rounding removes float noise,
    # which would otherwise break exact ties differently from the database's exact DECIMAL sums
    tot = df.groupby(by)[metric].sum().round(4)
    non_positive = int((tot <= 1e-9).sum())
    pos = tot[tot > 1e-9].reset_index()
    pos = pos.sort_values([metric, by], ascending=[False, True], kind="mergesort")
    v = pos[metric].to_numpy()
    n, total = len(v), v.sum()
    cum = np.cumsum(v)
    before = cum - v
    k20 = math.ceil(0.2 * n)
    classes = np.where(before < a * total - 1e-9, "A", np.where(before < b * total - 1e-9, "B", "C"))
    mad = np.abs(v[:, None] - v[None, :]).sum()
    return {
        "entities": n,
        "total": total,
        "top20_share": v[:k20].sum() / total,
        "n_for_80": int(np.argmax(cum >= 0.8 * total - 1e-9) + 1),
        "gini": mad / (2 * n * n * v.mean()),
        "hhi": float(((v / total) ** 2).sum() * 10_000),
        "top_n_share": v[:top_n].sum() / total,
        "classes": {c: int((classes == c).sum()) for c in "ABC"},
        "non_positive": non_positive,
        "order": list(pos[by]),
    }


@pytest.mark.parametrize(
    ("by", "metric"), [("account", "revenue"), ("account", "volume"), ("sku", "revenue"), ("region", "revenue")]
)
def test_figures_match_an_independent_computation(retail, by: str, metric: str) -> None:
    path, df = retail
    db = Database(path)
    try:
        p = pa.analyse(db, Filters(), by, metric)
    finally:
        db.close()
    s, exp = p.summary, independent(df, by, metric)
    assert s.entities == exp["entities"]
    assert s.total == pytest.approx(exp["total"], rel=1e-12)
    assert s.top20_share == pytest.approx(exp["top20_share"], rel=1e-12)
    assert s.n_for_80 == exp["n_for_80"]
    assert s.gini == pytest.approx(exp["gini"], rel=1e-9)
    assert s.hhi == pytest.approx(exp["hhi"], rel=1e-9)
    assert s.top_n_share == pytest.approx(exp["top_n_share"], rel=1e-12)
    assert s.classes == exp["classes"]
    assert s.non_positive == exp["non_positive"]
    assert list(p.table["entity"].iloc[: s.entities]) == exp["order"]


def test_real_data_is_concentrated_and_has_returns(retail) -> None:
    _, df = retail
    exp = independent(df, "account", "revenue")
    # the sample is what the tests claim: many customers, skewed, some net returns
    assert exp["entities"] > 1000 and exp["non_positive"] > 10
    assert 0.5 < exp["top20_share"] < 0.95


def test_cli_on_real_data_and_a_period(retail) -> None:
    path, df = retail
    r = run_cli("--db", str(path), "--by", "account", "--metric", "revenue", "--from", "2011-10", "--to", "2011-11",
                "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    out = json.loads(r.stdout)
    exp = independent(df[df["period"].isin(["2011-10", "2011-11"])], "account", "revenue")
    for k in ("entities", "n_for_80", "non_positive", "classes"):
        assert out[k] == exp[k], k
    for k in ("total", "top20_share", "gini", "hhi"):
        assert out[k] == pytest.approx(exp[k], rel=1e-9), k
    # with a period filter on the page's Filters, the same numbers
    db = Database(path)
    try:
        s = pa.summary(db, Filters(start=date(2011, 10, 1), end=date(2011, 11, 1)))
    finally:
        db.close()
    assert s.to_dict() == {**out} | {"thresholds": {"A": 0.8, "B": 0.95}}


def run_cli(*args: str) -> CliResult:
    return cli_main("pareto", *args)


def test_cli_exit_codes_and_empty_selection(retail) -> None:
    path, _ = retail
    assert run_cli("--db", str(path), "--by", "colour").code == 2  # usage error
    r = run_cli("--db", str(path), "--from", "2011/13")
    assert r.code == 1 and "YYYY-MM" in r.stderr
    r = run_cli("--db", str(path), "--a", "0.9", "--b", "0.5")
    assert r.code == 1 and "thresholds" in r.stderr
    r = run_cli("--db", str(path), "--from", "2011-12", "--to", "2011-10")
    assert r.code == 1
    # empty selection: a clear message, not an error
    r = run_cli("--db", str(path), "--from", "2030-01", "--json")
    assert r.code == 0
    out = json.loads(r.stdout)
    assert out["entities"] == 0 and out["classes"] == {"A": 0, "B": 0, "C": 0}
    assert out["message"] == "No data for this selection."
    r = run_cli("--db", str(path), "--from", "2030-01")
    assert r.code == 0 and "No data for this selection" in r.stdout
    # human output carries the figures
    r = run_cli("--db", str(path), "--by", "region")
    assert r.code == 0 and "n_for_80:" in r.stdout and "gini:" in r.stdout
