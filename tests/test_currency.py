"""Currency: the symbol and grouping of every figure follow the setting display.currency."""

from __future__ import annotations

import pytest

from kam_core import currency, settings
from kam_core.db import Database
from kam_core.errors import UserError


def test_money_in_both_languages_and_currencies() -> None:
    assert currency.money(1_234_567, "en", "CNY") == "¥1.2 M"
    assert currency.money(1_234_567, "zh", "CNY") == "¥123万"
    assert currency.money(1_234_567, "en", "GBP") == "£1.2 M"
    assert currency.money(-4_819, "en", "USD") == "-$4.8 K"
    assert currency.money(250_000_000, "zh", "USD") == "$2.50亿"
    assert currency.money(999, "en", "CHF") == "CHF 999"
    assert currency.money(None) == "–" and currency.money(float("nan")) == "–"
    assert currency.exact(1234567.891, "GBP") == "£1,234,567.89"
    assert currency.name("GBP", "zh") == "英镑"


def test_setting_is_validated(empty_db: Database) -> None:
    assert currency.current(empty_db) == "CNY"
    settings.put(empty_db, "display.currency", "GBP", "ann")
    assert currency.current(empty_db) == "GBP"
    for bad in ("pounds", "gb", "12A", ""):
        with pytest.raises(UserError):
            settings.put(empty_db, "display.currency", bad, "ann")
    assert currency.current(empty_db) == "GBP"


def test_cli_text_output_carries_the_currency(tmp_path) -> None:
    from tests.helpers import add_sales, run_cli

    path = tmp_path / "gbp.duckdb"
    db = Database(path)
    add_sales(db, [("2026-03", "A", "East", "hypermarket", 1234.5, 100, "Li"),
                   ("2026-03", "B", "East", "supermarket", 100, 10, "Li")])  # fmt: skip
    settings.put(db, "display.currency", "GBP", "ann")
    db.close()
    for argv, text in ((["pareto"], "total: £1,334.50"), (["channels"], "£1,234.50"),
                       (["overview"], "revenue: £1,334.50"),
                       (["explain", "--from", "2026-03", "--to", "2026-03", "--vs", "mom"], "£1,334.50")):  # fmt: skip
        r = run_cli(*argv, "--db", str(path))
        assert r.code == 0 and text in r.stdout and "¥" not in r.stdout, (argv, r.stdout, r.stderr)
