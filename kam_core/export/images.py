"""Charts → PNG with kaleido and the system's Chromium; one browser session per process, one render at a time.

The browser is the one at ``$KAM_CHROMIUM`` (default /usr/bin/chromium): nothing is downloaded
(``kaleido.get_chrome`` is never called; the path is passed to kaleido, so choreographer does not
search for a browser of its own) and MathJax is off (kaleido would load it from a CDN). Renders
are serialised behind a lock: kaleido's shared server otherwise hands concurrent callers each
other's images. Where no browser is found, :class:`ChartUnavailable` says why and the writers show
the figures as a table instead.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from kam_core.charts import style
from kam_core.export.content import Trend
from kam_core.i18n import t

BROWSER_ENV = "KAM_CHROMIUM"
DEFAULT_BROWSER = "/usr/bin/chromium"
RENDER_TIMEOUT = 60  # seconds for one image (the first includes starting Chromium)


class ChartUnavailable(Exception):
    """No image: ``key`` / ``values`` are the catalog sentence saying why (export.no_browser …)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def browser_path() -> str:
    return os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER


class _Session:
    """One Kaleido (one Chromium) on an event loop of its own thread."""

    def __init__(self, path: str) -> None:
        import kaleido

        self.path = path
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()

        async def _open() -> Any:
            k = kaleido.Kaleido(path=path, mathjax=False, n=1, timeout=RENDER_TIMEOUT)
            await k.open()
            return k

        try:
            self.k = self._call(_open())
        except BaseException:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=RENDER_TIMEOUT + 30)

    def png(self, fig: go.Figure, width: int, height: int, scale: float) -> bytes:
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        return self._call(self.k.calc_fig(fig, opts=opts))

    def close(self) -> None:
        try:
            self._call(self.k.close())
        except Exception:  # closing a broken browser: nothing more to do
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


_lock = threading.Lock()
_session: _Session | None = None


def _close() -> None:
    global _session
    with _lock:
        if _session is not None:
            _session.close()
            _session = None


atexit.register(_close)


def render_png(fig: go.Figure, width: int = 1100, height: int = 420, scale: float = 2.0) -> bytes:
    """The figure as PNG bytes; ChartUnavailable when there is no browser or it fails."""
    global _session
    path = browser_path()
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        raise ChartUnavailable("export.no_browser", path=path)
    with _lock:
        try:
            if _session is None or _session.path != path:
                if _session is not None:
                    _session.close()
                    _session = None
                _session = _Session(path)
            return _session.png(fig, width, height, scale)
        except Exception as e:  # a crashed or hung browser: start a new one next time
            if _session is not None:
                _session.close()
                _session = None
            raise ChartUnavailable("export.render_failed") from e


def trend_figure(trend: Trend, lang: str = "en") -> go.Figure:
    """The plan year's monthly revenue (bars) against the year before (dotted line); amounts in ``lang``'s units."""
    _, this, before = trend.labels
    fig = go.Figure()
    fig.add_bar(x=trend.months, y=trend.revenue, name=style.label(this), marker_color=style.PALETTE[0])
    fig.add_scatter(x=trend.months, y=trend.year_before, name=style.label(before), mode="lines+markers",
                    line=dict(color=style.PALETTE[6], dash="dot"))  # fmt: skip
    fig.update_xaxes(type="category")
    fig.update_yaxes(**style.money_axis(*style.extent(trend.revenue, trend.year_before), trend.symbol, lang))
    style.layout(fig, height=420)
    fig.update_layout(title=dict(text=style.label(trend.title), font=style.TITLE_FONT), plot_bgcolor="white",
                      font=dict(family="Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"),
                      margin=dict(l=10, r=10, t=40, b=10))  # fmt: skip
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig


@dataclass(frozen=True)
class Chart:
    """A chart as PNG, or the sentence saying why it is shown as a table instead (``note``)."""

    png: bytes | None
    note: str | None = None


def trend_chart(trend: Trend, lang: str = "en") -> Chart:
    """The trend chart of a plan export (no chart, no note when there is no data to draw)."""
    if not trend.has_data:
        return Chart(None)
    try:
        return Chart(render_png(trend_figure(trend, lang)))
    except ChartUnavailable as e:
        return Chart(None, t("export.chart_missing", lang, reason=t(e.key, lang, **e.values)))
