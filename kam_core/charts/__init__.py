"""Plotly figure builders, one module per feature (overview, pareto, tiers, channels, regions) + style.

Pure builders: tidy frame and translated labels in, go.Figure out. No state, no Streamlit.
"""

from __future__ import annotations

from kam_core.charts.style import PALETTE, layout

# The name kam_core/charts_upload.py imports (it predates style.layout).
_layout = layout

__all__ = ["PALETTE", "layout"]
