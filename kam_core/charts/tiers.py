"""Figures of the tier page: province choropleth (offline geometry), tier treemap. Pure builders.

The map is a plotly geo choropleth on the shipped Natural Earth province polygons, which the app
serves itself (static/geo, see GEOJSON_URL). Plotly still loads a base topojson for any geo subplot;
the app serves that too (static/topojson/world_110m.json, see TOPOJSON_URL) so nothing is fetched
from the internet.
"""

from __future__ import annotations

import json
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.style import PALETTE, TIER_COLORS, extent, money_axis, safe
from kam_core.charts.style import label as esc
from kam_core.geo import GEOJSON

# Where the app serves plotly's base topojson (Streamlit static serving of ./static).
TOPOJSON_URL = "/app/static/topojson/"
# ... and the province polygons (a copy of kam_core.geo.GEOJSON; tests keep the two the same). The map's traces
# name this URL instead of carrying the polygons: plotly.js fetches them once and keeps them, where a figure
# holding them sent 320 kB on every rerun (and serialised them for it each time).
GEOJSON_URL = "/app/static/geo/" + GEOJSON.name
PLOTLY_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False}


@cache
def province_geojson() -> dict:
    """The shipped province polygons (34 features, keyed by properties.name_en)."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def _names(lang: str) -> dict[str, str]:
    key = "name_zh_short" if lang == "zh" else "name_en"
    return {f["properties"]["name_en"]: f["properties"][key] for f in province_geojson()["features"]}


def province_map(
    df: pd.DataFrame, value_col: str, labels: dict[str, str], lang: str = "en", prefix: str = "¥"
) -> go.Figure:
    """Choropleth of ``df[value_col]`` per canonical province (column ``province``).

    df also carries revenue, stores, accounts and top_accounts for the hover. Provinces
    without a value are drawn in light grey so the country outline stays whole.
    labels: value (colour-bar title), province, revenue, stores, accounts, top_accounts; without
    "stores" the hover leaves store counts out (data without a store column). ``prefix``: the
    currency symbol.
    """
    gj = GEOJSON_URL
    names = _names(lang)
    all_prov = list(names)
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=gj, featureidkey="properties.name_en", locations=all_prov, z=[0] * len(all_prov),
            text=[names[p] for p in all_prov], colorscale=[[0, "#eceff1"], [1, "#eceff1"]], showscale=False,
            marker_line_color="#90a4ae", marker_line_width=0.6, hovertemplate="%{text}<extra></extra>",
            name="base",
        )
    )  # fmt: skip
    d = df[df[value_col] > 0] if not df.empty else df
    if not d.empty:
        custom = list(
            zip(
                [esc(names.get(p, p)) for p in d["province"]],
                d["revenue"].astype(float),
                d["stores"].astype(int),
                d["accounts"].astype(int),
                [esc(x) for x in d["top_accounts"].fillna("").astype(str)],
                strict=True,
            )
        )
        fig.add_trace(
            go.Choropleth(
                geojson=gj, featureidkey="properties.name_en", locations=d["province"], z=d[value_col].astype(float),
                customdata=custom, colorscale="Blues", marker_line_color="#455a64", marker_line_width=0.6,
                colorbar=dict(title=dict(text=labels["value"]), thickness=12,
                              **(money_axis(*extent(d[value_col]), prefix, lang) if value_col == "revenue" else {})),
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    f"{labels['revenue']}: {esc(prefix)}%{{customdata[1]:,.0f}}<br>"
                    + (f"{labels['stores']}: %{{customdata[2]:,}}<br>" if labels.get("stores") else "")
                    + f"{labels['accounts']}: %{{customdata[3]:,}}<br>"
                    f"{labels['top_accounts']}: %{{customdata[4]}}<extra></extra>"
                ),
                name="value",
            )
        )  # fmt: skip
    fig.update_geos(
        visible=False, fitbounds="locations", projection_type="mercator", showcountries=False, showcoastlines=False,
        showland=False, bgcolor="rgba(0,0,0,0)",
    )  # fmt: skip
    fig.update_layout(height=520, margin=dict(l=0, r=0, t=10, b=0), dragmode=False)
    return safe(fig)


def tier_treemap(
    df: pd.DataFrame, tier_labels: dict[str, str], province_names: dict[str, str], prefix: str = "¥",
    others: str = "Other accounts ({n})", other_provinces: str = "Other provinces ({n})",
) -> go.Figure:  # fmt: skip
    """Treemap tier → account → province of revenue; ``prefix``: currency.

    df: tier, account, province, revenue as :func:`kam_core.analytics.tiers.tree_data` gives it: a row
    without account is its tier's "others" cell (``others`` with {n} = its ``accounts``), a row with an
    account but no province that account's "other provinces" cell (``other_provinces``, {n} = ``provinces``).
    """
    # Built with vectorised group sums: a treemap over thousands of accounts must not loop in pandas.
    d = df.assign(revenue=df["revenue"].astype(float), tier=df["tier"].astype(str))
    n_acc = d["accounts"] if "accounts" in d else pd.Series(1, index=d.index)
    n_prov = d["provinces"] if "provinces" in d else pd.Series(1, index=d.index)
    rest = d["account"].isna()
    o, d, n_prov = d[rest], d[~rest], n_prov[~rest]
    d = d.assign(account=d["account"].astype(str))
    t = pd.concat([d, o]).groupby("tier", sort=False, as_index=False)["revenue"].sum()
    a = d.groupby(["tier", "account"], sort=False, as_index=False)["revenue"].sum()
    # ids and parents carry the names too (escaped alike, so a parent still names its node's id)
    acc_a, acc_d = a["account"].map(esc), d["account"].map(esc)
    t_id = "t:" + t["tier"].map(esc)
    a_id = "a:" + a["tier"].map(esc) + ":" + acc_a
    o_id = "o:" + o["tier"].map(esc)
    other_p = d["province"].isna()
    p_id = ("p:" + d["tier"].map(esc) + ":" + acc_d + ":" + d["province"].astype(str).map(esc)).where(
        ~other_p, "q:" + d["tier"].map(esc) + ":" + acc_d
    )
    ids = [*t_id, *a_id, *o_id, *p_id]
    parents = [
        *([""] * len(t)), *("t:" + a["tier"].map(esc)), *("t:" + o["tier"].map(esc)),
        *("a:" + d["tier"].map(esc) + ":" + acc_d),
    ]  # fmt: skip
    p_labels = [
        esc(other_provinces.format(n=f"{int(n):,}")) if none else esc(province_names.get(x, str(x)))
        for x, none, n in zip(d["province"], other_p, n_prov, strict=True)
    ]
    labels = [
        *(esc(tier_labels.get(x, x)) for x in t["tier"]),
        *(esc(x) for x in a["account"]),
        *(esc(others.format(n=f"{int(n):,}")) for n in n_acc[rest]),
        *p_labels,
    ]
    values = [*t["revenue"], *a["revenue"], *o["revenue"], *d["revenue"]]
    colors = [TIER_COLORS.get(x, PALETTE[6]) for x in [*t["tier"], *a["tier"], *o["tier"], *d["tier"]]]
    fig = go.Figure(
        go.Treemap(
            ids=ids, parents=parents, labels=labels, values=values, branchvalues="total", maxdepth=2,
            marker=dict(colors=colors), texttemplate="%{label}<br>%{percentRoot:.1%}",
            hovertemplate="<b>%{label}</b><br>" + esc(prefix) + "%{value:,.0f}<br>%{percentParent:.1%}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(height=520, margin=dict(l=0, r=0, t=10, b=0))
    return safe(fig)


def province_names(lang: str) -> dict[str, str]:
    """Canonical province name → display name in ``lang``."""
    return _names(lang)
