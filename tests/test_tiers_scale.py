"""At scale the tier treemap sends at most what a person can read: top N accounts per tier + one "others" cell."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.io as pio
import pytest

from kam_core.analytics import tiers as T
from kam_core.charts import tiers as ct
from kam_core.db import Database
from kam_core.filters import Filters
from tests.test_tiers import add_lines

N_ACCOUNTS = 5_000
JAN26 = Filters(start=date(2026, 1, 1), end=date(2026, 1, 1))
PROVS = ["Guangdong", "Beijing", "Jiangsu", "Zhejiang", "Shanghai", "Sichuan", "Hubei", "Hunan", "Henan", "Hebei",
         "Shandong", "Fujian", "Anhui", "Jiangxi"]  # fmt: skip


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """5 000 supermarket accounts: account i sells in 1 + i % 14 provinces (one store each), revenue 1 000 + i.

    Accounts in one province have one store there (a tiny share of the province: not K/A), in 2+
    provinces they are NKA. So NKA = the accounts with i % 14 > 0.
    """
    db = Database(tmp_path_factory.mktemp("scale") / "many.duckdb")
    rows = []
    for i in range(N_ACCOUNTS):
        for k in range(1 + i % 14):
            rows.append(("2026-01", f"A{i:05d}", f"S{i:05d}-{k}", PROVS[k], "supermarket", 1000.0 + i + k))
    add_lines(db, rows)
    yield db
    db.close()


def cells(fig) -> pd.DataFrame:
    t = fig.data[0]
    return pd.DataFrame({"id": t.ids, "parent": t.parents, "label": t.labels, "value": t.values})


def test_tree_data_keeps_top_accounts_and_sums_the_rest(many: Database) -> None:
    full = T.tree_data(many, JAN26, top=None, provinces=None)
    tree = T.tree_data(many, JAN26, top=10, provinces=3)
    assert set(tree["tier"]) == {"NKA"}
    # exactly the sums of the full breakdown, per tier
    assert tree.groupby("tier")["revenue"].sum().to_dict() == full.groupby("tier")["revenue"].sum().to_dict()
    by_acc = full.groupby("account")["revenue"].sum().sort_values(ascending=False)
    kept = tree["account"].dropna().unique().tolist()
    assert kept == by_acc.index[:10].tolist() and kept[:2] == ["A04997", "A04983"]  # largest first (14 provinces)
    others = tree[tree["account"].isna()]
    assert len(others) == 1 and int(others["accounts"].iloc[0]) == full["account"].nunique() - 10
    assert others["revenue"].iloc[0] == pytest.approx(by_acc.iloc[10:].sum(), abs=1e-6)
    two = T.tree_data(many, JAN26, top=None, provinces=3)
    top = two[two["account"] == "A04999"]  # 4999% 14 = 1 → 2 provinces: nothing folded
    assert top["province"].tolist() == ["Beijing", "Guangdong"] and top["revenue"].tolist() == [6000.0, 5999.0]
    big = tree[tree["account"] == "A04997"]  # 4997% 14 = 13 → 14 provinces: 3 kept + 11 folded
    assert big["province"].tolist()[:3] == ["Jiangxi", "Anhui", "Fujian"] and big["province"].isna().sum() == 1
    folded = big[big["province"].isna()]
    assert int(folded["provinces"].iloc[0]) == 11
    assert folded["revenue"].iloc[0] == sum(1000.0 + 4997 + k for k in range(11))


def test_treemap_figure_is_small_at_5000_accounts(many: Database) -> None:
    n = T.TREE_TOP
    tree = T.tree_data(many, JAN26)
    fig = ct.tier_treemap(tree, {"NKA": "National"}, ct.province_names("en"), others="Others ({n})")
    c = cells(fig)
    tiers = c[c["parent"] == ""]
    assert tiers["label"].tolist() == ["National"]
    per_tier = c[c["parent"] == "t:NKA"]
    assert len(per_tier) == n + 1  # top N accounts + one "others" cell
    n_nka = sum(1 for i in range(N_ACCOUNTS) if i % 14)
    assert per_tier["label"].iloc[-1] == f"Others ({n_nka - n:,})"
    total = sum(sum(1000.0 + i + k for k in range(1 + i % 14)) for i in range(N_ACCOUNTS) if i % 14)
    assert tiers["value"].iloc[0] == pytest.approx(total, rel=1e-12)
    assert per_tier["value"].sum() == pytest.approx(total, rel=1e-12)
    # every account cell is the sum of its province cells
    kids = c[c["id"].str.startswith(("p:", "q:"))].groupby("parent")["value"].sum()
    accs = per_tier.set_index("id")["value"]
    assert kids.reindex(accs.index[:-1]).tolist() == pytest.approx(accs.iloc[:-1].tolist())
    assert len(c) <= 1 + (n + 1) + n * (T.TREE_PROVINCES + 1)
    assert len(pio.to_json(fig)) < 200_000


def test_treemap_without_limits_draws_every_account(many: Database) -> None:
    tree = T.tree_data(many, JAN26, top=None, provinces=None)
    c = cells(ct.tier_treemap(tree, {}, {}))
    assert (c["parent"] == "t:NKA").sum() == sum(1 for i in range(N_ACCOUNTS) if i % 14)
    assert not c["id"].str.startswith(("o:", "q:")).any()
