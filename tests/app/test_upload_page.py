"""AppTest: the upload page end to end — upload, mapping, preview, commit, history, rollback, templates."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core.db import get_db
from kam_core.i18n import t
from tests.app.test_pages import open_app
from tests.apptest import drawn

F = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def upload_page(lang: str = "en"):
    at = open_app(lang)
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception, at.exception
    return at


def upload(at, name: str):
    key = next(w.key for w in at.file_uploader)
    at.file_uploader(key=key).set_value((name, (F / name).read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def metric(at, key: str, lang: str = "en") -> str:
    return next(m.value for m in at.metric if m.label == t(key, lang))


def frames_with(at, column: str, value: object) -> list:
    """The dataframes shown with ``value`` in ``column`` (AppTest does not expose st.dataframe keys)."""
    out = []
    for d in at.dataframe:
        df = d.value
        if column in df.columns and value in list(df[column]):
            out.append(df)
    return out


def button(at, key: str):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_upload_preview_commit_then_rollback(app_env: Path, lang: str) -> None:
    at = upload(upload_page(lang), "gbk_title_total.csv")
    assert any("gb18030" in s.value for s in at.success)
    assert metric(at, "upload.metric.read", lang) == "4"
    assert metric(at, "upload.metric.summary", lang) == "1"
    assert at.checkbox(key="up_remove_demo").value is True  # demo data removed by default
    assert at.selectbox(key=next(s.key for s in at.selectbox if s.key.endswith("_period"))).value == "月份"
    assert len(drawn(at)) == 1
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    assert any(t("upload.done", lang, id=2, rows="4", periods="2026-03", total="")[:8] in s.value for s in at.success)
    db = get_db(app_env)  # the app's own connection (one per process and file)
    assert db.scalar("SELECT sum(revenue) FROM sales") == Decimal("6134.75")  # the demo is gone, 合计 not counted
    # history shows it; roll it back with confirmation
    at.checkbox(key="up_rb_sure").check().run()
    button(at, "up_rb_go").click().run()
    assert not at.exception, at.exception
    assert db.scalar("SELECT count(*) FROM sales") == 0
    assert db.scalar("SELECT status FROM uploads WHERE id = 2") == "rolled_back"


def test_rejected_rows_need_skip_invalid_and_report_downloads(app_env: Path) -> None:
    at = upload(upload_page(), "negative_absurd.csv")
    assert metric(at, "upload.metric.rejected") == "2"
    assert button(at, "up_commit").disabled
    labels = [d.label for d in at.get("download_button")]
    assert t("upload.report.csv", "en") in labels and t("upload.report.xlsx", "en") in labels
    at.checkbox(key="up_skip_invalid").check().run()
    assert not button(at, "up_commit").disabled
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    assert get_db(app_env).scalar("SELECT rows_loaded FROM uploads WHERE kind = 'sales'") == 2


def test_bad_file_shows_a_specific_error(app_env: Path) -> None:
    at = upload(upload_page("zh"), "image.csv")
    assert any("PNG" in e.value for e in at.error)
    at = upload(upload_page(), "missing_col.csv")
    assert any("lacks required columns" in e.value for e in at.error)


def test_mapping_edit_changes_the_preview(app_env: Path) -> None:
    at = upload(upload_page(), "us_dates.csv")
    period_key = next(s.key for s in at.selectbox if s.key.endswith("_period"))
    account_key = next(s.key for s in at.selectbox if s.key.endswith("_account"))
    assert at.selectbox(key=period_key).value == "Order Date"
    assert at.selectbox(key=account_key).value == "Customer Name"
    at.selectbox(key=account_key).set_value("Customer ID").run()
    assert not at.exception, at.exception
    assert any("C-001" in c.value for c in at.caption)  # the new accounts are the ids now


def test_templates_download(app_env: Path) -> None:
    at = upload_page("zh")
    labels = [d.label for d in at.get("download_button")]
    assert any("CSV" in x for x in labels) and any("XLSX" in x for x in labels)


def test_same_file_again_is_blocked_with_a_warning(app_env: Path) -> None:
    at = upload(upload_page(), "kam_a.csv")
    assert not button(at, "up_commit").disabled and not at.warning
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    at = upload(at, "kam_a.csv")
    assert any("already imported as upload #2" in w.value for w in at.warning)
    assert button(at, "up_commit").disabled


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_scope_choice_kept_pairs_and_rollback_of_both(app_env: Path, lang: str) -> None:
    at = upload(upload_page(lang), "retail_march_v1.csv")
    assert any(t("upload.demo_removed", lang, revenue="")[:5] in i.value for i in at.info)  # demo reported apart
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    at = upload(at, "retail_march_v2.csv")
    radio = at.radio(key="up_scope")
    assert radio.value == "pairs"  # the default, with the suggestion shown beside it
    assert any(t("upload.scope.suggest_months", lang, share="80%", n=1, revenue="")[:10] in i.value for i in at.info)
    acc, rev = t("col.account", lang), t("col.revenue", lang)
    (kept,) = frames_with(at, acc, "61684")
    assert list(kept[acc]) == ["61684"] and list(kept[rev]) == [4819.08]
    assert any(t("upload.kept.title", lang, n=1, revenue="")[:8] in m.value for m in at.markdown)
    (new,) = frames_with(at, acc, "16684")
    assert list(new[acc]) == ["16684"]
    radio.set_value("months").run()
    assert not at.exception, at.exception
    assert any(t("upload.removed.title", lang, n=1, revenue="")[:8] in m.value for m in at.markdown)
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    db = get_db(app_env)
    assert db.scalar("SELECT count(*) FROM sales WHERE account = '61684'") == 0
    assert db.scalar("SELECT replace_scope FROM uploads WHERE id = 3") == "months"
    assert any("2011-03" in s.value for s in at.success)
    # rolling back the first upload takes the later one with it: the confirmation lists both
    at.selectbox(key="up_rb_pick").set_value(2).run()
    assert t("upload.history.confirm_later", lang, ids="#3, #2", id=2) == at.checkbox(key="up_rb_sure").label
    at.checkbox(key="up_rb_sure").check().run()
    button(at, "up_rb_go").click().run()
    assert not at.exception, at.exception
    assert db.scalar("SELECT count(*) FROM sales") == 0
    assert db.rows("SELECT id, status FROM uploads WHERE id > 1 ORDER BY id") == [(2, "rolled_back"),
                                                                                (3, "rolled_back")]  # fmt: skip
    assert any("#3, #2" in s.value for s in at.success)


def test_a_changed_pair_shows_its_difference_signed_with_the_currency_in_the_header(app_env: Path) -> None:
    at = upload(upload_page("zh"), "retail_march_v1.csv")
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    lines = (F / "retail_march_v1.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",8,", ",4,", 1)  # 12873: 8 × 8.5 → 4 × 8.5, 34.00 less
    key = next(w.key for w in at.file_uploader)
    at.file_uploader(key=key).set_value(("march_fixed.csv", "\n".join(lines).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    delta = t("upload.col.delta", "zh")
    (changed,) = [d for d in at.dataframe if delta in d.value.columns]
    assert list(changed.value[t("col.account", "zh")]) == ["12873"]
    assert list(changed.value[delta]) == [pytest.approx(-34.0)]
    cfg = json.loads(changed.proto.columns)[delta]
    assert (cfg["label"], cfg["type_config"]["format"]) == (f"{delta}（¥）", "%+,.2f")


def test_identity_choice_switches_the_account_key(app_env: Path) -> None:
    at = upload(upload_page(), "us_dates.csv")
    radio = at.radio(key=next(r.key for r in at.radio if r.key.startswith("up_acct_key_")))
    assert radio.value == "Customer Name"
    radio.set_value("Customer ID").run()
    assert not at.exception, at.exception
    account_key = next(s.key for s in at.selectbox if s.key.endswith("_account"))
    assert at.selectbox(key=account_key).value == "Customer ID"
    assert any("C-001" in c.value for c in at.caption)


def test_six_uploads_keep_one_staging_area_and_no_file_behind(app_env: Path) -> None:
    """Each new file frees the previous one's staging catalog and private copy; cancel and commit free all."""
    import os

    from kam_core import ingest
    from kam_core.ingest import scratch

    old = set(scratch.process_dir().iterdir())  # other sessions' (reaped after IDLE_SECONDS)

    def stage_dirs() -> list[Path]:
        new = set(scratch.process_dir().iterdir()) - old
        return [p for p in new if p.name.startswith(("kam_ingest_", "kam_upload_"))]

    def catalogs() -> int:
        return sum(1 for s in ingest.live() if s.catalog)

    ingest.reap(max_idle=0)  # sessions of earlier tests
    before = len(ingest.live())
    at = upload_page()
    key = next(w.key for w in at.file_uploader)
    for i in range(6):
        body = f"period,account,revenue\n2026-0{i + 1},Acc{i},{100 + i}\n".encode()
        at.file_uploader(key=key).set_value((f"f{i}.csv", body, "text/csv")).run()
        assert not at.exception, at.exception
        assert len(ingest.live()) - before == 1 and catalogs() == 1
        copies = [p for p in stage_dirs() if p.name.startswith("kam_upload_")]
        assert len(copies) == 1
        f = next(copies[0].iterdir())
        assert os.stat(copies[0]).st_mode & 0o777 == 0o700 and os.stat(f).st_mode & 0o777 == 0o600
    at.file_uploader(key=key).set_value(None).run()  # cancel: the file removed from the chooser
    assert len(ingest.live()) == before and catalogs() == 0 and stage_dirs() == []
    at = upload(at, "kam_a.csv")
    assert len(ingest.live()) - before == 1
    button(at, "up_commit").click().run()
    assert not at.exception, at.exception
    assert len(ingest.live()) == before and catalogs() == 0 and stage_dirs() == []


def test_idle_staged_file_is_closed_and_rebuilt(app_env: Path) -> None:
    from kam_core import ingest

    at = upload(upload_page(), "kam_a.csv")
    assert ingest.reap(max_idle=0) >= 1  # the session left: its staging area is freed
    at.run()  # it comes back: staged again, nothing broken
    assert not at.exception, at.exception
    assert metric(at, "upload.metric.read") != ""
