"""Plotly figures drawn in the browser by the app's own partial plotly.js, not by ``st.plotly_chart``.

Why: Streamlit's plotly chunk is the whole of plotly.js (4.7 MB); evaluating it cost ~1.2 s in every new browser
tab before the first chart of a page could draw (bench/RESULTS.md §3). The figures here use six trace types
(bar, choropleth, heatmap, pie, treemap, waterfall) and scatter: ``static/plotly-kam.js`` holds those and the
core, 1.4 MB, built from ``frontend/plotly`` (``make plotly-bundle``) and served by Streamlit's static file
serving, so the browser caches it like any script. Each chart is a Streamlit custom component (v2: drawn in the
page itself, no iframe) whose few lines of JavaScript import that module once per tab and hand it the figure.

What ``st.plotly_chart`` did besides drawing is done here too: the figure's height (450 px without one), the
full width of its column (and a redraw when that width changes), the chart theme (``style.TEMPLATE``: Streamlit's
light theme as concrete values; ``style.TEMPLATE_DARK`` where the page is dark, as Streamlit draws it for a viewer
whose system asks for dark pages), a fullscreen button (in plotly's modebar: Streamlit's chart toolbar had one) and
plotly's own options (``config``).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from kam_core.charts import style
from ui.state import tr

BUNDLE = Path(__file__).resolve().parent.parent / "static" / "plotly-kam.js"
NAME = "kam_plotly"
DEFAULT_HEIGHT = 450  # what st.plotly_chart drew for a figure without a height
TESTID = "kamChart"  # data-testid of the box plotly draws in (the browser tests and bench/browser.py find it)
CHART = f"[data-testid='{TESTID}']"

# The module is imported once per tab (the promise is kept); each call draws or updates its own box with
# Plotly.react, so a rerun with a changed figure redraws in place. A figure that arrives while an older one
# still waits for the module wins (the token). The box keeps its height before plotly has loaded: no jump.
JS = r"""
let plotly = null;
// The modebar's fullscreen button (Streamlit's chart toolbar had one): four corners of a square.
const FULL = {
  width: 1000, height: 1000,
  path: "M0 0h400v100H100v300H0zM600 0h400v400H900V100H600zM0 600h100v300h300v100H0zM900 600h100v400H600V900h300z",
};
// Is the page's background dark? ("#0e1117", "rgb(14, 17, 23)"; unknown: light)
function dark(color) {
  const c = color.trim();
  let rgb = null;
  if (/^#[0-9a-f]{6}$/i.test(c)) rgb = [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  const m = c.match(/^rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  if (m) rgb = m.slice(1, 4).map(Number);
  return rgb !== null && 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 128;
}
export default function ({ data, parentElement }) {
  if (!plotly) plotly = import(new URL(data.src, window.location.origin).href).then((m) => m.default);
  let box = parentElement.querySelector(":scope > div.kam-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "kam-chart";
    box.dataset.testid = "%TESTID%";
    box.style.width = "100%";
    parentElement.appendChild(box);
  }
  box.style.height = data.height + "px";
  const spec = JSON.parse(data.spec);
  const config = JSON.parse(data.config);
  const background = getComputedStyle(parentElement).getPropertyValue("--st-background-color");
  if (dark(background)) spec.layout.template = JSON.parse(data.dark);  // a viewer whose browser asks for dark pages
  config.modeBarButtonsToAdd = [{
    name: "kamFullscreen", title: data.fullscreen, icon: FULL,
    click: () => (document.fullscreenElement ? document.exitFullscreen() : box.requestFullscreen()),
  }];
  box.kamHeight = data.height;
  if (!box.kamFull) {  // the whole screen while full, its own height after
    box.kamFull = () => {
      const on = document.fullscreenElement === box;
      box.style.height = on ? "100vh" : box.kamHeight + "px";
      box.style.background = on ? background.trim() || "#ffffff" : "";
      const size = on ? { width: innerWidth, height: innerHeight } : { width: null, height: box.kamHeight };
      plotly.then((Plotly) => Plotly.relayout(box, size));  // width null: the column's again
    };
    box.addEventListener("fullscreenchange", box.kamFull);
  }
  const token = (box.kamToken || 0) + 1;
  box.kamToken = token;
  plotly.then((Plotly) => {
    if (box.kamToken !== token) return null;
    return Plotly.react(box, spec.data, spec.layout, config).then(() => {
      box.dataset.drawn = String(token);
      if (!box.kamResize) {
        box.kamResize = new ResizeObserver(() => {
          if (box.isConnected && box._fullLayout) Plotly.Plots.resize(box);
        });
        box.kamResize.observe(box);
      }
    });
  });
  return () => {
    if (box.kamResize) box.kamResize.disconnect();
    box.kamResize = null;
    plotly.then((Plotly) => Plotly.purge(box));
  };
}
""".replace("%TESTID%", TESTID)


@cache
def bundle_url() -> str:
    """Where the browser loads the bundle: under the app's base path, with the file's hash (a new build is fetched
    again, an unchanged one comes from the browser's cache)."""
    digest = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/plotly-kam.js?v={digest}"


def spec(fig: go.Figure) -> dict[str, Any]:
    """The figure as plotly.js receives it: its data and layout, drawn with ``style.TEMPLATE`` (never the
    template plotly.py or Streamlit set as default, whose colours are placeholders Streamlit's front end fills)."""
    d = fig.to_plotly_json()
    layout = {**d.get("layout", {}), "template": style.TEMPLATE}
    layout.setdefault("height", DEFAULT_HEIGHT)
    return {"data": d.get("data", []), "layout": layout}


@cache
def _dark_template() -> str:
    return json.dumps(style.TEMPLATE_DARK)


def show(fig: go.Figure, key: str, config: dict[str, Any]) -> None:
    """Draw ``fig`` full width (plotly.js options ``config``); ``key`` names the element, as st.plotly_chart's."""
    s = spec(fig)
    data = {
        "spec": pio.json.to_json_plotly(s),
        "config": json.dumps(config),
        "height": int(s["layout"]["height"]),
        "dark": _dark_template(),
        "src": bundle_url(),
        "fullscreen": tr("ui.chart_fullscreen"),
    }
    _component()(data=data, key=key)


def _component() -> Any:
    """The registered component (registering again with the same definition is a no-op: each AppTest or server
    runtime has its own registry)."""
    return st.components.v2.component(NAME, js=JS, isolate_styles=False)
