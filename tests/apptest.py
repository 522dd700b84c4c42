"""Shared AppTest helpers: open the app or one page (in a language, with URL parameters), read what it shows."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from ui import plotly_view

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def open_app(lang: str = "en", timeout: float = 60, **params: str | list[str]) -> AppTest:
    """The app's first run (the overview) with ``?lang=…`` and the given URL parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(key: str, lang: str = "en", timeout: float = 60, **params: str | list[str]) -> AppTest:
    """The page ``app_pages/<key>.py``, reached as a user does: open the app, then switch to it."""
    at = open_app(lang, timeout, **params)
    at.switch_page(f"app_pages/{key}.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> list[str]:
    """Titles, headers and subheaders shown."""
    return [e.value for e in [*at.title, *at.header, *at.subheader]]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def qp(at: AppTest, key: str) -> list[str]:
    """The URL's values for key after a run (AppTest collapses one value to a str)."""
    v = at.query_params.get(key, [])
    return [v] if isinstance(v, str) else list(v)


@dataclass(frozen=True)
class Drawn:
    """A chart on the page (ui.plotly_view's component): its key, figure JSON and plotly.js options."""

    key: str
    spec: dict
    config: dict


def drawn(at: AppTest) -> list[Drawn]:
    """Every chart shown, in page order."""
    out = []
    for c in at.get("bidi_component"):
        if c.proto.component_name != plotly_view.NAME:
            continue
        data = json.loads(c.proto.json)
        out.append(Drawn(c.proto.id.split("-", 2)[-1], json.loads(data["spec"]), json.loads(data["config"])))
    return out


def drawn_one(at: AppTest, key: str) -> Drawn:
    """The chart with element key ``key``."""
    return next(d for d in drawn(at) if d.key == key)


def charts(at: AppTest) -> list[dict]:
    """Every plotly figure shown, as its JSON spec."""
    return [d.spec for d in drawn(at)]


def array(v: object) -> list:
    """A plotly JSON array: a plain list, or a typed array {"dtype", "bdata"} (base64)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The dataframe shown that has ``column`` (AppTest gives read-only tables no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
