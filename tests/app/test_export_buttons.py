"""The plan editor and the portfolio offer the workshop exports (built only when clicked)."""

from __future__ import annotations

from tests.apptest import open_page


def test_plan_editor_and_portfolio_offer_the_three_formats(app_env) -> None:
    at = open_page("plans", "zh", account="Carrefour", year="2026")
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"PowerPoint 演示文稿", "PDF 文档", "Markdown 文本"} <= set(labels), labels
    at = open_page("portfolio", "en", year="2026")
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"PowerPoint", "PDF", "Markdown"} <= set(labels), labels
