"""One channel / format vocabulary: tiers, channels and the overview read the same codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kam_core import settings, vocab
from kam_core.analytics import channels as ch
from kam_core.analytics import overview as ov
from kam_core.analytics import regions as rg
from kam_core.analytics import tiers as T
from kam_core.cli import main
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters
from tests.helpers import add_sales


def _cli(capsys: pytest.CaptureFixture, *argv: str) -> object:
    code = main(list(argv))
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def _import_chain(tmp_path: Path, capsys: pytest.CaptureFixture, channel: str) -> str:
    """Empty DB; one account, three stores in three provinces, every line on ``channel``."""
    db = str(tmp_path / "v.duckdb")
    csv = tmp_path / "sales.csv"
    csv.write_text(
        "period,account,store,province,channel,revenue\n"
        f"2026-01,Acme,S1,Shanghai,{channel},100\n"
        f"2026-01,Acme,S2,Jiangsu,{channel},200\n"
        f"2026-01,Acme,S3,Zhejiang,{channel},300\n",
        encoding="utf-8",
    )
    out = _cli(capsys, "import", str(csv), "--db", db, "--json", "--user", "ann")
    assert out["rows_loaded"] == 3
    return db


def test_hypermarkets_lines_make_a_national_chain_nka(tmp_path: Path, capsys) -> None:
    db = _import_chain(tmp_path, capsys, "Hypermarkets")
    tiers = _cli(capsys, "tiers", "--db", db, "--json")
    assert [(r["account"], r["tier"], r["modern_trade"]) for r in tiers] == [("Acme", "NKA", True)]
    assert tiers[0]["reason"] == (
        "no format on record, 100.0% of sales through modern-trade channels; "
        "3 stores in 3 provinces, no international background → NKA"
    )
    chans = _cli(capsys, "channels", "--db", db, "--json")
    assert chans == [{"period": "2026-01", "channel": "hypermarket", "revenue": 600.0, "share": 1.0}]
    # the overview's modern-trade share reads the same code
    d = Database(db)
    try:
        assert ov.kpis(d, Filters()).modern_trade_share.value == pytest.approx(1.0)
        split = ov.channel_split(d, Filters())
        assert split[["channel", "modern_trade"]].values.tolist() == [["Hypermarkets", True]]
    finally:
        d.close()


def test_a_name_only_the_saved_mapping_knows_counts_as_modern_trade(tmp_path: Path, capsys) -> None:
    db = _import_chain(tmp_path, capsys, "KA卖场X")
    before = _cli(capsys, "tiers", "--db", db, "--json")
    assert before[0]["tier"] == "non_ka"
    assert before[0]["reason"] == "no format on record, 0.0% of sales through modern-trade channels → not K/A"
    d = Database(db)
    try:
        ch.save_channel_map(d, {"KA卖场X": "supermarket"}, user="ann")
        assert settings.get(d, "channels.map") == {"KA卖场X": "supermarket"}
    finally:
        d.close()
    after = _cli(capsys, "tiers", "--db", db, "--json")
    assert (after[0]["tier"], after[0]["modern_trade"]) == ("NKA", True)
    assert "100.0% of sales through modern-trade channels" in after[0]["reason"]
    assert _cli(capsys, "channels", "--db", db, "--json")[0]["channel"] == "supermarket"


def test_overview_modern_trade_share_uses_the_normalised_code(empty_db: Database) -> None:
    add_sales(
        empty_db,
        [
            ("2026-03", "A", "East", "Hypermarkets", 300, 30, "k"),
            ("2026-03", "B", "East", "大卖场", 100, 10, "k"),
            ("2026-03", "C", "East", "Traditional trade", 400, 40, "k"),
            ("2026-03", "D", "East", "Odd shop", 200, 20, "k"),
            ("2026-02", "A", "East", "hyper", 50, 5, "k"),
            ("2026-02", "C", "East", "TT", 150, 15, "k"),
        ],
    )
    k = ov.kpis(empty_db, Filters(end=date(2026, 3, 1)))
    assert k.modern_trade_share.value == pytest.approx(400 / 1000)
    assert k.modern_trade_share.mom == pytest.approx(400 / 1000 - 50 / 200)
    flags = ov.channel_split(empty_db, Filters(start=date(2026, 3, 1), end=date(2026, 3, 1)))
    assert dict(zip(flags["channel"], flags["modern_trade"], strict=True)) == {
        "Traditional trade": False, "Hypermarkets": True, "Odd shop": False, "大卖场": True}  # fmt: skip
    # a user's mapping moves the unknown name into modern trade, everywhere at once
    ch.save_channel_map(empty_db, {"Odd shop": "convenience"}, user="ann")
    assert ov.kpis(empty_db, Filters(end=date(2026, 3, 1))).modern_trade_share.value == pytest.approx(600 / 1000)


def test_builtin_synonyms_merge_both_old_lists() -> None:
    n = vocab.normalize
    # tiers' old aliases and catalog names, channels' old synonyms: one map
    assert [n(x) for x in ("c&c", "CVS", " hyper ", "Department Store", "Cash & carry", "Warehouse club")] == [
        "cash_and_carry", "convenience", "hypermarket", "department", "cash_and_carry", "warehouse_club"]  # fmt: skip
    assert [n(x) for x in ("Hypermarkets", "大卖场", "便利店", "经销商", "电商", "Traditional trade")] == [
        "hypermarket", "hypermarket", "convenience", "distributor", "online", "traditional"]  # fmt: skip
    assert n(None) is None and n("  ") is None and n(float("nan")) is None
    assert n("KA卖场X") == vocab.OTHER
    assert n("KA卖场X", {**vocab.builtin_map(), "ka卖场x": "supermarket"}) == "supermarket"
    # a format no map knows keeps a code of its own (so a user-listed format matches itself)
    assert vocab.format_code("Gas Station") == "gas_station"
    assert vocab.format_code("便利店") == "convenience"
    # every code but 'other' has a name in both languages
    from kam_core.i18n import CATALOG

    assert all(f"channel.{c}" in CATALOG for c in vocab.CODES if c != vocab.OTHER)


def test_code_condition_in_sql_matches_python(empty_db: Database) -> None:
    names = ["Hypermarkets", " 超市 ", "Odd", "TT", "", None]
    cmap = vocab.channel_map(empty_db)
    for codes in (["hypermarket", "supermarket"], ["traditional", "other"], ["other"]):
        cond, params = vocab.code_in_sql("channel", cmap, codes)
        got = empty_db.df(
            f"""SELECT coalesce({cond}, FALSE) AS hit
                FROM (SELECT unnest(?::VARCHAR[]) AS channel, unnest(range(?)) AS i) ORDER BY i""",
            [*params, names, len(names)],
        )
        assert got["hit"].tolist() == [vocab.normalize(c, cmap) in codes for c in names], codes


def test_modern_trade_and_traditional_codes_come_from_settings(empty_db: Database) -> None:
    assert vocab.modern_trade_codes(empty_db) == settings.DEFAULT_MODERN_TRADE
    assert vocab.traditional_codes(empty_db) == ["traditional", "wholesale", "distributor"]
    settings.put(empty_db, "tiers.modern_trade_formats", ["Hypermarkets", "超市", "hyper"], "ann")
    settings.put(empty_db, "channels.traditional", ["TT", "批发"], "ann")
    assert vocab.modern_trade_codes(empty_db) == ["hypermarket", "supermarket"]
    assert vocab.traditional_codes(empty_db) == ["traditional", "wholesale"]
    assert T.get_rules(empty_db).modern_trade_formats == ("hypermarket", "supermarket")


def test_save_rules_writes_one_key_per_rule(empty_db: Database) -> None:
    T.save_rules(empty_db, T.TierRules(modern_trade_formats=("Hypermarkets",), min_provinces=3), "ann")
    stored = dict(empty_db.rows("SELECT key, updated_by FROM settings WHERE key LIKE 'tiers.%' ORDER BY key"))
    assert stored == {k: "ann" for k in T.RULE_KEYS.values()}
    assert empty_db.get_setting("tiers.modern_trade_formats") == ["hypermarket"]
    assert empty_db.get_setting("tiers.min_provinces") == 3
    assert T.get_rules(empty_db) == T.TierRules(modern_trade_formats=("hypermarket",), min_provinces=3)
    # refused input writes nothing
    with pytest.raises(UserError):
        T.save_rules(empty_db, T.TierRules(min_provinces=1), "ann")
    assert empty_db.get_setting("tiers.min_provinces") == 3


def test_refused_mappings_say_why_in_both_languages(empty_db: Database) -> None:
    with pytest.raises(UserError) as e:
        ch.save_channel_map(empty_db, {"x": "not_a_channel"}, user="ann")
    assert e.value.message("en").startswith("Unknown channel code: x → not_a_channel.")
    assert e.value.message("zh").startswith("未知的渠道代码：x → not_a_channel。")
    assert settings.get(empty_db, "channels.map") == {}
    with pytest.raises(UserError) as e:
        rg.save_region_map(empty_db, {"Atlantis": "East", "Shanghai": "Mars"}, user="ann")
    assert e.value.message("en").startswith("Unknown province or region: Atlantis → East, Shanghai → Mars.")
    assert e.value.message("zh").startswith("未知的省份或大区：Atlantis → East, Shanghai → Mars。")
    assert T.TierInputError is UserError
