"""The Arrow helpers the tier classifier builds its columns with (kam_core.analytics.tiers)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kam_core.analytics import tiers as T


def test_join_keeps_rows_where_no_part_is_present() -> None:
    # (pyarrow's binary_join_element_wise(null_handling="skip") drops such rows: every row must stay in place)
    parts = [
        pa.array(v, pa.string()) for v in ([None, "a", None, "b"], [None, None, "c", "d"], [None, "e", None, None])
    ]
    assert T._join(parts, "; ").to_pylist() == ["", "a; e", "c", "b; d"]


def test_lists_give_back_each_row() -> None:
    arr = pa.array([["x", "y"], [], None, ["y"], ["z", "x", "x"]], pa.list_(pa.string()))
    assert T._lists(arr) == [["x", "y"], [], [], ["y"], ["z", "x", "x"]]
    assert T._lists(pa.chunked_array([arr.slice(3), arr.slice(0, 2)])) == [["y"], ["z", "x", "x"], ["x", "y"], []]


def test_percentages_as_formatted_one_by_one() -> None:
    x = np.array([0.0, -0.0, 1.0, 0.12345, 0.00049, 0.00051, 0.5, 0.12345, 2 / 3, -0.25])
    assert T._pcts(x).tolist() == [T._pct(v) for v in x.tolist()]
    assert T._pcts(x)[1] == "-0.0%"  # (the sign of -0.0 kept, as f-strings write it)
