"""The charts' own plotly.js: every figure the pages send can be drawn by the bundle, in the app's theme."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import streamlit  # noqa: F401 - sets plotly's default template to Streamlit's placeholder one, as in the app

from kam_core.charts import style
from tests.apptest import drawn, open_app
from ui import plotly_view

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "frontend" / "plotly" / "entry.js"
CHART_PAGES = ("pareto", "tiers", "channels", "regions", "scoring", "explain")


def _registered() -> set[str]:
    """The trace types the bundle's entry registers (scatter comes with plotly's core)."""
    return {"scatter", *re.findall(r'from "plotly\.js/lib/(\w+)"', ENTRY.read_text())} - {"core"}


def test_the_bundle_draws_every_trace_type_of_every_chart_page(app_env) -> None:
    at = open_app("en")
    types = {tr.get("type", "scatter") for d in drawn(at) for tr in d.spec["data"]}
    keys = [d.key for d in drawn(at)]
    for page in CHART_PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
        shown = drawn(at)
        assert shown, f"{page} draws charts"
        keys += [d.key for d in shown]
        types |= {tr.get("type", "scatter") for d in shown for tr in d.spec["data"]}
    assert {"bar", "scatter", "pie", "treemap", "choropleth", "heatmap", "waterfall"} <= types
    assert types <= _registered(), f"not in frontend/plotly/entry.js: {sorted(types - _registered())}"
    assert len(keys) == len(set(keys))  # every chart its own element key


def test_the_bundle_is_served_under_its_hash() -> None:
    assert plotly_view.BUNDLE.stat().st_size > 500_000  # the built module, not a placeholder
    digest = hashlib.sha256(plotly_view.BUNDLE.read_bytes()).hexdigest()[:12]
    assert plotly_view.bundle_url() == f"/app/static/plotly-kam.js?v={digest}"
    assert "export" in plotly_view.BUNDLE.read_text(encoding="utf-8")[-200:]  # an ES module with a default export


def test_figures_go_out_in_the_apps_theme_and_stay_unchanged() -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    before = fig.to_plotly_json()
    assert json.dumps(before["layout"].get("template", {})).count("#0000") > 0  # Streamlit's placeholder colours
    s = plotly_view.spec(fig)
    assert s["layout"]["template"] == style.TEMPLATE
    assert s["layout"]["height"] == plotly_view.DEFAULT_HEIGHT  # as st.plotly_chart drew a figure without one
    assert not re.search(r"#0000[0-9a-f]{2}\b", json.dumps(s))  # no colour left for Streamlit's front end to fill
    assert fig.to_plotly_json() == before  # the figure (maybe shared through a cache) is not changed
    fig.update_layout(height=300)
    assert plotly_view.spec(fig)["layout"]["height"] == 300


def test_the_theme_leaves_text_sizes_to_the_figure() -> None:
    """Only the base font has a size: a figure's own font (presentation mode's larger one) sizes every text."""

    def sizes(node: object, path: str = "") -> list[str]:
        if isinstance(node, dict):
            found = [path] if "size" in node and path.rsplit(".", 1)[-1] in ("font", "tickfont") else []
            return found + [p for k, v in node.items() for p in sizes(v, f"{path}.{k}")]
        if isinstance(node, list):
            return [p for v in node for p in sizes(v, path)]
        return []

    for template in (style.TEMPLATE, style.TEMPLATE_DARK):
        assert sizes(template) == [".layout.font"]
        assert template["layout"]["font"]["size"] == 12  # Streamlit's chart text
