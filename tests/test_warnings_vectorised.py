"""The data warning rules, tested on whole columns, give exactly what the per-account objects gave (same figures),
on the benchmark's shape of data (tests/warnings_reference.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.build import build
from kam_core import settings
from kam_core.analytics import warnings as wr
from kam_core.db import Database
from tests import warnings_reference as reference
from tests.test_warnings_frame import assert_same

AS_OF = date(2026, 12, 31)


@pytest.fixture(scope="module")
def skewed(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """40 000 lines over 36 complete months, 600 accounts of very different sizes (the benchmark's shape)."""
    path = build(Path(tmp_path_factory.mktemp("warn")) / "w.duckdb", 40_000, 600)
    db = Database(path)
    yield db
    db.close()


@pytest.mark.parametrize("thresholds", [{}, {"warnings.revenue_drop_pct": 0.05, "warnings.margin_drop_pts": 0.5,
                                             "warnings.revenue_down_months": 2}])  # fmt: skip
def test_same_warnings_figures_and_links_as_the_per_account_loop(skewed: Database, thresholds: dict) -> None:
    if thresholds:
        settings.put_many(skewed, thresholds, "tester")
    ref = reference.revenue_rules(skewed)
    got = wr.revenue_rules(skewed)
    assert len(ref) > 50 and {w.rule for w in ref} == {"revenue_down_months", "revenue_drop", "margin_down"}
    assert got == ref  # account, rule, severity, sentence and every figure, in the same order
    assert [w.link for w in got] == [w.link for w in ref]
    assert [repr(w.figures) for w in got] == [repr(w.figures) for w in ref]  # same types too (int vs float)
    # and every rule together: sentences in both languages, the order, the counts
    assert_same(wr.evaluate(skewed, as_of=AS_OF), reference.evaluate(skewed, as_of=AS_OF))
    assert wr.severity_counts(skewed, AS_OF) == wr.counts(reference.evaluate(skewed, as_of=AS_OF))
