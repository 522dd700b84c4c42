"""One shared chart style: a tier or segment has the same colour in every figure."""

from __future__ import annotations

import pandas as pd

from kam_core.charts import channels as cc
from kam_core.charts import style
from kam_core.charts import tiers as ct


def test_a_tier_has_one_colour_on_the_tier_and_the_channel_pages() -> None:
    tree = pd.DataFrame({"tier": ["GKA", "NKA", "LKA"], "account": ["a", "b", "c"], "province": ["X"] * 3,
                         "revenue": [3.0, 2.0, 1.0]})  # fmt: skip
    treemap = ct.tier_treemap(tree, {}, {}).data[0]
    tier_colour = dict(zip(treemap.ids[:3], treemap.marker.colors[:3], strict=True))
    share = pd.DataFrame({"period": ["2025-01"] * 3, "key": ["GKA", "NKA", "LKA"], "share": [0.5, 0.3, 0.2],
                          "revenue": [5.0, 3.0, 2.0]})  # fmt: skip
    stack = {tr.name: tr.marker.color for tr in cc.share_stack(share, {}, "bar").data}
    for tier in ("GKA", "NKA", "LKA"):
        assert tier_colour[f"t:{tier}"] == stack[tier] == style.TIER_COLORS[tier] == style.SEGMENT_COLORS[tier]
    assert len(set(style.SEGMENT_COLORS.values())) == len(style.SEGMENT_COLORS)  # segments tell apart


def test_unknown_keys_fall_back_to_the_palette_and_the_layout_is_shared() -> None:
    assert style.color("no-such-channel", 3) == style.PALETTE[3]
    assert style.color("hypermarket", 3) == style.CHANNEL_COLORS["hypermarket"]
    fig = style.layout(cc.go.Figure(), height=123)
    assert fig.layout.height == 123 and fig.layout.legend.orientation == "h"


def test_the_upload_chart_still_finds_the_shared_layout() -> None:
    from datetime import date
    from decimal import Decimal

    from kam_core.charts_upload import change_chart
    from kam_core.ingest.preview import MonthTotal

    fig = change_chart([MonthTotal(date(2025, 1, 1), Decimal(1), Decimal(2))], {"before": "b", "after": "a"})
    assert fig.layout.height == 300 and [tr.name for tr in fig.data] == ["b", "a"]
    # the amount axis in the reader's units, as every other money axis (was plotly's bare "8000")
    fig = change_chart([MonthTotal(date(2025, 1, 1), Decimal(6000), Decimal(8150))], {"before": "b", "after": "a"},
                       "¥", "zh")  # fmt: skip
    assert list(fig.layout.yaxis.ticktext)[-1].startswith("¥") and "¥" in fig.data[0].hovertemplate
    assert min(fig.layout.yaxis.tickvals) == 0 and max(fig.layout.yaxis.tickvals) >= 8150


def test_a_channel_has_one_colour_in_the_overview_donut_and_on_the_channels_page() -> None:
    from kam_core.charts import overview as co

    keys = ["hypermarket", "distributor", "online", "wholesale", "warehouse_club", ""]
    donut = co.share_donut(["a", "b", "c", "d", "e", "f"], [6.0, 5.0, 4.0, 3.0, 2.0, 1.0], keys=keys).data[0]
    share = pd.DataFrame({"period": ["2025-01"] * 6, "key": keys, "share": [0.3, 0.25, 0.2, 0.15, 0.05, 0.05],
                          "revenue": [6.0, 5.0, 4.0, 3.0, 2.0, 1.0]})  # fmt: skip
    stack = [tr.marker.color for tr in cc.share_stack(share, {}, "bar").data]
    assert list(donut.marker.colors) == stack == [style.CHANNEL_COLORS[k] for k in keys]
    assert len(set(donut.marker.colors)) == len(keys)  # hypermarket and warehouse club tell apart


def test_the_shared_layout_keeps_the_hover_mode_a_chart_chose() -> None:
    from kam_core.charts import overview as co

    assert style.layout(cc.go.Figure()).layout.hovermode == "x unified"  # the default
    assert style.layout(cc.go.Figure().update_layout(hovermode=False)).layout.hovermode is False
    top = co.top_bar(pd.DataFrame({"account": ["Walmart", "Lianhua"], "revenue": [284.9e6, 144.3e6]}),
                     "account", "revenue", "Revenue")  # fmt: skip
    # a horizontal bar hovers by its row: a unified box would head the label with the raw length ("144.2508M")
    assert top.layout.hovermode == "y"


def test_matrix_numbers_never_cover_each_other() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    from kam_core.charts import scoring as cs

    def boxes(points):
        out = []
        for (x, y, _), (ax, ay) in zip(points, cs.place_numbers(points), strict=True):
            cx, cy = cs._px(x, y)
            out.append((cx + ax, cy + ay))
        return out

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(hs.lists(hs.tuples(hs.floats(70, 100), hs.floats(70, 100), hs.floats(2, 22.5)), min_size=1, max_size=10))
    def clustered(points):  # the ten largest accounts crowded in one corner, as the demo's are
        placed = boxes(points)
        for i, (bx, by) in enumerate(placed):
            for ox, oy in placed[i + 1 :]:
                assert abs(bx - ox) >= cs._BOX_W or abs(by - oy) >= cs._BOX_H, "two numbers overlap"
            assert 0 <= bx <= cs._PLOT_W and 0 <= by <= cs._PLOT_H

    clustered()
